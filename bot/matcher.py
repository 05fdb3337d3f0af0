"""Match a free-text question to a knowledge-base entry: the facade over the stages.

Deterministic, no Telegram. The stages, one module each:
``text`` (normalise, stems, question kind, clauses; the language as data), ``index``
(built once per knowledge base), ``scoring`` (candidates and named contributions) and
``decide`` (the cutoffs). Three outcomes: ``answered``, ``ambiguous`` and ``no_match``.
Its only I/O is the caches beside the knowledge base of what is built once per knowledge base
(``index_cache``: the index; ``semantic``: the vectors); matching itself reads nothing.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot import fitted, index_cache
from bot.decide import Cutoffs, Decision, Match, Status, decide
from bot.index import Index
from bot.knowledge import Entry, KnowledgeBase, Problem
from bot.scoring import RULES, Limits, Params, Query, Scored, Scorer, Weights, uses_semantic
from bot.semantic import SemanticIndex
from bot.semantic import build as build_semantic
from bot.text import (
    ENGLISH,
    Language,
    asking_clauses,
    content_words,
    no_dictionary,
    normalize,
    prepare,
    question_kind,
)

__all__ = [
    "RULES",
    "Cutoffs",
    "Explanation",
    "Limits",
    "Match",
    "Matcher",
    "Params",
    "Status",
    "Weights",
    "content_words",
    "lint",
    "normalize",
    "question_kind",
]


# The numbers `python -m bot calibrate` fitted (bot/fitted.json), generic across knowledge bases.
_FITTED = fitted.load()
DEFAULT_WEIGHTS, DEFAULT_PARAMS, DEFAULT_LIMITS, DEFAULT_CUTOFFS = (
    _FITTED.weights,
    _FITTED.params,
    _FITTED.limits,
    _FITTED.cutoffs,
)


@dataclass(frozen=True, slots=True)
class Explanation:
    """Why a question got its outcome: the query as read, the scored candidates, the decision."""

    query: Query
    scored: list[Scored]
    decision: Decision
    cutoffs: Cutoffs

    @property
    def match(self) -> Match:
        return self.decision.match


class Matcher:
    """An index over every phrasing of every entry, built once per knowledge base.

    ``disabled`` names rules (see ``RULES``) to switch off, for an ablation."""

    def __init__(
        self,
        kb: KnowledgeBase,
        *,
        weights: Weights = DEFAULT_WEIGHTS,
        params: Params = DEFAULT_PARAMS,
        limits: Limits = DEFAULT_LIMITS,
        cutoffs: Cutoffs = DEFAULT_CUTOFFS,
        disabled: frozenset[str] = frozenset(),
        lang: Language = ENGLISH,
        index: Index | None = None,
        semantic: SemanticIndex | bool | None = True,
    ) -> None:
        self.kb = kb
        self._lang = lang  # as given: an ablation of irregular_verbs or dictionary derives its own
        self.cutoffs = cutoffs
        self.limits = limits
        self.disabled = disabled
        synonyms = "synonyms" not in disabled
        if "irregular_verbs" in disabled:
            lang = dataclasses.replace(lang, irregular={})
        if "dictionary" in disabled:
            lang = dataclasses.replace(lang, is_word=no_dictionary)
        if "head_nouns" in disabled:
            lang = dataclasses.replace(lang, head_kinds={}, name_words=frozenset())
        if "chat_forms" in disabled:
            lang = dataclasses.replace(lang, chat_forms={})
        if "which_detail" in disabled:
            lang = dataclasses.replace(lang, detail_words=frozenset())
        reusable = index is not None and (index.kb, index.lang, index.uses_synonyms) == (kb, lang, synonyms)
        self.index = index if index is not None and reusable else index_cache.index(kb, lang, synonyms=synonyms)
        if semantic is True or (semantic and index is not None and not reusable):
            # the vectors of this index's phrasings, when any number lets them count
            semantic = build_semantic(self.index) if uses_semantic(weights, params, limits) else None
        self.semantic = semantic or None
        self.scorer = Scorer(
            self.index,
            weights=weights,
            params=params,
            limits=limits,
            cutoffs=cutoffs,
            disabled=disabled,
            semantic=self.semantic,
        )

    def without(self, *rules: str) -> Matcher:
        """The same matcher with more rules switched off (sharing the index when it can)."""
        s = self.scorer
        disabled = self.disabled | frozenset(rules)
        return Matcher(
            self.kb,
            weights=s.weights,
            params=s.params,
            limits=self.limits,
            cutoffs=self.cutoffs,
            disabled=disabled,
            lang=self._lang,
            index=self.index,
            semantic=self.semantic,
        )

    def match(self, question: str) -> Match:
        return self.explain(question).match

    def explain(self, question: str) -> Explanation:
        """The match with everything that decided it."""
        text = self._prepare(question)
        query, scored = self._scored(text)
        return Explanation(query, scored, self._decide(question, text, query, scored), self.cutoffs)

    def search(self, question: str, limit: int = 5) -> tuple[Match, list[Entry]]:
        """``match`` and the answerable entries worth offering for the question, best first
        (for inline mode), from one scoring pass."""
        text = self._prepare(question)
        query, scored = self._scored(text)
        return self._decide(question, text, query, scored).match, self._ranked(scored, limit)

    def _prepare(self, question: str) -> str:
        return prepare(question, self.index.lang, self.limits.max_query_chars)

    def _decide(self, question: str, text: str, query: Query, scored: list[Scored]) -> Decision:
        return decide(question, query, scored, self.index, self.cutoffs, self.disabled, text, self.limits)

    def _scored(self, text: str) -> tuple[Query, list[Scored]]:
        """The question scored or, when it is long, the clause that asks: in a rambling
        message ("ok so I keep hearing about X, what was Y?") the asides cost the question its match.
        Only a clause that asks may stand in for the message: an aside restating the article would
        otherwise win over a question about what the article never says."""
        query, scored = self.scorer.score(text)
        limits = self.limits
        if "clauses" in self.disabled or len(text.split()) < limits.long_question_words:
            return query, scored
        asking = list(dict.fromkeys(asking_clauses(text, self.index.lang)))[: limits.max_clauses]
        # each asking clause, and all of them together ("how many died, and which crossing was it?")
        for clause in [*asking, " ".join(asking)] if len(asking) > 1 else asking:
            if len(content_words(normalize(clause), self.index.lang)) >= limits.min_clause_words:
                clause_query, clause_scored = self.scorer.score(clause)
                if clause_scored and (not scored or clause_scored[0].total > scored[0].total):
                    query, scored = clause_query, clause_scored
        return query, scored

    def _ranked(self, scored: list[Scored], limit: int) -> list[Entry]:
        floor = self.cutoffs.suggest
        return [s.entry for s in scored if s.total >= floor and s.entry.covered][:limit]


def lint(kb: KnowledgeBase, matcher: Matcher | None = None) -> list[Problem]:
    """Knowledge-base problems only the matcher can see: phrasings of two entries so alike
    that a question cannot tell them apart, and curated questions that miss their own entry."""
    path = str(kb.path)
    problems: list[Problem] = []
    owners: list[tuple[str, str]] = [(e.id, normalize(q)) for e in kb.entries for q in e.all_questions]
    texts = [text for _, text in owners]
    for n, (entry_id, text) in enumerate(owners):
        later = texts[n + 1 :]
        for _other, score, m in process.extract(text, later, scorer=fuzz.ratio, score_cutoff=95, limit=None):
            other_id = owners[n + 1 + m][0]
            if other_id != entry_id:
                problems.append(
                    Problem(
                        path,
                        entry_id,
                        "phrasings",
                        f"{text!r} is near-identical ({score:.0f}) to a phrasing of '{other_id}'",
                    )
                )
    matcher = matcher or Matcher(kb)
    for entry in kb.entries:
        result = matcher.match(entry.question)
        if result.entry is not entry:
            got = result.entry.id if result.entry else result.status
            problems.append(Problem(path, entry.id, "question", f"does not match its own entry (got {got})"))
    return problems
