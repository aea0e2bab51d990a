"""``selfeval validate``'s trial render of a workspace's template overrides.

A template override that parses may still fail when it renders (a filter
that does not exist inside an ``{% if %}``, an attribute the sandbox
forbids, a name the report does not have). ``aggregate`` finds that only
when it writes the report; ``validate`` renders each override here first,
against the worked example's report model (its final and its draft report),
by :func:`selfeval.report.render.trial_render`: the same sandbox, limits and
messages as ``aggregate``. Nothing is written, no picture is drawn. A
failure that depends on the workspace's own data (an answer the example
does not have) is still only found by ``aggregate``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from selfeval.errors import InputError, SelfevalError
from selfeval.report.model import Report
from selfeval.report.render import check_template_dirs, check_templates, trial_render

__all__ = ["check_and_try_templates", "example_reports"]


def example_reports() -> list[Report]:
    """The worked example's final and draft report models.

    Read from the example shipped with selfeval
    (:func:`selfeval.files.resources.example_root`), without the read cache:
    nothing is written there.

    Raises:
        SelfevalError: the shipped example cannot be read (a broken install).
    """
    from selfeval.files.resources import example_root
    from selfeval.files.workspace import Workspace
    from selfeval.report.aggregate import build, read_responses

    ws = Workspace(example_root())
    parsed = read_responses(ws.discover_responses().current, ws, jobs=1, cache=False)
    return [build(ws, parsed, draft=draft).report for draft in (False, True)]


def check_and_try_templates(template_dirs: Sequence[Path]) -> list[InputError]:
    """:func:`~selfeval.report.render.check_templates`, then a trial render of the overrides.

    For ``selfeval validate`` (its ``template_check``). When every ``*.j2``
    override parses, the report is rendered with them against the worked
    example's final and draft report models; each error is ``aggregate``'s
    own (:func:`selfeval.report.render.trial_render`), its hint saying the
    example's data was used.

    Args:
        template_dirs: the override folders (a workspace's ``templates/``).

    Returns:
        One error per problem found (file and line when known); empty when
        there is no override or every one renders.
    """
    problems = check_templates(template_dirs)
    if problems:
        return problems  # a template that does not parse, or a folder that is not one
    folders = check_template_dirs(template_dirs)
    if not any(any(folder.glob("*.j2")) for folder in folders):
        return []  # no template override: nothing to render (validate stays quick)
    try:
        reports = example_reports()
    except SelfevalError as exc:  # pragma: no cover - a broken install
        return [InputError(f"the worked example could not be read to try the templates: {exc}")]
    found: list[InputError] = []
    seen: set[str] = set()
    for report in reports:
        for exc in trial_render(report, folders):
            if str(exc) not in seen:  # the final and the draft report fail alike: once
                seen.add(str(exc))
                hint = (exc.hint + "; " if exc.hint else "") + (
                    "validate tried it on the worked example's data"
                )
                found.append(InputError(exc.message, location=exc.location, hint=hint))
    return found
