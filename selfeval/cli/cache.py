"""``selfeval cache clear``."""

from __future__ import annotations

import typer

from selfeval.cli._common import WorkspaceOption, app, handle_errors, shown_path

cache_app = typer.Typer(
    help="The workspace's cache of read responses (.selfeval/cache/, never committed).",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(cache_app, name="cache")


@cache_app.command("clear")
@handle_errors
def clear_command(workspace: WorkspaceOption = None) -> None:
    """Remove the cache of read responses; the next aggregate reads every response again.

    aggregate keeps what it read of each response in .selfeval/cache/ (the
    checked answers and the findings), so a re-run parses only the responses
    that changed. An entry is used only when the response file, the exercise,
    the questionnaires and selfeval itself are exactly as when it was made,
    so clearing is never needed for correct results: it frees disk space.
    The record of the last status (shown again while no file changed), the
    report's rendered parts and the kept draft.yaml go with it.
    See docs/performance.md.

    Example:

    \b
      selfeval cache clear
    """
    from selfeval.files.workspace import Workspace
    from selfeval.report.readcache import cache_root, clear_cache

    ws = Workspace.open(workspace)
    removed = clear_cache(ws)
    typer.echo(f"Removed {removed} cached responses from {shown_path(cache_root(ws))}.")
