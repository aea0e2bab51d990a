"""The filling engine is composed, not one class cut in two (the cycle test is in test_architecture)."""

from __future__ import annotations

from pathlib import Path

FILL = Path(__file__).resolve().parents[1] / "selfeval" / "fill"


def test_the_menus_hold_a_walker_instead_of_inheriting_the_session() -> None:
    from selfeval.fill.menus import Menus
    from selfeval.fill.session import FillSession
    from selfeval.fill.walker import Walker

    assert Menus.__mro__ == (Menus, object)
    assert FillSession.__mro__ == (FillSession, object)
    assert "walker" in Menus.__init__.__annotations__
    assert "TYPE_CHECKING" not in (FILL / "menus.py").read_text("utf-8")
    assert Walker.__module__ == "selfeval.fill.walker"
