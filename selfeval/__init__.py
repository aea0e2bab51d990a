"""selfeval: interdepartmental self-evaluations, from questionnaire to integrated report.

The public API is what ``__all__`` lists; everything else may change. Names
are loaded on first use (PEP 562), so ``import selfeval`` and the CLI's
start-up do not pay for pydantic, PyYAML or Jinja2 until they are needed.

Example::

    from selfeval import Workspace

    from selfeval import validate_workspace

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
    "Questionnaire": "selfeval.model.questionnaire",
    "Exercise": "selfeval.model.exercise",
    "Participant": "selfeval.model.exercise",
    "Response": "selfeval.model.response",
    "Reaction": "selfeval.model.response",
    "Workspace": "selfeval.files.workspace",
    "load_questionnaire": "selfeval.files.load",
    "load_exercise": "selfeval.files.load",
    "load_response": "selfeval.files.load",
    "check_answers": "selfeval.model.answers",
    "progress": "selfeval.model.answers",
    "init_workspace": "selfeval.files.scaffold",
    "validate_paths": "selfeval.checks.validate",
    "validate_workspace": "selfeval.checks.validate",
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
    from selfeval.checks.validate import validate_paths, validate_workspace
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
    from selfeval.files.load import load_exercise, load_questionnaire, load_response
    from selfeval.files.scaffold import init_workspace
    from selfeval.files.workspace import Workspace
    from selfeval.model.answers import check_answers, progress
    from selfeval.model.exercise import Exercise, Participant
    from selfeval.model.questionnaire import Questionnaire
    from selfeval.model.response import Reaction, Response


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'selfeval' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
