"""selfeval: interdepartmental self-evaluations, from questionnaire to integrated report.

The public API is what ``__all__`` lists; everything else may change. Names
are loaded on first use (PEP 562), so ``import selfeval`` and the CLI's
start-up do not pay for pydantic, PyYAML or Jinja2 until they are needed.

Example::

    from selfeval import Workspace, validate_workspace

    report = validate_workspace(Workspace.open())
    for problem in report.problems:
        print(problem)
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "SelfevalError": "selfeval.errors",
    "InputError": "selfeval.errors",
    "NotFoundError": "selfeval.errors",
    "RefusedError": "selfeval.errors",
    "LockedError": "selfeval.errors",
    "UsageError": "selfeval.errors",
    "ValidationProblems": "selfeval.errors",
    "ExitStatus": "selfeval.errors",
    "Questionnaire": "selfeval.questionnaire",
    "Exercise": "selfeval.exercise",
    "Participant": "selfeval.exercise",
    "Response": "selfeval.response",
    "Reaction": "selfeval.response",
    "Workspace": "selfeval.workspace",
    "load_questionnaire": "selfeval.documents",
    "load_exercise": "selfeval.documents",
    "load_response": "selfeval.documents",
    "check_answers": "selfeval.answers",
    "progress": "selfeval.answers",
    "init_workspace": "selfeval.scaffold",
    "validate_paths": "selfeval.validation",
    "validate_workspace": "selfeval.validation",
}

__all__ = [
    "Exercise",
    "ExitStatus",
    "InputError",
    "LockedError",
    "NotFoundError",
    "Participant",
    "Questionnaire",
    "Reaction",
    "RefusedError",
    "Response",
    "SelfevalError",
    "UsageError",
    "ValidationProblems",
    "Workspace",
    "__version__",
    "check_answers",
    "init_workspace",
    "load_exercise",
    "load_questionnaire",
    "load_response",
    "progress",
    "validate_paths",
    "validate_workspace",
]

if TYPE_CHECKING:  # pragma: no cover
    from selfeval.answers import check_answers, progress
    from selfeval.documents import load_exercise, load_questionnaire, load_response
    from selfeval.errors import (
        ExitStatus,
        InputError,
        LockedError,
        NotFoundError,
        RefusedError,
        SelfevalError,
        UsageError,
        ValidationProblems,
    )
    from selfeval.exercise import Exercise, Participant
    from selfeval.questionnaire import Questionnaire
    from selfeval.response import Reaction, Response
    from selfeval.scaffold import init_workspace
    from selfeval.validation import validate_paths, validate_workspace
    from selfeval.workspace import Workspace


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'selfeval' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
