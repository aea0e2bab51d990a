"""``selfeval schema``."""

from __future__ import annotations

from typing import Annotated

import typer

from selfeval.cli._common import app, handle_errors


@app.command("schema")
@handle_errors
def schema_command(
    what: Annotated[
        str,
        typer.Argument(help="Which format: questionnaire, exercise or response."),
    ] = "questionnaire",
) -> None:
    """Print the JSON Schema of a file format, for editor completion and checking.

    Save it and point the YAML language server at it, e.g. in VS Code's
    settings.json: "yaml.schemas": {"./questionnaire.schema.json":
    "questionnaires/*.yaml"}. See docs/questionnaire-format.md.

    Example:

    \b
      selfeval schema > questionnaire.schema.json
    """
    from selfeval.model.schema import json_schema

    typer.echo(json_schema(what))
