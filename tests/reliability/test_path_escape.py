"""A participant code or questionnaire id that would leave the workspace is refused.

Codes and ids become folder and file names
(``responses/<category>/<participant>/<questionnaire>.yaml``), so every
command option that takes one goes through
:func:`selfeval.files.workspace.check_code` (or the questionnaire-id pattern) before
any path is built. Nothing may be created outside the workspace.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from reliakit import COMMANDS, Command, invoke, require
from typer.testing import CliRunner

from selfeval.errors import UsageError
from selfeval.files.workspace import Workspace, check_code

ESCAPES = [
    "../x",
    "../../../../tmp/escaped",
    "/tmp/escaped",
    "BZ/../../x",
    "a/b",
    "..",
    ".",
    "BZ\\..\\x",
    "~",
    "BZ ",
    "x" * 300,
]

#: (command, option) pairs whose value becomes part of a path.
OPTIONS = [
    pytest.param(c, option, id=f"{c.name}{option}")
    for c in COMMANDS
    for option in ("--participant", "--questionnaire")
    if c.name in ("fill", "peer-review")
    and not (c.name == "peer-review" and option == "--questionnaire")
]


def _argv(command: Command, ws: Path, option: str, value: str) -> list[str]:
    argv = command.argv(ws)
    if option in argv:
        argv[argv.index(option) + 1] = value
    else:
        argv[1:1] = [option, value]
    return argv


def _files(folder: Path) -> set[Path]:
    return {p for p in folder.rglob("*")}


@pytest.mark.parametrize("value", ESCAPES)
@pytest.mark.parametrize(("command", "option"), OPTIONS)
def test_escaping_value_is_refused(
    runner: CliRunner, ws: Path, command: Command, option: str, value: str
) -> None:
    require(command)
    outside = ws.parent
    before = _files(outside)
    result = invoke(runner, _argv(command, ws, option, value))
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert result.exit_code in (1, 2), result.output
    # Refused as malformed, or as unknown (looked up among the known codes and ids,
    # never used as a path).
    refusals = ("is not a valid", "is not in selfeval.yaml", "no questionnaire")
    assert any(r in result.stderr for r in refusals), result.stderr
    assert _files(outside) == before  # nothing created, inside or outside the workspace
    assert not Path("/tmp/escaped").exists()


@pytest.mark.parametrize("value", [*ESCAPES, ""])
def test_response_path_refuses_escapes(ws: Path, value: str) -> None:
    workspace = Workspace(ws)
    with pytest.raises(UsageError):
        check_code(value)
    with pytest.raises(UsageError):
        workspace.response_path(value, "self-evaluation")
    with pytest.raises(UsageError):
        workspace.response_path("BZ", value)


def test_response_file_naming_an_escaping_participant_is_invalid(
    runner: CliRunner, ws: Path
) -> None:
    path = ws / "responses" / "falende-staten" / "DEF" / "self-evaluation.yaml"
    text = path.read_text("utf-8")
    path.write_text(text.replace("participant: DEF", "participant: ../../x"), encoding="utf-8")
    result = invoke(runner, ["validate", "--workspace", str(ws)])
    assert result.exit_code == 1
    assert f"{path}:" in result.stderr
    assert "participant" in result.stderr
