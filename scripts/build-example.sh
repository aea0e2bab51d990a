#!/bin/sh
# Rebuild the worked example (falende staten) from the answer files in answers/.
#
#   1. the self-evaluations of BZ and Defensie, through the real `selfeval fill --answers --submit`;
#   2. the draft integrated report and reports/draft.yaml (`selfeval aggregate --draft`);
#   3. the peer reviews (collegiale toets 1 and 2) against that draft, through the real
#      `selfeval peer-review --answers --submit` (answer files hold the items and `reactions:`);
#   4. the final integrated report, in Markdown and HTML (`selfeval aggregate`).
#
# Run from anywhere: sh scripts/build-example.sh
set -eu
cd "$(dirname "$0")/.."

rm -rf responses/falende-staten reports

for code in BZ DEF; do
    selfeval fill --participant "$code" --answers "answers/$code-self-evaluation.yaml" --submit
done

selfeval aggregate --draft

for file in answers/*-peer-review-1.yaml answers/*-peer-review-2.yaml; do
    name=$(basename "$file" .yaml)
    code=${name%%-peer-review-*}
    questionnaire=${name#"$code"-}
    selfeval peer-review --participant "$code" --round "${questionnaire#peer-review-}" \
        --draft reports/draft.yaml --answers "$file" --submit
done

selfeval aggregate
selfeval aggregate --format html
selfeval validate
