"""Generate the reference of the exercise file's keys from its pydantic model.

Usage: python scripts/exercise_reference.py          (writes the docs)
       python scripts/exercise_reference.py --check  (exit 1 if a doc is stale)

The table goes between ``<!-- exercise-keys:start -->`` and
``<!-- exercise-keys:end -->`` in docs/files.md and docs/new-exercise.md.
Every key of ``selfeval.yaml`` is a field of :class:`selfeval.model.exercise.Exercise`
(or of the models it holds); its meaning is the field's ``description``.
tests/test_docs.py runs the check, so the docs cannot drift from the model.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from selfeval.model.exercise import Choice, Exercise, IncidentCategory, Participant

DOCS = Path(__file__).resolve().parents[1] / "docs"
TARGETS = (DOCS / "files.md", DOCS / "new-exercise.md")
START = "<!-- exercise-keys:start -->"
END = "<!-- exercise-keys:end -->"

#: (model, the path its keys sit under in selfeval.yaml), in the order of the file.
MODELS: tuple[tuple[type[BaseModel], str], ...] = (
    (Exercise, ""),
    (IncidentCategory, "incident_category."),
    (Choice, "incident_category.choices.<list>[]."),
    (Participant, "participants[]."),
)


def _default(field: Any) -> str:
    if field.is_required():
        return "required"
    if field.default_factory is not None:
        return "optional"
    if field.default is None or field.default is PydanticUndefined:
        return "optional"
    value = field.default
    if isinstance(value, dict):
        value = " / ".join(f"{k}: {v}" for k, v in value.items())
    return f"default `{value}`"


def render() -> str:
    """The table, as Markdown (without the markers)."""
    rows = ["| Key | | Meaning |", "|---|---|---|"]
    for model, prefix in MODELS:
        for name, field in model.model_fields.items():
            if not field.description:
                raise SystemExit(f"{model.__name__}.{name} has no description")
            meaning = " ".join(field.description.split()).replace("|", "\\|")
            rows.append(f"| `{prefix}{name}` | {_default(field)} | {meaning} |")
    return "\n".join(rows) + "\n"


def updated(text: str, table: str) -> str:
    """``text`` with the table between the markers replaced by ``table``."""
    head, start, rest = text.partition(START)
    _, end, tail = rest.partition(END)
    if not start or not end:
        raise SystemExit(f"the markers {START} … {END} are missing")
    return f"{head}{START}\n{table}{END}{tail}"


def main() -> int:
    """Write or check the docs."""
    table = render()
    stale = []
    for path in TARGETS:
        text = path.read_text("utf-8")
        new = updated(text, table)
        if new != text:
            stale.append(path)
            if "--check" not in sys.argv:
                path.write_text(new, "utf-8")
    if "--check" in sys.argv and stale:
        names = ", ".join(p.name for p in stale)
        print(f"{names}: stale; run python scripts/exercise_reference.py", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
