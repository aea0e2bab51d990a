"""Everything out of the workspace for other tools: tables for analysts, questionnaires to read.

:mod:`selfeval.export.tables` says what the answers, findings and
participants tables hold; :mod:`selfeval.export.writers` writes them as CSV,
XLSX or JSON (neutralising spreadsheet formulas); :mod:`selfeval.export.run`
is the one call of ``selfeval export``. :mod:`selfeval.export.questionnaire`
renders a questionnaire as a readable document (``selfeval questionnaire
show``). See ``docs/export.md``.
"""
