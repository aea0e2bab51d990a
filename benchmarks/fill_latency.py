"""How long after pressing Enter is the next prompt ready? (issue 3)

Drives the real filling engine (:class:`selfeval.fill.session.FillSession`) over
the shipped self-evaluation with a *scripted prompter*: each prompt call
answers at once, and the time from one prompt returning (the moment Enter is
pressed) to the next prompt being called is measured. That interval holds
everything ``fill`` does between two questions: checking the answer, the
``when`` conditions, progress, and the atomic save (temp file, fsync,
rename, fsync of the folder) of the whole response.

Measurement A ("engine + atomic save") uses that scripted prompter.
Measurement B ("+ real questionary prompt drawn") is what a user waits for:
the real :class:`selfeval.cli.terminal.TerminalPrompter`, its questionary
prompts fed through prompt_toolkit's pipe input and drawn by a real VT100
output (escape sequences written and flushed, to the null device, 100 × 40),
with a rich console of the same size that pages a long review as at a
terminal. The keys of an answer are typed, and once they are all taken and
drawn, Enter alone, as a user does; the clock starts when prompt_toolkit
takes that Enter from the input (so the prompt's own ending — validation,
erasing, its event loop closing — counts) and stops when the next prompt's
first drawing has been flushed. Nothing the benchmark itself does is inside
the interval but choosing the scripted answer.

Why not pexpect: a pseudo-terminal adds process scheduling and pexpect's
polling, which on a shared 2-core machine would measure the machine more
than the code.

The response grows to ~60 answers and ~50 KB, as a full self-evaluation
with long texts would be. Run::

    python benchmarks/fill_latency.py [--answers-kb 50] [--runs 3]

It prints the median and p95 in ms over every interval, and, measured in the
same run, the bare atomic save of the final response and the ratio between
the two; then the target's figure (issue 20): median and p95 of the last 20
answers of each run (Enter on a question → next prompt), wall and CPU time
(``time.process_time``: what the load of other processes does not inflate),
with the load average before and after. ``--profile N`` adds cProfile's N
costliest functions over B's intervals (the profiler slows them down).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from selfeval.files import yamlio
from selfeval.files.scaffold import init_workspace
from selfeval.files.store import ResponseStore
from selfeval.files.workspace import Workspace
from selfeval.fill.prompter import AskContext, Notice, Option, ReviewRow, SectionInfo
from selfeval.fill.session import FillSession
from selfeval.model.questionnaire import (
    DateItem,
    IntegerItem,
    Item,
    LongTextItem,
    MultipleChoiceItem,
    NumberItem,
    ParticipantItem,
    ParticipantsItem,
    ScaleItem,
    SingleChoiceItem,
    TextItem,
    YesNoItem,
)

#: Entries added per repeat group, by the start of its English label.
ENTRIES = {"Main policy documents": 2, "Roles of other": 1, "Policy activities": 3, "Sources": 1,
           "Bottlenecks": 2, "Blind spots": 1, "Needs": 1, "Opportunities": 1}  # fmt: skip
TEXT = "Financiën: NO 1.10"


class Script:
    """What a diligent respondent answers: the same for both measurements."""

    def __init__(self, long_text: str) -> None:
        self.long_text = long_text
        self._added: dict[str, int] = {}
        self.answers = 0

    def menu(self, message: str, values: list[str]) -> str:
        if "next" in values and "done" in values:
            return "done"  # a review shown a page at a time: the first page is read
        if "add" in values or "done" in values:
            group = message.rsplit(":", 1)[0].split(" › ")[-1]  # a nested group names its entry
            count = int(message.rsplit(":", 1)[1].split()[0])
            wanted = next((n for label, n in ENTRIES.items() if group.startswith(label)), 0)
            return "add" if count < wanted and "add" in values else "done"
        return "quit" if "quit" in values else values[0]

    def value(self, item: Item, context: AskContext) -> Any:
        self.answers += 1
        if isinstance(item, LongTextItem):
            return self.long_text
        if isinstance(item, TextItem):
            return TEXT
        if isinstance(item, IntegerItem):
            return 2006
        if isinstance(item, NumberItem):
            return 1.5
        if isinstance(item, ScaleItem):
            return item.min
        if isinstance(item, DateItem):
            return "2006-05-16"
        if isinstance(item, YesNoItem):
            return True
        if isinstance(item, SingleChoiceItem):
            return item.choices[0].value
        if isinstance(item, MultipleChoiceItem):
            return [c.value for c in item.choices]
        if isinstance(item, ParticipantItem):
            return context.participants[0][0]
        if isinstance(item, ParticipantsItem):
            return [code for code, _ in context.participants]
        return None


class ScriptedPrompter:
    """Measurement A: answers every prompt at once; times Enter → next prompt call."""

    def __init__(self, script: Script) -> None:
        self.script = script
        self.intervals: list[float] = []
        self.answered: list[tuple[float, float]] = []
        self._entered: tuple[float, float, bool] | None = None

    def _ready(self) -> None:
        if self._entered is not None:
            wall, cpu, answer = self._entered
            self.intervals.append(time.perf_counter() - wall)
            if answer:
                self.answered.append((self.intervals[-1], time.process_time() - cpu))
            self._entered = None

    def _enter(self, answer: bool) -> None:
        self._entered = (time.perf_counter(), time.process_time(), answer)

    def show_section(self, info: SectionInfo) -> None:
        pass

    def show_notice(self, notice: Notice) -> None:
        pass

    def show_review(self, title: str, rows: Sequence[ReviewRow]) -> None:
        pass

    def ask(self, item: Item, current: Any, context: AskContext) -> Any:
        self._ready()
        value = self.script.value(item, context)
        self._enter(answer=True)
        return value

    def choose(self, message: str, options: Sequence[Option], *, default: str | None = None) -> str:
        self._ready()
        choice = self.script.menu(message, [o.value for o in options])
        self._enter(answer=False)
        return choice

    def confirm(self, message: str, *, default: bool = False) -> bool:
        return False


def keys_for(item: Item, value: Any) -> str:
    """The keystrokes that give ``value`` at the questionary prompt for ``item``, before Enter.

    A long text ends on an empty line, where the Enter that follows finishes it.
    """
    if isinstance(item, LongTextItem):
        return value.replace("\n", "\r") + "\r"
    if isinstance(item, MultipleChoiceItem | ParticipantsItem):
        return "".join(" \x1b[B" for _ in value)
    if isinstance(item, YesNoItem | SingleChoiceItem | ScaleItem | ParticipantItem):
        return ""  # the first entry
    return str(value)


def key_count(keys: str) -> int:
    """How many key presses prompt_toolkit makes of ``keys`` (an escape sequence is one)."""
    from prompt_toolkit.input.vt100_parser import Vt100Parser

    presses: list[Any] = []
    parser = Vt100Parser(presses.append)
    parser.feed(keys)
    parser.flush()
    return len(presses)


def piped_prompter_class() -> type:
    """Measurement B: the real questionary prompts, keys fed through a pipe input."""
    from selfeval.cli.terminal import TerminalPrompter

    class PipedPrompter(TerminalPrompter):  # type: ignore[misc]
        def __init__(self, script: Script, pipe: Any, **kwargs: Any) -> None:
            super().__init__(input=pipe, **kwargs)
            self.script = script
            self.pipe = pipe
            self.intervals: list[float] = []
            self.answered: list[tuple[float, float]] = []
            self._entered: tuple[float, float] | None = None
            self._answer = False
            self._answered_last = False
            self._keys = ""
            self._keys_set = False  # by ask() or confirm(), else _pick() asks the script

        def _ask(self, question: Any) -> Any:
            # As a user answers: the keys of the answer, then, once they are
            # all taken and drawn, Enter alone. The clock starts when Enter
            # is taken from the input, so the prompt's own ending (its last
            # drawing, its event loop closing) is part of the wait.
            drawn: list[float] = []
            pressed: list[tuple[float, float]] = []
            typing = {"expected": -1, "taken": 0, "entered": False}
            self._keys_set = False

            def on_render(app: Any) -> None:
                if not drawn:
                    drawn.append(time.perf_counter())
                    if PROFILE is not None:
                        PROFILE.disable()
                    if self._entered is not None:
                        wall, cpu = self._entered
                        self.intervals.append(drawn[0] - wall)
                        if self._answered_last:
                            self.answered.append((self.intervals[-1], time.process_time() - cpu))
                    typing["expected"] = key_count(self._keys)  # after the clock stopped
                    self.pipe.send_text(self._keys)
                if not typing["entered"] and typing["taken"] >= typing["expected"]:
                    typing["entered"] = True
                    self.pipe.send_text("\r")

            def before_key(processor: Any) -> None:
                pressed[:] = [(time.perf_counter(), time.process_time())]
                if typing["entered"] and PROFILE is not None:
                    PROFILE.enable()  # Enter: until the next prompt is drawn

            def after_key(processor: Any) -> None:
                typing["taken"] += 1

            app = question.application
            app.after_render += on_render
            app.key_processor.before_key_press += before_key
            app.key_processor.after_key_press += after_key
            self._answered_last, self._answer = self._answer, False
            try:
                result = super()._ask(question)
            finally:  # an application may be run again, for another prompt
                app.after_render -= on_render
                app.key_processor.before_key_press -= before_key
                app.key_processor.after_key_press -= after_key
            self._entered = pressed[0]
            return result

        def ask(self, item: Item, current: Any, context: AskContext) -> Any:
            self._keys, self._keys_set = keys_for(item, self.script.value(item, context)), True
            self._answer = True
            return super().ask(item, current, context)

        def confirm(self, message: str, *, default: bool = False) -> bool:
            self._keys, self._keys_set = "n", True  # points at "No"; Enter chooses it
            return bool(super().confirm(message, default=default))

        def _pick(
            self, message: str, options: list[tuple[str, Any]], default: Any, *args: Any,
            **kwargs: Any,
        ) -> Any:  # fmt: skip
            if not self._keys_set:  # a menu: choose(), a review's pages
                values = [value for _, value in options]
                target = values.index(self.script.menu(message, values))
                start = values.index(default) if default in values else 0
                self._keys = "\x1b[B" * ((target - start) % len(values))
            return super()._pick(message, options, default, *args, **kwargs)

    return PipedPrompter


#: With ``--profile``: cProfile over measurement B's intervals (Enter → next prompt drawn).
PROFILE: cProfile.Profile | None = None


Run = tuple[list[float], list[tuple[float, float]], int, int, float]


def run_once(root: Path, long_text: str, piped: bool) -> Run:
    """One fill of the shipped self-evaluation.

    Returns:
        Every Enter → next prompt interval (s); (wall, CPU) of those after an
        answer, in order; answers; response size; median bare atomic save (s).
    """
    init_workspace(root)
    ws = Workspace(root)
    script = Script(long_text)
    if piped:
        import io

        from prompt_toolkit.data_structures import Size
        from prompt_toolkit.input import create_pipe_input
        from prompt_toolkit.output.vt100 import Vt100_Output
        from rich.console import Console

        with (
            create_pipe_input() as pipe,
            open(os.devnull, "w", encoding="utf-8") as screen,
            ResponseStore(ws, "DEP1", "self-evaluation") as store,
        ):
            # The terminal output a user's terminal gets (escape sequences
            # and all, written and flushed), to a null device of 100 columns.
            output = Vt100_Output(screen, lambda: Size(rows=40, columns=100), term="xterm-256color")
            # As at a terminal: rich wraps at its width, writes colours (a
            # terminal of 256), highlights nothing (as `fill`'s console) and
            # pages a long review; the opening panel is not waited on.
            console = Console(
                file=io.StringIO(), width=100, height=40, highlight=False,
                force_terminal=True, color_system="256",
            )  # fmt: skip
            prompter = piped_prompter_class()(
                script, pipe, output=output, console=console, lang="en", page=True, wait=False
            )
            FillSession(store, prompter, lang="en").run()
            if PROFILE is not None:
                PROFILE.disable()  # the last Enter ends the session: no prompt follows
            intervals, answered = prompter.intervals, prompter.answered
    else:
        prompter_a = ScriptedPrompter(script)
        with ResponseStore(ws, "DEP1", "self-evaluation") as store:
            FillSession(store, prompter_a, lang="en").run()
        intervals, answered = prompter_a.intervals, prompter_a.answered
    size = store.path.stat().st_size
    data = yamlio.load(store.path)
    saves = []
    for _ in range(20):
        start = time.perf_counter()
        yamlio.write(store.path, data)
        saves.append(time.perf_counter() - start)
    return intervals, answered, script.answers, size, statistics.median(saves)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def report(
    name: str, intervals: list[float], saves: list[float], last: list[tuple[float, float]]
) -> tuple[float, float]:
    ms = [t * 1000 for t in intervals]
    median, p95 = statistics.median(ms), percentile(ms, 0.95)
    save_ms = statistics.median(saves) * 1000
    print(f"{name}: median {median:.2f} ms, p95 {p95:.2f} ms, max {max(ms):.2f} ms (n={len(ms)})")
    print(f"   bare atomic save of the final response {save_ms:.2f} ms; "
          f"ratio median/save {median / save_ms:.2f}")  # fmt: skip
    wall = [w * 1000 for w, _ in last]
    cpu = [c * 1000 for _, c in last]
    last_median, last_p95 = statistics.median(wall), percentile(wall, 0.95)
    print(f"   last 20 answers of each run: median {last_median:.2f} ms, p95 {last_p95:.2f} ms; "
          f"CPU median {statistics.median(cpu):.2f} ms, p95 {percentile(cpu, 0.95):.2f} ms "
          f"(n={len(wall)})")  # fmt: skip
    return last_median, last_p95


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers-kb", type=float, default=50, help="target response size")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--profile",
        type=int,
        metavar="N",
        help="also profile B's intervals (Enter → next prompt drawn): print the N costliest "
        "functions by own time and by cumulative time (the profiler slows them down)",
    )
    args = parser.parse_args()
    global PROFILE
    if args.profile:
        PROFILE = cProfile.Profile()
    # ~15 long-text answers carry the bulk of the size
    sentence = "Beleid ten aanzien van falende staten, met overleg tussen departementen.\n"
    long_text = (sentence * 100)[: int(args.answers_kb * 1024 / 19)].strip()
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    results: dict[str, tuple[list[float], list[float], list[tuple[float, float]]]] = {
        "A": ([], [], []),
        "B": ([], [], []),
    }
    for run in range(args.runs):
        for key, piped in (("A", False), ("B", True)):
            with tempfile.TemporaryDirectory() as tmp:
                found, answered, answers, size, save = run_once(Path(tmp) / "ws", long_text, piped)
            results[key][0].extend(found)
            results[key][1].append(save)
            results[key][2].extend(answered[-20:])
            print(f"run {run + 1}{key}: {answers} answers, response {size / 1024:.1f} KB, "
                  f"{len(found)} Enter→prompt intervals")  # fmt: skip
    median_a, p95_a = report("A  engine + atomic save (scripted prompter)", *results["A"])
    median_b, p95_b = report("B  + real questionary prompt drawn (pipe input)", *results["B"])
    print(f"ratio B/A (last 20 answers, median): {median_b / median_a:.2f}")
    print("target, last 20 answers: median < 20 ms and p95 < 50 ms -> "
          f"A {'met' if median_a < 20 and p95_a < 50 else 'NOT met'}, "
          f"B {'met' if median_b < 20 and p95_b < 50 else 'NOT met'}")  # fmt: skip
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if PROFILE is not None:
        stats = pstats.Stats(PROFILE)
        stats.sort_stats("tottime").print_stats(args.profile)
        stats.sort_stats("cumulative").print_stats(args.profile)


if __name__ == "__main__":
    main()
