"""Peer review rounds 1 and 2: reactions to the findings of a draft integrated report."""
