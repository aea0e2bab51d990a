"""Filling in a questionnaire: the session engine, its menus and review, the prompter protocol.

The terminal implementation of the prompter lives in ``selfeval.cli.terminal``.
"""
