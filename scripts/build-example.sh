#!/bin/sh
# Rebuild the worked example (falende staten) from the answer files in answers/.
#
#   1. the self-evaluations of BZ and Defensie, through the real `selfeval fill --answers --submit`;
#   2. the draft integrated report and reports/draft.yaml (`selfeval aggregate --draft`);
#   3. the peer reviews (collegiale toets 1 and 2) against that draft: through
#      `selfeval peer-review --answers` when it is available, else through the private helper
#      scripts/make_response.py (same answer files, same response format);
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

if selfeval peer-review --help 2>/dev/null | grep -q -- '--answers'; then
    peer_review() {
        selfeval peer-review --participant "$1" --round "${2#peer-review-}" \
            --draft reports/draft.yaml --answers "$3" --submit
    }
else
    peer_review() {
        python3 scripts/make_response.py "$1" "$2" "$3" --draft reports/draft.yaml
    }
fi
for file in answers/*-peer-review-1.yaml answers/*-peer-review-2.yaml; do
    name=$(basename "$file" .yaml)
    code=${name%%-peer-review-*}
    questionnaire=${name#"$code"-}
    peer_review "$code" "$questionnaire" "$file"
done

selfeval aggregate
selfeval aggregate --format html
selfeval validate
