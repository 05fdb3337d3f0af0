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

from bot import questionlog
from bot.knowledge import KnowledgeBase, parse
from bot.matcher import Match, Matcher
from bot.questionlog import ROWS_PER_INSERT, QuestionLog, QuestionStore, Source, source_of, stored_question
from bot.report import build_report

ROOT = Path(__file__).resolve().parent.parent


def rows(path: Path, sql: str = "SELECT question, status, score, entry_id, candidates, channel FROM questions") -> list:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute(sql).fetchall()


def no_match(question: str) -> Match:
    return Match(question, "no_match", 0.0, None, ())


def count_batches(log: QuestionLog) -> list[int]:
    """The size of each group commit from now on, in order."""
    batches: list[int] = []
    original = log._write

    def counting(batch: list) -> None:
        batches.append(len(batch))
        original(batch)

    log._write = counting  # type: ignore[method-assign]
    return batches


class Clock:
    """A settable clock, so retention and 'today' are tested without waiting."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def test_record_stores_normalised_question_and_outcome(tmp_path: Path, synthetic_matcher: Matcher) -> None:
    path = tmp_path / "new" / "folder" / "q.db"
    with QuestionStore(path) as store:
        store.record(synthetic_matcher.match("  When does the LIBRARY reopen?? "), "private")
        kb = synthetic_matcher.kb
        both = (kb.get("new-features"), kb.get("reopening"))
        store.record(Match("when does the garden open", "ambiguous", 52.0, None, both), "group")  # type: ignore[arg-type]
        store.record(no_match("Who won the match?"), "terminal")
        assert rows(path, "PRAGMA journal_mode") == [("wal",)]
    got = rows(path)
    assert got[0] == ("when does the library reopen", "answered", got[0][2], "reopening", None, "private")
    assert got[0][2] > 60
    assert got[1][1] == "ambiguous" and got[1][3] is None
    assert set(got[1][4].split(",")) >= {"new-features", "reopening"}
    assert got[2] == ("who won the match", "no_match", 0.0, None, None, "terminal")


def test_a_message_with_nothing_to_look_up_is_not_logged_as_a_question(
    tmp_path: Path, synthetic_matcher: Matcher
) -> None:
    """A greeting or a "thanks" is no question: logged, ``report`` would ask curators to cover it."""
    path = tmp_path / "q.db"
    with QuestionStore(path) as store:
        for text in ("hi", "thanks!", "ok got it", "😀", "When does the library reopen?"):
            store.record(synthetic_matcher.match(text), "private")
    assert [q for q, *_ in rows(path)] == ["when does the library reopen"]


def test_no_column_can_hold_who_asked(tmp_path: Path) -> None:
    path = tmp_path / "q.db"
    QuestionStore(path).close()
    columns = {t: [row[1] for row in rows(path, f"PRAGMA table_info({t})")] for t in ("questions", "feedback")}
    assert columns == {
        "questions": [
            "id", "ts", "question", "status", "score", "entry_id", "candidates", "channel", "kb_title", "kb_hash"
        ],
        "feedback": ["id", "ts", "entry_id", "vote", "kb_title", "kb_hash"],
    }  # fmt: skip
    assert {row[0] for row in rows(path, "SELECT name FROM sqlite_master WHERE type = 'table'")} == {
        "questions",
        "feedback",
    }


def test_files_are_private_to_the_bot_user(tmp_path: Path) -> None:
    path = tmp_path / "new" / "q.db"

    async def main() -> None:
        log = QuestionLog(path)
        log.record(no_match("who won the match"), "private")
        await log.flush()
        modes = {p.name: p.stat().st_mode & 0o777 for p in path.parent.iterdir()}
        await log.aclose()
        assert modes == {"q.db": 0o600, "q.db-wal": 0o600, "q.db-shm": 0o600}

    asyncio.run(main())
    assert path.parent.stat().st_mode & 0o777 == 0o700


def test_feedback_keeps_only_real_votes(tmp_path: Path) -> None:
    path = tmp_path / "q.db"
    with QuestionStore(path) as store:
        store.feedback("cost", 1)
        store.feedback("cost", 7)  # forged callback data

    async def main() -> None:
        log = QuestionLog(path)
        log.feedback("cost", -1)
        log.feedback("hours", 0)
        log.feedback("hours", -1)
        await log.aclose()

    asyncio.run(main())
    assert rows(path, "SELECT entry_id, vote FROM feedback ORDER BY id") == [("cost", 1), ("cost", -1), ("hours", -1)]


def test_record_leaves_the_event_loop_free_and_flush_ends_at_the_commit(tmp_path: Path) -> None:
    path = tmp_path / "q.db"
    log = QuestionLog(path)
    loop_ticked = threading.Event()
    waits: list[bool] = []
    original = log._write

    def slow_write(batch: list) -> None:
        # Hold the writer thread until the event loop has ticked 50 times. If record blocked
        # the loop, no tick could happen while we wait, and the wait would time out.
        waits.append(loop_ticked.wait(timeout=5))
        original(batch)

    log._write = slow_write  # type: ignore[method-assign]

    async def ticker() -> None:
        for _ in range(50):
            await asyncio.sleep(0)
        loop_ticked.set()

    async def main() -> int:
        tick_task = asyncio.create_task(ticker())
        log.record(no_match("who won the match"), "private")
        await log.flush()
        committed = rows(path, "SELECT COUNT(*) FROM questions")[0][0]  # read by another connection
        await tick_task
        await log.aclose()
        return committed

    committed = asyncio.run(main())
    assert waits == [True]
    assert committed == 1


def test_unwritable_location_warns_once_and_never_raises(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(questionlog, "SHUTDOWN_FLUSH", 0.1)
    monkeypatch.setattr(questionlog, "STATS_FLUSH_TIMEOUT", 0.1)  # nothing queued can be written: no need to wait 2 s
    blocker = tmp_path / "afile"
    blocker.write_text("a file, so no folder can be created under it")
    caplog.set_level(logging.WARNING, logger="bot.questionlog")

    async def main() -> dict:
        log = QuestionLog(blocker / "q.db")
        for _ in range(3):
            log.record(no_match("who won the match"), "private")
            log.feedback("cost", 1)
        assert not log.enabled
        stats = await log.stats_today()
        await log.aclose()
        return stats

    stats = asyncio.run(main())
    assert stats["questions"] == 0
    assert stats["status"].startswith("question log retrying since ")  # off after OFF_AFTER of this
    warnings = [r for r in caplog.records if r.name == "bot.questionlog"]
    assert [w.levelno for w in warnings] == [logging.WARNING] * 2
    assert "cannot be opened" in warnings[0].getMessage()  # once, however often it is retried
    assert "closed with 6 rows not written" in warnings[1].getMessage()
    assert not (blocker / "q.db").exists()


def test_a_table_dropped_under_the_bot_is_recreated_and_later_questions_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(questionlog, "BACKOFF", (0.01,))
    path = tmp_path / "q.db"

    async def main() -> None:
        log = QuestionLog(path)
        log.record(no_match("first"), "private")
        await log.flush()
        with closing(sqlite3.connect(path)) as other:
            other.execute("DROP TABLE questions")  # stands in for a file that broke under the bot
        log.record(no_match("second"), "private")
        log.record(no_match("third"), "private")
        await asyncio.wait_for(log.flush(), 30)  # a hang guard
        assert log.enabled and log.status is None
        await log.aclose()

    asyncio.run(main())
    assert [q for q, *_ in rows(path)] == ["second", "third"]


def test_a_lock_held_by_another_process_loses_no_question(tmp_path: Path) -> None:
    """Another process holds the write lock for longer than the busy timeout: the questions
    asked meanwhile wait in the queue and are written once it lets go (they were lost, and every
    later question too, when a lock switched the log off)."""
    path = tmp_path / "q.db"
    QuestionStore(path).close()

    async def main() -> list[str | None]:
        log = QuestionLog(path, busy_timeout=0.05)
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN EXCLUSIVE")
        statuses = []
        for n in range(40):
            log.record(no_match(f"question {n}"), "private")
            await asyncio.sleep(0.02)
            statuses.append(log.status)
        other.execute("COMMIT")
        other.close()
        await asyncio.wait_for(log.flush(), 30)  # a hang guard
        statuses.append(log.status)
        await log.aclose()
        return statuses

    statuses = asyncio.run(main())
    assert any(s and s.startswith("question log retrying since") and "locked" in s for s in statuses), statuses
    assert statuses[-1] is None
    assert sorted(q for q, *_ in rows(path)) == sorted(f"question {n}" for n in range(40))


def failing_disk(log: QuestionLog, failures: int) -> list[int]:
    """The next ``failures`` writes fail as a full disk does; returns the attempts made."""
    attempts: list[int] = []
    original = log._write

    def write(batch: list) -> None:
        attempts.append(len(batch))
        if len(attempts) <= failures:
            raise sqlite3.OperationalError("database or disk is full")
        original(batch)

    log._write = write  # type: ignore[method-assign]
    return attempts


def test_a_full_disk_keeps_the_questions_and_writes_them_once_space_is_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(questionlog, "BACKOFF", (0.01, 0.02))
    caplog.set_level(logging.WARNING, logger="bot.questionlog")
    path = tmp_path / "q.db"

    async def main() -> None:
        log = QuestionLog(path)
        attempts = failing_disk(log, 4)
        for n in range(10):
            log.record(no_match(f"question {n}"), "group")
        await asyncio.wait_for(log.flush(), 30)
        assert len(attempts) == 5 and log.enabled
        await log.aclose()

    asyncio.run(main())
    assert [q for q, *_ in rows(path)] == [f"question {n}" for n in range(10)]
    messages = [r.getMessage() for r in caplog.records]
    assert len(messages) == 2, messages  # one when it started failing, one when it wrote again
    assert "disk is full" in messages[0] and "writing again" in messages[1]


def test_failing_for_long_switches_off_says_so_and_comes_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(questionlog, "BACKOFF", (0.01,))
    monkeypatch.setattr(questionlog, "OFF_AFTER", timedelta(0))
    monkeypatch.setattr(questionlog, "PROBE_SECONDS", 0.05)
    clock = Clock(datetime(2024, 5, 19, 14, 7, tzinfo=UTC))
    path = tmp_path / "q.db"

    async def main() -> tuple[dict, dict]:
        log = QuestionLog(path, clock=clock)
        attempts = failing_disk(log, questionlog.MIN_FAILURES)
        log.record(no_match("lost while the disk is full"), "group")
        await asyncio.wait_for(log.flush(), 30)
        assert len(attempts) == questionlog.MIN_FAILURES and not log.enabled
        off = await log.stats_today()
        log.record(no_match("dropped while off"), "group")
        while not log.enabled:  # the probe reopens the file
            await asyncio.sleep(0.01)
        log.record(no_match("written again"), "group")
        again = await log.stats_today()
        await log.aclose()
        return off, again

    off, again = asyncio.run(main())
    assert off["status"] == "question log off since 14:07 UTC: database or disk is full"
    assert again["status"] is None and again["questions"] == 1
    assert [q for q, *_ in rows(path)] == ["written again"]


def test_the_queue_is_bounded_while_the_file_cannot_be_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(questionlog, "BACKOFF", (0.05,))
    monkeypatch.setattr(questionlog, "MAX_QUEUED", 5)
    path = tmp_path / "q.db"

    async def main() -> None:
        log = QuestionLog(path)
        failing_disk(log, 1)
        for n in range(8):
            log.record(no_match(f"question {n}"), "group")
        assert len(log._queue) == 5
        await asyncio.wait_for(log.flush(), 30)
        await log.aclose()

    asyncio.run(main())
    assert [q for q, *_ in rows(path)] == [f"question {n}" for n in range(3, 8)]  # the oldest went


def test_disabled_log_does_nothing() -> None:
    async def main() -> dict:
        log = QuestionLog.disabled()
        log.record(no_match("anything"), "private")
        log.feedback("cost", -1)
        assert not log.enabled
        stats = await log.stats_today()
        await log.aclose()
        return stats

    assert asyncio.run(main()) == {**questionlog.EMPTY_STATS, "status": None, "waiting": 0}


def test_prune_deletes_old_rows_only(tmp_path: Path) -> None:
    path = tmp_path / "q.db"
    clock = Clock(datetime(2024, 1, 1, 12, tzinfo=UTC))
    with QuestionStore(path, retention_days=30, clock=clock) as store:
        store.record(no_match("old question"), "private")
        store.feedback("cost", -1)
        clock.now += timedelta(days=20)
        store.record(no_match("recent question"), "private")
        clock.now += timedelta(days=15)  # the old rows are now 35 days old, the recent ones 15
        assert store.prune() == 2
        assert store.prune() == 0
    assert [q for q, *_ in rows(path)] == ["recent question"]
    assert rows(path, "SELECT COUNT(*) FROM feedback") == [(0,)]


def test_prune_runs_at_open_and_daily(tmp_path: Path) -> None:
    path = tmp_path / "q.db"
    clock = Clock(datetime(2024, 1, 1, tzinfo=UTC))
    with QuestionStore(path, retention_days=10, clock=clock) as store:
        store.record(no_match("first"), "private")
        clock.now += timedelta(days=11)
        store.record(no_match("second"), "private")  # more than a day since the last prune
    assert [q for q, *_ in rows(path)] == ["second"]
    clock.now += timedelta(days=11)
    QuestionStore(path, retention_days=10, clock=clock).close()
    assert rows(path) == []


def test_stats_today(tmp_path: Path, synthetic_matcher: Matcher) -> None:
    clock = Clock(datetime(2024, 5, 19, 23, 0, tzinfo=UTC))
    path = tmp_path / "q.db"
    with QuestionStore(path, clock=clock) as store:
        store.record(no_match("yesterday's question"), "private")
        clock.now += timedelta(hours=2)
        store.record(synthetic_matcher.match("When does the library reopen?"), "private")
        for question in ("Who won the match?", "who won the match", "is there parking", "why"):
            store.record(no_match(question), "group")
        store.record(no_match("wh"), "inline")  # inline queries are counted apart
        stats = store.stats_today()

    async def main() -> dict:
        log = QuestionLog(path, clock=clock)
        got = await log.stats_today()
        await log.aclose()
        return got

    assert asyncio.run(main()) == {**stats, "status": None, "waiting": 0}
    assert stats["questions"] == 5 and stats["answered"] == 1 and stats["inline"] == 1
    assert stats["answered_share"] == pytest.approx(0.2)
    assert stats["top_unanswered"][0] == ("who won the match", 2)
    assert len(stats["top_unanswered"]) == 3


def test_stats_count_the_current_knowledge_base_and_its_older_versions(tmp_path: Path, synthetic_raw: dict) -> None:
    path = tmp_path / "q.db"
    current = source_of(parse(synthetic_raw, "faq.json")[0])  # type: ignore[arg-type]
    older = Source(current.title, "0123456789ab")  # an earlier edit of the same article
    other = Source("Another article", "ba9876543210")
    with QuestionStore(path) as store:
        for source in (current, older, other, other):
            store.record(no_match("who won the match"), "private", source)
        assert store.stats_today(current.title)["questions"] == 2
        assert store.stats_today()["questions"] == 4


def test_the_knowledge_base_hash_follows_its_content_not_its_path(synthetic_raw: dict) -> None:
    first = source_of(parse(synthetic_raw, "a/faq.json")[0])  # type: ignore[arg-type]
    assert source_of(parse(synthetic_raw, "b/faq.json")[0]) == first  # type: ignore[arg-type]
    synthetic_raw["entries"][0]["answer"] += " Edited."
    edited = source_of(parse(synthetic_raw, "a/faq.json")[0])  # type: ignore[arg-type]
    assert edited.title == first.title and edited.hash != first.hash and len(first.hash or "") == 12


def test_a_version_1_file_is_migrated_in_place(tmp_path: Path) -> None:
    path = tmp_path / "q.db"
    with closing(sqlite3.connect(path)) as old:
        old.executescript(
            """
            CREATE TABLE questions (id INTEGER PRIMARY KEY, ts TEXT NOT NULL, question TEXT NOT NULL,
                status TEXT NOT NULL, score REAL NOT NULL, entry_id TEXT, candidates TEXT, channel TEXT NOT NULL);
            CREATE TABLE feedback (id INTEGER PRIMARY KEY, ts TEXT NOT NULL, entry_id TEXT NOT NULL,
                vote INTEGER NOT NULL);
            """
        )
        now = questionlog.timestamp(datetime.now(UTC))
        old.execute(
            "INSERT INTO questions VALUES (1, ?, 'an old question', 'no_match', 0, NULL, NULL, 'private')", (now,)
        )
        old.execute("INSERT INTO feedback VALUES (1, ?, 'cost', 1)", (now,))
        old.commit()
    source = Source("Some article", "0123456789ab")
    with QuestionStore(path) as store:
        store.record(no_match("a new question"), "private", source)
        store.feedback("cost", -1, source)
        assert store.stats_today("Some article")["questions"] == 2  # old rows count as the current one's
    assert rows(path, "SELECT question, kb_title, kb_hash FROM questions ORDER BY id") == [
        ("an old question", None, None),
        ("a new question", "Some article", "0123456789ab"),
    ]
    assert rows(path, "SELECT vote, kb_title FROM feedback ORDER BY id") == [(1, None), (-1, "Some article")]
    assert rows(path, "PRAGMA user_version") == [(2,)]


def test_a_stored_question_is_cut_after_normalising() -> None:
    assert len(stored_question("\ufdfa" * 400)) <= questionlog.MAX_QUESTION_CHARS  # 18 letters each in NFKC
    assert len(stored_question("\ufb03" * 400)) <= questionlog.MAX_QUESTION_CHARS  # 'ﬃ' -> 'ffi'
    assert stored_question("  Who WON?? ") == "who won"


def test_writer_and_report_reader_run_together(tmp_path: Path, synthetic_kb: KnowledgeBase) -> None:
    path = tmp_path / "q.db"
    store = QuestionStore(path)
    matcher = Matcher(synthetic_kb)  # the writer thread and the reader share nothing but the file
    done = threading.Event()
    errors: list[BaseException] = []
    reports = 0

    def write() -> None:
        try:
            for i in range(500):
                store.record(no_match(f"question number {i % 37}"), "private")
        except BaseException as exc:
            errors.append(exc)
        finally:
            done.set()

    def read() -> None:
        nonlocal reports
        try:
            while not done.is_set() or reports < 3:
                report = build_report(path, matcher, every_kb=True)
                assert report.note is None and report.questions <= 500
                reports += 1
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=write), threading.Thread(target=read)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    store.close()
    assert not errors
    assert reports >= 3
    assert rows(path, "PRAGMA integrity_check") == [("ok",)]
    assert rows(path, "SELECT COUNT(*) FROM questions") == [(500,)]
    assert build_report(path, matcher).questions == 500


CHILD = """
import sys
from pathlib import Path
from bot.matcher import Match
from bot.questionlog import QuestionStore

store = QuestionStore(Path(sys.argv[1]))
for i in range(1_000_000):
    store.record(Match(f"question number {i}", "no_match", 0.0, None, ()), "terminal")
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

    async def main() -> list[int]:
        log = QuestionLog(path)
        batches = count_batches(log)
        for n in range(20):
            log.record(no_match(f"question {n}"), "group")
        await log.aclose()
        return batches

    assert asyncio.run(main()) == [20]
    assert rows(path, "SELECT COUNT(*) FROM questions") == [(20,)]


def test_a_batch_larger_than_one_insert_keeps_every_row_in_order(tmp_path: Path) -> None:
    path = tmp_path / "q.db"
    count = 2 * ROWS_PER_INSERT + 5  # three INSERT statements, the last one short

    async def main() -> None:
        log = QuestionLog(path)
        for n in range(count):
            log.record(no_match(f"question {n}"), "group")
        log.feedback("cost", 1)
        await log.aclose()

    asyncio.run(main())
    stored = [q for (q,) in rows(path, "SELECT question FROM questions ORDER BY id")]
    assert stored == [f"question {n}" for n in range(count)]
    assert rows(path, "SELECT entry_id FROM feedback") == [("cost",)]


def test_questions_queued_soon_after_a_commit_wait_for_the_interval_and_share_one_commit(tmp_path: Path) -> None:
    path = tmp_path / "q.db"

    async def main() -> list[int]:
        log = QuestionLog(path)
        batches = count_batches(log)
        log.record(no_match("lone question"), "private")  # nothing committed lately: at once
        while not batches:
            await asyncio.sleep(0)
        for n in range(10):  # a burst, one question per loop pass, within the interval
            log.record(no_match(f"question {n}"), "group")
            await asyncio.sleep(0)
        await log.aclose()
        return batches

    assert asyncio.run(main()) == [1, 10]
    assert rows(path, "SELECT COUNT(*) FROM questions") == [(11,)]


def test_a_clean_close_commits_what_is_still_queued(tmp_path: Path) -> None:
    path = tmp_path / "q.db"

    async def main() -> dict:
        log = QuestionLog(path)
        log.record(no_match("first"), "private")
        for n in range(5):  # nobody waits for these: the bot replies without waiting
            log.record(no_match(f"queued {n}"), "private")
        stats = await log.stats_today()  # counts what was asked just before
        log.record(no_match("last"), "private")
        await log.aclose()
        return stats

    stats = asyncio.run(main())
    assert stats["questions"] == 6
    assert rows(path, "SELECT COUNT(*) FROM questions") == [(7,)]


def test_stats_return_while_questions_keep_arriving_faster_than_commits(tmp_path: Path) -> None:
    """flush waits for what was queued when it was called, not for a stream that never ends."""

    async def main() -> int:
        log = QuestionLog(tmp_path / "q.db")
        original = log._write

        def slow_disk(batch: list) -> None:
            time.sleep(0.01)  # each commit outlasts the gap between questions
            original(batch)

        log._write = slow_disk  # type: ignore[method-assign]
        stop = asyncio.Event()

        async def stream() -> None:
            while not stop.is_set():
                log.record(no_match("another question"), "group")
                await asyncio.sleep(0.002)

        streaming = asyncio.create_task(stream())
        await asyncio.sleep(0.1)
        stats = await asyncio.wait_for(log.stats_today(), timeout=30)  # a hang guard, not a speed limit
        stop.set()
        await streaming
        await log.aclose()
        return int(stats["questions"])

    assert asyncio.run(main()) > 0


def test_a_bug_in_a_commit_is_logged_and_the_question_is_released(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(batch: list) -> None:
        raise ValueError("a bug, not a disk error")

    caplog.set_level(logging.ERROR, logger="bot.questionlog")

    async def main() -> None:
        log = QuestionLog(tmp_path / "q.db")
        log._write = broken  # type: ignore[method-assign]
        log.record(no_match("anything"), "private")
        await asyncio.wait_for(log.flush(), timeout=30)  # a hang guard
        await log.aclose()

    asyncio.run(main())
    assert [r.getMessage() for r in caplog.records] == ["question log commit failed"]


def test_the_bots_stats_count_its_knowledge_base_unless_all_are_asked_for(tmp_path: Path) -> None:
    path = tmp_path / "q.db"
    mine, other = Source("This article", "0123456789ab"), Source("Another article", "ba9876543210")

    async def main() -> tuple[dict, dict]:
        log = QuestionLog(path, source=other)
        log.record(no_match("asked of the other article"), "private")
        log.source = mine  # a reload swapped in another knowledge base
        log.record(no_match("asked of this one"), "private")
        got = await log.stats_today(), await log.stats_today(every_kb=True)
        await log.aclose()
        return got

    current, every = asyncio.run(main())
    assert current["questions"] == 1 and current["top_unanswered"] == [("asked of this one", 1)]
    assert every["questions"] == 2


def test_a_stop_does_not_wait_for_a_file_that_stays_locked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(questionlog, "SHUTDOWN_FLUSH", 0.2)
    caplog.set_level(logging.WARNING, logger="bot.questionlog")
    path = tmp_path / "q.db"
    QuestionStore(path).close()
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")

    async def main() -> None:
        log = QuestionLog(path, busy_timeout=0.05)
        for n in range(3):
            log.record(no_match(f"question {n}"), "private")
        await asyncio.wait_for(log.aclose(), 30)  # a hang guard: the lock is never let go meanwhile

    try:
        asyncio.run(main())
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert any("closed with 3 rows not written" in r.getMessage() for r in caplog.records)


def test_starting_while_another_process_holds_the_lock_loses_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Opening a current file only reads it, so the bot starts with the log on (it used to try
    to write at open and switch the log off for good)."""
    monkeypatch.setattr(questionlog, "BACKOFF", (0.02,))
    path = tmp_path / "q.db"
    QuestionStore(path).close()
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")

    async def main() -> bool:
        log = QuestionLog(path, busy_timeout=0.05)
        opened = log._store is not None
        log.record(no_match("asked while locked"), "private")
        await asyncio.sleep(0.2)
        other.execute("COMMIT")
        await asyncio.wait_for(log.flush(), 30)
        await log.aclose()
        return opened

    try:
        assert asyncio.run(main())
    finally:
        other.close()
    assert [q for q, *_ in rows(path)] == ["asked while locked"]
