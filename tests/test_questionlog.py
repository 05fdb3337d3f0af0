"""The question log: what it stores, what it never stores, and how it survives trouble."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.knowledge import KnowledgeBase
from bot.matcher import Match, Matcher
from bot.questionlog import ROWS_PER_INSERT, Channel, QuestionLog
from bot.report import build_report

ROOT = Path(__file__).resolve().parent.parent


def rows(path: Path, sql: str = "SELECT question, status, score, entry_id, candidates, channel FROM questions") -> list:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute(sql).fetchall()


def no_match(question: str) -> Match:
    return Match(question, "no_match", 0.0, None, ())


async def run_soon(log: QuestionLog, match: Match, channel: Channel) -> None:
    await log.record_soon(match, channel)


def count_batches(log: QuestionLog) -> list[int]:
    """The size of each group commit from now on, in order."""
    batches: list[int] = []
    original = log._insert_questions

    def counting(conn: sqlite3.Connection, batch: list) -> None:
        batches.append(len(batch))
        original(conn, batch)

    log._insert_questions = counting  # type: ignore[method-assign]
    return batches


class Clock:
    """A settable clock, so retention and 'today' are tested without waiting."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def test_record_stores_normalised_question_and_outcome(tmp_path: Path, synthetic_matcher: Matcher) -> None:
    path = tmp_path / "new" / "folder" / "q.db"
    with QuestionLog(path) as log:
        assert log.enabled
        log.record(synthetic_matcher.match("  When does the LIBRARY reopen?? "), "private")
        kb = synthetic_matcher.kb
        both = (kb.get("new-features"), kb.get("reopening"))
        log.record(Match("when does the garden open", "ambiguous", 52.0, None, both), "group")  # type: ignore[arg-type]
        log.record(no_match("Who won the match?"), "terminal")
        assert rows(path, "PRAGMA journal_mode") == [("wal",)]
    got = rows(path)
    assert got[0] == ("when does the library reopen", "answered", got[0][2], "reopening", None, "private")
    assert got[0][2] > 60
    assert got[1][1] == "ambiguous" and got[1][3] is None
    assert set(got[1][4].split(",")) >= {"new-features", "reopening"}
    assert got[2] == ("who won the match", "no_match", 0.0, None, None, "terminal")


def test_no_column_can_hold_who_asked(tmp_path: Path) -> None:
    path = tmp_path / "q.db"
    QuestionLog(path).close()
    columns = {t: [row[1] for row in rows(path, f"PRAGMA table_info({t})")] for t in ("questions", "feedback")}
    assert columns == {
        "questions": ["id", "ts", "question", "status", "score", "entry_id", "candidates", "channel"],
        "feedback": ["id", "ts", "entry_id", "vote"],
    }
    assert {row[0] for row in rows(path, "SELECT name FROM sqlite_master WHERE type = 'table'")} == {
        "questions",
        "feedback",
    }


def test_feedback_keeps_only_real_votes(tmp_path: Path) -> None:
    path = tmp_path / "q.db"
    with QuestionLog(path) as log:
        log.feedback("cost", 1)
        log.feedback("cost", -1)
        log.feedback("cost", 7)  # forged callback data
        asyncio.run(log.afeedback("hours", -1))
    assert rows(path, "SELECT entry_id, vote FROM feedback ORDER BY id") == [("cost", 1), ("cost", -1), ("hours", -1)]


def test_record_soon_leaves_the_event_loop_free_and_its_future_ends_at_the_commit(tmp_path: Path) -> None:
    path = tmp_path / "q.db"
    log = QuestionLog(path)
    loop_ticked = threading.Event()
    waits: list[bool] = []
    original = log._insert_questions

    def slow_insert(*args: object) -> None:
        # Hold the writer thread until the event loop has ticked 50 times. If record_soon blocked
        # the loop, no tick could happen while we wait, and the wait would time out.
        waits.append(loop_ticked.wait(timeout=5))
        original(*args)  # type: ignore[arg-type]

    log._insert_questions = slow_insert  # type: ignore[method-assign]

    async def ticker() -> None:
        for _ in range(50):
            await asyncio.sleep(0)
        loop_ticked.set()

    async def main() -> int:
        tick_task = asyncio.create_task(ticker())
        await log.record_soon(no_match("who won the match"), "private")
        committed = rows(path, "SELECT COUNT(*) FROM questions")[0][0]  # read by another connection
        await tick_task
        return committed

    committed = asyncio.run(main())
    log.close()
    assert waits == [True]
    assert committed == 1


def test_unwritable_location_warns_once_and_never_raises(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    blocker = tmp_path / "afile"
    blocker.write_text("a file, so no folder can be created under it")
    caplog.set_level(logging.WARNING, logger="bot.questionlog")
    log = QuestionLog(blocker / "q.db")
    for _ in range(3):
        log.record(no_match("who won the match"), "private")
        log.feedback("cost", 1)
    asyncio.run(run_soon(log, no_match("who won"), "inline"))
    assert not log.enabled
    assert log.prune() == 0
    assert log.stats_today()["questions"] == 0
    log.close()
    warnings = [r for r in caplog.records if r.name == "bot.questionlog"]
    assert len(warnings) == 1 and warnings[0].levelno == logging.WARNING
    assert not (blocker / "q.db").exists()


def test_failure_after_opening_switches_off_with_one_warning(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "q.db"
    log = QuestionLog(path)
    log.record(no_match("first"), "private")
    with closing(sqlite3.connect(path)) as other:
        other.execute("DROP TABLE questions")  # stands in for a disk that broke under the bot
    caplog.set_level(logging.WARNING, logger="bot.questionlog")
    log.record(no_match("second"), "private")
    log.record(no_match("third"), "private")
    assert not log.enabled
    log.close()
    assert len([r for r in caplog.records if r.name == "bot.questionlog"]) == 1


def test_disabled_log_does_nothing(tmp_path: Path) -> None:
    log = QuestionLog.disabled()
    log.record(no_match("anything"), "private")
    asyncio.run(run_soon(log, no_match("anything"), "private"))
    log.feedback("cost", -1)
    assert not log.enabled and log.prune() == 0
    assert log.stats_today() == {"questions": 0, "answered": 0, "answered_share": 0.0, "top_unanswered": []}
    log.close()


def test_prune_deletes_old_rows_only(tmp_path: Path) -> None:
    path = tmp_path / "q.db"
    clock = Clock(datetime(2024, 1, 1, 12, tzinfo=UTC))
    with QuestionLog(path, retention_days=30, clock=clock) as log:
        log.record(no_match("old question"), "private")
        log.feedback("cost", -1)
        clock.now += timedelta(days=20)
        log.record(no_match("recent question"), "private")
        clock.now += timedelta(days=15)  # the old rows are now 35 days old, the recent ones 15
        assert log.prune() == 2
        assert log.prune() == 0
    assert [q for q, *_ in rows(path)] == ["recent question"]
    assert rows(path, "SELECT COUNT(*) FROM feedback") == [(0,)]


def test_prune_runs_at_open_and_daily(tmp_path: Path) -> None:
    path = tmp_path / "q.db"
    clock = Clock(datetime(2024, 1, 1, tzinfo=UTC))
    with QuestionLog(path, retention_days=10, clock=clock) as log:
        log.record(no_match("first"), "private")
        clock.now += timedelta(days=11)
        log.record(no_match("second"), "private")  # more than a day since the last prune
    assert [q for q, *_ in rows(path)] == ["second"]
    clock.now += timedelta(days=11)
    QuestionLog(path, retention_days=10, clock=clock).close()
    assert rows(path) == []


def test_stats_today(tmp_path: Path, synthetic_matcher: Matcher) -> None:
    clock = Clock(datetime(2024, 5, 19, 23, 0, tzinfo=UTC))
    with QuestionLog(tmp_path / "q.db", clock=clock) as log:
        log.record(no_match("yesterday's question"), "private")
        clock.now += timedelta(hours=2)
        log.record(synthetic_matcher.match("When does the library reopen?"), "private")
        for question in ("Who won the match?", "who won the match", "is there parking", "why"):
            log.record(no_match(question), "group")
        stats = log.stats_today()
        assert asyncio.run(log.astats_today()) == stats
    assert stats["questions"] == 5 and stats["answered"] == 1
    assert stats["answered_share"] == pytest.approx(0.2)
    assert stats["top_unanswered"][0] == ("who won the match", 2)
    assert len(stats["top_unanswered"]) == 3


def test_writer_and_report_reader_run_together(tmp_path: Path, synthetic_kb: KnowledgeBase) -> None:
    path = tmp_path / "q.db"
    log = QuestionLog(path)
    matcher = Matcher(synthetic_kb)  # the writer thread and the reader share nothing but the file
    done = threading.Event()
    errors: list[BaseException] = []
    reports = 0

    def write() -> None:
        try:
            for i in range(500):
                log.record(no_match(f"question number {i % 37}"), "private")
        except BaseException as exc:
            errors.append(exc)
        finally:
            done.set()

    def read() -> None:
        nonlocal reports
        try:
            while not done.is_set() or reports < 3:
                report = build_report(path, matcher)
                assert report.note is None and report.questions <= 500
                reports += 1
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=write), threading.Thread(target=read)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    log.close()
    assert not errors
    assert reports >= 3
    assert rows(path, "PRAGMA integrity_check") == [("ok",)]
    assert rows(path, "SELECT COUNT(*) FROM questions") == [(500,)]
    assert build_report(path, matcher).questions == 500


CHILD = """
import sys
from pathlib import Path
from bot.matcher import Match
from bot.questionlog import ROWS_PER_INSERT, Channel, QuestionLog

log = QuestionLog(Path(sys.argv[1]))
for i in range(1_000_000):
    log.record(Match(f"question number {i}", "no_match", 0.0, None, ()), "terminal")
    print(i, flush=True)
"""


def test_sigkill_loses_no_committed_row(tmp_path: Path) -> None:
    path = tmp_path / "q.db"
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path)], stdout=subprocess.PIPE, text=True, cwd=ROOT, env={**os.environ}
    )
    assert child.stdout is not None
    try:
        for _ in range(300):  # let it get well into its stride, then kill it mid-write
            assert child.stdout.readline(), "the child stopped before writing 300 rows"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    last = max([299, *(int(line) for line in child.stdout.read().split())])  # committed before printed
    assert child.returncode == -signal.SIGKILL
    assert rows(path, "PRAGMA integrity_check") == [("ok",)]
    stored = {q for (q,) in rows(path, "SELECT question FROM questions")}
    assert {f"question number {i}" for i in range(last + 1)} <= stored


def test_questions_arriving_together_share_one_commit(tmp_path: Path) -> None:
    path = tmp_path / "q.db"
    log = QuestionLog(path)
    batches = count_batches(log)

    async def main() -> None:
        await asyncio.gather(*(log.record_soon(no_match(f"question {n}"), "group") for n in range(20)))

    asyncio.run(main())
    log.close()
    assert batches == [20]
    assert rows(path, "SELECT COUNT(*) FROM questions") == [(20,)]


def test_a_batch_larger_than_one_insert_keeps_every_row_in_order(tmp_path: Path) -> None:
    path = tmp_path / "q.db"
    log = QuestionLog(path)

    async def main() -> None:
        count = 2 * ROWS_PER_INSERT + 5  # three INSERT statements, the last one short
        await asyncio.gather(*(log.record_soon(no_match(f"question {n}"), "group") for n in range(count)))

    asyncio.run(main())
    log.close()
    stored = [q for (q,) in rows(path, "SELECT question FROM questions ORDER BY id")]
    assert stored == [f"question {n}" for n in range(2 * ROWS_PER_INSERT + 5)]


def test_questions_queued_soon_after_a_commit_wait_for_the_interval_and_share_one_commit(tmp_path: Path) -> None:
    path = tmp_path / "q.db"
    log = QuestionLog(path)
    batches = count_batches(log)

    async def main() -> None:
        await log.record_soon(no_match("lone question"), "private")  # nothing committed lately: at once
        later = []
        for n in range(10):  # a burst, one question per loop pass, within the interval
            later.append(log.record_soon(no_match(f"question {n}"), "group"))
            await asyncio.sleep(0)
        await asyncio.gather(*later)

    asyncio.run(main())
    log.close()
    assert batches == [1, 10]
    assert rows(path, "SELECT COUNT(*) FROM questions") == [(11,)]


def test_a_clean_close_commits_what_is_still_queued(tmp_path: Path) -> None:
    path = tmp_path / "q.db"
    log = QuestionLog(path)

    async def main() -> dict:
        await log.record_soon(no_match("first"), "private")
        for n in range(5):  # nobody waits for these: the bot replies without waiting
            log.record_soon(no_match(f"queued {n}"), "private")
        stats = await log.astats_today()  # counts what was asked just before
        log.record_soon(no_match("last"), "private")
        await log.aclose()
        return stats

    stats = asyncio.run(main())
    assert stats["questions"] == 6
    assert rows(path, "SELECT COUNT(*) FROM questions") == [(7,)]


def test_stats_return_while_questions_keep_arriving_faster_than_commits(tmp_path: Path) -> None:
    """flush waits for what was queued when it was called, not for a stream that never ends."""
    log = QuestionLog(tmp_path / "q.db")
    original = log._insert_questions

    def slow_disk(conn: sqlite3.Connection, batch: list) -> None:
        time.sleep(0.01)  # each commit outlasts the gap between questions
        original(conn, batch)

    log._insert_questions = slow_disk  # type: ignore[method-assign]

    async def main() -> int:
        stop = asyncio.Event()

        async def stream() -> None:
            while not stop.is_set():
                log.record_soon(no_match("another question"), "group")
                await asyncio.sleep(0.002)

        streaming = asyncio.create_task(stream())
        await asyncio.sleep(0.1)
        stats = await asyncio.wait_for(log.astats_today(), timeout=30)  # a hang guard, not a speed limit
        stop.set()
        await streaming
        await log.aclose()
        return stats["questions"]

    assert asyncio.run(main()) > 0


def test_a_bug_in_a_commit_is_logged_and_the_question_is_released(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    log = QuestionLog(tmp_path / "q.db")

    def broken(conn: sqlite3.Connection, batch: list) -> None:
        raise ValueError("a bug, not a disk error")

    log._insert_questions = broken  # type: ignore[method-assign]
    caplog.set_level(logging.ERROR, logger="bot.questionlog")

    async def main() -> None:
        await asyncio.wait_for(log.record_soon(no_match("anything"), "private"), timeout=30)  # a hang guard
        await log.aclose()

    asyncio.run(main())
    assert [r.getMessage() for r in caplog.records] == ["question log commit failed"]
