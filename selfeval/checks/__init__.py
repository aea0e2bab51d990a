"""Checks over a workspace: `validate` (is every file right?) and `status` (who answered what?)."""
