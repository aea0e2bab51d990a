"""JSON Schemas of the file formats, generated from the pydantic models."""

from __future__ import annotations

import json

from selfeval.errors import UsageError

__all__ = ["json_schema"]


def json_schema(what: str = "questionnaire") -> str:
    """Return the JSON Schema (draft 2020-12) of a file format as indented JSON text.

    Args:
        what: ``questionnaire``, ``exercise`` or ``response``.

    Raises:
        UsageError: unknown format name.
    """
    from selfeval.model.exercise import Exercise
    from selfeval.model.questionnaire import Questionnaire
    from selfeval.model.response import Response

    models = {"questionnaire": Questionnaire, "exercise": Exercise, "response": Response}
    if what not in models:
        raise UsageError(f"unknown format {what!r}", hint=f"use one of: {', '.join(models)}")
    schema = models[what].model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return json.dumps(schema, indent=2, ensure_ascii=False)
