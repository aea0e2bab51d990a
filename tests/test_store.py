"""ResponseStore: where a response lives, its lock, atomic saves, submit and reopen."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from fillkit import MINI, mini_workspace

from selfeval.errors import InputError, LockedError, NotFoundError, RefusedError
from selfeval.files import yamlio
from selfeval.files.store import IncompleteError, ResponseStore
from selfeval.files.workspace import Workspace

COMPLETE = {
    "name": "Financiën",
    "agree": True,
    "level": "low",
    "signed_on": "2006-05-16",
}


def ticking_clock(start: str = "2026-11-30T10:15:02") -> Callable[[], dt.datetime]:
    """A clock that advances one second per reading."""
    moment = [dt.datetime.fromisoformat(start).replace(tzinfo=dt.UTC)]

    def now() -> dt.datetime:
        value = moment[0]
        moment[0] = value + dt.timedelta(seconds=1)
        return value

    return now


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return Workspace(mini_workspace(tmp_path / "ws"))


def open_store(ws: Workspace, participant: str = "DEP1", **kwargs: object) -> ResponseStore:
    return ResponseStore(ws, participant, "mini", clock=ticking_clock(), **kwargs)  # type: ignore[arg-type]


def test_nothing_is_written_before_the_first_save(ws: Workspace) -> None:
    with open_store(ws) as store:
        assert store.answers == {}
        assert not store.path.exists()
    assert store.path == ws.root / "responses/mijn-incidentcategorie/DEP1/mini.yaml"


def test_save_writes_answers_with_utc_timestamps_and_the_questionnaire_pin(ws: Workspace) -> None:
    with open_store(ws) as store:
        store.answers["name"] = "Financiën"
        store.save()
        store.answers["count"] = 3
        store.save()
    data = yamlio.load(store.path)
    assert data["answers"] == {"name": "Financiën", "count": 3}
    assert data["started_at"] == "2026-11-30T10:15:02Z"
    assert data["updated_at"] == "2026-11-30T10:15:03Z"
    assert data["status"] == "draft"
    loaded = ws.questionnaire("mini")
    assert data["questionnaire"] == {"id": "mini", "version": "1.0.0", "hash": loaded.hash}
    assert "'2026-11-30T10:15:02Z'" in store.path.read_text("utf-8")


def test_a_second_store_on_the_same_response_is_refused_naming_the_lock(ws: Workspace) -> None:
    with open_store(ws) as first:
        with pytest.raises(LockedError) as caught:
            open_store(ws).open()
        assert str(first.lock_path) in caught.value.message
        # The lock is kept out of responses/ (and so out of git's sight).
        assert first.lock_path == ws.root / ".selfeval/locks/mijn-incidentcategorie/DEP1/mini.lock"
    # released on leaving: the next one gets it
    with open_store(ws):
        pass


def test_different_responses_are_locked_independently(ws: Workspace) -> None:
    ws_data = yamlio.load(ws.exercise_path)
    ws_data["participants"][1]["involvement"] = ["self-evaluation"]
    yamlio.write(ws.exercise_path, ws_data)
    ws = Workspace(ws.root)
    with open_store(ws, "DEP1") as one, open_store(ws, "DEP2") as two:
        one.save({"name": "A"})
        two.save({"name": "B"})
    assert yamlio.load(one.path)["answers"] == {"name": "A"}
    assert yamlio.load(two.path)["answers"] == {"name": "B"}


def test_unknown_participant_is_named_with_the_known_codes(ws: Workspace) -> None:
    with pytest.raises(NotFoundError) as caught:
        open_store(ws, "XYZ").open()
    assert "'XYZ' is not in selfeval.yaml" in caught.value.message
    assert caught.value.hint == "use one of: DEP1, DEP2"


def test_submit_is_refused_with_every_missing_required_answer(ws: Workspace) -> None:
    with open_store(ws) as store:
        store.save({"name": "Financiën"})
        with pytest.raises(IncompleteError) as caught:
            store.submit()
    missing = [p.path for p in caught.value.problems]
    assert missing == [("agree",), ("level",), ("signed_on",)]
    assert "agree: a required answer is missing" in str(caught.value)
    assert yamlio.load(store.path)["status"] == "draft"


def test_submit_records_submitted_at_and_then_refuses_to_overwrite(ws: Workspace) -> None:
    with open_store(ws) as store:
        store.save(COMPLETE)
        store.submit()
        before = store.path.read_bytes()
        with pytest.raises(RefusedError) as caught:
            store.save({"name": "changed"})
        assert "--reopen" in (caught.value.hint or "")
        with pytest.raises(RefusedError):
            store.submit()
    assert store.path.read_bytes() == before
    data = yamlio.load(store.path)
    assert data["status"] == "submitted"
    assert data["submitted_at"] == data["updated_at"] == "2026-11-30T10:15:03Z"


def test_reopen_keeps_the_submitted_version_beside_it(ws: Workspace) -> None:
    with open_store(ws) as store:
        store.save(COMPLETE)
        store.submit()
        submitted = store.path.read_text("utf-8")
        kept = store.reopen()
        assert kept is not None
        store.answers["name"] = "Defensie"
        store.save()
    assert kept.name == "mini.submitted-20261130T101504Z.yaml"
    assert kept.read_text("utf-8") == submitted
    data = yamlio.load(store.path)
    assert data["status"] == "draft"
    assert data["reopened_from"] == kept.name
    assert "submitted_at" not in data
    assert data["answers"]["name"] == "Defensie"
    assert ws.response_files() == [store.path]


def test_allow_reopen_writes_nothing_until_the_content_changes(ws: Workspace) -> None:
    with open_store(ws) as store:
        store.save(COMPLETE)
        store.submit()
    before = store.path.read_bytes()
    with open_store(ws) as store:
        store.allow_reopen()
        store.answers["remark"] = None  # asked and left blank: not a change
        store.save()
        assert store.save_if_changed() is False
        assert store.unchanged_submitted and store.reopened is None
        assert store.path.read_bytes() == before
        store.answers["name"] = "Defensie"
        store.save()
        assert store.reopened is not None
        assert not store.submitted
    assert store.reopened.read_bytes() == before
    data = yamlio.load(store.path)
    assert (data["status"], data["answers"]["name"]) == ("draft", "Defensie")
    assert data["reopened_from"] == store.reopened.name


def test_reopen_of_a_draft_does_nothing(ws: Workspace) -> None:
    with open_store(ws) as store:
        store.save({"name": "x"})
        assert store.reopen() is None
    assert not list(store.path.parent.glob("*.submitted-*"))


def test_a_draft_keeps_the_version_it_pins(ws: Workspace) -> None:
    with open_store(ws) as store:
        store.save({"name": "x"})
    newer = MINI.replace("version: '1.0.0'", "version: '1.1.0'")
    (ws.root / "questionnaires" / "mini-1.1.0.yaml").write_text(newer, "utf-8")
    ws = Workspace(ws.root)
    with open_store(ws) as store:
        assert store.response.questionnaire.version == "1.0.0"
    with pytest.raises(RefusedError) as caught:
        open_store(ws, version="1.1.0").open()
    assert "answers mini@1.0.0, not @1.1.0" in caught.value.message
    # a new response takes the newest version
    ws_data = yamlio.load(ws.exercise_path)
    ws_data["participants"][1]["involvement"] = ["self-evaluation"]
    yamlio.write(ws.exercise_path, ws_data)
    with open_store(Workspace(ws.root), "DEP2") as other:
        assert other.response.questionnaire.version == "1.1.0"


def test_a_changed_questionnaire_is_refused_for_an_existing_draft(ws: Workspace) -> None:
    with open_store(ws) as store:
        store.save({"name": "x"})
    path = ws.root / "questionnaires" / "mini-1.0.0.yaml"
    path.write_text(MINI.replace("label: {nl: Naam, en: Name}", "label: Naam?"), "utf-8")
    with pytest.raises(InputError) as caught:
        open_store(Workspace(ws.root)).open()
    assert "changed after this response was started" in caught.value.message


def test_lock_is_released_when_opening_fails(ws: Workspace) -> None:
    path = ws.root / "responses/mijn-incidentcategorie/DEP1/mini.yaml"
    path.parent.mkdir(parents=True)
    path.write_text("questionnaire: [", "utf-8")
    with pytest.raises(InputError):
        open_store(ws).open()
    path.unlink()
    with open_store(ws):
        pass


def test_pointing_a_submitted_response_at_another_draft_is_not_a_change(ws: Workspace) -> None:
    from selfeval.model.response import DraftRef

    with open_store(ws) as store:
        store.save(COMPLETE)
        store.submit()
    before = store.path.read_bytes()
    with open_store(ws) as store:
        store.allow_reopen()
        store.response.draft = DraftRef(hash="sha256:" + "0" * 64, path="reports/draft.yaml")
        store.save()
        assert store.reopened is None
    assert store.path.read_bytes() == before
