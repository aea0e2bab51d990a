"""Private helper of scripts/build-example.sh: write one submitted response from an answer file.

Used for the peer-review responses of the worked example until `selfeval peer-review --answers`
exists (the self-evaluations go through the real `selfeval fill --answers --submit`). Not part of
the package. An answer file is a mapping item id -> answer; a peer-review answer file may also
have `reactions:` (a list of {finding, verdict, comment, correction}); each reaction gets the
finding's hash from the draft (reports/draft.yaml), and the response records the draft's hash.

Usage: python scripts/make_response.py PARTICIPANT QUESTIONNAIRE ANSWERS [--draft reports/draft.yaml]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from selfeval import yamlio
from selfeval.answers import check_answers
from selfeval.errors import SelfevalError
from selfeval.findings import load_draft
from selfeval.response import DraftRef, QuestionnaireRef, Reaction, Response
from selfeval.workspace import Workspace

#: Fixed stamps keep the generated example byte-for-byte reproducible.
STAMP = "2006-04-01T12:00:00Z"


def make(participant: str, qid: str, answers_path: Path, draft_path: Path | None) -> Path:
    ws = Workspace.open(Path.cwd())
    loaded = ws.questionnaire(qid)
    answers = dict(yamlio.load(answers_path) or {})
    raw_reactions = answers.pop("reactions", None) or []
    draft = load_draft(draft_path) if draft_path else None
    reactions = []
    for raw in raw_reactions:
        reaction = Reaction.model_validate(raw)
        if draft is not None and reaction.finding_hash is None:
            reaction = reaction.model_copy(
                update={"finding_hash": draft.finding(reaction.finding).hash}
            )
        reactions.append(reaction)
    problems = check_answers(
        loaded.questionnaire,
        answers,
        exercise=ws.exercise,
        participant=participant,
        complete=True,
    )
    if problems:
        raise SystemExit(f"{answers_path}: " + "; ".join(str(p) for p in problems))
    response = Response(
        questionnaire=QuestionnaireRef(
            id=loaded.questionnaire.id, version=loaded.questionnaire.version, hash=loaded.hash
        ),
        participant=participant,
        incident_category=ws.exercise.incident_category.id,
        status="submitted",
        started_at=STAMP,
        updated_at=STAMP,
        submitted_at=STAMP,
        draft=DraftRef(hash=draft.draft.hash, path=draft_path.as_posix()) if draft else None,
        answers=answers,
        reactions=reactions,
    )
    target = ws.response_path(participant, qid)
    yamlio.write(target, response.to_data())
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("participant")
    parser.add_argument("questionnaire")
    parser.add_argument("answers", type=Path)
    parser.add_argument("--draft", type=Path)
    args = parser.parse_args()
    try:
        path = make(args.participant, args.questionnaire, args.answers, args.draft)
    except (SelfevalError, KeyError) as exc:
        sys.exit(f"Error: {exc}")
    print(f"Submitted: {path.relative_to(Path.cwd())}")


if __name__ == "__main__":
    main()
