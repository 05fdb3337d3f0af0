"""An entry as faq.json writes it: ids, quotes and the entry dict the other stages fill."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from bot.matcher import normalize
from bot.page import Sentence
from bot.text import ENGLISH


def _slug(text: str, taken: set[str]) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = [w for w in re.findall(r"[a-z0-9]+", ascii_text.casefold()) if w not in ENGLISH.stopwords]
    base = "-".join(words[:5])[:36].strip("-") or "entry"
    slug, n = base, 2
    while slug in taken:
        slug = f"{base[:33]}-{n}"
        n += 1
    taken.add(slug)
    return slug


def _quote(sentence: Sentence, attribution: str, speaker: str) -> dict[str, str]:
    quote = {"text": sentence.text, "attribution": attribution}
    if speaker != attribution:
        quote["speaker"] = speaker
    return quote


def _entry(
    entry_id: str,
    topic: str,
    question: str,
    phrasings: Iterable[str],
    answer: str,
    quotes: list[dict[str, str]],
    *,
    kind: str = "answer",
    keywords: Iterable[str] = (),
    about: Iterable[str] = (),
    kinds: Iterable[str] = (),
    lacks: Iterable[str] = (),
) -> dict[str, Any]:
    entry: dict[str, Any] = {"id": entry_id}
    if kind != "answer":
        entry["kind"] = kind
    entry.update(
        topic=topic,
        question=question,
        phrasings=_unique(p for p in phrasings if p.strip()),
        keywords=_unique(keywords),
        answer=answer,
        quotes=quotes,
        related=[],
    )
    if about:
        entry["about"] = _unique(about)
    if kinds:
        entry["kinds"] = list(dict.fromkeys(kinds))
    if lacks:
        entry["lacks"] = list(dict.fromkeys(lacks))
    return entry


def _note(
    entry_id: str,
    question: str,
    phrasings: Iterable[str],
    answer: str,
    quotes: list[dict[str, str]],
    *,
    keywords: Iterable[str] = (),
    about: Iterable[str] = (),
) -> dict[str, Any]:
    """A "not in the article" note: every drafted note has the same topic and kind."""
    topic = "Not in the article"
    return _entry(
        entry_id, topic, question, phrasings, answer, quotes, kind="not_covered", keywords=keywords, about=about
    )


def _unique(texts: Iterable[str]) -> list[str]:
    seen: dict[str, str] = {}
    for text in texts:
        text = " ".join(text.split())
        key = normalize(text)
        if key and key not in seen:
            seen[key] = text
    return list(seen.values())
