"""The worker's acknowledgement sweep: `warning.ack_overdue` once per target not acknowledged in time, however many
sweeps run and however many workers sweep at once; never for a target that answered, nor after the close."""
from __future__ import annotations

import datetime as dt
import threading

import pytest

from servicekit import clock
from services.supervision.use_cases import sweeps
from services.supervision.use_cases.warning_sweeps import announce_overdue_acknowledgements
from supervised import ORG_IDS
from weather import close, events, issue, read, step, target, travel

OVERDUE = "warning.ack_overdue"


def sweep(database, *, now: dt.datetime | None = None) -> int:
    """One sweep in its own transaction, as the worker runs it."""
    now = now or clock.now()
    with database.transaction() as session:
        return announce_overdue_acknowledgements(session=session, now=now, today=clock.local_today(at=now))


@pytest.fixture
def warned(desk):
    """The issue's red rainstorm, sent to both mines; MINE-1 acknowledges in time, MINE-2 never answers."""
    warning = issue(desk("ROOT"))
    step(desk("MINE-1", role="logistics", scope="own"), warning, "MINE-1", "acknowledge", {"by": "王矿长"})
    return warning


def test_the_worker_runs_the_acknowledgement_sweep():
    assert sweeps.SWEEPS["announce overdue warning acknowledgements"] is announce_overdue_acknowledgements


def test_the_silent_mine_is_announced_once_its_deadline_passes_and_only_once(supervision_db, warned, monkeypatch):
    due = dt.datetime.fromisoformat(target(warned, "MINE-2")["ack_due_at"])
    assert sweep(supervision_db, now=due) == 0, "due at the deadline, not yet past it"
    assert events(supervision_db, OVERDUE) == []

    travel(monkeypatch, minutes=31)
    assert sweep(supervision_db) == 1
    [announced] = events(supervision_db, OVERDUE)
    assert (announced["warning_id"], announced["code"]) == (warned["id"], warned["code"])
    assert (announced["org_id"], announced["org_path"], announced["issuer_org_id"]) == \
        (str(ORG_IDS["MINE-2"]), "/ROOT/NS/MINE-2/", str(ORG_IDS["ROOT"]))
    assert dt.datetime.fromisoformat(announced["ack_due_at"]) == due

    travel(monkeypatch, hours=2)
    assert sweep(supervision_db) == 0
    assert len(events(supervision_db, OVERDUE)) == 1


def test_two_workers_sweeping_at_once_announce_the_silent_mine_once(supervision_db, warned, monkeypatch):
    """The first sweeper holds its transaction open until the second has swept (PostgreSQL: the second skips the
    row the first holds) or has waited half a second (SQLite: the second waits for the write lock)."""
    travel(monkeypatch, minutes=31)
    now = clock.now()
    first_swept, second_done = threading.Event(), threading.Event()
    counted: dict[str, int] = {}

    def first() -> None:
        with supervision_db.transaction() as session:
            counted["first"] = announce_overdue_acknowledgements(session=session, now=now, today=clock.local_today())
            first_swept.set()
            second_done.wait(timeout=0.5)

    def second() -> None:
        first_swept.wait(timeout=10)
        counted["second"] = sweep(supervision_db, now=now)
        second_done.set()

    workers = [threading.Thread(target=first), threading.Thread(target=second)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=30)
    assert counted == {"first": 1, "second": 0}
    assert [data["org_id"] for data in events(supervision_db, OVERDUE)] == [str(ORG_IDS["MINE-2"])]
    assert sweep(supervision_db, now=now) == 0


def test_two_workers_started_together_announce_each_silent_target_once(supervision_db, desk, monkeypatch):
    city = desk("ROOT")
    warnings = [issue(city), issue(city, kind="flood", industries=[])]
    travel(monkeypatch, minutes=31)
    now, start = clock.now(), threading.Barrier(2)
    counts: list[int] = []

    def worker() -> None:
        start.wait(timeout=10)
        counts.append(sweep(supervision_db, now=now))

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    announced = [(data["warning_id"], data["org_id"]) for data in events(supervision_db, OVERDUE)]
    assert sum(counts) == len(announced) == 5, "MINE-1 and MINE-2, then CHEM-1, MINE-1 and MINE-2"
    assert len(set(announced)) == 5 and {warning_id for warning_id, _ in announced} == {w["id"] for w in warnings}


def test_a_sweep_that_fails_announces_nothing_and_the_next_one_does(supervision_db, warned, monkeypatch):
    travel(monkeypatch, minutes=31)
    with pytest.raises(RuntimeError), supervision_db.transaction() as session:
        assert announce_overdue_acknowledgements(session=session, now=clock.now(), today=clock.local_today()) == 1
        raise RuntimeError("the worker died before committing")
    assert events(supervision_db, OVERDUE) == []
    assert sweep(supervision_db) == 1


def test_a_target_that_answered_in_time_or_a_closed_warning_raises_no_alarm(supervision_db, desk, monkeypatch):
    city = desk("ROOT")
    answered, closed = issue(city), issue(city)
    for code in ("MINE-1", "MINE-2"):
        step(city, answered, code, "acknowledge", {"by": "值班矿长"})
    close(city, closed, summary="预警解除")
    travel(monkeypatch, hours=1)
    assert sweep(supervision_db) == 0
    assert events(supervision_db, OVERDUE) == []


def test_an_announced_target_still_acknowledges_late_and_is_not_announced_again(supervision_db, desk, warned,
                                                                                monkeypatch):
    travel(monkeypatch, minutes=45)
    assert sweep(supervision_db) == 1
    mine = desk("MINE-2", role="logistics", scope="own")
    answer = target(step(mine, warned, "MINE-2", "acknowledge", {"by": "孙矿长"}), "MINE-2")
    assert (answer["status"], answer["ack_overdue"], answer["acknowledged_late"]) == ("acknowledged", False, True)
    travel(monkeypatch, hours=1)
    assert sweep(supervision_db) == 0
    assert read(desk("ROOT"), warned)["counts"]["sent"] == 0
