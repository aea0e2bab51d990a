"""selfeval: interdepartmental self-evaluations, from questionnaire to integrated report.

The public API is what ``__all__`` lists (derived from the one table
``_API`` below); everything else may change. Names are loaded on first use
(PEP 562), so ``import selfeval`` and the CLI's start-up do not pay for
pydantic, PyYAML or Jinja2 until they are needed. The main entry points are
the commands' cores: :func:`run_fill`, :func:`aggregate`,
:func:`run_peer_review`, :func:`workspace_status` and
:func:`validate_workspace`.

Example::

    from selfeval import Workspace

    from selfeval import validate_workspace

    report = validate_workspace(Workspace.open())
    for problem in report.problems:
        print(problem)
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

#: The public API, listed once: each name and the module that defines it.
#: ``__all__`` and the lazy loader below both derive from this table.
_API = {
    # errors and exit codes
    "SelfevalError": "selfeval.errors",
    "InputError": "selfeval.errors",
    "NotFoundError": "selfeval.errors",
    "RefusedError": "selfeval.errors",
    "LockedError": "selfeval.errors",
    "UsageError": "selfeval.errors",
    "ValidationProblems": "selfeval.errors",
    "ExitStatus": "selfeval.errors",
    # the model
    "Questionnaire": "selfeval.model.questionnaire",
    "Exercise": "selfeval.model.exercise",
    "Participant": "selfeval.model.exercise",
    "Response": "selfeval.model.response",
    "Reaction": "selfeval.model.response",
    "check_answers": "selfeval.model.answers",
    "progress": "selfeval.model.answers",
    # files
    "Workspace": "selfeval.files.workspace",
    "load_questionnaire": "selfeval.files.load",
    "load_exercise": "selfeval.files.load",
    "load_response": "selfeval.files.load",
    "init_workspace": "selfeval.files.scaffold",
    # the commands' cores, one per stage
    "run_fill": "selfeval.fill.run",
    "aggregate": "selfeval.report.aggregate",
    "run_peer_review": "selfeval.peer_review.run",
    "workspace_status": "selfeval.checks.status",
    "validate_paths": "selfeval.checks.validate",
    "validate_workspace": "selfeval.checks.validate",
}

__all__ = ["__version__", *_API]


def __getattr__(name: str) -> Any:
    module = _API.get(name)
    if module is None:
        raise AttributeError(f"module 'selfeval' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
