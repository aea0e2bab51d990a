"""The model: questionnaires, the exercise, responses, answers and ``when`` conditions.

Pure data and rules; knows nothing of files on disk beyond what it is given,
and nothing of the terminal.
"""
