"""The curator's checks behind ``python -m bot check``, beyond what loading needs.

Loading (``knowledge.parse``) refuses what the bot cannot use. These checks find what it can use
but a curator did not mean: a misspelt field name whose data is silently dropped, a phrasing
that reaches another entry, a synonym that rewrites an ordinary word. Pure: the caller reads files.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from rapidfuzz.distance import OSA

from bot.knowledge import QUESTION_KINDS, KnowledgeBase, Problem
from bot.matcher import Matcher
from bot.text import ENGLISH

# Every field faq.json may hold (faq.schema.json says the same; a test keeps them in step).
TOP_FIELDS = frozenset(("$schema", "article", "starters", "synonyms", "entries"))
ARTICLE_FIELDS = frozenset(("title", "date", "section", "source_note", "paragraphs", "header"))
ENTRY_FIELDS = frozenset(
    (
        "id",
        "kind",
        "topic",
        "question",
        "phrasings",
        "keywords",
        "answer",
        "quotes",
        "related",
        "kinds",
        "lacks",
        "about",
    )
)
QUOTE_FIELDS = frozenset(("text", "attribution", "speaker", "from"))
COMMON_WORD_FREQUENCY = 1000  # occurrences in the spelling dictionary's corpus from which a word is ordinary


def _nearest(name: str, valid: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, sorted(valid), n=1, cutoff=0.6)
    return f": did you mean `{close[0]}`?" if close else f" (known fields: {', '.join(sorted(valid))})"


def _entry_label(raw: Mapping[str, Any], index: int) -> str:
    entry_id = raw.get("id")
    return entry_id if isinstance(entry_id, str) and entry_id else f"#{index + 1}"


def field_problems(raw: Any, path: str) -> list[Problem]:
    """Field names no reader knows (their data would be dropped without a word), and the values of
    the optional question-kind fields. Names starting with "_" are comments and never reported."""
    problems: list[Problem] = []
    if not isinstance(raw, dict):
        return problems

    def unknown(obj: Any, valid: frozenset[str], entry_id: str | None, prefix: str) -> None:
        if not isinstance(obj, dict):
            return
        for name in obj:
            if isinstance(name, str) and name not in valid and not name.startswith("_"):
                problems.append(Problem(path, entry_id, prefix + name, "unknown field" + _nearest(name, valid)))

    unknown(raw, TOP_FIELDS, None, "")
    unknown(raw.get("article"), ARTICLE_FIELDS, None, "article.")
    entries = raw.get("entries")
    for index, entry in enumerate(entries if isinstance(entries, list) else []):
        if not isinstance(entry, dict):
            continue
        label = _entry_label(entry, index)
        unknown(entry, ENTRY_FIELDS, label, "")
        quotes = entry.get("quotes")
        for n, quote in enumerate(quotes if isinstance(quotes, list) else []):
            unknown(quote, QUOTE_FIELDS, label, f"quotes[{n}].")
        for key in ("kinds", "lacks"):
            if key not in entry:
                continue
            value = entry[key]
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                problems.append(Problem(path, label, key, f"must be a list of: {', '.join(QUESTION_KINDS)}"))
                continue
            for v in value:
                if v not in QUESTION_KINDS:
                    problems.append(Problem(path, label, key, f"unknown question kind {v!r}" + _kind_hint(v)))
        about = entry.get("about")
        if about is not None and (
            not isinstance(about, list) or not all(isinstance(v, str) and v.strip() for v in about)
        ):
            problems.append(Problem(path, label, "about", "must be a list of names (people, organisations, places)"))
    return problems


def _kind_hint(value: str) -> str:
    close = difflib.get_close_matches(value.replace(" ", "_").replace("-", "_"), QUESTION_KINDS, n=1, cutoff=0.5)
    return f": did you mean `{close[0]}`?" if close else f" (one of {', '.join(QUESTION_KINDS)})"


def phrasing_problems(kb: KnowledgeBase, matcher: Matcher) -> list[Problem]:
    """Every phrasing that does not reach its own entry, naming the entry (or entries) it reaches,
    and every phrasing of an answer that reaches it only to be turned away as not in the article
    (a lacks or answer rule reads the phrasing as asking what the answer does not give).
    (The main question is checked by ``matcher.lint``.)"""
    path = str(kb.path)
    problems: list[Problem] = []
    for entry in kb.entries:
        for n, phrasing in enumerate(entry.phrasings):
            match = matcher.match(phrasing)
            if match.entry is entry and (match.status == "answered" or not entry.covered):
                continue
            if match.entry is entry:
                got = "reaches its entry but is turned away as not in the article (ask --explain says which rule)"
            elif match.entry is not None:
                got = f"reaches '{match.entry.id}' instead"
            elif match.status == "ambiguous":
                got = "is ambiguous between " + ", ".join(f"'{e.id}'" for e in match.suggestions)
            else:
                got = "reaches nothing (not in the article)"
            problems.append(Problem(path, entry.id, f"phrasings[{n}]", f"{phrasing!r} {got}"))
    return problems


@lru_cache(maxsize=1)
def _word_frequency() -> Any:
    from spellchecker import SpellChecker  # a spelling dictionary with word frequencies, loaded only by check

    return SpellChecker(distance=1).word_frequency


def synonym_variant_problems(table: Mapping[str, Iterable[str]]) -> set[tuple[str, str]]:
    """(key, variant) pairs where the variant is spelt like a typo of its key but is an ordinary
    word of its own ("dead" for "deal"): every question that means "dead" would be read as "deal"."""
    frequency = _word_frequency()
    flagged: set[tuple[str, str]] = set()
    for canonical, variants in table.items():
        targets = canonical.casefold().split()
        for variant in variants:
            word = variant.casefold().strip()
            if not word.isalpha() or len(word) < 3 or word in targets:
                continue
            near = [t for t in targets if OSA.distance(word, t) <= (1 if len(t) < 6 else 2)]
            inflection = any(word.startswith(t) or t.startswith(word) or ENGLISH.same_word(word, t) for t in near)
            if near and not inflection and frequency[word] >= COMMON_WORD_FREQUENCY:
                flagged.add((canonical, variant))
    return flagged


def synonym_problems(kb: KnowledgeBase) -> list[Problem]:
    """``synonym_variant_problems`` of a knowledge base, one line each."""
    path = str(kb.path)
    return [
        Problem(
            path,
            None,
            f"synonyms.{canonical}",
            f"{variant!r} is a correctly spelt word of its own, not a misspelling of {canonical!r}: "
            f"every question saying {variant!r} would be read as {canonical!r}",
        )
        for canonical, variant in sorted(synonym_variant_problems(kb.synonyms))
    ]


def check(raw: Any, kb: KnowledgeBase, matcher: Matcher | None = None) -> list[Problem]:
    """Everything ``python -m bot check`` reports for a knowledge base that loads."""
    matcher = matcher or Matcher(kb)
    path = str(kb.path)
    return [*field_problems(raw, path), *phrasing_problems(kb, matcher), *synonym_problems(kb)]
