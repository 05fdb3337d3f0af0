"""The curator's to-do list, read from the question log.

Pure functions over a read-only view of the database plus a Matcher: which questions the
knowledge base could not answer (grouped by wording, with the nearest entry to extend),
which entries people ask about and vote on, and which entries they cannot tell apart.
Reading uses ``mode=ro`` inside one snapshot, so it never blocks or disturbs the bot's writer.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from dataclasses import asdict, dataclass
from datetime import datetime
from itertools import combinations
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process

from bot.matcher import Matcher
from bot.questionlog import timestamp

SIMILAR = 70  # token_set_ratio at which two wordings count as the same question
TOP_ENTRIES = 10
SHOWN = 20  # clusters, entries and pairs listed by the text and Markdown renderers
WORDINGS_SHOWN = 3


@dataclass(frozen=True, slots=True)
class Cluster:
    """Similar wordings of one question the bot could not answer outright."""

    example: str  # the most asked wording
    count: int
    wordings: tuple[str, ...]  # every distinct wording, most asked first
    nearest_id: str | None  # the entry to extend, or None when nothing is close
    nearest_question: str | None
    nearest_score: float


@dataclass(frozen=True, slots=True)
class EntryCount:
    entry_id: str
    question: str
    count: int


@dataclass(frozen=True, slots=True)
class Votes:
    entry_id: str
    question: str
    up: int
    down: int


@dataclass(frozen=True, slots=True)
class Pair:
    """Two entries offered together as did-you-mean ``count`` times."""

    first: str
    second: str
    count: int


@dataclass(frozen=True, slots=True)
class KnowledgeBaseRows:
    """Rows from one version of a knowledge base (title and hash None: older than the log knowing it)."""

    title: str | None
    hash: str | None
    questions: int

    def __str__(self) -> str:
        if self.title is None:
            return f"{self.questions} from before the log recorded its knowledge base"
        return f"{self.questions} from “{self.title}” ({self.hash})"


@dataclass(frozen=True, slots=True)
class Report:
    db_path: str
    since: datetime | None
    first: str | None  # earliest question in the period (UTC ISO-8601)
    last: str | None
    questions: int
    answered: int
    unanswered: tuple[Cluster, ...]  # no_match: add an entry or a phrasing
    ambiguous: tuple[Cluster, ...]  # did-you-mean: sharpen the phrasings
    top_entries: tuple[EntryCount, ...]
    votes: tuple[Votes, ...]  # most 👎 first
    confused: tuple[Pair, ...]
    knowledge_bases: tuple[KnowledgeBaseRows, ...] = ()  # whose rows were counted, newest first
    every_kb: bool = False
    note: str | None = None  # why the report is empty, when it is

    @property
    def answered_share(self) -> float:
        return self.answered / self.questions if self.questions else 0.0


# ---------------------------------------------------------------------------
# Building


def build_report(
    db_path: Path | str,
    matcher: Matcher,
    since: datetime | None = None,
    *,
    every_kb: bool = False,
    inline: bool = False,
) -> Report:
    """Read the log (never writing to it) and turn it into the curator's to-do list: for the
    matcher's knowledge base (any version of it: same title) unless ``every_kb``; inline queries
    are kept out of the unanswered and ambiguous lists unless ``inline``."""
    path = Path(db_path)

    def empty(note: str) -> Report:
        return Report(str(path), since, None, None, 0, 0, (), (), (), (), (), note=note)

    if not path.is_file():
        return empty(f"no question log at {path} yet (nothing asked, or QUESTION_LOG=off)")
    cutoff = timestamp(since) if since else ""
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=5, isolation_level=None)
    except sqlite3.Error as exc:
        return empty(f"cannot open {path}: {exc}")
    try:
        conn.execute("BEGIN")  # one snapshot, so every figure counts the same rows
        rows = _read(conn, cutoff, None if every_kb else matcher.kb.article.title, inline)
    except sqlite3.Error as exc:
        return empty(f"cannot read {path}: {exc}")
    finally:
        conn.close()
    (questions, answered, first, last), unanswered, ambiguous, top, votes, candidates, sources = rows
    kb = matcher.kb

    def title(entry_id: str) -> str:
        entry = kb.get(entry_id)
        return entry.question if entry else "(no longer in the knowledge base)"

    pairs: Counter[tuple[str, str]] = Counter()
    for ids, n in candidates:
        for pair in combinations(sorted(set(ids.split(","))), 2):
            pairs[pair] += n
    return Report(
        db_path=str(path),
        since=since,
        first=first,
        last=last,
        questions=questions,
        answered=answered or 0,
        unanswered=_clusters(dict(unanswered), matcher),
        ambiguous=_clusters(dict(ambiguous), matcher),
        top_entries=tuple(EntryCount(i, title(i), n) for i, n in top),
        votes=tuple(Votes(i, title(i), up, down) for i, up, down in sorted(votes, key=lambda v: (-v[2], -v[1], v[0]))),
        confused=tuple(Pair(a, b, n) for (a, b), n in sorted(pairs.items(), key=lambda kv: (-kv[1], kv[0]))),
        knowledge_bases=tuple(KnowledgeBaseRows(t, h, n) for t, h, n, _ in sources),
        every_kb=every_kb,
    )


def _read(conn: sqlite3.Connection, cutoff: str, title: str | None, inline: bool) -> tuple[Any, ...]:
    """Every figure in one snapshot. ``title``: only rows of that knowledge base (and rows from
    before the log recorded one); ``inline``: inline queries also in the unanswered lists."""
    kb_known = "kb_title" in {row[1] for row in conn.execute("PRAGMA table_info(questions)")}  # a v1 file
    kb_filter = " AND (kb_title = ? OR kb_title IS NULL)" if title is not None and kb_known else ""
    head = (cutoff, title or "") if kb_filter else (cutoff,)

    def rows(table: str, select: str, rest: str = "", *params: str) -> list[Any]:
        sql = f"SELECT {select} FROM {table} WHERE ts >= ?{kb_filter}{rest}"
        return conn.execute(sql, (*head, *params)).fetchall()

    lists = "" if inline else " AND channel != 'inline'"
    by_status = f" AND status = ?{lists} GROUP BY question"
    sources = (
        rows("questions", "kb_title, kb_hash, COUNT(*), MAX(ts)", " GROUP BY kb_title, kb_hash ORDER BY MAX(ts) DESC")
        if kb_known
        else []
    )
    return (
        rows("questions", "COUNT(*), SUM(status = 'answered'), MIN(ts), MAX(ts)")[0],
        rows("questions", "question, COUNT(*)", by_status, "no_match"),
        rows("questions", "question, COUNT(*)", by_status, "ambiguous"),
        rows(
            "questions",
            "entry_id, COUNT(*) AS n",
            " AND status = 'answered' AND entry_id IS NOT NULL"
            f" GROUP BY entry_id ORDER BY n DESC, entry_id LIMIT {TOP_ENTRIES}",
        ),
        rows("feedback", "entry_id, SUM(vote > 0), SUM(vote < 0)", " GROUP BY entry_id"),
        rows(
            "questions",
            "candidates, COUNT(*)",
            " AND status = 'ambiguous' AND candidates IS NOT NULL GROUP BY candidates",
        ),
        sources,
    )


def _clusters(counts: dict[str, int], matcher: Matcher) -> tuple[Cluster, ...]:
    """Greedy grouping: each wording, most asked first, joins the first cluster whose leading
    wording it resembles, else starts its own. Linear in clusters per wording, no numpy."""
    leaders: list[str] = []
    groups: list[list[str]] = []
    for text in sorted(counts, key=lambda t: (-counts[t], t)):
        hit = process.extractOne(text, leaders, scorer=fuzz.token_set_ratio, score_cutoff=SIMILAR)
        if hit is None:
            leaders.append(text)
            groups.append([text])
        else:
            groups[hit[2]].append(text)
    clusters = []
    for wordings in groups:
        match = matcher.match(wordings[0])
        nearest = match.entry or (match.suggestions[0] if match.suggestions else None)
        clusters.append(
            Cluster(
                example=wordings[0],
                count=sum(counts[w] for w in wordings),
                wordings=tuple(wordings),
                nearest_id=nearest.id if nearest else None,
                nearest_question=nearest.question if nearest else None,
                nearest_score=match.score if nearest else 0.0,
            )
        )
    return tuple(sorted(clusters, key=lambda c: (-c.count, c.example)))


# ---------------------------------------------------------------------------
# Rendering


def _period(report: Report) -> str:
    since = f"since {timestamp(report.since)}" if report.since else "all time"
    seen = f"questions from {report.first} to {report.last}" if report.first else "no questions"
    return f"{since} ({seen})"


def _scope(report: Report) -> str:
    return "every one, --all" if report.every_kb else "this one and its earlier versions; --all for every one"


def _nearest(cluster: Cluster) -> str:
    if cluster.nearest_id is None:
        return "no entry is close"
    return f"nearest: {cluster.nearest_id} “{cluster.nearest_question}” ({cluster.nearest_score:.0f})"


def to_text(report: Report) -> str:
    """Plain text for a terminal."""
    lines = [f"Question log {report.db_path}", f"Period: {_period(report)}"]
    if report.note:
        lines.append(f"Note: {report.note}")
    lines.append(f"Questions: {report.questions}, answered {report.answered} ({report.answered_share:.0%})")
    lines.append(f"Knowledge bases ({_scope(report)}): " + ("; ".join(map(str, report.knowledge_bases)) or "none"))
    for heading, clusters in (
        ("Unanswered — add an entry or a phrasing", report.unanswered),
        ("Ambiguous — sharpen the phrasings", report.ambiguous),
    ):
        lines += ["", f"{heading} ({len(clusters)} clusters):"]
        for c in clusters[:SHOWN]:
            lines.append(f"  {c.count:>5}×  {c.example}  — {_nearest(c)}")
            if len(c.wordings) > 1:
                lines.append(f"          also: {'; '.join(c.wordings[1 : 1 + WORDINGS_SHOWN])}")
    lines += ["", "Most asked entries:"]
    lines += [f"  {e.count:>5}×  {e.entry_id} — {e.question}" for e in report.top_entries[:SHOWN]]
    lines += ["", "Feedback (👎 down, 👍 up):"]
    lines += [f"  👎 {v.down:>4}  👍 {v.up:>4}  {v.entry_id} — {v.question}" for v in report.votes[:SHOWN]]
    lines += ["", "Often confused (offered together as did-you-mean):"]
    lines += [f"  {p.count:>5}×  {p.first} ↔ {p.second}" for p in report.confused[:SHOWN]]
    return "\n".join(lines)


def to_json(report: Report) -> dict[str, Any]:
    """Everything, JSON-serialisable (the renderers' limits do not apply)."""
    data = asdict(report)
    data["since"] = timestamp(report.since) if report.since else None
    data["answered_share"] = round(report.answered_share, 4)
    return data


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def to_markdown(report: Report) -> str:
    """A Markdown page, e.g. for an issue or a pull request that updates faq.json."""
    out = [
        "# Question log report",
        "",
        f"- Period: {_period(report)}",
        f"- Questions: **{report.questions}**, answered **{report.answered}** ({report.answered_share:.0%})",
    ]
    out.append(f"- Knowledge bases ({_scope(report)}): " + _cell("; ".join(map(str, report.knowledge_bases)) or "none"))
    if report.note:
        out.append(f"- Note: {_cell(report.note)}")
    for heading, clusters in (("Unanswered", report.unanswered), ("Ambiguous", report.ambiguous)):
        out += ["", f"## {heading} ({len(clusters)} clusters)", ""]
        out += ["| Count | Question | Also asked as | Nearest entry |", "|---:|---|---|---|"]
        for c in clusters[:SHOWN]:
            also = "; ".join(c.wordings[1 : 1 + WORDINGS_SHOWN])
            nearest = f"{_cell(c.nearest_id)} ({c.nearest_score:.0f})" if c.nearest_id else "—"
            out.append(f"| {c.count} | {_cell(c.example)} | {_cell(also)} | {nearest} |")
    out += ["", "## Most asked entries", "", "| Count | Entry | Question |", "|---:|---|---|"]
    out += [f"| {e.count} | {_cell(e.entry_id)} | {_cell(e.question)} |" for e in report.top_entries[:SHOWN]]
    out += ["", "## Feedback", "", "| 👎 | 👍 | Entry | Question |", "|---:|---:|---|---|"]
    out += [f"| {v.down} | {v.up} | {_cell(v.entry_id)} | {_cell(v.question)} |" for v in report.votes[:SHOWN]]
    out += ["", "## Often confused", "", "| Count | Entries |", "|---:|---|"]
    out += [f"| {p.count} | {_cell(p.first)} ↔ {_cell(p.second)} |" for p in report.confused[:SHOWN]]
    return "\n".join(out) + "\n"
