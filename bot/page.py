"""Read a scraped news page (or plain text) into its header and body, and the body into sentences.

Pure rules, no model: the page chrome this knows is that of the pages in the repo (a weather line,
the city, a date line, the title, the section fused onto the title, trailing "Check out…" lines).
Everything else is taken for the body. Every sentence is an exact slice of its paragraph, so a
quote built from it is verbatim.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

MONTHS = "January February March April May June July August September October November December".split()
_WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
_MONTH = "|".join(MONTHS)
_DATE_PATTERNS = (
    re.compile(rf"^(?:(?:{'|'.join(_WEEKDAYS)}),?\s+)?(?P<month>{_MONTH})\s+(?P<day>\d{{1,2}}),?\s+(?P<year>\d{{4}})$"),
    re.compile(rf"^(?:(?:{'|'.join(_WEEKDAYS)}),?\s+)?(?P<day>\d{{1,2}})\s+(?P<month>{_MONTH}),?\s+(?P<year>\d{{4}})$"),
    re.compile(r"^(?P<year>\d{4})-(?P<mon>\d{2})-(?P<day>\d{2})$"),
)
_WEATHER = re.compile(r"^-?\d+(?:[.,]\d+)?\s*°?\s*[CF]$")
# Lines after the body that belong to the site, not the article.
_TRAILER = re.compile(
    r"^(?:check out\b|most popular\b|related (?:articles|stories|content)\b|read more\b|share this\b|"
    r"advertisement$|subscribe\b|sign up\b|follow us\b|tags?:|more from\b|you may also like\b)",
    re.IGNORECASE,
)
_BYLINE = re.compile(r"^(?:[Bb]y|BY)\s+(?P<name>[A-Z][\w.’'-]+(?:\s+[A-Z][\w.’'-]+){0,3})$")  # "By Petra Lindholm"
MAX_PARAGRAPH = 3000  # knowledge.MAX_PARAGRAPH_CHARS: longer paragraphs are split between sentences


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of the article and where it stands."""

    text: str  # an exact slice of its paragraph
    paragraph: int  # 1-based
    index: int  # 0-based within the paragraph


@dataclass(slots=True)
class Page:
    """What the page says about itself, what it guessed and from where (for the stderr report)."""

    title: str | None = None
    date: dt.date | None = None
    date_line: str | None = None
    section: str | None = None
    place: str | None = None
    author: str | None = None
    paragraphs: list[str] = field(default_factory=list)
    header: list[str] = field(default_factory=list)  # header lines, verbatim
    notes: list[str] = field(default_factory=list)  # how each field was found


def parse_date(line: str) -> dt.date | None:
    """The date a line gives in one of ``_DATE_PATTERNS``; ``None`` for no date or an impossible one."""
    for pattern in _DATE_PATTERNS:
        m = pattern.match(line.strip())
        if m:
            parts = m.groupdict()
            month = int(parts["mon"]) if parts.get("mon") else MONTHS.index(parts["month"]) + 1
            try:
                return dt.date(int(parts["year"]), month, int(parts["day"]))
            except ValueError:
                return None
    return None


def _looks_like_title(line: str) -> bool:
    return 0 < len(line) <= 160 and not line.endswith((".", ",", ";", ":")) and len(line.split()) >= 2


def read_page(text: str) -> Page:
    """Split a page into header fields and body paragraphs, noting how each was found."""
    lines = [line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    blocks = [line for line in lines if line]  # a paragraph is one line on these pages
    page = Page()
    i = 0
    # header: weather, place, date line, title, section+title (each optional, in that order)
    while i < len(blocks) and i < 8:
        line = blocks[i]
        if _WEATHER.match(line):
            page.notes.append(f"skipped the weather line {line!r}")
        elif page.date is None and (date := parse_date(line)):
            page.date, page.date_line = date, line
            page.header.append(line)
            page.notes.append(f"date {date.isoformat()} from the line {line!r}")
        elif (byline := _BYLINE.match(line)) and page.author is None:
            page.author = byline["name"]
            page.header.append(line)
            page.notes.append(f"author {page.author!r} from the byline")
        elif page.title is not None and line.endswith(page.title) and line != page.title:
            page.section = line[: -len(page.title)].strip(" |:-–—")
            page.header.append(page.section)
            page.notes.append(f"section {page.section!r}: the word fused onto the title line {line!r}")
        elif page.title is None and page.date is not None and _looks_like_title(line):
            page.title = line
            page.header.append(line)
            page.notes.append(f"title {line!r}: the line after the date")
        elif page.date is None and page.title is None and len(line.split()) <= 4 and _looks_like_title(line + " x"):
            if i + 1 < len(blocks) and parse_date(blocks[i + 1]):  # a short line just before the date: the place
                page.place = line
                page.header.append(line)
                page.notes.append(f"place line {line!r} (kept in the header)")
            else:
                break
        else:
            break
        i += 1
    if page.title is None and i < len(blocks) and _looks_like_title(blocks[i]) and i + 1 < len(blocks):
        page.title = blocks[i]  # plain text: a headline-like first line
        page.header.append(blocks[i])
        page.notes.append(f"title {blocks[i]!r}: the first line (no page header found)")
        i += 1
        if page.date is None and i < len(blocks) and (date := parse_date(blocks[i])):
            page.date, page.date_line = date, blocks[i]
            page.header.append(blocks[i])
            page.notes.append(f"date {date.isoformat()} from the line {blocks[i]!r}")
            i += 1
        if i < len(blocks) and blocks[i].endswith(page.title) and blocks[i] != page.title:
            page.section = blocks[i][: -len(page.title)].strip(" |:-–—")
            page.header.append(page.section)
            page.notes.append(f"section {page.section!r}: fused onto the title line")
            i += 1
    body: list[str] = []
    for line in blocks[i:]:
        if _TRAILER.match(line) or (body and line in {"Most Popular Articles"}):
            page.notes.append(f"body ends before {line!r}")
            break
        body.append(line)
    page.paragraphs = [p for paragraph in body for p in _split_long(paragraph)]
    return page


def _split_long(paragraph: str) -> list[str]:
    """A paragraph longer than one message allows, cut between sentences."""
    if len(paragraph) <= MAX_PARAGRAPH:
        return [paragraph]
    parts, current = [], ""
    for sentence in split_sentences(paragraph):
        if current and len(current) + 1 + len(sentence) > MAX_PARAGRAPH:
            parts.append(current)
            current = sentence
        else:
            current = f"{current} {sentence}" if current else sentence
    return [*parts, current] if current else parts


# ---------------------------------------------------------------------------
# Sentences

_ABBREVIATIONS = frozenset(
    """mr mrs ms dr st gen sen rep gov lt col sgt capt prof jr sr inc ltd co corp no vs u.s u.k u.n a.m p.m
    e.g i.e etc mt ft approx dept est fig jan feb mar apr jun jul aug sep sept oct nov dec""".split()
)
_END = re.compile(r"[.!?]+[”’\"')\]]*(?=\s+)")
_OPENERS = "“‘\"'(["


def split_sentences(paragraph: str) -> list[str]:
    """Sentences as exact slices: a full stop ends one unless it follows an abbreviation or an
    initial, is inside a quotation, or the next word starts in lower case."""
    sentences, start = [], 0
    for m in _END.finditer(paragraph):
        end = m.end()
        rest = paragraph[end:].lstrip()
        if not rest or not (rest[0].isupper() or rest[0].isdigit() or rest[0] in _OPENERS):
            continue
        before = paragraph[start : m.start()].split()
        last = before[-1].casefold().strip(_OPENERS) if before else ""
        if m.group().startswith(".") and (last in _ABBREVIATIONS or (len(last) == 1 and last.isalpha())):
            continue
        chunk = paragraph[start:end]
        if _open_quote(chunk):  # "…equipment. We are against…," Quillan said: one sentence
            continue
        sentences.append(chunk.strip())
        start = end
    tail = paragraph[start:].strip()
    if tail:
        sentences.append(tail)
    return sentences


def _open_quote(text: str) -> bool:
    return text.count("“") > text.count("”") or text.count('"') % 2 == 1


def sentences(paragraphs: list[str]) -> list[Sentence]:
    """Every sentence of the paragraphs, each an exact slice of its paragraph, in order."""
    return [
        Sentence(text, number, n)
        for number, paragraph in enumerate(paragraphs, start=1)
        for n, text in enumerate(split_sentences(paragraph))
    ]
