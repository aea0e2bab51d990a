"""``python -m selfeval``: the same command as the ``selfeval`` console script.

Useful where the console script is not on ``PATH`` (a venv not activated, a
checkout run with ``PYTHONPATH``). Exit codes and messages are those of
:func:`selfeval.cli.main`.
"""

from selfeval.cli import main

if __name__ == "__main__":
    main()
