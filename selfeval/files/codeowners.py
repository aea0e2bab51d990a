"""``selfeval codeowners``: a CODEOWNERS file giving each department its own folder.

On a hosted forge (GitHub, GitLab, Forgejo/Gitea) a ``CODEOWNERS`` file names
who must approve a change to which paths; with the main branch protected so
that changes need a code owner's approval, a department can only change
``responses/<category>/<CODE>/`` (``docs/collaboration.md``). The file is made
from the exercise's participants, so it is re-made when they change.
"""

from __future__ import annotations

import re
from pathlib import Path

from selfeval.errors import Location, RefusedError, UsageError
from selfeval.files import yamlio
from selfeval.files.workspace import Workspace

__all__ = ["HEADER", "codeowners_text", "write_codeowners"]

#: The first line of a CODEOWNERS file selfeval wrote (and may write again).
HEADER = "# Written by `selfeval codeowners`"

_OWNER = re.compile(r"^[^\s#]+$")
_PLACEHOLDERS = ("{code}", "{code_lower}")


def _owner(pattern: str, code: str) -> str:
    return pattern.replace("{code_lower}", code.lower()).replace("{code}", code)


def codeowners_text(workspace: Workspace, team_pattern: str, secretariat: str | None = None) -> str:
    """The CODEOWNERS content: one line per participant, its folder and its team.

    Args:
        workspace: the workspace (its exercise gives the participants and category).
        team_pattern: the owner(s) of a participant's folder, with ``{code}``
            or ``{code_lower}`` for its code, e.g. ``@ministeries/{code_lower}``
            (several owners separated by spaces).
        secretariat: owner of everything else (the exercise, questionnaires,
            texts, reports), or None for no such line.

    Returns:
        The file's text; later lines win, so the secretariat's line comes first.

    Raises:
        UsageError: the pattern has no placeholder, or an owner is not
            ``@name`` or an e-mail address.
    """
    team_pattern, secretariat = " ".join(team_pattern.split()), secretariat and secretariat.strip()
    if not any(p in team_pattern for p in _PLACEHOLDERS):
        raise UsageError(
            f"the team pattern {team_pattern!r} has no {{code}} or {{code_lower}} in it",
            hint="e.g. selfeval codeowners '@ministeries/{code_lower}'",
        )
    exercise = workspace.exercise
    owners = [(p.code, _owner(team_pattern, p.code)) for p in exercise.participants]
    for owner in " ".join([o for _, o in owners] + [secretariat or ""]).split():
        if not _OWNER.match(owner) or "@" not in owner:
            raise UsageError(
                f"{owner!r} is not a code owner",
                hint="an owner is @user, @org/team or an e-mail address; several are "
                "separated by spaces",
            )
    folders = [
        (f"/responses/{category.id}/{code}/", owner)
        for category in exercise.categories
        for code, owner in owners
        if exercise.takes_part_in(exercise.participant(code), category.id)
    ]
    lines = [
        f"{HEADER} from selfeval.yaml: each department owns",
        "# its own responses folder. Run it again after changing the participants.",
        "# See docs/collaboration.md. The last matching line wins.",
    ]
    if secretariat:
        lines.append(f"* {secretariat}")
    width = max(len(folder) for folder, _ in folders) if folders else 0
    for folder, owner in folders:
        lines.append(f"{folder:<{width}} {owner}")
    return "\n".join(lines) + "\n"


def write_codeowners(
    workspace: Workspace,
    team_pattern: str,
    *,
    secretariat: str | None = None,
    path: Path | None = None,
) -> Path:
    """Write the CODEOWNERS file (see :func:`codeowners_text`).

    Args:
        workspace: the workspace.
        team_pattern: as for :func:`codeowners_text`.
        secretariat: as for :func:`codeowners_text`.
        path: where; default ``CODEOWNERS`` in the workspace (GitHub and
            GitLab also read ``.github/`` and ``.gitlab/``).

    Returns:
        The file written.

    Raises:
        UsageError: as :func:`codeowners_text`.
        RefusedError: the file exists and was not written by selfeval.
        InputError: it cannot be written.
    """
    target = path or workspace.root / "CODEOWNERS"
    text = codeowners_text(workspace, team_pattern, secretariat)
    if target.is_file() and not target.read_text("utf-8", errors="replace").startswith(HEADER):
        raise RefusedError(
            "a CODEOWNERS file that selfeval did not write is already there",
            location=Location(target),
            hint="merge the lines by hand (run with --output - to print them), or remove it",
        )
    # The default path is in the workspace and stays there; an explicit --output is the user's.
    yamlio.atomic_write_text(target, text, within=None if path else workspace.root)
    return target
