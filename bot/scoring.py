"""Scoring: read a question against the index, shortlist candidate entries, and score each
as a sum of named, signed contributions.

``total = Σ weight[name] × contribution(name)``: every rule below is one function and one
weight in :class:`Weights`, and ``Scored.parts`` keeps each weighted term so ``--explain``
shows which rule decided. A rule can be switched off by name (``disabled``) for an ablation.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from typing import TYPE_CHECKING

from rapidfuzz import fuzz, process

from bot.index import EntryRecord, Index
from bot.knowledge import Entry
from bot.semantic import QueryVectors, SemanticIndex, vocabulary_of
from bot.text import (
    NOTE_KINDS,
    WHAT,
    WHERE,
    YES_NO,
    answer_demand,
    asked_focus,
    asks_age,
    asks_others,
    chat_to_words,
    content_words,
    normalize,
    question_kind,
    said_asked,
    speaker_asked,
    written_as_names,
)

if TYPE_CHECKING:
    from bot.decide import Cutoffs
    from bot.semantic import Vectors


@dataclass(frozen=True, slots=True)
class Weights:
    """How much each named contribution counts. Adding a rule: a function in CONTRIBUTIONS and a field here."""

    fuzzy: float = 0.7  # the best phrasing's fuzzy similarity, 0-100
    coverage: float = 0.3  # the idf-weighted share of the question's content the entry explains, 0-100
    foreign: float = 18.0  # per content word neither the article nor the entry uses
    unexplained: float = 8.0  # per content word the article uses elsewhere but the entry never does, by its idf
    kind: float = 15.0  # the entry is never asked with the question's question word
    note_penalty: float = 10.0  # a note asked only in the article's own words is probably a question it answers
    # The semantic contributions are evidence on top of the lexical score (fuzzy + coverage, whose
    # weights sum to 1), signed around Params.semantic_neutral: without a model they are 0 and the
    # score is the lexical one, on the same scale.
    semantic: float = 0.0  # embedding closeness of the question to the entry's closest phrasing, -100..100
    semantic_evidence: float = 0.0  # embedding closeness to the entry's answer or closest quote, -100..100
    semantic_lead: float = 0.0  # how clearly the entry is the closest in meaning of all, 0-100


@dataclass(frozen=True, slots=True)
class Params:
    """Numbers inside the contributions (not weights of their own)."""

    content_view: float = 0.6  # share of the content-word view in the fuzzy score (rest: whole wording)
    answer_word_share: float = 0.45  # coverage credit for a word found only in an entry's answer or quotes
    # Meaning may vouch for an entry despite a question word neither the article nor the entry uses
    # when that word's closest word in the entry's own text is this near in meaning (cosine; > 1: never)...
    familiar: float = 2.0
    unfamiliar: float = 0.4  # ...and not when it is this far; in between, partly (below any familiar the fit tries)
    # ...and wholly when the article word closest to it of all is one of the entry's own, at least this near
    # ("conciliator": "mediator" at 0.39, in the mediator's entry); > 1: never
    neighbour: float = 0.35
    lead_span: float = 0.1  # a lead in cosine over the runner-up entry this large is a clear lead
    semantic_neutral: float = 0.5  # a cosine this high is no evidence either way (above it adds, below subtracts)


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds on the work one message costs."""

    candidates: int = 32  # phrasings kept from the wording shortlist (and sharing the rarest word)
    wording_cutoff: float = 30.0  # a phrasing whose wording is further than this is not shortlisted
    max_query_chars: int = 500  # longer input is cut before matching (never an exception)
    long_question_words: int = 14  # from this many words on, each clause is also matched on its own
    min_clause_words: int = 2  # content words a clause needs to stand in for the message
    max_clauses: int = 3  # asking clauses of a long message scored on their own (63 of 64 long probes have <= 3)
    max_repairs: int = 6  # distinct unknown words typo-repaired per message (each is a search of the vocabulary)
    max_script_letters: int = 200  # letters read to tell the message's alphabet
    semantic_candidates: int = 0  # phrasings closest by embedding shortlisted too (they may share no word)
    quoted_words: int = 4  # content words "who said X?" needs in X to be looked for in the quotes...
    quoted_share: float = 0.75  # ...and the share of them one quoted sentence must say


@dataclass(frozen=True, slots=True)
class Query:
    """A question as the scorer reads it."""

    text: str  # what was asked (cut to the limit)
    probe: str  # normalised, synonyms applied, typos repaired: the wording compared with phrasings
    stems: frozenset[str]  # its content stems
    kind: str | None  # who / when / where / why / how many / how
    weight: float  # summed idf of its stems
    vectors: QueryVectors | None = None  # its embedding cosines with the knowledge base, when there is a model
    normalized: str = ""  # normalised with synonyms applied, before typo repair (nothing dropped yet)
    demand: str | None = None  # what an answer's text must hold: a number, a time or a name
    words: frozenset[str] = frozenset()  # its words as asked and as repaired (what it already says)
    speaker: frozenset[str] = frozenset()  # whose own words it asks for ("what did Burns say": burns)
    named: frozenset[str] = frozenset()  # its words written as names ("did Egypt help?": egypt)
    focus: tuple[str, ...] = ()  # the thing whose identity it asks ("which two shipping companies…")
    age: bool = False  # it asks a person's age ("how old is he?"): a date gives none (``text.asks_age``)
    which: bool = False  # ...asked with "which" (what describes the thing may answer), not for its name
    others: bool = False  # it asks for more things than one ("what other strikes…"; ``text.asks_others``)
    said: str = ""  # the words it asks who said ("who said forty minutes … ?"; ``text.said_asked``)


@dataclass(frozen=True, slots=True)
class Candidate:
    """One shortlisted entry and the best fuzzy score of its phrasings."""

    record: EntryRecord
    fuzzy: float  # 0-100, blended content and wording views of its best phrasing


@dataclass(frozen=True, slots=True)
class Scored:
    """An entry's score for one question and the named, weighted terms it is the sum of."""

    entry: Entry
    total: float
    parts: dict[str, float] = field(default_factory=dict)
    position: int = 0  # the entry's place in the knowledge base (ties go to the earlier entry)
    similarity: float = 0.0  # its best phrasing's fuzzy similarity to the question, 0-100 (before weighting)


# ---------------------------------------------------------------------------
# Reading the question


def analyse(index: Index, question: str, disabled: frozenset[str] = frozenset(), limits: Limits | None = None) -> Query:
    """The question with synonyms applied and typos repaired, and its content stems."""
    lang = index.lang
    text = question[: (limits or Limits()).max_query_chars]
    normalized = normalize(text)
    normalized = chat_to_words(normalized, lang)  # as the index reads curated text
    if "synonyms" not in disabled:
        normalized = index.canonical(normalized)
    tokens, stems = [], []
    repairs: dict[str, str | None] = {}  # a repeated word is repaired once, and only so many words are
    max_repairs = (limits or Limits()).max_repairs
    for word in normalized.split():
        if index.is_function_word(word):
            tokens.append(word)
            continue
        if "typo_repair" not in disabled and not index.knows(word) and not word.isdigit():
            if word not in repairs:
                repairs[word] = index.repair(word) if len(repairs) < max_repairs else None
            repaired = repairs[word]
            if repaired is not None and index.is_function_word(repaired):
                continue  # a misspelt function word ("pleaze") is dropped, not turned into noise
            if repaired is not None:
                word = repaired if "synonyms" in disabled else index.canonical(repaired)
        tokens.append(word)
        if len(word) > 1 or word.isdigit():
            stems.append(lang.stem_of(word))
    probe = " ".join(tokens)
    query_stems = frozenset(stems)
    focus, which = asked_focus(probe, lang)
    kind = question_kind(probe, lang)
    return Query(
        text,
        probe,
        query_stems,
        kind,
        index.weight(query_stems),
        normalized=normalized,
        demand=answer_demand(probe, lang),
        words=frozenset((*normalized.split(), *tokens)),
        speaker=speaker_asked(probe, lang),
        named=written_as_names(text),
        focus=focus,
        which=which,
        said=said_asked(probe, lang),
        others=asks_others(probe, lang),
        age=asks_age(probe, written_as_names(text) | index.name_words, lang),
    )


# ---------------------------------------------------------------------------
# Candidates


def candidates(
    index: Index, query: Query, params: Params, limits: Limits, disabled: frozenset[str] = frozenset()
) -> list[Candidate]:
    """Entries with a phrasing that shares a (repaired) content stem with the question.

    Retrieve, then rerank: the inverted index finds the phrasings sharing a stem, the cheap
    whole-wording ratio keeps the closest few, and only those get both views, blended."""
    sharing = sorted({i for w in query.stems for i in index.phrasings_with.get(w, ())})
    hits = process.extract(
        query.probe,
        [index.wordings[i] for i in sharing],
        scorer=fuzz.ratio,
        limit=limits.candidates,
        score_cutoff=limits.wording_cutoff,
    )
    wording = {sharing[n]: score for _, score, n in hits}
    shortlist: set[int] = {*wording}
    if "rarest_word" not in disabled:
        # Character similarity favours long common words; the phrasings that share the
        # question's rarest word ("rearm") are scored too.
        rarest = max(sorted(query.stems), key=lambda w: index.idf.get(w, 0.0))
        shortlist |= {*index.phrasings_with.get(rarest, ())[: limits.candidates]}
    if query.vectors is not None and limits.semantic_candidates and "semantic_candidates" not in disabled:
        # Retrieval by meaning: the phrasings closest to the question's embedding, word shared or not.
        shortlist |= set(query.vectors.phrasings.argsort()[-limits.semantic_candidates :].tolist())
    stems = " ".join(sorted(query.stems))
    best: dict[int, float] = {}
    for i in {*wording, *shortlist}:
        phrasing = index.phrasings[i]
        content_score = fuzz.token_set_ratio(stems, phrasing.stems)
        wording_score = wording.get(i)
        if wording_score is None:
            wording_score = fuzz.ratio(query.probe, phrasing.text)
        blended = params.content_view * content_score + (1 - params.content_view) * wording_score
        best[phrasing.owner] = max(best.get(phrasing.owner, 0.0), blended)
    if query.said and "quoted_words" not in disabled:
        for owner, score in _quoting(index, query, params, limits).items():
            best[owner] = max(best.get(owner, 0.0), score)
    return [Candidate(index.records[owner], score) for owner, score in best.items()]


def _quoting(index: Index, query: Query, params: Params, limits: Limits) -> dict[int, float]:
    """For "who said X?", the entries one of whose quoted sentences says most of X's content words
    (``Limits.quoted_share``, at least ``Limits.quoted_words`` of them), each with that sentence's blended
    score as a phrasing's: "who said forty minutes in an ambulance is everything in a labour ward?" is
    asking for whoever the article quotes so, in words no phrasing of that entry need repeat."""
    lang = index.lang
    said = frozenset(content_words(query.said, lang))
    if len(said) < limits.quoted_words:
        return {}
    found: dict[int, float] = {}
    for record in index.records:
        if not record.entry.covered:
            continue  # a note quotes the article near what it lacks: not who said it
        for sentence, stems in record.quoted_each:
            share = len(said & stems) / len(said)
            if share < limits.quoted_share:
                continue
            content_score = fuzz.token_set_ratio(" ".join(sorted(said)), " ".join(sorted(stems)))
            wording_score = fuzz.partial_ratio(query.said, sentence)
            blended = params.content_view * content_score + (1 - params.content_view) * wording_score
            found[record.position] = max(found.get(record.position, 0.0), blended)
    return found


# ---------------------------------------------------------------------------
# Contributions: each returns a signed signal; its weight in Weights scales it.

Contribution = Callable[[Query, Candidate, "Scorer"], float]


def fuzzy(query: Query, candidate: Candidate, scorer: Scorer) -> float:
    """How alike the question and the entry's best phrasing read (0-100)."""
    return candidate.fuzzy


def coverage(query: Query, candidate: Candidate, scorer: Scorer) -> float:
    """How much of the question's content the entry explains (0-100): IDF-weighted term
    coverage (BM25 without term frequency); words found only in its answer count less."""
    record = candidate.record
    asked = query.stems & record.asked
    answered_only = (query.stems & record.words) - asked
    index, share = scorer.index, scorer.params.answer_word_share
    return 100 * (index.weight(asked) + share * index.weight(answered_only)) / query.weight


def _unknown(query: Query, candidate: Candidate, scorer: Scorer) -> frozenset[str]:
    return query.stems - candidate.record.words - scorer.index.article_words


def foreign(query: Query, candidate: Candidate, scorer: Scorer) -> float:
    """Minus the content words neither the article nor this entry ever uses ("Iran", "death toll")."""
    return -float(len(_unknown(query, candidate, scorer)))


def unfamiliar(query: Query, candidate: Candidate, scorer: Scorer) -> float:
    """How foreign the question is to the entry in meaning (0 or more): its foreign words, each
    less as far as a word of the entry's own text is near it in meaning ("die" ~ "killed" in the
    entry on the soldiers killed); a name, number or time word stays wholly foreign ("Egypt" is
    not "Cairo", "days" not "months"). ``foreign`` alone when the rule is off or there is no model."""
    unknown = _unknown(query, candidate, scorer)
    if not unknown or scorer.semantic is None or "semantic_foreign" in scorer.disabled:
        return float(len(unknown))
    return sum(scorer.foreignness(query, stem, candidate.record) for stem in unknown)


def unexplained(query: Query, candidate: Candidate, scorer: Scorer) -> float:
    """Minus the question's content words the article uses elsewhere but this entry never does,
    each by its idf over the rarest's (a rare word points elsewhere more surely than a common one):
    "what did Burns and the Qatari PM agree on?" asks about an agreement the meeting's entry
    never mentions (a word the article never uses is ``foreign``'s)."""
    index = scorer.index
    missing = (query.stems - candidate.record.words) & index.article_words
    return -sum(index.idf.get(w, index.default_idf) for w in missing) / index.default_idf


def _closeness(cosine: float, neutral: float) -> float:
    """A cosine as signed evidence: 0 at ``neutral``, 100 at 1 (the same text), negative below
    (scaled alike, and bounded at -100)."""
    return max(-100.0, 100 * (cosine - neutral) / (1 - neutral))


def _room(evidence: float, query: Query, candidate: Candidate, scorer: Scorer) -> float:
    """Evidence (-100..100) as a move of the lexical score: for, a share of the way up to 100; against,
    a share of the way down to 0. A wording match near 100 stays near 100 (the conversation reads
    "asked again" and "reads confidently alone" off that scale), a paraphrase scored 40 can gain most."""
    if not candidate.record.entry.covered:
        return 0.0  # a note keeps its lexical scale: its own cutoff decides when it surfaces
    if evidence > 0 and "foreign" not in scorer.disabled and unfamiliar(query, candidate, scorer) >= 1:
        # Meaning cannot vouch for an entry the question asks something foreign of ("Iran"), unless
        # the foreign word is near in meaning to the entry's own words ("did any soldiers die?"):
        # the foreign penalty stays either way (a near word is often just what a trap asks about).
        return 0.0
    # One content word ("and the US?") is all its own meaning: the wording already weighs it, and the
    # mean of a few tokens is near whatever mentions them. Meaning counts from two words, fully from three.
    evidence *= min(1.0, max(0.0, (len(query.stems) - 1) / 2))
    weights, off = scorer.weights, scorer.disabled
    lexical = 0.0 if "fuzzy" in off else weights.fuzzy * candidate.fuzzy
    if "coverage" not in off and evidence:
        lexical += weights.coverage * coverage(query, candidate, scorer)
    lexical = min(100.0, max(0.0, lexical))
    return evidence / 100 * ((100 - lexical) if evidence > 0 else lexical)


def _signed(cosines: Vectors, query: Query, candidate: Candidate, scorer: Scorer) -> float:
    """The candidate's cosine, signed around the neutral one, as a move of the lexical score."""
    cosine = float(cosines[candidate.record.position])
    return _room(_closeness(cosine, scorer.params.semantic_neutral), query, candidate, scorer)


def semantic(query: Query, candidate: Candidate, scorer: Scorer) -> float:
    """How close in meaning the question is to the entry's closest phrasing, signed (``_closeness``),
    as a move of the lexical score toward 100 or 0 (``_room``)."""
    vectors = query.vectors
    return 0.0 if vectors is None else _signed(vectors.phrasing, query, candidate, scorer)


def semantic_lead(query: Query, candidate: Candidate, scorer: Scorer) -> float:
    """For the entry closest in meaning, by how far it leads the runner-up (full from ``lead_span``
    up), a move toward 100 (``_room``); 0 for every other: a clear semantic winner is rarely wrong."""
    vectors = query.vectors
    if vectors is None:
        return 0.0
    mine = float(vectors.phrasing[candidate.record.position])
    if mine < vectors.best:
        return 0.0
    return _room(100 * min(1.0, max(0.0, mine - vectors.second) / scorer.params.lead_span), query, candidate, scorer)


def semantic_evidence(query: Query, candidate: Candidate, scorer: Scorer) -> float:
    """How close in meaning the question is to the entry's answer or closest quote, signed, as a move
    of the lexical score (``_room``)."""
    vectors = query.vectors
    return 0.0 if vectors is None else _signed(vectors.evidence, query, candidate, scorer)


def kind(query: Query, candidate: Candidate, scorer: Scorer) -> float:
    """-1 when the entry is never asked with the question's question word: "when did X leave"
    is not "why did X leave" (the expected answer type of classic QA); a "where" of an answer
    saying where is asked as written (``EntryRecord.places``)."""
    if not query.kind or query.kind in (WHAT, YES_NO):  # every entry answers some "what", and can be asked yes/no
        return 0.0
    record = candidate.record
    # "where were the soldiers killed?" of the entry saying they were killed near the crossing: when two
    # of the question's words are the entry's, not one ("where did he meet?", "where does Netanyahu
    # live?"), which a pronoun's referent may complete or any answer mentioning a place shares
    if (
        query.kind == WHERE
        and record.places
        and len(query.stems & record.words) > 1
        and "place_answers" not in scorer.disabled
    ):
        return 0.0
    return -1.0 if query.kind not in record.kinds else 0.0


def is_vague_note(query: Query, record: EntryRecord) -> bool:
    """A note the question does not specifically ask for: no word the article never uses that
    the note is about ("death toll"), and not who/when/why/how many the way the note is asked."""
    if record.entry.covered:
        return False
    asked_kind = query.kind in NOTE_KINDS and query.kind in record.kinds
    return not (query.stems & record.note_words) and not asked_kind


def note_penalty(query: Query, candidate: Candidate, scorer: Scorer) -> float:
    """-1 for a vague note that is not asked near-verbatim: a note needs the question to ask for
    what the article lacks."""
    return -1.0 if candidate.fuzzy < scorer.cutoffs.verbatim and is_vague_note(query, candidate.record) else 0.0


CONTRIBUTIONS: dict[str, Contribution] = {
    "fuzzy": fuzzy,
    "coverage": coverage,
    "foreign": foreign,
    "unexplained": unexplained,
    "kind": kind,
    "note_penalty": note_penalty,
    "semantic": semantic,
    "semantic_evidence": semantic_evidence,
    "semantic_lead": semantic_lead,
}

# Every rule that can be switched off by name, and what it does (for --ablate).
RULES: Mapping[str, str] = {
    "synonyms": "curated synonyms rewrite the question into the article's words",
    "irregular_verbs": "irregular verb forms meet their base before stemming ('met' -> 'meet')",
    "chat_forms": "chat spellings are read as the words they stand for ('ppl', 'wat', 'b4', 'govt', 'happen a lot')",
    "typo_repair": "misspelt words are repaired against the article's vocabulary",
    "dictionary": "a correctly spelt English word is never repaired into a near article word",
    "head_nouns": "'which/what' is read by its noun ('which day' asks when, 'what's his name' who)",
    "which_detail": "'which demands…' asks a detail ('what'), which a declared lacks 'what' turns away",
    "rarest_word": "phrasings with the question's rarest word are always shortlisted",
    "semantic_candidates": "the phrasings closest in meaning are shortlisted too",
    "semantic_foreign": "meaning may vouch despite a foreign word near in meaning to the entry's own words",
    "neighbour": "...and despite one whose closest article word of all is one of the entry's own ('conciliator')",
    "quoted_words": "'who said X?' is matched against each quoted sentence too, not only the phrasings",
    **{name: (fn.__doc__ or name).split("\n")[0] for name, fn in CONTRIBUTIONS.items()},
    "page_words": "of entries too close to tell apart, a question naming the page gets the one whose phrasings do",
    "rivals_by_evidence": "an entry quoting the same passage, or related to the best, is no rival",
    "lacks": "a question asking a kind the answer says is missing gets 'not in the article'",
    "place_answers": "an answer saying where (a place preposition before a name) may be asked 'where'",
    "measure_only": "a size word ('how big') that the best entry's phrasings share alone with the question is no match",
    "disclaimed": "a question asking what its answer's own text says the article does not give gets that note",
    "dated": "'will there be a deal by Friday?' asks when of an answer disclaiming when it might come",
    "kin": "'how many were wounded?' asks what an answer disclaiming whether anyone was 'hurt' disclaims",
    "answer_type": "a question asking a number, time or name its answer's text lacks is no match",
    "age": "'how old is he?' answered by a text giving no one's age (a date, a count) is no match",
    "named_elsewhere": "a question naming what the article mentions but the answer never does is no match",
    "judgement": "a question asking for a judgement answered by an entry never asked for one is no match",
    "speaker": "'what did X say?' answered by an entry quoting nobody like X is no match",
    "unnamed": "'which company…' answered by a text that mentions the company but never names it is no match",
    "unmentioned": "'who is the harbour master?' answered by an entry never speaking of a master is no match",
    "others": "'what other strikes…?' answered by an entry whose text never speaks of others is no match",
    "clauses": "a long message is also matched clause by clause",
    "other_script": "a message mostly in another alphabet is flagged as unread",
}


def uses_semantic(weights: Weights, params: Params, limits: Limits) -> bool:
    """Whether any number lets the embeddings count (else they need not even be loaded)."""
    return bool(
        weights.semantic
        or weights.semantic_evidence
        or weights.semantic_lead
        or limits.semantic_candidates
        or params.familiar <= 1
    )


def check_rules(disabled: frozenset[str]) -> None:
    """Refuse a rule name that does not exist: an ablation of a typo would measure nothing."""
    unknown = sorted(disabled - set(RULES))
    if unknown:
        raise ValueError(f"unknown rule(s): {', '.join(unknown)}; known: {', '.join(RULES)}")


def _weighted(weights: Weights, disabled: frozenset[str]) -> tuple[tuple[str, Contribution, float], ...]:
    names = {f.name for f in fields(weights)}
    missing = set(CONTRIBUTIONS) - names
    if missing:
        raise ValueError(f"no weight for contribution(s): {', '.join(sorted(missing))}")
    return tuple((name, fn, getattr(weights, name)) for name, fn in CONTRIBUTIONS.items() if name not in disabled)


class Scorer:
    """Scores every plausible entry for a question, with its parts."""

    def __init__(
        self,
        index: Index,
        *,
        weights: Weights,
        params: Params,
        limits: Limits,
        cutoffs: Cutoffs,
        disabled: frozenset[str] = frozenset(),
        semantic: SemanticIndex | None = None,
    ) -> None:
        check_rules(disabled)
        self.index = index
        self.semantic = semantic if uses_semantic(weights, params, limits) else None  # no work nothing reads
        self.weights = weights
        self.params = params
        self.limits = limits
        self.cutoffs = cutoffs
        self.disabled = disabled
        self._terms = _weighted(weights, disabled)
        self._rows: dict[int, Sequence[int]] = {}  # per entry: its words' rows of the vocabulary
        self._vocabulary_stems: tuple[str, ...] | None = None
        self._vocabulary_words: tuple[str, ...] | None = None

    def score(self, question: str) -> tuple[Query, list[Scored]]:
        """Every plausible entry scored (100 is a perfect match), best first."""
        index, params = self.index, self.params
        query = analyse(index, question, self.disabled, self.limits)
        if not query.probe:
            return query, []
        if self.semantic is not None and query.stems:
            query = replace(query, vectors=self.semantic.query(query.probe))
        if not query.stems:
            # Only function words ("what is this about?"): accept a near-verbatim phrasing only.
            hit = process.extractOne(query.probe, index.wordings, scorer=fuzz.ratio, score_cutoff=self.cutoffs.verbatim)
            if hit is None:
                return query, []
            record = index.records[index.phrasings[hit[2]].owner]
            return query, [Scored(record.entry, float(hit[1]), {"verbatim": float(hit[1])}, record.position)]
        scored: list[Scored] = []
        for candidate in candidates(index, query, params, self.limits, self.disabled):
            parts: dict[str, float] = {}
            total = 0.0
            for name, fn, weight in self._terms:
                term = weight * fn(query, candidate, self)
                parts[name] = term
                total += term
            scored.append(Scored(candidate.record.entry, total, parts, candidate.record.position, candidate.fuzzy))
        scored.sort(key=lambda s: (-s.total, s.position))
        return query, scored

    def foreignness(self, query: Query, stem: str, record: EntryRecord) -> float:
        """How foreign a question word (by its stem) is to an entry, 0-1, by how near in meaning
        its closest word in the entry's text (answer, quotes, and phrasings in the article's words)
        is: 0 from ``familiar`` up, 1 from ``unfamiliar`` down, linear in between. A word
        written as a name ("Egypt"), or a number or time word, is always 1: its neighbours
        ("Cairo", "months") are other things, not other words for it."""
        semantic = self.semantic
        if semantic is None or self.params.familiar > 1.0:
            return 1.0
        lang = self.index.lang
        words = [w for w in query.probe.split() if lang.stem_of(w) == stem] or [stem]
        if any(w in lang.exact_words or w in query.named for w in words):
            return 1.0
        rows = self._entry_rows(record)
        if "neighbour" not in self.disabled and any(self._stands_for(w, rows) for w in words):
            return 0.0
        nearest = max(semantic.nearest_among(w, rows) for w in words)
        low, high = self.params.unfamiliar, self.params.familiar
        if nearest >= high:
            return 0.0
        return 1.0 if nearest <= low else (high - nearest) / (high - low)

    def _stands_for(self, word: str, rows: Sequence[int]) -> bool:
        """Whether the article word closest in meaning to ``word`` of all is among ``rows`` (one entry's
        words), at least ``Params.neighbour`` near, and is no name: the question's word for the entry's own
        ("conciliator" for "mediator", "newborns" for "babies"), though the cosine of any two words is low.
        A name's neighbour is another thing ("Egypt" ~ "Cairo")."""
        assert self.semantic is not None
        row, cosine = self.semantic.neighbour(word)
        if row < 0 or cosine < self.params.neighbour or row not in rows:
            return False
        return self._vocabulary()[row] not in self.index.name_words

    def _vocabulary(self) -> tuple[str, ...]:
        """The article's vocabulary, in the order of the semantic index's rows, read once."""
        if self._vocabulary_words is None:
            self._vocabulary_words = vocabulary_of(self.index)
        return self._vocabulary_words

    def _entry_rows(self, record: EntryRecord) -> Sequence[int]:
        """The positions in the article's vocabulary of the words the entry uses (by stem), once per entry."""
        rows = self._rows.get(record.position)
        if rows is None:
            if self._vocabulary_stems is None:
                stem_of = self.index.lang.stem_of
                self._vocabulary_stems = tuple(stem_of(w) for w in self._vocabulary())
            rows = tuple(n for n, w in enumerate(self._vocabulary_stems) if w in record.words)
            self._rows[record.position] = rows
        return rows
