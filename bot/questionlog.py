"""What people ask, kept for the curator: one SQLite file, no personal data.

Why it looks like this:
- Only the normalised question and the outcome are stored — never a user id, name,
  username or chat id — so the log can be shared with whoever edits faq.json.
- WAL mode lets ``bot.report`` read while the bot writes; ``synchronous=NORMAL`` makes a
  commit a plain write to the WAL file, so a killed process loses nothing that was committed
  (only a power cut can drop the last few commits).
- One writer thread owns the connection, so the asyncio loop never waits on the disk and
  SQLite never sees two writers from this process. The bot does not wait for the commit either:
  a question's row follows its answer within COMMIT_INTERVAL, and a clean stop commits what is
  queued. Only a crash or a kill can lose the last interval's questions.
- The log is a convenience, not a dependency: if the file cannot be opened or written it logs
  one warning and turns into a no-op instead of breaking answers.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal, TypeVar

from bot.matcher import Match, normalize

Channel = Literal["private", "group", "inline", "terminal"]
T = TypeVar("T")

log = logging.getLogger("bot.questionlog")

BUSY_TIMEOUT_MS = 1000  # another writer holding the file delays an answer by at most this much
PRUNE_EVERY = timedelta(days=1)
COMMIT_INTERVAL = 0.05  # seconds: under load, at most one group commit (one thread hop) per interval
MAX_QUESTION_CHARS = 500  # the matcher ignores anything longer, so storing it would only cost space
MAX_ID_CHARS = 64  # entry ids may come back from callback data a client can forge

SCHEMA = """
CREATE TABLE IF NOT EXISTS questions (
    id INTEGER PRIMARY KEY,
    ts TEXT NOT NULL,        -- UTC ISO-8601, fixed width so text order is time order
    question TEXT NOT NULL,  -- normalised text
    status TEXT NOT NULL,    -- answered | ambiguous | no_match
    score REAL NOT NULL,
    entry_id TEXT,
    candidates TEXT,         -- comma-separated ids offered as did-you-mean
    channel TEXT NOT NULL    -- private | group | inline | terminal
);
CREATE INDEX IF NOT EXISTS questions_ts ON questions(ts);
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY,
    ts TEXT NOT NULL,
    entry_id TEXT NOT NULL,
    vote INTEGER NOT NULL    -- +1 or -1
);
CREATE INDEX IF NOT EXISTS feedback_ts ON feedback(ts);
"""
INSERT_QUESTIONS = "INSERT INTO questions (ts, question, status, score, entry_id, candidates, channel) VALUES "
QUESTION_ROW = "(?, ?, ?, ?, ?, ?, ?)"
ROWS_PER_INSERT = 100  # 700 parameters: under SQLite's oldest limit of 999
INSERT_FEEDBACK = "INSERT INTO feedback (ts, entry_id, vote) VALUES (?, ?, ?)"


def utc_now() -> datetime:
    return datetime.now(UTC)


def timestamp(moment: datetime) -> str:
    """UTC text of one fixed width (naive times are taken as UTC), so SQL can compare strings."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds")


class QuestionLog:
    """Append-only question and feedback log; every method is safe to call after a failure."""

    def __init__(self, path: Path | None, retention_days: int = 90, *, clock: Callable[[], datetime] = utc_now) -> None:
        self.path = path
        self.retention = timedelta(days=retention_days)
        self._clock = clock
        self._conn: sqlite3.Connection | None = None  # touched only on the writer thread
        self._next_prune = datetime.min.replace(tzinfo=UTC)
        self._executor: ThreadPoolExecutor | None = None
        self._batch: list[tuple[Match, Channel, asyncio.Future[None]]] = []  # waiting for the next group commit
        self._timer: asyncio.TimerHandle | None = None  # the next group commit, once scheduled
        self._in_flight: asyncio.Future[None] | None = None  # the group commit on the writer thread
        self._last_commit = float("-inf")  # loop time when the last group commit started
        if path is not None:
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="questionlog")
            self._call(self._open, path)
            if not self.enabled:
                self.close()  # nothing will ever run, so do not keep an idle thread

    @classmethod
    def disabled(cls) -> QuestionLog:
        """A log that stores nothing, for QUESTION_LOG=off."""
        return cls(None)

    @property
    def enabled(self) -> bool:
        return self._conn is not None

    # -- public API ------------------------------------------------------------

    def record(self, match: Match, channel: Channel) -> None:
        """Store one question; returns once the row is committed (or the log is off)."""
        if self.enabled:
            self._call(self._guarded, self._insert_question, match, channel)

    def record_soon(self, match: Match, channel: Channel) -> asyncio.Future[None]:
        """Queue one question for the next group commit; the future is done once it is committed.

        Nobody has to wait for it: the bot replies at once and the row follows within
        COMMIT_INTERVAL. Group commit keeps the writer thread off the event loop's back: each
        hand-over between the two threads costs more CPU than the commit itself, so under load
        every question arriving within one interval shares one hop and one commit. A lone
        question is committed straight away."""
        loop = asyncio.get_running_loop()
        done: asyncio.Future[None] = loop.create_future()
        if not self.enabled or self._executor is None:
            done.set_result(None)
            return done
        self._batch.append((match, channel, done))
        if self._timer is None and self._in_flight is None:
            self._schedule_commit(loop)
        return done

    def _schedule_commit(self, loop: asyncio.AbstractEventLoop) -> None:
        wait = self._last_commit + COMMIT_INTERVAL - loop.time()
        self._timer = loop.call_later(max(wait, 0.0), self._commit_batch, loop)

    def _commit_batch(self, loop: asyncio.AbstractEventLoop) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        batch, self._batch = self._batch, []
        if not batch:
            return
        self._last_commit = loop.time()
        rows = [(match, channel) for match, channel, _ in batch]

        def release(commit: asyncio.Future[Any] | None) -> None:
            self._in_flight = None
            if commit is not None and not commit.cancelled() and commit.exception() is not None:
                log.error("question log commit failed", exc_info=commit.exception())  # a bug, not a disk error
            for *_, done in batch:
                if not done.done():
                    done.set_result(None)
            if self._batch:  # what arrived during this commit
                self._schedule_commit(loop)

        executor = self._executor
        try:
            if executor is None:  # closed meanwhile (asyncio would pick a thread of its own for None)
                raise RuntimeError("question log closed")
            self._in_flight = loop.run_in_executor(executor, self._guarded, self._insert_questions, rows)
        except RuntimeError:  # closed meanwhile
            release(None)
        else:
            self._in_flight.add_done_callback(release)

    async def flush(self) -> None:
        """Commit what is queued now, without waiting for the interval. Questions arriving
        meanwhile are not waited for, so a steady stream cannot keep this from returning."""
        queued = [done for *_, done in self._batch]
        if self._in_flight is not None:
            await asyncio.wait([self._in_flight])  # its release() has run: the rest waits for a timer
        if self._in_flight is None and self._batch:
            self._commit_batch(asyncio.get_running_loop())
        if queued:
            await asyncio.wait(queued)

    async def aclose(self) -> None:
        """Commit what is still queued, then close; for the bot's shutdown, when no handler runs."""
        while self._batch or self._in_flight is not None:
            await self.flush()
        await asyncio.to_thread(self.close)

    def feedback(self, entry_id: str, vote: int) -> None:
        """Store a 👍 (+1) or 👎 (-1) for an entry; any other vote is ignored."""
        if self.enabled and vote in (1, -1):
            self._call(self._guarded, self._insert_feedback, entry_id, vote)

    async def afeedback(self, entry_id: str, vote: int) -> None:
        if self.enabled and vote in (1, -1):
            await self._acall(self._guarded, self._insert_feedback, entry_id, vote)

    def prune(self) -> int:
        """Delete rows older than the retention period; returns how many went."""
        deleted: int | None = self._call(self._guarded, self._prune) if self.enabled else None
        return deleted or 0

    def stats_today(self) -> dict[str, Any]:
        """Today's (UTC) figures for an admin: questions, answered share, top 5 unanswered."""
        stats = self._call(self._guarded, self._stats) if self.enabled else None
        return stats or {"questions": 0, "answered": 0, "answered_share": 0.0, "top_unanswered": []}

    async def astats_today(self) -> dict[str, Any]:
        await self.flush()  # count the questions asked just before
        stats = await self._acall(self._guarded, self._stats) if self.enabled else None
        return stats or {"questions": 0, "answered": 0, "answered_share": 0.0, "top_unanswered": []}

    def close(self) -> None:
        """Finish pending writes and close the file (SQLite folds the WAL back in)."""
        executor, self._executor = self._executor, None
        if executor is not None:
            executor.submit(self._close).result()
            executor.shutdown(wait=True)

    def __enter__(self) -> QuestionLog:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # -- calling the writer thread -------------------------------------------

    def _call(self, fn: Callable[..., T], *args: Any) -> T | None:
        executor = self._executor
        try:
            return executor.submit(fn, *args).result() if executor else None
        except RuntimeError:  # closed meanwhile
            return None

    async def _acall(self, fn: Callable[..., T], *args: Any) -> T | None:
        executor = self._executor
        try:
            return await asyncio.get_running_loop().run_in_executor(executor, fn, *args) if executor else None
        except RuntimeError:  # closed meanwhile
            return None

    # -- on the writer thread ------------------------------------------------

    def _guarded(self, work: Callable[..., T], *args: Any) -> T | None:
        """Run ``work(conn, *args)``; a database or disk error switches the log off."""
        conn = self._conn
        if conn is None:
            return None
        try:
            return work(conn, *args)
        except (sqlite3.Error, OSError) as exc:
            self._fail(exc)
            return None

    def _open(self, path: Path) -> None:
        conn = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # Autocommit: each INSERT is its own transaction, committed when execute() returns.
            conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.executescript(SCHEMA)
            self._conn = conn
            self._prune(conn)
        except (sqlite3.Error, OSError) as exc:
            if conn is not None and self._conn is None:
                conn.close()
            self._fail(exc)

    def _insert_question(self, conn: sqlite3.Connection, match: Match, channel: Channel) -> None:
        self._insert_questions(conn, [(match, channel)])

    def _insert_questions(self, conn: sqlite3.Connection, rows: list[tuple[Match, Channel]]) -> None:
        now = self._clock()
        stamp = timestamp(now)
        values = [
            (
                stamp,
                normalize(match.query[:MAX_QUESTION_CHARS]),
                match.status,
                match.score,
                match.entry.id if match.entry else None,
                ",".join(e.id for e in match.suggestions) if match.status == "ambiguous" else None,
                channel,
            )
            for match, channel in rows
        ]
        # One multi-row INSERT, its own transaction (autocommit), rather than BEGIN, a row at a
        # time and COMMIT: sqlite3 lets go of the GIL for every statement step, and each time this
        # thread needs it back it can wait up to 5 ms behind a busy event loop.
        for start in range(0, len(values), ROWS_PER_INSERT):
            chunk = values[start : start + ROWS_PER_INSERT]
            conn.execute(INSERT_QUESTIONS + ", ".join([QUESTION_ROW] * len(chunk)), [v for row in chunk for v in row])
        if now >= self._next_prune:
            self._prune(conn)

    def _insert_feedback(self, conn: sqlite3.Connection, entry_id: str, vote: int) -> None:
        conn.execute(INSERT_FEEDBACK, (timestamp(self._clock()), entry_id[:MAX_ID_CHARS], vote))

    def _prune(self, conn: sqlite3.Connection) -> int:
        now = self._clock()
        cutoff = timestamp(now - self.retention)
        deleted = conn.execute("DELETE FROM questions WHERE ts < ?", (cutoff,)).rowcount
        deleted += conn.execute("DELETE FROM feedback WHERE ts < ?", (cutoff,)).rowcount
        self._next_prune = now + PRUNE_EVERY
        return deleted

    def _stats(self, conn: sqlite3.Connection) -> dict[str, Any]:
        midnight = timestamp(self._clock().astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0))
        total, answered = conn.execute(
            "SELECT COUNT(*), COALESCE(SUM(status = 'answered'), 0) FROM questions WHERE ts >= ?", (midnight,)
        ).fetchone()
        top = conn.execute(
            "SELECT question, COUNT(*) AS n FROM questions WHERE ts >= ? AND status = 'no_match'"
            " GROUP BY question ORDER BY n DESC, question LIMIT 5",
            (midnight,),
        ).fetchall()
        return {
            "questions": total,
            "answered": answered,
            "answered_share": answered / total if total else 0.0,
            "top_unanswered": [(question, n) for question, n in top],
        }

    def _fail(self, exc: BaseException) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(sqlite3.Error):
                conn.close()
        log.warning("question log %s switched off: %s", self.path, exc)  # once: from here on nothing runs

    def _close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.close()
            except sqlite3.Error as exc:
                log.warning("question log %s did not close cleanly: %s", self.path, exc)
