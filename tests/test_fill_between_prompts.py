"""What ``fill`` does between an answer and the next prompt, with the real prompts (pipe input).

The answer is saved while garbage collection is held off (it runs once the
next prompt is drawn, ``docs/performance.md``), and however the session
ends the collector is on again; a prompter used outside a session never
touches it.
"""

from __future__ import annotations

import gc
import io
from pathlib import Path
from typing import Any

import pytest
from fillkit import mini_workspace, response_of
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from rich.console import Console

from selfeval.cli.terminal import TerminalPrompter
from selfeval.files.store import ResponseStore
from selfeval.files.workspace import Workspace
from selfeval.fill.session import FillSession
from selfeval.model.questionnaire import TextItem


def _prompter(pipe: Any) -> TerminalPrompter:
    console = Console(file=io.StringIO(), width=100, color_system=None)
    return TerminalPrompter(console=console, input=pipe, output=DummyOutput(), lang="en")


def test_an_answer_is_saved_with_collection_held_off_and_it_is_on_after_the_session(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert gc.isenabled()
    ws = Workspace(mini_workspace(tmp_path / "ws"))
    collecting: list[bool] = []
    save = ResponseStore.save

    def spy(self: ResponseStore, *args: Any, **kwargs: Any) -> None:
        collecting.append(gc.isenabled())
        save(self, *args, **kwargs)

    monkeypatch.setattr(ResponseStore, "save", spy)
    with create_pipe_input() as pipe, ResponseStore(ws, "DEP1", "mini") as store:
        pipe.send_text("Financiën\r\x03")  # an answer; Ctrl-C at the next prompt
        outcome = FillSession(store, _prompter(pipe), lang="en").run()
    assert outcome.state == "interrupted"
    assert response_of(ws.root)["answers"] == {"name": "Financiën"}
    assert collecting and collecting[0] is False  # the answer's save, after Enter
    assert gc.isenabled()  # the session is over

    # Again: the resume menu, ↓↓↓ Enter "stop for now": its last prompt ends without an error.
    with create_pipe_input() as pipe, ResponseStore(ws, "DEP1", "mini") as store:
        pipe.send_text("\x1b[B" * 3 + "\r")
        outcome = FillSession(store, _prompter(pipe), lang="en").run()
    assert outcome.state == "draft"
    assert gc.isenabled()


def test_a_prompter_used_outside_a_session_leaves_collection_alone() -> None:
    item = TextItem.model_validate({"id": "x", "type": "text", "label": "Vraag"})
    with create_pipe_input() as pipe:
        pipe.send_text("ja\r")
        from selfeval.fill.prompter import AskContext

        context = AskContext(
            path=("x",), lang="en", label="Vraag", help=None, required=False, entry=None,
            participants=(), validate=lambda value: None,
        )  # fmt: skip
        assert _prompter(pipe).ask(item, None, context) == "ja"
    assert gc.isenabled()
