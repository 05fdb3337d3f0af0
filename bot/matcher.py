"""Match a free-text question to a knowledge-base entry.

Pure and deterministic: no Telegram, no I/O. Three outcomes: ``answered`` (one
clear best entry), ``ambiguous`` (two or three close candidates) and
``no_match``. Fuzzy string similarity alone cannot tell "What did X say about
Iran?" from "What did X say?", so every candidate's fuzzy score is combined
with how much of the question's content the entry actually explains, and
content words the article never uses pull the score down.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from rapidfuzz import fuzz, process

from bot.knowledge import Entry, KnowledgeBase, Problem

Status = Literal["answered", "ambiguous", "no_match"]


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Every tunable number in one place, tuned on tests/data/eval.jsonl."""

    answer: float = 62.0  # final score needed to answer
    suggest: float = 45.0  # final score needed to be offered as did-you-mean
    margin: float = 6.0  # lead over the runner-up needed to answer outright
    fuzzy_weight: float = 0.55  # share of the rapidfuzz phrasing score; the rest is content coverage
    foreign_penalty: float = 22.0  # per content word the article and the entry never use
    typo_cutoff: float = 80.0  # rapidfuzz ratio to accept a vocabulary word as a typo fix
    candidates: int = 12  # phrasings kept from the fuzzy pass
    max_query_chars: int = 500  # longer input is cut before matching (never an exception)


DEFAULT_THRESHOLDS = Thresholds()


@dataclass(frozen=True, slots=True)
class Match:
    """The outcome for one question."""

    query: str
    status: Status
    score: float
    entry: Entry | None  # the answer (or a "not covered" note) when there is one
    suggestions: tuple[Entry, ...]

    @property
    def answered(self) -> bool:
        return self.status == "answered"


# ---------------------------------------------------------------------------
# Normalisation

_TRANSLATE = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
    }
)  # fmt: skip
_NON_WORD = re.compile(r"[^\w']+|_")
_EDGE_APOSTROPHE = re.compile(r"(?<!\w)'|'(?!\w)")
_POSSESSIVE = re.compile(r"'s\b")


def normalize(text: str) -> str:
    """Fold a string to comparable form: NFKC, casefold, plain quotes and dashes, no
    zero-width or control characters, punctuation to spaces, single spaces."""
    text = unicodedata.normalize("NFKC", text).translate(_TRANSLATE).casefold()
    text = "".join(" " if unicodedata.category(ch) in ("Cc", "Zs", "Zl", "Zp") else ch for ch in text)
    text = "".join(ch for ch in text if unicodedata.category(ch) not in ("Cf", "Co", "Cs", "Cn"))
    text = _POSSESSIVE.sub("", text)
    text = _NON_WORD.sub(" ", text)
    text = _EDGE_APOSTROPHE.sub(" ", text)
    return " ".join(text.split())


# Generic English function words; article-specific vocabulary never lives here.
STOPWORDS = frozenset(
    """a about above after again against all am an and any are aren't as at be because been before being
    below between both but by can can't could couldn't did didn't do does doesn't doing don't down during each
    few for from further get got had hadn't has hasn't have haven't having he he'd he'll her here hers herself
    him himself his how i i'd i'll i'm i've if in into is isn't it it's its itself just let's like me more most
    mustn't my myself no nor not of off on once only or other ought our ours ourselves out over own same shan't
    she she'd she'll should shouldn't so some such than that that's the their theirs them themselves then there
    there's these they they'd they'll they're they've this those through to too under until up very was wasn't
    we we'd we'll we're we've were weren't what what's when when's where where's which while who who's whom why
    why's with won't would wouldn't you you'd you'll you're you've your yours yourself yourselves
    tell know please pls plz ok okay hey hi lol yeah yes ya u ur r also really actually anything something
    thing things one ones much many say says said saying tho though gonna wanna kinda sorta whats whos hows
    wheres whys im dont doesnt didnt isnt arent wasnt werent cant wont article story piece news""".split()
)
QUESTION_WORDS = frozenset("who whom whose what when where why how which".split())

_SUFFIXES = ("ations", "ation", "ments", "ment", "ings", "ing", "ies", "ied", "ers", "er", "es", "ed", "ly", "s")


def stem(word: str) -> str:
    """A deliberately light suffix stripper so 'negotiations' meets 'negotiating'."""
    if len(word) <= 4 or not word.isalpha():
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def content_words(normalized: str) -> list[str]:
    """Stemmed words that carry meaning (no stopwords), in order, without repeats."""
    seen: dict[str, None] = {}
    for word in normalized.split():
        if word not in STOPWORDS and word not in QUESTION_WORDS and len(word) > 1 or word.isdigit():
            seen.setdefault(stem(word), None)
    return list(seen)


def _words(texts: Iterable[str]) -> set[str]:
    return {w for t in texts for w in content_words(normalize(t))}


# ---------------------------------------------------------------------------
# Index


class Matcher:
    """An index over every phrasing of every entry, built once per knowledge base."""

    def __init__(self, kb: KnowledgeBase, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> None:
        self.kb = kb
        self.thresholds = thresholds
        self._synonyms = _compile_synonyms(kb)
        entries = kb.entries
        self._entries = entries
        # One fuzzy choice per phrasing, keyed by position; owner[i] is its entry.
        self._choices: list[str] = []
        self._owner: list[int] = []
        self._choice_words: list[frozenset[str]] = []
        for n, entry in enumerate(entries):
            for text in (*entry.all_questions, " ".join(entry.keywords)):
                normalized = self._canonical(normalize(text))
                if normalized:
                    self._choices.append(normalized)
                    self._owner.append(n)
                    self._choice_words.append(frozenset(content_words(normalized)))
        self._entry_words: list[frozenset[str]] = [
            frozenset(
                _words(self._canonical(normalize(t)) for t in (*e.all_questions, *e.keywords, e.answer, e.topic))
                | _words(q.text for q in e.quotes)
                | _words(q.attribution for q in e.quotes)
            )
            for e in entries
        ]
        article = kb.article
        self._article_words = frozenset(_words((*article.paragraphs, article.title, article.section)))
        self._vocabulary = sorted(self._article_words.union(*self._entry_words))
        self._vocabulary_set = frozenset(self._vocabulary)
        # Inverse document frequency over entries: rare words identify an entry.
        df: dict[str, int] = {}
        for words in self._entry_words:
            for w in words:
                df[w] = df.get(w, 0) + 1
        total = len(entries)
        self._idf = {w: math.log(1 + total / n) for w, n in df.items()}
        self._default_idf = math.log(1 + total)

    # -- query side ---------------------------------------------------------

    def _canonical(self, normalized: str) -> str:
        if self._synonyms is None:
            return normalized
        pattern, table = self._synonyms
        return pattern.sub(lambda m: table[m.group(0)], normalized)

    def _fix_typos(self, words: Sequence[str]) -> tuple[list[str], list[str]]:
        """Map unknown words to close vocabulary words; return (words, still unknown)."""
        fixed, unknown = [], []
        for word in words:
            if word in self._vocabulary_set or word.isdigit():
                fixed.append(word)
                continue
            best = None
            if len(word) >= 4:
                best = process.extractOne(
                    word, self._vocabulary, scorer=fuzz.ratio, score_cutoff=self.thresholds.typo_cutoff
                )
            if best is not None:
                fixed.append(best[0])
            else:
                fixed.append(word)
                unknown.append(word)
        return fixed, unknown

    def _weight(self, words: Iterable[str]) -> float:
        return sum(self._idf.get(w, self._default_idf) for w in words)

    def match(self, question: str) -> Match:
        t = self.thresholds
        text = question[: t.max_query_chars]
        normalized = self._canonical(normalize(text))
        words = content_words(normalized)
        if not words:
            return Match(question, "no_match", 0.0, None, ())
        words, unknown = self._fix_typos(words)
        query_words = frozenset(words)
        query_weight = self._weight(query_words)
        # Rebuild the question with fixed words so the fuzzy pass sees them too.
        fixes = {old: new for old, new in zip(content_words(normalized), words, strict=True) if old != new}
        probe = " ".join(fixes.get(stem(w), w) for w in normalized.split()) if fixes else normalized

        hits = process.extract(
            probe, self._choices, scorer=fuzz.token_set_ratio, limit=t.candidates, score_cutoff=30
        )
        hits += process.extract(probe, self._choices, scorer=fuzz.WRatio, limit=t.candidates, score_cutoff=30)
        fuzzy_best: dict[int, float] = {}
        for _choice, score, index in hits:
            owner = self._owner[index]
            fuzzy_best[owner] = max(fuzzy_best.get(owner, 0.0), float(score))
        if not fuzzy_best:
            return Match(question, "no_match", 0.0, None, ())

        scored: list[tuple[float, int]] = []
        for owner, fuzzy_score in fuzzy_best.items():
            entry_words = self._entry_words[owner]
            covered = query_words & entry_words
            coverage = self._weight(covered) / query_weight if query_weight else 0.0
            foreign = [w for w in unknown if w not in entry_words and w not in self._article_words]
            foreign += [w for w in query_words - entry_words - self._article_words if w not in unknown]
            score = t.fuzzy_weight * fuzzy_score + (1 - t.fuzzy_weight) * 100 * coverage
            score -= t.foreign_penalty * len(foreign)
            scored.append((max(0.0, min(100.0, score)), owner))
        scored.sort(key=lambda pair: (-pair[0], pair[1]))
        return self._decide(question, scored)

    def _decide(self, question: str, scored: list[tuple[float, int]]) -> Match:
        t = self.thresholds
        best_score, best = scored[0]
        runner_up = scored[1][0] if len(scored) > 1 else 0.0
        close = [self._entries[i] for s, i in scored[:3] if s >= t.suggest and best_score - s < t.margin]
        if best_score >= t.answer and best_score - runner_up >= t.margin:
            entry = self._entries[best]
            status: Status = "answered" if entry.covered else "no_match"
            return Match(question, status, round(best_score, 1), entry, ())
        if best_score >= t.suggest and len(close) >= 2:
            return Match(question, "ambiguous", round(best_score, 1), None, tuple(close))
        if best_score >= t.answer:
            entry = self._entries[best]
            status = "answered" if entry.covered else "no_match"
            return Match(question, status, round(best_score, 1), entry, ())
        return Match(question, "no_match", round(best_score, 1), None, ())


def _compile_synonyms(kb: KnowledgeBase) -> tuple[re.Pattern[str], dict[str, str]] | None:
    table: dict[str, str] = {}
    for canonical, variants in kb.synonyms.items():
        for variant in variants:
            key = normalize(variant)
            if key and key != normalize(canonical):
                table[key] = normalize(canonical)
    if not table:
        return None
    alternatives = sorted(table, key=len, reverse=True)
    pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, alternatives)) + r")\b")
    return pattern, table


def lint(kb: KnowledgeBase, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> list[Problem]:
    """Knowledge-base problems only the matcher can see: phrasings of two entries so alike
    that a question cannot tell them apart, and curated questions that miss their own entry."""
    path = str(kb.path)
    problems: list[Problem] = []
    owners: list[tuple[str, str]] = [(e.id, normalize(q)) for e in kb.entries for q in e.all_questions]
    texts = [text for _, text in owners]
    for n, (entry_id, text) in enumerate(owners):
        for _other, score, m in process.extract(text, texts, scorer=fuzz.ratio, score_cutoff=95, limit=None):
            other_id = owners[m][0]
            if m > n and other_id != entry_id:
                problems.append(
                    Problem(path, entry_id, "phrasings", f"{text!r} is near-identical ({score:.0f}) to a phrasing of '{other_id}'")
                )
    matcher = Matcher(kb, thresholds)
    for entry in kb.entries:
        result = matcher.match(entry.question)
        if result.entry is not entry:
            got = result.entry.id if result.entry else result.status
            problems.append(Problem(path, entry.id, "question", f"does not match its own entry (got {got})"))
    return problems
