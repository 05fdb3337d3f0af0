"""Load and validate faq.json into frozen dataclasses.

Nothing here knows which article it holds: every fact lives in the JSON file.
Validation collects every problem (for ``python -m bot check``); ``load`` raises
one :class:`KnowledgeError` naming the first one (file, entry id, field).
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import os
import re
import stat
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

EntryKind = Literal["answer", "not_covered"]
ENTRY_KINDS: tuple[str, ...] = ("answer", "not_covered")
# The kinds of question an entry answers ("kinds") or says the article does not give ("lacks").
QUESTION_KINDS: tuple[str, ...] = ("who", "what", "when", "where", "why", "how", "how_many", "yes_no", "opinion")
MIN_PHRASINGS = 4
HEADER_PARAGRAPH = 0  # Quote.paragraph of a quote from the page header
QUOTE_SOURCES = ("body", "header")  # where a quote's "from" says its text is
MAX_PARAGRAPH_CHARS = 3000  # a paragraph, escaped and with its heading, must fit one Telegram message (4096)
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a knowledge-base file, printable as a single line."""

    path: str
    entry_id: str | None
    field: str
    message: str

    def __str__(self) -> str:
        if not self.entry_id:
            where = "top level"
        else:  # an entry without a usable id is named by position ("#3"), its id (if any) in the message
            where = f"entry {self.entry_id}" if self.entry_id.startswith("#") else f"entry '{self.entry_id}'"
        return f"{self.path}: {where}: field '{self.field}': {self.message}"


class KnowledgeError(Exception):
    """The knowledge base cannot be used; ``problems`` says why."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        first = str(problems[0])
        more = f" (and {len(problems) - 1} more problem(s); run 'python -m bot check')" if len(problems) > 1 else ""
        super().__init__(first + more)


@dataclass(frozen=True, slots=True)
class Quote:
    text: str
    attribution: str
    speaker: str
    paragraph: int  # 1-based paragraph of the article body, derived at load time; 0: the page header

    @property
    def in_header(self) -> bool:
        """Quotes the page header (title, date line, section), not the body: for entries about the article."""
        return self.paragraph == HEADER_PARAGRAPH


@dataclass(frozen=True, slots=True)
class Entry:
    id: str
    kind: EntryKind
    topic: str
    question: str
    phrasings: tuple[str, ...]
    keywords: tuple[str, ...]
    answer: str
    quotes: tuple[Quote, ...]
    related: tuple[str, ...]
    # Who or what the entry concerns, where its quotes, attributions and question do not name it
    # (optional in faq.json; the conversation resolver reads it for "he", "they", "there").
    about: tuple[str, ...] = ()
    # Declared question kinds (QUESTION_KINDS): those the entry answers (empty: read from its
    # phrasings) and those the article does not give about its subject ("lacks": asked that way,
    # the question is not in the article, with this entry as the nearest thing).
    kinds: tuple[str, ...] = ()
    lacks: tuple[str, ...] = ()

    @property
    def covered(self) -> bool:
        """False for curated "the article doesn't say" notes."""
        return self.kind == "answer"

    @property
    def all_questions(self) -> tuple[str, ...]:
        return (self.question, *self.phrasings)


@dataclass(frozen=True, slots=True)
class Article:
    title: str
    date: dt.date
    section: str
    source_note: str
    paragraphs: tuple[str, ...]
    header: tuple[str, ...] = ()  # the page's header lines as printed (date line, place...), for header quotes

    @property
    def date_text(self) -> str:
        return f"{self.date:%B} {self.date.day}, {self.date.year}"

    @property
    def header_texts(self) -> tuple[str, ...]:
        """What a quote from the page header may quote: its lines, the title, the section and the date."""
        return (*self.header, self.title, self.section, self.date_text, f"{self.date:%A}, {self.date_text}")


@dataclass(frozen=True, slots=True)
class KnowledgeBase:
    path: Path
    article: Article
    entries: tuple[Entry, ...]
    starters: tuple[str, ...]
    synonyms: Mapping[str, tuple[str, ...]]
    by_id: Mapping[str, Entry] = field(repr=False)

    def get(self, entry_id: str) -> Entry | None:
        return self.by_id.get(entry_id)

    def starter_entries(self) -> list[Entry]:
        """The most useful first questions, for /start, inline mode and empty suggestions."""
        return [entry for entry_id in self.starters if (entry := self.by_id.get(entry_id)) is not None]

    def topics(self) -> dict[str, list[Entry]]:
        """Answerable entries grouped by topic, in file order."""
        grouped: dict[str, list[Entry]] = {}
        for entry in self.entries:
            if entry.covered:
                grouped.setdefault(entry.topic, []).append(entry)
        return grouped

    def speakers(self) -> dict[str, list[Quote]]:
        """Every speaker or source quoted, with their distinct quotes in article order."""
        grouped: dict[str, list[Quote]] = {}
        for entry in self.entries:
            for quote in entry.quotes:
                grouped.setdefault(quote.speaker, []).append(quote)
        return {name: _statements(quotes) for name, quotes in grouped.items()}


def _statements(quotes: list[Quote]) -> list[Quote]:
    """Distinct statements in article order: a quote that is part of another quote of the same
    paragraph (a sentence and a clause of it) is one statement, shown as the longer text."""

    def covered(n: int, quote: Quote) -> bool:
        return any(
            other.paragraph == quote.paragraph and quote.text in other.text and (other.text != quote.text or m < n)
            for m, other in enumerate(quotes)
            if m != n
        )

    return sorted((q for n, q in enumerate(quotes) if not covered(n, q)), key=lambda q: q.paragraph)


# ---------------------------------------------------------------------------
# Validation


class _Checker:
    """Collects problems while walking the raw JSON."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []

    def add(self, entry_id: str | None, field_name: str, message: str) -> None:
        self.problems.append(Problem(self.path, entry_id, field_name, message))

    def text(self, obj: Mapping[str, Any], key: str, entry_id: str | None, prefix: str = "") -> str:
        value = obj.get(key)
        if not isinstance(value, str) or not value.strip():
            self.add(entry_id, prefix + key, "must be a non-empty string")
            return ""
        return value

    def texts(
        self, obj: Mapping[str, Any], key: str, entry_id: str | None, *, minimum: int = 0, prefix: str = ""
    ) -> tuple[str, ...]:
        value = obj.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.add(entry_id, prefix + key, "must be a list of non-empty strings")
            return ()
        if len(value) < minimum:
            self.add(entry_id, prefix + key, f"needs at least {minimum} items, has {len(value)}")
        return tuple(value)

    def kinds(self, obj: Mapping[str, Any], key: str) -> tuple[str, ...]:
        """An optional list of question kinds. Only known ones are kept: the bot still runs on a
        file with a misspelt kind, and ``check`` names it (curation.field_problems, same QUESTION_KINDS)."""
        value = obj.get(key, [])
        if not isinstance(value, list):
            return ()
        return tuple(dict.fromkeys(v for v in value if isinstance(v, str) and v in QUESTION_KINDS))


def _char(ch: str) -> str:
    return f"{ch!r} (U+{ord(ch):04X} {unicodedata.name(ch, 'unnamed')})"


def verbatim_miss(text: str, passages: Sequence[str], labels: Sequence[str] | None = None) -> str:
    """Where a quote stops being article text: the closest passage and the first character that differs.

    The longest start of the quote found verbatim anywhere locates the passage (a binary search:
    every shorter start of a found start is found too); a quote wrong from its first words is
    located by fuzzy alignment instead."""
    labels = labels or [f"¶{n}" for n in range(1, len(passages) + 1)]
    lo, hi = 0, len(text)
    while lo < hi:  # longest k with text[:k] in some passage
        mid = (lo + hi + 1) // 2
        if any(text[:mid] in p for p in passages):
            lo = mid
        else:
            hi = mid - 1
    if lo >= min(12, len(text) // 3):
        n = next(i for i, p in enumerate(passages) if text[:lo] in p)
        start = passages[n].find(text[:lo])
    else:  # wrong from the start: show the passage sharing the longest run of text with it
        blocks = [difflib.SequenceMatcher(None, text, p, autojunk=False).find_longest_match() for p in passages]
        n = max(range(len(passages)), key=lambda i: blocks[i].size)
        start = max(0, blocks[n].b - blocks[n].a)
        segment = passages[n][start:]
        lo = next((i for i, (a, b) in enumerate(zip(text, segment, strict=False)) if a != b), len(text))
        lo = min(lo, len(text) - 1)
    passage = passages[n]
    at = start + lo
    article_char = _char(passage[at]) if at < len(passage) else "the end of the paragraph"
    seen = passage[max(start, at - 30) : at + 30]
    return (
        f"differs at character {lo + 1}: the quote has {_char(text[lo])} where {labels[n]} has {article_char}; "
        f"{labels[n]} reads {'…' if at - 30 > start else ''}{seen!r}"
    )


def _find_paragraph(text: str, paragraphs: tuple[str, ...]) -> int:
    for number, paragraph in enumerate(paragraphs, start=1):
        if text in paragraph:
            return number
    return 0


def _parse_article(raw: Any, check: _Checker) -> Article | None:
    if not isinstance(raw, dict):
        check.add(None, "article", "must be an object")
        return None
    title = check.text(raw, "title", None, "article.")
    section = check.text(raw, "section", None, "article.")
    source_note = check.text(raw, "source_note", None, "article.")
    date_text = check.text(raw, "date", None, "article.")
    date = dt.date(1970, 1, 1)
    try:
        date = dt.date.fromisoformat(date_text) if date_text else date
    except ValueError:
        check.add(None, "article.date", f"'{date_text}' is not an ISO date (YYYY-MM-DD)")
    paragraphs = raw.get("paragraphs")
    if (
        not isinstance(paragraphs, list)
        or not paragraphs
        or not all(isinstance(p, str) and p.strip() for p in paragraphs)
    ):
        check.add(None, "article.paragraphs", "must be a non-empty list of non-empty strings")
        return None
    for number, paragraph in enumerate(paragraphs, start=1):
        if len(paragraph) > MAX_PARAGRAPH_CHARS:
            check.add(
                None, f"article.paragraphs[{number - 1}]", f"longer than {MAX_PARAGRAPH_CHARS} characters: split it"
            )
    header = check.texts(raw, "header", None, prefix="article.")
    return Article(title, date, section, source_note, tuple(paragraphs), header)


def _parse_quotes(raw: Any, entry_id: str, article: Article, check: _Checker) -> tuple[Quote, ...]:
    if not isinstance(raw, list):
        check.add(entry_id, "quotes", "must be a list")
        return ()
    quotes = []
    for n, item in enumerate(raw):
        where = f"quotes[{n}]."
        if not isinstance(item, dict):
            check.add(entry_id, f"quotes[{n}]", "must be an object with text and attribution")
            continue
        text = check.text(item, "text", entry_id, where)
        attribution = check.text(item, "attribution", entry_id, where)
        speaker = item.get("speaker", attribution)
        if not isinstance(speaker, str) or not speaker.strip():
            check.add(entry_id, where + "speaker", "must be a non-empty string when given")
            speaker = attribution
        source = item.get("from", "body")
        if source not in QUOTE_SOURCES:
            check.add(entry_id, where + "from", f"must be one of {', '.join(QUOTE_SOURCES)}, got {source!r}")
            source = "body"
        if source == "header":
            paragraph = HEADER_PARAGRAPH
            if text and not any(text in line for line in article.header_texts):
                miss = verbatim_miss(text, article.header_texts, ["the header"] * len(article.header_texts))
                check.add(entry_id, where + "text", f"not verbatim in the page header: {miss}")
        else:
            paragraph = _find_paragraph(text, article.paragraphs) if text else 0
            if text and not paragraph:
                check.add(
                    entry_id,
                    where + "text",
                    "not verbatim in the article body: " + verbatim_miss(text, article.paragraphs),
                )
        quotes.append(Quote(text, attribution, speaker, paragraph))
    return tuple(quotes)


def _parse_entry(raw: Any, index: int, article: Article, check: _Checker) -> Entry | None:
    if not isinstance(raw, dict):
        check.add(f"#{index + 1}", "entry", "must be an object")
        return None
    entry_id = raw.get("id")
    if not isinstance(entry_id, str) or not _ID_RE.match(entry_id):
        given = "is missing" if entry_id is None else f"{entry_id!r}"
        check.add(
            f"#{index + 1}",
            "id",
            f"{given}: an id must be a short lowercase slug (a-z, 0-9, '-', '_'; at most 40 characters)",
        )
        return None
    kind = raw.get("kind", "answer")
    if kind not in ENTRY_KINDS:
        check.add(entry_id, "kind", f"must be one of {', '.join(ENTRY_KINDS)}")
        kind = "answer"
    topic = check.text(raw, "topic", entry_id)
    question = check.text(raw, "question", entry_id)
    answer = check.text(raw, "answer", entry_id)
    phrasings = check.texts(raw, "phrasings", entry_id, minimum=MIN_PHRASINGS)
    keywords = check.texts(raw, "keywords", entry_id)
    related = check.texts(raw, "related", entry_id)
    about = check.texts(raw, "about", entry_id)
    kinds = check.kinds(raw, "kinds")
    lacks = check.kinds(raw, "lacks")
    quotes = _parse_quotes(raw.get("quotes", []), entry_id, article, check)
    if kind == "answer" and not quotes:
        check.add(entry_id, "quotes", "an answer needs at least one verbatim quote")
    return Entry(entry_id, kind, topic, question, phrasings, keywords, answer, quotes, related, about, kinds, lacks)


def _parse_synonyms(raw: Any, check: _Checker) -> dict[str, tuple[str, ...]]:
    if raw is None:
        return {}
    if not isinstance(raw, dict) or not all(
        isinstance(k, str) and isinstance(v, list) and all(isinstance(s, str) and s.strip() for s in v)
        for k, v in raw.items()
    ):
        check.add(None, "synonyms", "must map a word to a list of words that mean the same")
        return {}
    return {k: tuple(v) for k, v in raw.items()}


def _cross_check(kb_entries: list[Entry], starters: tuple[str, ...], check: _Checker) -> None:
    seen: set[str] = set()
    for entry in kb_entries:
        if entry.id in seen:
            check.add(entry.id, "id", "duplicate id")
        seen.add(entry.id)
    for entry in kb_entries:
        for rel in entry.related:
            if rel not in seen:
                check.add(entry.id, "related", f"unknown entry id '{rel}'")
            elif rel == entry.id:
                check.add(entry.id, "related", "an entry cannot be related to itself")
    for starter in starters:
        if starter not in seen:
            check.add(None, "starters", f"unknown entry id '{starter}'")


def parse(raw: Any, path: str = "faq.json") -> tuple[KnowledgeBase | None, list[Problem]]:
    """Validate decoded JSON; return the knowledge base (if usable) and every problem found."""
    check = _Checker(path)
    if not isinstance(raw, dict):
        check.add(None, "(root)", "must be a JSON object with 'article' and 'entries'")
        return None, check.problems
    article = _parse_article(raw.get("article"), check)
    raw_entries = raw.get("entries")
    if not isinstance(raw_entries, list) or not raw_entries:
        check.add(None, "entries", "must be a non-empty list")
        return None, check.problems
    if article is None:
        return None, check.problems
    entries = [e for i, item in enumerate(raw_entries) if (e := _parse_entry(item, i, article, check))]
    starters = check.texts(raw, "starters", None)
    synonyms = _parse_synonyms(raw.get("synonyms"), check)
    _cross_check(entries, starters, check)
    if check.problems:
        return None, check.problems
    by_id = MappingProxyType({e.id: e for e in entries})
    kb = KnowledgeBase(Path(path), article, tuple(entries), starters, MappingProxyType(synonyms), by_id)
    return kb, []


MAX_FILE_BYTES = 16 * 1024 * 1024  # a knowledge base is a few hundred KB; a bigger file is a mistake


class _Unreadable(Exception):
    """Why a file is not read at all, as (field, message) of its one Problem."""


def _read_text(path: str | Path) -> str:
    """The file's text, read only if it is a regular file under MAX_FILE_BYTES: a FIFO would
    block (for ever, and a thread cannot be cancelled), a symlink to /dev/zero never ends."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise _Unreadable("(file)", "file not found") from None
    except OSError as exc:
        raise _Unreadable("(file)", f"cannot read: {exc.strerror or exc.__class__.__name__}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise _Unreadable("(file)", "not a regular file (a folder, device, pipe or socket)")
        if info.st_size > MAX_FILE_BYTES:
            raise _Unreadable("(file)", f"larger than {MAX_FILE_BYTES // 2**20} MB ({info.st_size} bytes)")
        with os.fdopen(os.dup(fd), "rb") as file:
            data = file.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise _Unreadable("(file)", f"cannot read: {exc.strerror or exc.__class__.__name__}") from None
    finally:
        os.close(fd)
    if len(data) > MAX_FILE_BYTES:  # it grew while being read
        raise _Unreadable("(file)", f"larger than {MAX_FILE_BYTES // 2**20} MB")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _Unreadable("(file)", f"not UTF-8 text (byte {exc.start}: {exc.reason})") from None


def _decode(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise _Unreadable("(json)", f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from None
    except RecursionError:
        raise _Unreadable("(json)", "invalid JSON: nested too deeply") from None
    except MemoryError:
        raise _Unreadable("(json)", "invalid JSON: too large to decode") from None


def read(path: str | Path) -> tuple[KnowledgeBase | None, list[Problem]]:
    """Read and validate a file; never raises for a bad file (each reason is one Problem)."""
    name = str(path)
    try:
        raw = _decode(_read_text(path))
    except _Unreadable as exc:
        where, message = exc.args
        return None, [Problem(name, None, where, message)]
    try:
        return parse(raw, name)
    except (RecursionError, MemoryError) as exc:
        return None, [Problem(name, None, "(json)", f"cannot be checked: {exc.__class__.__name__}")]


def read_json(path: str | Path) -> Any:
    """The decoded file for checks that read the raw JSON; None when it cannot be read."""
    try:
        return _decode(_read_text(path))
    except _Unreadable:
        return None


def load(path: str | Path) -> KnowledgeBase:
    """Load a knowledge base or raise KnowledgeError naming the first problem."""
    kb, problems = read(path)
    if kb is None:
        raise KnowledgeError(problems)
    return kb
