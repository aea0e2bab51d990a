"""Hostile files are refused within bounded time and memory, in a real child process.

Hostile *places* too: a device, named pipe, folder or link where a workspace
file or folder should be (:func:`selfeval.files.yamlio.read_file`,
:func:`selfeval.files.root.list_folder`): each command refuses it naming it,
and no department vanishes from a report without a word.

Each case that could hang or fill memory (an alias bomb, deep nesting, a 50 MB
file, a named pipe, ``/dev/zero``) runs ``selfeval`` as a child with its address
space limited to :data:`reliakit.MEMORY_LIMIT` (an expanded alias bomb would die
with MemoryError and a traceback) and a timeout that only guards against a hang;
nothing here asserts a duration. A child that crashes (a segfault in the YAML
parser) shows up as a negative return code. The cases that can do neither (a
refused tag, a folder or a link where a file should be) run the same command in
this process (typer's CliRunner, :func:`reliakit.run_in_process`), which fails on
any exception that escapes the CLI. Limits: ``yamlio.MAX_FILE_BYTES`` and
``yamlio.MAX_DEPTH``, documented in ``docs/files.md``.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from reliakit import COMMANDS, Command, require, run_in_process, run_selfeval, targets

from selfeval.files import yamlio

BILLION_LAUGHS = "\n".join(
    [
        'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]',
        *(
            f"{key}: &{key} [{', '.join([f'*{prev}'] * 9)}]"
            for prev, key in zip("abcdefgh", "bcdefghi", strict=True)
        ),
        "",
    ]
)


def _big(path: Path) -> str:
    """A valid file padded with a comment to 50 MB (the file is written directly)."""
    with path.open("ab") as handle:
        chunk = b"# " + b"x" * (1024 * 1024 - 3) + b"\n"
        for _ in range(50):
            handle.write(chunk)
    return f"over the limit of {yamlio.MAX_FILE_BYTES:,}"


#: name → (text to write, or a function that damages the file in place; message fragment).
HOSTILE = {
    "python-object-tag": (
        "questionnaire: !!python/object/apply:os.system ['touch /tmp/selfeval-pwned']\n",
        "is not allowed: selfeval files hold plain data only",
    ),
    "local-tag": ("participant: !department BZ\n", "is not allowed"),
    "billion-laughs": (BILLION_LAUGHS, "anchors and aliases"),
    "deep-flow-nesting": ("a: " + "[" * 200_000 + "]" * 200_000 + "\n", "nested deeper than"),
    "deep-block-nesting": (
        "".join("  " * i + f"k{i}:\n" for i in range(2_000)) + "  " * 2_000 + "end\n",
        "nested deeper than",
    ),
    "50-MB": (_big, ""),
}

#: Hostile files that can neither hang nor fill memory: run in this process.
IN_PROCESS = {"python-object-tag", "local-tag"}


def _cases() -> list[object]:
    """Every command with every hostile file; by default each case once and each command once.

    Every command reads the response through the same safe loader as every other file
    (the loader's refusals of each construct are unit-tested in tests/test_yamlio.py), so
    the default run pairs them along a diagonal; the whole matrix is in the ``slow`` tier.
    """
    commands = targets("response")
    params = []
    for n, case in enumerate(HOSTILE):
        for m, param in enumerate(commands):
            diagonal = m == n % len(commands) or n == m % len(HOSTILE)
            params.append(
                pytest.param(
                    *param.values,
                    case,
                    id=f"{param.id}-{case}",
                    marks=() if diagonal else pytest.mark.slow,
                )
            )
    return params


@pytest.mark.parametrize(("command", "target", "case"), _cases())
def test_hostile_file_is_refused(ws: Path, command: Command, target: str, case: str) -> None:
    require(command)
    path = ws / command.reads[target]
    content, fragment = HOSTILE[case]
    if callable(content):
        fragment = content(path)
    else:
        path.write_text(content, encoding="utf-8")
    run = run_in_process if case in IN_PROCESS else run_selfeval
    result = run(command.argv(ws))
    assert result.returncode == 1, (result.returncode, result.stderr[-2000:])
    assert "Traceback" not in result.stderr + result.stdout
    assert f"{path}" in result.stderr
    assert fragment in result.stderr
    assert not Path("/tmp/selfeval-pwned").exists()


def _nested(levels: int, style: str) -> str:
    """A document of ``levels`` nested collections around one scalar."""
    if style == "flow":
        return "a: " + "[" * (levels - 1) + "x" + "]" * (levels - 1) + "\n"
    if style == "block":
        return "".join("  " * i + f"k{i}:\n" for i in range(levels)) + "  " * levels + "x\n"
    return "- " * levels + "x\n"  # compact block sequences


@pytest.mark.parametrize("style", ["flow", "block", "compact"])
@pytest.mark.parametrize("scanned", [False, True], ids=["composed-directly", "scanned-first"])
def test_depth_limit_is_the_same_whether_or_not_the_document_is_scanned_first(
    style: str, scanned: bool
) -> None:
    # A long comment line lifts the cheap nesting bound over the threshold, so the
    # event scan runs; without it the loader's own depth check decides.
    padding = "#" + "x" * yamlio._SCAN_ABOVE + "\n" if scanned else ""
    assert (yamlio._nesting_bound(padding) > yamlio._SCAN_ABOVE) is scanned
    # MAX_DEPTH counts nodes: the innermost scalar is a level too.
    assert yamlio.load_text(padding + _nested(yamlio.MAX_DEPTH - 1, style)) is not None
    with pytest.raises(yamlio.InputError, match=f"nested deeper than {yamlio.MAX_DEPTH} levels"):
        yamlio.load_text(padding + _nested(yamlio.MAX_DEPTH, style))


# --- Hostile places: what stands where a file or folder should be ------------------------

_BZ = "responses/falende-staten/BZ"
_BZ_SELF_EVALUATION = f"{_BZ}/self-evaluation.yaml"


def _link_outside(ws: Path, relative: str) -> str:
    """Move ``relative`` (a file or folder) out of the workspace and leave a link to it."""
    place = ws / relative
    outside = ws.parent / "outside" / place.name
    outside.parent.mkdir(exist_ok=True)
    shutil.move(place, outside)
    place.symlink_to(outside)
    return "is a link"


def _replace(ws: Path, relative: str, make: str) -> str:
    place = ws / relative
    place.unlink()
    if make == "fifo":
        os.mkfifo(place)
        return "named pipe"
    if make == "folder":
        (place / "sub").mkdir(parents=True)
        return "is a folder"
    place.symlink_to("/dev/zero")
    return "is a link"


#: name → (how to damage the workspace: returns a message fragment; the path named).
PLACES = {
    "response-is-dev-zero": (
        lambda ws: _replace(ws, _BZ_SELF_EVALUATION, "zero"),
        _BZ_SELF_EVALUATION,
    ),
    "response-is-fifo": (lambda ws: _replace(ws, _BZ_SELF_EVALUATION, "fifo"), _BZ_SELF_EVALUATION),
    "response-is-folder": (
        lambda ws: _replace(ws, _BZ_SELF_EVALUATION, "folder"),
        _BZ_SELF_EVALUATION,
    ),
    "response-linked-outside": (
        lambda ws: _link_outside(ws, _BZ_SELF_EVALUATION),
        _BZ_SELF_EVALUATION,
    ),
    "stray-fifo-beside-response": (
        lambda ws: (os.mkfifo(ws / _BZ / "notes.yaml"), "named pipe")[1],
        f"{_BZ}/notes.yaml",
    ),
    "department-linked-outside": (lambda ws: _link_outside(ws, _BZ), _BZ),
    "department-linked-inside": (
        lambda ws: ((ws / "responses/falende-staten/WAT").symlink_to("../BZ"), "is a link")[1],
        "responses/falende-staten/WAT",
    ),
    "category-linked-outside": (
        lambda ws: _link_outside(ws, "responses/falende-staten"),
        "responses/falende-staten",
    ),
    "questionnaire-is-folder": (
        lambda ws: _replace(ws, "questionnaires/self-evaluation-1.0.0.yaml", "folder"),
        "questionnaires/self-evaluation-1.0.0.yaml",
    ),
    "questionnaire-is-fifo": (
        lambda ws: _replace(ws, "questionnaires/self-evaluation-1.0.0.yaml", "fifo"),
        "questionnaires/self-evaluation-1.0.0.yaml",
    ),
}

#: name → (damage, path named): the secretariat's texts (``status`` does not read them).
TEXT_PLACES = {
    "preface-linked-to-passwd": (
        lambda ws: (
            (ws / "texts/preface.md").unlink(),
            (ws / "texts/preface.md").symlink_to("/etc/passwd"),
            "is a link",
        )[2],
        "texts/preface.md",
    ),
    "preface-is-folder": (
        lambda ws: _replace(ws, "texts/preface.md", "folder"),
        "texts/preface.md",
    ),
    "preface-is-fifo": (lambda ws: _replace(ws, "texts/preface.md", "fifo"), "texts/preface.md"),
    "texts-linked-to-etc": (
        lambda ws: (shutil.rmtree(ws / "texts"), (ws / "texts").symlink_to("/etc"), "is a link")[2],
        "texts",
    ),
    "templates-linked-outside": (
        lambda ws: (
            (ws.parent / "outside").mkdir(),
            (ws.parent / "outside/integrated-report.md.j2").write_text("{{ r.title }}\n"),
            (ws / "templates").symlink_to(ws.parent / "outside"),
            "is a link",
        )[3],
        "templates",
    ),
}

#: Places that could make a reader wait for ever or read without end (a named pipe,
#: ``/dev/zero``): run in a child with the hang guard; the others in this process.
MAY_HANG = {
    "response-is-dev-zero",
    "response-is-fifo",
    "stray-fifo-beside-response",
    "questionnaire-is-fifo",
    "preface-is-fifo",
}
assert MAY_HANG == {c for c in [*PLACES, *TEXT_PLACES] if "fifo" in c or "zero" in c}

_READERS = {c.name: c for c in COMMANDS if c.name in ("validate", "status", "aggregate", "export")}


def _place_cases() -> list[object]:
    """Every reading command with every hostile place; by default each place once.

    Every command lists and reads the workspace through the same two functions
    (``root.list_folder``/``list_tree`` and ``yamlio.read_file``), so the default run
    gives each place one command, taking the commands in turn (each is used); the whole
    matrix is in the ``slow`` tier (``pytest -m slow``).
    """
    pairs = [(name, case) for case in PLACES for name in _READERS]
    pairs += [
        (name, case)
        for case in TEXT_PLACES
        for name in _READERS
        if name != "status" and not (case.startswith("templates") and name == "export")
    ]
    cases, chosen, turn = [], set(), 0
    names = list(_READERS)
    for case in [*PLACES, *TEXT_PLACES]:
        able = [name for name, c in pairs if c == case]
        chosen.add((next((n for n in names[turn:] + names[:turn] if n in able)), case))
        turn = (turn + 1) % len(names)
    for name, case in pairs:
        cases.append(
            pytest.param(
                _READERS[name],
                case,
                id=f"{name}-{case}",
                marks=() if (name, case) in chosen else pytest.mark.slow,
            )
        )
    return cases


@pytest.mark.parametrize(("command", "case"), _place_cases())
def test_hostile_place_is_refused_naming_it(ws: Path, command: Command, case: str) -> None:
    require(command)
    damage, relative = {**PLACES, **TEXT_PLACES}[case]
    fragment = damage(ws)
    run = run_selfeval if case in MAY_HANG else run_in_process
    result = run(command.argv(ws))  # a hang fails with TimeoutExpired
    output = result.stdout + result.stderr
    assert result.returncode == 1, (result.returncode, output[-2000:])
    assert "Traceback" not in output
    assert f"{ws / relative}:" in result.stderr, result.stderr
    assert fragment in result.stderr, result.stderr
    assert "root:x:0:0" not in output  # /etc/passwd is never read into anything


@pytest.mark.parametrize("command", list(_READERS.values()), ids=list(_READERS))
def test_unreadable_department_folder_is_an_error_not_skipped(
    ws: Path, command: Command, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Tests run as root, which lists through chmod: the listing itself is made to fail.
    from reliakit import invoke
    from typer.testing import CliRunner

    folder = ws / _BZ
    real_scandir = os.scandir

    def denied(path: object = ".") -> object:
        if Path(os.fspath(path)) == folder:  # type: ignore[arg-type]
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", denied)
    result = invoke(CliRunner(), command.argv(ws))
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.stdout + result.stderr
    assert f"{folder}:" in result.stderr and "cannot be read" in result.stderr, result.stderr


def test_validate_of_a_folder_named_like_a_questionnaire_refuses_it(ws: Path) -> None:
    path = ws / "questionnaires/self-evaluation-1.0.0.yaml"
    _replace(ws, "questionnaires/self-evaluation-1.0.0.yaml", "folder")
    result = run_in_process(["validate", str(path)])
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"{path}: this is a folder" in result.stderr, result.stderr


@pytest.mark.parametrize("kind", ["dev-zero", "fifo"])
@pytest.mark.parametrize("command", ["fill", "import"])
def test_named_file_that_is_a_device_or_pipe_is_refused(
    ws: Path, tmp_path: Path, command: str, kind: str
) -> None:
    path = Path("/dev/zero")
    if kind == "fifo":
        path = tmp_path / "answers.yaml"
        os.mkfifo(path)
    argv = (
        ["fill", "-p", "DEF", "--answers", str(path)]
        if command == "fill"
        else ["import", str(path)]
    )
    result = run_selfeval([*argv, "--workspace", str(ws)])
    assert result.returncode == 1, (result.returncode, result.stderr[-2000:])
    assert "Traceback" not in result.stdout + result.stderr
    assert f"{path}: this is a" in result.stderr and "not a regular file" in result.stderr


def test_a_huge_file_in_the_workspace_neither_fills_the_memory_nor_stops_the_run(
    ws: Path,
) -> None:
    """The run record's key (``status``'s and ``aggregate``'s) hashed every file with ``read_bytes``.

    A 2 GiB file (sparse: no disk used) beside the answers was read whole into
    memory, past the child's limit (exit 70). Through the one read function
    it is refused by its size: the run is made (and never answered from a record).
    """
    with open(ws / "answers" / "huge.bin", "wb") as handle:
        handle.truncate(2 * 1024**3)
    result = run_selfeval(["status", "--workspace", str(ws)])
    assert result.returncode == 0, (result.returncode, result.stderr[-2000:])
    assert "draft" in result.stdout
