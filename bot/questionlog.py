"""What people ask, kept for the curator: one SQLite file, no personal data.

Why it looks like this:
- Only the normalised question, the outcome and which knowledge base gave it are stored —
  never a user id, name, username or chat id — so the log can be shared with whoever edits
  faq.json. The file is created 0600 (a new folder for it 0700); SQLite gives its WAL and SHM
  files the same mode.
- WAL mode lets ``bot.report`` read while the bot writes; ``synchronous=NORMAL`` makes a
  commit a plain write to the WAL file, so a killed process loses nothing that was committed.
- Two layers. :class:`QuestionStore` is plain synchronous storage (the terminal commands use
  it directly, and it raises). :class:`QuestionLog` is the bot's: ``record`` only appends to a
  bounded in-memory queue, and one background task hands batches to one writer thread that
  owns the store, so the event loop never waits on the disk and SQLite never sees two writers
  from this process.
- A busy or locked file, a full disk or an I/O error is taken as passing: the queue keeps the
  questions, the writer backs off and reopens the file, and writing resumes where it stopped.
  Only failures that last (OFF_AFTER) switch the log off, and even then it probes now and then,
  so freeing the disk brings it back. /stats says when and why it is off.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import sqlite3
import unicodedata
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from bot.matcher import Match, normalize

if TYPE_CHECKING:  # asyncio and threads only for the bot's writer (QuestionLog): the terminal never loads them
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from bot.knowledge import KnowledgeBase

Channel = Literal["private", "group", "inline", "terminal"]

log = logging.getLogger("bot.questionlog")

# Seconds SQLite waits for another process's lock before the writer backs off and retries (was 1 s,
# and then the log switched off). Only the writer thread waits; a stop waits for at most one such
# wait after SHUTDOWN_FLUSH, so SIGTERM still exits within 5 s.
BUSY_TIMEOUT = 2.0
PRUNE_EVERY = timedelta(days=1)
COMMIT_INTERVAL = 0.05  # seconds: under load, at most one group commit (one thread hop) per interval
MAX_QUESTION_CHARS = 500  # the matcher ignores anything longer, so storing it would only cost space
MAX_ID_CHARS = 64  # entry ids may come back from callback data a client can forge
MAX_QUEUED = 10_000  # rows kept in memory while the file cannot be written; the oldest go first
MAX_BATCH = 1_000  # rows per group commit
BACKOFF = (0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0)  # waits between attempts while writing fails
OFF_AFTER = timedelta(minutes=2)  # failing this long (and MIN_FAILURES times) switches the log off
MIN_FAILURES = 5
PROBE_SECONDS = 300.0  # while off: how often the file is tried again
STATS_FLUSH_TIMEOUT = 2.0  # /stats waits this long for queued rows before it counts
SHUTDOWN_FLUSH = 2.0  # a stop waits this long for queued rows; what is still queued then is lost

SCHEMA_VERSION = 2
SCHEMA = """
CREATE TABLE IF NOT EXISTS questions (
    id INTEGER PRIMARY KEY,
    ts TEXT NOT NULL,        -- UTC ISO-8601, fixed width so text order is time order
    question TEXT NOT NULL,  -- normalised text
    status TEXT NOT NULL,    -- answered | ambiguous | no_match
    score REAL NOT NULL,
    entry_id TEXT,
    candidates TEXT,         -- comma-separated ids offered as did-you-mean
    channel TEXT NOT NULL,   -- private | group | inline | terminal
    kb_title TEXT,           -- the knowledge base that answered: its article's title
    kb_hash TEXT             -- ... and a short hash of its content (NULL in rows older than v2)
);
CREATE INDEX IF NOT EXISTS questions_ts ON questions(ts);
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY,
    ts TEXT NOT NULL,
    entry_id TEXT NOT NULL,
    vote INTEGER NOT NULL,   -- +1 or -1
    kb_title TEXT,
    kb_hash TEXT
);
CREATE INDEX IF NOT EXISTS feedback_ts ON feedback(ts);
"""
ADDED_COLUMNS = (("kb_title", "TEXT"), ("kb_hash", "TEXT"))  # version 1 -> 2, for both tables
INSERT_QUESTIONS = (
    "INSERT INTO questions (ts, question, status, score, entry_id, candidates, channel, kb_title, kb_hash) VALUES "
)
QUESTION_ROW = "(?, ?, ?, ?, ?, ?, ?, ?, ?)"
ROWS_PER_INSERT = 100  # 900 parameters: under SQLite's oldest limit of 999
INSERT_FEEDBACK = "INSERT INTO feedback (ts, entry_id, vote, kb_title, kb_hash) VALUES (?, ?, ?, ?, ?)"
EMPTY_STATS: dict[str, Any] = {"questions": 0, "answered": 0, "answered_share": 0.0, "top_unanswered": [], "inline": 0}


def utc_now() -> datetime:
    return datetime.now(UTC)


def timestamp(moment: datetime) -> str:
    """UTC text of one fixed width (naive times are taken as UTC), so SQL can compare strings."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True, slots=True)
class Source:
    """Which knowledge base answered: rows of another version of the same article (same title)
    still count as its own; the hash tells versions apart."""

    title: str | None
    hash: str | None


UNKNOWN_SOURCE = Source(None, None)


def source_of(kb: KnowledgeBase) -> Source:
    """Title and a 12-digit content hash (the file's path is not part of it: a copy is the same)."""
    content = repr((kb.article, kb.entries, kb.starters, sorted(kb.synonyms.items())))
    return Source(kb.article.title, hashlib.sha256(content.encode("utf-8")).hexdigest()[:12])


def stored_question(query: str) -> str:
    """The text kept for a question: cut after normalising, since NFKC can make one character
    eighteen ('\ufdfa'); the cut before it only bounds the work (the matcher reads no further)."""
    # NFKC first and cut again before the rest of normalize, whose per-character passes would
    # otherwise walk all 9,000 characters (13 ms of the interpreter for one message, not 0.3).
    text = unicodedata.normalize("NFKC", query[:MAX_QUESTION_CHARS])[:MAX_QUESTION_CHARS]
    return normalize(text)[:MAX_QUESTION_CHARS].rstrip()


@dataclass(frozen=True, slots=True)
class QuestionRow:
    """One question as queued: everything but the text's normalising is done when asked."""

    at: datetime
    match: Match
    channel: Channel
    source: Source

    def values(self) -> tuple[Any, ...]:
        match = self.match
        return (
            timestamp(self.at),
            stored_question(match.query),
            match.status,
            match.score,
            match.entry.id if match.entry else None,
            ",".join(e.id for e in match.suggestions) if match.status == "ambiguous" else None,
            self.channel,
            self.source.title,
            self.source.hash,
        )


@dataclass(frozen=True, slots=True)
class VoteRow:
    at: datetime
    entry_id: str
    vote: int
    source: Source

    def values(self) -> tuple[Any, ...]:
        return (timestamp(self.at), self.entry_id[:MAX_ID_CHARS], self.vote, self.source.title, self.source.hash)


Row = QuestionRow | VoteRow


# ---------------------------------------------------------------------------
# Synchronous storage


def _create_private(path: Path) -> None:
    """The folder (when new) 0700 and the file (when new) 0600, before SQLite opens it."""
    if not path.parent.is_dir():
        path.parent.mkdir(parents=True, mode=0o700, exist_ok=True)
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_RDWR, 0o600))


class QuestionStore:
    """The SQLite file itself, for one thread at a time; every method may raise sqlite3.Error or OSError.

    Opening creates the schema and migrates an older file in place (new columns are NULL in old rows)."""

    def __init__(
        self,
        path: Path,
        retention_days: int = 90,
        *,
        clock: Callable[[], datetime] = utc_now,
        busy_timeout: float = BUSY_TIMEOUT,
    ) -> None:
        self.path = path
        self.retention = timedelta(days=retention_days)
        self._clock = clock
        self._next_prune = datetime.min.replace(tzinfo=UTC)
        _create_private(path)
        # Autocommit: each INSERT is its own transaction. The writer thread is the only user of
        # the connection, but it is not the thread that opened it, hence check_same_thread=False.
        conn = sqlite3.connect(path, timeout=busy_timeout, isolation_level=None, check_same_thread=False)
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            self._migrate(conn)
        except BaseException:
            conn.close()
            raise
        self._conn = conn
        with contextlib.suppress(sqlite3.OperationalError):  # locked by another process: the next write prunes
            self.prune()

    @staticmethod
    def _migrate(conn: sqlite3.Connection) -> None:
        """Create or upgrade the schema; a file already current is only read, so opening it
        works while another process holds the write lock."""

        def columns(table: str) -> set[str]:
            return {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}

        wanted = {name for name, _ in ADDED_COLUMNS}
        if all(wanted <= columns(table) for table in ("questions", "feedback")):
            return
        conn.executescript(SCHEMA)
        for table in ("questions", "feedback"):
            have = columns(table)
            for name, kind in ADDED_COLUMNS:
                if name not in have:
                    conn.execute(f"ALTER TABLE {table} ADD COLUMN {name} {kind}")
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def write(self, rows: Iterable[Row]) -> None:
        """Store questions and votes, in order; questions go in multi-row INSERTs of their own
        transaction (sqlite3 lets go of the GIL for every statement step, and each time the
        writer needs it back it can wait behind a busy event loop)."""
        questions: list[tuple[Any, ...]] = []
        votes: list[tuple[Any, ...]] = []
        for row in rows:
            (questions if isinstance(row, QuestionRow) else votes).append(row.values())
        for start in range(0, len(questions), ROWS_PER_INSERT):
            chunk = questions[start : start + ROWS_PER_INSERT]
            self._conn.execute(
                INSERT_QUESTIONS + ", ".join([QUESTION_ROW] * len(chunk)), [v for row in chunk for v in row]
            )
        if votes:
            self._conn.executemany(INSERT_FEEDBACK, votes)
        if self._clock() >= self._next_prune:
            self.prune()

    def record(self, match: Match, channel: Channel, source: Source = UNKNOWN_SOURCE) -> None:
        """Store one question. A message with nothing to look up (a greeting, "thanks", an emoji) is
        not one: logged, it would sit among the unanswered that ``report`` asks curators to cover."""
        if not match.no_question:
            self.write([QuestionRow(self._clock(), match, channel, source)])

    def feedback(self, entry_id: str, vote: int, source: Source = UNKNOWN_SOURCE) -> None:
        """Store a 👍 (+1) or 👎 (-1) for an entry; any other vote is ignored."""
        if vote in (1, -1):
            self.write([VoteRow(self._clock(), entry_id, vote, source)])

    def prune(self) -> int:
        """Delete rows older than the retention period; returns how many went."""
        now = self._clock()
        cutoff = timestamp(now - self.retention)
        deleted: int = self._conn.execute("DELETE FROM questions WHERE ts < ?", (cutoff,)).rowcount
        deleted += self._conn.execute("DELETE FROM feedback WHERE ts < ?", (cutoff,)).rowcount
        self._next_prune = now + PRUNE_EVERY
        return deleted

    def stats_today(self, title: str | None = None) -> dict[str, Any]:
        return stats_today(self._conn, self._clock(), title)

    def close(self) -> None:
        """Close the file (SQLite folds the WAL back in)."""
        self._conn.close()

    def __enter__(self) -> QuestionStore:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def stats_today(conn: sqlite3.Connection, now: datetime, title: str | None) -> dict[str, Any]:
    """Today's (UTC) figures for an admin: questions (inline queries counted apart), answered
    share, top 5 unanswered. With a title, only rows of that knowledge base (and rows older than
    the log's knowing it); without, every one."""
    midnight = timestamp(now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0))
    where = "ts >= ?" + ("" if title is None else " AND (kb_title = ? OR kb_title IS NULL)")
    params: tuple[str, ...] = (midnight,) if title is None else (midnight, title)
    total, answered, inline = conn.execute(
        "SELECT COALESCE(SUM(channel != 'inline'), 0), COALESCE(SUM(status = 'answered' AND channel != 'inline'), 0),"
        f" COALESCE(SUM(channel = 'inline'), 0) FROM questions WHERE {where}",
        params,
    ).fetchone()
    top = conn.execute(
        f"SELECT question, COUNT(*) AS n FROM questions WHERE {where} AND status = 'no_match' AND channel != 'inline'"
        " GROUP BY question ORDER BY n DESC, question LIMIT 5",
        params,
    ).fetchall()
    return {
        "questions": total,
        "answered": answered,
        "answered_share": answered / total if total else 0.0,
        "top_unanswered": [(question, n) for question, n in top],
        "inline": inline,
    }


def read_stats(path: Path, now: datetime, title: str | None) -> dict[str, Any]:
    """stats_today through a read-only connection of its own, so /stats never waits behind the writer."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=1.0, isolation_level=None)
    try:
        return stats_today(conn, now, title)
    finally:
        conn.close()


# ---------------------------------------------------------------------------
# The bot's log: a queue and one background writer


class QuestionLog:
    """The bot's question and feedback log; no method raises and none waits on the disk
    (``flush``, ``stats_today`` and ``aclose`` wait, bounded, for what is queued)."""

    def __init__(
        self,
        path: Path | None,
        retention_days: int = 90,
        *,
        clock: Callable[[], datetime] = utc_now,
        busy_timeout: float = BUSY_TIMEOUT,
        source: Source = UNKNOWN_SOURCE,
    ) -> None:
        self.path = path
        self.source = source  # the knowledge base answering now; the shell changes it on reload
        self._retention_days = retention_days
        self._clock = clock
        self._busy_timeout = busy_timeout
        self._store: QuestionStore | None = None  # touched only on the writer thread once running
        self._executor: ThreadPoolExecutor | None = None
        self._queue: deque[tuple[int, Row]] = deque()
        self._queued = 0  # sequence number of the last row queued
        self._written = 0  # ... and of the last row written or given up on
        self._waiters: list[tuple[int, asyncio.Future[None]]] = []
        self._wake: asyncio.Event | None = None
        self._task: asyncio.Task[None] | None = None
        self._closing = False
        self._dropped = 0  # rows lost to a full queue or to the log being off
        self.off_since: datetime | None = None  # switched off at, and why
        self.off_reason = ""
        self.failing_since: datetime | None = None  # writes failing (and retried) since
        self._failures = 0
        if path is None:
            return
        from concurrent.futures import ThreadPoolExecutor

        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="questionlog")
        try:
            self._store = self._executor.submit(self._open).result()
        except (sqlite3.Error, OSError) as exc:  # retried like a failed write: the first one opens it
            self.failing_since, self.off_reason, self._failures = clock(), _reason(exc), 1
            log.warning("question log %s cannot be opened (%s): keeping questions and retrying", path, exc)

    @classmethod
    def disabled(cls) -> QuestionLog:
        """A log that stores nothing, for QUESTION_LOG=off."""
        return cls(None)

    @property
    def enabled(self) -> bool:
        """Writing normally (False while failing, off, or with QUESTION_LOG=off)."""
        return self._executor is not None and self.off_since is None and self.failing_since is None

    @property
    def status(self) -> str | None:
        """One line for /stats when the log is not writing normally, else None."""
        if self.off_since is not None:
            return f"question log off since {self.off_since:%H:%M} UTC: {self.off_reason}"
        if self.failing_since is not None:
            return (
                f"question log retrying since {self.failing_since:%H:%M} UTC: {self.off_reason}"
                f" ({len(self._queue)} waiting)"
            )
        return None

    # -- what handlers call -------------------------------------------------

    def record(self, match: Match, channel: Channel) -> None:
        """Queue one question; the writer commits it within COMMIT_INTERVAL (or once the file
        can be written again). Needs a running event loop. Not a message with nothing to look up
        (see ``QuestionStore.record``)."""
        if not match.no_question:
            self._put(QuestionRow(self._clock(), match, channel, self.source))

    def feedback(self, entry_id: str, vote: int) -> None:
        """Queue a 👍 (+1) or 👎 (-1) for an entry; any other vote is ignored."""
        if vote in (1, -1):
            self._put(VoteRow(self._clock(), entry_id, vote, self.source))

    def _put(self, row: Row) -> None:
        if self._executor is None or self._closing:
            return
        if self.off_since is not None:
            self._dropped += 1
            self._start()  # the writer task probes the file now and then
            return
        if len(self._queue) >= MAX_QUEUED:
            self._queue.popleft()
            self._dropped += 1
            if self._dropped == 1 or self._dropped % 1000 == 0:
                log.warning("question log queue full: %d oldest rows dropped so far", self._dropped)
        self._queued += 1
        self._queue.append((self._queued, row))
        self._start()

    def _start(self) -> None:
        import asyncio

        if self._task is None:
            self._wake = asyncio.Event()
            self._task = asyncio.get_running_loop().create_task(self._run(), name="question log writer")
        assert self._wake is not None
        self._wake.set()

    async def flush(self, timeout: float | None = None) -> bool:
        """Wait until what is queued now is written (or given up on); questions arriving
        meanwhile are not waited for, so a steady stream cannot keep this from returning.
        Returns False if ``timeout`` ran out first."""
        import asyncio

        target = self._queued
        if self._written >= target or self._task is None:
            return True
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.append((target, done))
        assert self._wake is not None
        self._wake.set()  # commit now, without waiting for the interval
        try:
            await asyncio.wait_for(asyncio.shield(done), timeout)
        except TimeoutError:
            return False
        return True

    async def stats_today(self, *, every_kb: bool = False) -> dict[str, Any]:
        """Today's figures (this knowledge base's, unless ``every_kb``), counting the questions
        asked just before; ``status`` says when the log is off or behind."""
        import asyncio

        flushed = await self.flush(STATS_FLUSH_TIMEOUT)
        stats = dict(EMPTY_STATS)
        if self.path is not None and self._executor is not None:
            title = None if every_kb else self.source.title
            try:
                stats = await asyncio.to_thread(read_stats, self.path, self._clock(), title)
            except sqlite3.Error as exc:
                stats["error"] = str(exc)
        stats["status"] = self.status
        stats["waiting"] = 0 if flushed else len(self._queue)
        return stats

    async def aclose(self) -> None:
        """Write what is still queued (for at most SHUTDOWN_FLUSH: a file that stays locked is
        not waited on), then close; for the bot's shutdown, when no handler runs."""
        import asyncio

        if not await self.flush(timeout=SHUTDOWN_FLUSH):
            log.warning("question log closed with %d rows not written: %s", len(self._queue), self.off_reason)
        self._closing = True
        if self._task is not None:
            assert self._wake is not None
            self._wake.set()
            with contextlib.suppress(asyncio.CancelledError):
                self._task.cancel()
                await self._task
        await asyncio.to_thread(self.close)

    def close(self) -> None:
        """Close the file and the writer thread (rows still queued are not written)."""
        self._closing = True
        executor, self._executor = self._executor, None
        if executor is not None:
            executor.submit(self._close_store).result()
            executor.shutdown(wait=True)

    # -- the writer task ----------------------------------------------------

    async def _run(self) -> None:
        import asyncio

        loop = asyncio.get_running_loop()
        assert self._wake is not None
        last_commit = float("-inf")
        while not self._closing:
            if self.off_since is not None:  # nothing is queued while off; only a probe brings it back
                await self._probe()
                continue
            if not self._queue:
                self._wake.clear()
                await self._wake.wait()
                continue
            # Group commit: questions arriving within one interval share one thread hop and commit.
            wait = last_commit + COMMIT_INTERVAL - loop.time()
            if wait > 0 and not self._waiters:
                await asyncio.sleep(wait)
            last_commit = loop.time()
            batch = [row for _, row in list(self._queue)[:MAX_BATCH]]
            last_seq = self._queue[len(batch) - 1][0]
            try:
                await self._in_thread(self._write, batch)
            except (sqlite3.Error, OSError) as exc:
                await self._failed(exc)
                continue
            except Exception:
                log.error("question log commit failed", exc_info=True)  # a bug, not a disk error: drop the batch
            self._done(last_seq)
            if self.failing_since is not None:
                log.warning("question log writing again after %d failed attempts", self._failures)
                self.failing_since, self._failures, self.off_reason = None, 0, ""

    async def _in_thread(self, fn: Callable[..., Any], *args: Any) -> Any:
        import asyncio

        executor = self._executor
        if executor is None:
            raise OSError("question log closed")
        return await asyncio.get_running_loop().run_in_executor(executor, fn, *args)

    def _done(self, last_seq: int) -> None:
        """Rows up to ``last_seq`` are written (or given up on): take them off the queue."""
        while self._queue and self._queue[0][0] <= last_seq:
            self._queue.popleft()
        self._written = max(self._written, last_seq)
        still = []
        for target, done in self._waiters:
            if target <= self._written:
                if not done.done():
                    done.set_result(None)
            else:
                still.append((target, done))
        self._waiters = still

    async def _failed(self, exc: BaseException) -> None:
        """Keep the rows, wait, reopen; switch off only when failing has lasted."""
        import asyncio

        now = self._clock()
        self._failures += 1
        self.off_reason = _reason(exc)
        if self.failing_since is None:
            self.failing_since = now
            log.warning("question log %s cannot be written (%s): keeping questions and retrying", self.path, exc)
        if self._failures >= MIN_FAILURES and now - self.failing_since >= OFF_AFTER:
            self._switch_off(exc)
            return
        await asyncio.sleep(BACKOFF[min(self._failures, len(BACKOFF)) - 1])
        with contextlib.suppress(sqlite3.Error, OSError):
            await self._in_thread(self._reopen)

    def _switch_off(self, exc: BaseException) -> None:
        self.off_since, self.off_reason = self._clock(), _reason(exc)
        self.failing_since, self._failures = None, 0
        lost = len(self._queue)
        self._dropped += lost
        if self._queue:
            self._done(self._queue[-1][0])
        log.warning(
            "question log %s switched off (%s); %d queued rows dropped; trying again every %.0f s",
            self.path,
            exc,
            lost,
            PROBE_SECONDS,
        )

    async def _probe(self) -> None:
        import asyncio

        await asyncio.sleep(PROBE_SECONDS)
        try:
            await self._in_thread(self._reopen)
        except (sqlite3.Error, OSError):
            return
        log.warning("question log %s back on (off since %s)", self.path, self.off_since)
        self.off_since, self.off_reason = None, ""

    # -- on the writer thread -------------------------------------------------

    def _open(self) -> QuestionStore:
        assert self.path is not None
        return QuestionStore(self.path, self._retention_days, clock=self._clock, busy_timeout=self._busy_timeout)

    def _write(self, rows: list[Row]) -> None:
        if self._store is None:
            self._store = self._open()
        self._store.write(rows)

    def _reopen(self) -> None:
        self._close_store()
        self._store = self._open()

    def _close_store(self) -> None:
        store, self._store = self._store, None
        if store is not None:
            try:
                store.close()
            except sqlite3.Error as exc:
                log.warning("question log %s did not close cleanly: %s", self.path, exc)


def _reason(exc: BaseException) -> str:
    """A short reason for /stats: SQLite's own words ('database is locked'), or the OS error."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc)[:120] or exc.__class__.__name__
