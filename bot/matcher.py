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
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Literal

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from bot.knowledge import Entry, KnowledgeBase, Problem

Status = Literal["answered", "ambiguous", "no_match"]


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Every tunable number in one place, tuned on tests/data/eval.jsonl."""

    answer: float = 55.0  # final score needed to answer
    suggest: float = 45.0  # final score needed to be offered as did-you-mean
    nearest: float = 35.0  # final score for a no-match's "you could ask" suggestions
    margin: float = 3.0  # lead over the runner-up needed to answer outright
    content_view: float = 0.6  # share of the content-word view in the fuzzy score (rest: whole wording)
    fuzzy_weight: float = 0.7  # share of the rapidfuzz phrasing score; the rest is content coverage
    answer_word_share: float = 0.45  # coverage credit for a word found only in an entry's answer or quotes
    note_penalty: float = 10.0  # a note asked only in the article's own words is probably a question it answers
    note_yield: float = 10.0  # how far ahead such a note may be and still yield to the answer
    kind_penalty: float = 15.0  # the entry is never asked with the question's question word
    foreign_penalty: float = 18.0  # per content word the article and the entry never use
    verbatim: float = 90.0  # ratio needed when a question has no content words at all
    candidates: int = 32  # phrasings kept from the wording shortlist (and sharing the rarest word)
    max_query_chars: int = 500  # longer input is cut before matching (never an exception)
    long_question_words: int = 14  # from this many words on, each clause is also matched on its own


DEFAULT_THRESHOLDS = Thresholds()


@dataclass(frozen=True, slots=True)
class Match:
    """The outcome for one question."""

    query: str
    status: Status
    score: float
    entry: Entry | None  # the answer (or a "not covered" note) when there is one
    suggestions: tuple[Entry, ...]
    no_question: bool = False  # nothing to look up: a greeting, "thanks", punctuation, emoji
    other_script: bool = False  # written mostly in an alphabet the article does not use: unread, not unanswered


@dataclass(frozen=True, slots=True)
class _Scores:
    """Entries scored for one question, best first, and what the question asks for."""

    ranked: list[tuple[float, int]]  # (score, entry index)
    kind: str | None = None  # who / when / where / why / how many / how


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
_CLAUSE_BREAK = re.compile(r"([.?!;:,\n]+)\s*|\s+-+\s+|\s+(?:but|and|so)\s+", re.IGNORECASE)
_SPACES = frozenset(("Cc", "Zs", "Zl", "Zp"))
_INVISIBLE = frozenset(("Cf", "Co", "Cs", "Cn"))  # zero-width, bidi marks, private use, unassigned


def normalize(text: str) -> str:
    """Fold a string to comparable form: NFKC, casefold, plain quotes and dashes, no
    zero-width or control characters, punctuation to spaces, single spaces."""
    text = unicodedata.normalize("NFKC", text).translate(_TRANSLATE).casefold()
    if not text.isascii():  # the slow path is only for text that can hold invisible characters
        text = "".join(" " if unicodedata.category(ch) in _SPACES else ch for ch in text)
        text = "".join(ch for ch in text if unicodedata.category(ch) not in _INVISIBLE)
    text = _POSSESSIVE.sub("", text)
    text = _NON_WORD.sub(" ", text)
    text = _EDGE_APOSTROPHE.sub(" ", text)
    return " ".join(text.split())


# Generic English function words; article-specific vocabulary never lives here.
STOPWORDS = frozenset(
    """a about above after again against all am an and any are aren't as at be because been before being below
    between both but by can can't could couldn't did didn't do does doesn't doing don't down during each few
    for from further get got had hadn't has hasn't have haven't having he he'd he'll her here hers herself him
    himself his how i i'd i'll i'm i've if in into is isn't it it's its itself just let's like me more most
    mustn't my myself no nor not of off on once only or other ought our ours ourselves out over own same shan't
    she she'd she'll should shouldn't so some such than that that's the their theirs them themselves then there
    there's these they they'd they'll they're they've this those through to too under until up very was wasn't
    we we'd we'll we're we've were weren't what what's when when's where where's which while who who's whom why
    why's with won't would wouldn't you you'd you'll you're you've your yours yourself yourselves tell know
    please pls plz ok okay hey hi lol yeah yes ya u ur r also really actually anything something thing things
    one ones much many say says said saying tho though gonna wanna kinda sorta whats whos hows wheres whys im
    dont doesnt didnt isnt arent wasnt werent cant wont article story piece news nah nope yep yup bruh bro dude
    guys ngl tbh btw idk imo omg wtf smh fr rn lmao haha hmm um uh oh ah so well anyway anyways even still just
    now right exactly basically literally currently lately stuff kind sort lot lots bit someone somebody anyone
    anybody everyone wait hello thanks thank cheers wondering wonder curious quick question mean meant go going
    gone goes went come came coming get gets getting got make makes made making happen happens happened
    happening take took give gave keep keeps""".split()
)
QUESTION_WORDS = frozenset(["who", "whom", "whose", "what", "when", "where", "why", "how", "which"])

# A clause that asks: a question word or an auxiliary among its first few words.
_AUXILIARIES = "did does do is are was were will would can could has have had should".split()
_ASKING = re.compile(
    rf"^\W*(?:\w+\s+){{0,3}}?(?:{'|'.join([*sorted(QUESTION_WORDS), *_AUXILIARIES])})\b", re.IGNORECASE
)

_KINDS = {"who": "who", "whom": "who", "whose": "who", "when": "when", "where": "where", "why": "why"}
# Question kinds that by themselves can ask for what a "not covered" note is about ("how" is too loose:
# "how are the families doing?").
NOTE_KINDS = frozenset(("who", "when", "why", "how many"))
_KIND_WORDS = QUESTION_WORDS | {"many", "much"}  # the words question_kind reads


# How a curated answer says what the article does not give ("The article doesn't say why...").
_GAP_PHRASE = re.compile(
    r"\b(?:doesn.t|does not) (?:say|give|name|predict|mention)\b"
    r"|\breports? (?:nothing|no)\b|\bgives? no\b|\bnames no\b",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"(?<=[.;:!?])\s+")


def _gap_sentences(answer: str) -> list[str]:
    """The sentences of an answer that say what the article does not give."""
    return [sentence for sentence in _SENTENCE_END.split(answer) if _GAP_PHRASE.search(sentence)]


def _kinds_in(normalized: str) -> frozenset[str]:
    """Every question kind a text names ("why it left or where it went" -> why, where)."""
    words = normalized.split()
    kinds = {_KINDS[w] for w in words if w in _KINDS}
    return frozenset(kinds | ({"how many"} if "how many" in normalized or "how much" in normalized else set()))


def question_kind(normalized: str) -> str | None:
    """The first question word, with "how many/much" told apart from "how"."""
    words = normalized.split()
    for n, word in enumerate(words):
        if word in _KINDS:
            return _KINDS[word]
        if word == "how":
            return "how many" if n + 1 < len(words) and words[n + 1] in ("many", "much") else "how"
    return None


_SUFFIXES = (
    "ations", "ators", "ation", "ator", "ating", "ated", "ate", "ments", "ment", "ings", "ing",
    "ies", "ied", "ers", "er", "es", "ed", "ly", "s", "e",
)  # fmt: skip


# Common irregular English verb forms, so "met" meets "meet" and "held" meets "hold".
_IRREGULAR = {
    form: base
    for base, forms in {
        "meet": "met", "leave": "left", "hold": "held", "tell": "told", "send": "sent", "fight": "fought",
        "take": "took taken", "give": "gave given", "make": "made", "come": "came", "see": "saw seen",
        "find": "found", "think": "thought", "bring": "brought", "begin": "began begun", "win": "won",
        "lose": "lost", "lead": "led", "keep": "kept", "speak": "spoke spoken", "choose": "chose chosen",
        "break": "broke broken", "fall": "fell fallen", "strike": "struck", "seek": "sought", "run": "ran",
        "pay": "paid", "build": "built", "mean": "meant", "stand": "stood", "know": "knew known",
        "write": "wrote written", "drive": "drove driven", "go": "went gone", "say": "said", "fly": "flew flown",
        "shoot": "shot", "throw": "threw thrown", "hide": "hid hidden", "rise": "rose risen", "sell": "sold",
    }.items()
    for form in forms.split()
}  # fmt: skip


@lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """A deliberately light suffix stripper so 'negotiations' meets 'negotiating'."""
    if word in _IRREGULAR:
        return _IRREGULAR[word]
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
        if (word not in STOPWORDS and word not in QUESTION_WORDS and len(word) > 1) or word.isdigit():
            seen.setdefault(stem(word), None)
    return list(seen)


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
        folded: dict[str, str] = {}  # each curated text is normalised once

        def fold(text: str) -> str:
            if text not in folded:
                folded[text] = self._canonical(normalize(text))
            return folded[text]

        def stems(texts: Iterable[str]) -> frozenset[str]:
            return frozenset(w for t in texts for w in content_words(fold(t)))

        # One fuzzy choice per phrasing; owner[i] is the index of its entry.
        self._choices: list[str] = []
        self._choice_stems: list[str] = []  # the same phrasings as sorted content stems
        self._owner: list[int] = []
        for n, entry in enumerate(entries):
            for text in (*entry.all_questions, " ".join(entry.keywords)):
                if normalized := fold(text):
                    self._choices.append(normalized)
                    self._choice_stems.append(" ".join(sorted(content_words(normalized))))
                    self._owner.append(n)
        self._phrasings_with: dict[str, list[int]] = {}
        for i, text in enumerate(self._choice_stems):
            for word in text.split():
                self._phrasings_with.setdefault(word, []).append(i)
        # Words people use to ask for an entry count fully; words only in its answer count less.
        self._question_words = [stems((*e.all_questions, *e.keywords, e.topic)) for e in entries]
        self._entry_words = [
            asked | stems((e.answer, *(q.text for q in e.quotes), *(q.attribution for q in e.quotes)))
            for asked, e in zip(self._question_words, entries, strict=True)
        ]
        self._quote_texts = [frozenset(q.text for q in e.quotes) for e in entries]
        position = {e.id: n for n, e in enumerate(entries)}
        # An answer's first related entries get buttons under it; a note's are only pointers.
        self._related = [
            frozenset(position[r] for r in e.related[:3] if r in position) if e.covered else frozenset()
            for e in entries
        ]
        # The kinds of question each entry is asked as ("when", "why", "how many"...).
        self._question_kinds = [frozenset(k for q in e.all_questions if (k := question_kind(fold(q)))) for e in entries]
        # What an answer says it does not give ("The article doesn't say why it left or where it
        # went"): the question kinds those sentences name, less the kinds the entry is asked with.
        gap_texts = [_GAP_PHRASE.sub(" ", " ".join(_gap_sentences(e.answer))) if e.covered else "" for e in entries]
        self._gap_kinds = [
            _kinds_in(normalize(text)) - asked for text, asked in zip(gap_texts, self._question_kinds, strict=True)
        ]
        article = kb.article
        self._article_words = stems((*article.paragraphs, article.title, article.section))
        self._article_scripts = frozenset(map(_script, " ".join(article.paragraphs))) - {""}
        self._reads_ascii = "LATIN" in self._article_scripts  # then plain ASCII needs no letter-by-letter look
        # What a "not covered" note is about that the article never mentions ("death toll", "Iran").
        self._note_words = [words - self._article_words for words in self._question_words]
        self._known_stems = self._article_words.union(*self._entry_words)
        # Surface words (not stems) for typo repair, so "tlaks" can find "talks".
        surface = {w for t in folded.values() for w in t.split()}
        spellings = sorted(w for w in surface if len(w) > 2 and w not in STOPWORDS and not w.isdigit())
        # An edit changes a word's length by one at most: only spellings of a near length can be
        # within reach, so each length gets its own (still alphabetical) list to search.
        longest = max(map(len, spellings), default=0)
        self._spellings_near = {
            n: [w for w in spellings if abs(len(w) - n) <= _edit_limit(n)] for n in range(4, longest + 3)
        }
        self._function_words = sorted(STOPWORDS | QUESTION_WORDS)
        # Inverse document frequency over entries: rare words identify an entry.
        df: dict[str, int] = {}
        for words in self._entry_words:
            for w in words:
                df[w] = df.get(w, 0) + 1
        self._idf = {w: math.log(1 + len(entries) / n) for w, n in df.items()}
        self._default_idf = math.log(1 + len(entries))

    # -- query side ---------------------------------------------------------

    def _canonical(self, normalized: str) -> str:
        return normalized if self._synonyms is None else self._synonyms.apply(normalized)

    def _repair(self, word: str) -> str | None:
        """A known spelling within one edit (two for long words), or the function word it misspells,
        None when the word is genuinely new to this article."""
        if len(word) < 4 or not word.isalpha():
            return None
        limit = _edit_limit(len(word))
        near = self._spellings_near.get(len(word), ())
        best = process.extractOne(word, near, scorer=OSA.distance, score_cutoff=limit)
        if best is not None and len(word) >= 6:
            return best[0]
        function = process.extractOne(word, self._function_words, scorer=OSA.distance, score_cutoff=1)
        if function is not None:
            return function[0]
        return best[0] if best is not None else None

    def _analyse(self, normalized: str) -> tuple[str, frozenset[str]]:
        """The question with typos repaired, and its content stems."""
        tokens, stems = [], []
        for word in normalized.split():
            if word in STOPWORDS or word in QUESTION_WORDS:
                tokens.append(word)
                continue
            if stem(word) not in self._known_stems and not word.isdigit():
                repaired = self._repair(word)
                if repaired in STOPWORDS or repaired in QUESTION_WORDS:
                    if repaired in _KIND_WORDS and sorted(repaired) == sorted(word):
                        tokens.append(repaired)  # "how mnay" -> "how many" (swapped letters, not "whoa" -> "who")
                    continue
                if repaired is not None:
                    word = self._canonical(repaired)
            tokens.append(word)
            if len(word) > 1 or word.isdigit():
                stems.append(stem(word))
        return " ".join(tokens), frozenset(stems)

    def _shared_phrasings(self, words: Iterable[str]) -> set[int]:
        return {i for w in words for i in self._phrasings_with.get(w, ())}

    def _closest_wordings(self, probe: str, phrasings: list[int]) -> dict[int, float]:
        """Phrasing index → wording score, for the best few of ``phrasings``."""
        hits = process.extract(
            probe,
            [self._choices[i] for i in phrasings],
            scorer=fuzz.ratio,
            limit=self.thresholds.candidates,
            score_cutoff=30,
        )
        return {phrasings[n]: score for _, score, n in hits}

    def _weight(self, words: Iterable[str]) -> float:
        return sum(self._idf.get(w, self._default_idf) for w in words)

    def match(self, question: str) -> Match:
        return self._outcome(question, self._scored(question))

    def rank(self, question: str, limit: int = 5) -> list[Entry]:
        """Answerable entries worth offering for a question, best first (for inline mode)."""
        return self._ranked(self._scored(question), limit)

    def search(self, question: str, limit: int = 5) -> tuple[Match, list[Entry]]:
        """``match`` and ``rank`` from one scoring pass."""
        scored = self._scored(question)
        return self._outcome(question, scored), self._ranked(scored, limit)

    def _scored(self, question: str) -> _Scores:
        """``_score`` of the question or, when it is long, of the clause that asks: in a rambling
        message ("ok so I keep hearing about X, what was Y?") the asides cost the question its match.
        Only a clause that asks may stand in for the message: an aside restating the article would
        otherwise win over a question about what the article never says."""
        scored = self._score(question)
        if len(question.split()) < self.thresholds.long_question_words:
            return scored
        asking = _asking_clauses(question[: self.thresholds.max_query_chars])
        # each asking clause, and all of them together ("how many died, and which crossing was it?")
        for clause in [*asking, " ".join(asking)] if len(asking) > 1 else asking:
            if len(content_words(normalize(clause))) >= 2:
                clause_scored = self._score(clause)
                if clause_scored.ranked and (not scored.ranked or clause_scored.ranked[0][0] > scored.ranked[0][0]):
                    scored = clause_scored
        return scored

    def _ranked(self, scored: _Scores, limit: int) -> list[Entry]:
        floor = self.thresholds.suggest
        return [self._entries[i] for s, i in scored.ranked if s >= floor and self._entries[i].covered][:limit]

    def _outcome(self, question: str, scored: _Scores) -> Match:
        if scored.ranked:
            match = self._decide(question, scored.ranked)
        else:
            words = content_words(self._canonical(normalize(question[: self.thresholds.max_query_chars])))
            match = Match(question, "no_match", 0.0, None, (), no_question=not words)
        if match.status == "answered" and match.entry is not None:
            # It asks for what the answer says the article does not give: not in the article, with
            # the answer (which says so) and its quotes as the nearest thing the article does say.
            n = scored.ranked[0][1]
            if scored.kind in self._gap_kinds[n]:
                return replace(match, status="no_match")
            return match
        text = unicodedata.normalize("NFKC", question[: self.thresholds.max_query_chars])  # "ｗｈｏ", "𝐰𝐡𝐨" -> "who"
        if match.no_question or (text.isascii() and self._reads_ascii):
            return match
        letters = [_script(ch) for ch in text if ch.isalpha()]
        foreign = sum(script not in self._article_scripts for script in letters)
        return replace(match, other_script=True) if foreign > len(letters) / 2 else match

    def _score(self, question: str) -> _Scores:
        """Every plausible entry scored (100 is a perfect match), best first."""
        t = self.thresholds
        normalized = self._canonical(normalize(question[: t.max_query_chars]))
        if not normalized:
            return _Scores([])
        probe, query_words = self._analyse(normalized)
        kind = question_kind(probe)
        if not query_words:
            # Only function words ("what is this about?"): accept a near-verbatim phrasing only.
            hit = process.extractOne(probe, self._choices, scorer=fuzz.ratio, score_cutoff=t.verbatim)
            return _Scores([(float(hit[1]), self._owner[hit[2]])] if hit else [], kind)
        query_weight = self._weight(query_words)
        # Two views of each phrasing: its whole wording (question words and order) and its content
        # words (order-free, typo-tolerant). Only phrasings sharing a (typo-repaired) word with the
        # question can score well; the wording view, cheap, shortlists the best few of them.
        sharing = sorted(self._shared_phrasings(query_words))
        wording = self._closest_wordings(probe, sharing)
        # Character similarity favours long common words; make sure the phrasings that share the
        # question's rarest word ("rearm") are scored too.
        rarest = max(sorted(query_words), key=lambda w: self._idf.get(w, 0.0))
        # The shortlist gets both views, blended. (A second shortlist by the content view cost 40 %
        # of a match and won nothing on eval.jsonl or holdout.jsonl once the wording shortlist
        # kept 32 phrasings: with 24, a few similar wordings of one entry could crowd out another.)
        stems = " ".join(sorted(query_words))
        fuzzy_best: dict[int, float] = {}
        for i in {*wording, *self._phrasings_with.get(rarest, ())[: t.candidates]}:
            content_score = fuzz.token_set_ratio(stems, self._choice_stems[i])
            wording_score = wording.get(i)
            if wording_score is None:
                wording_score = fuzz.ratio(probe, self._choices[i])
            blended = t.content_view * content_score + (1 - t.content_view) * wording_score
            owner = self._owner[i]
            fuzzy_best[owner] = max(fuzzy_best.get(owner, 0.0), blended)

        scores: dict[int, float] = {}
        vague_notes: list[int] = []
        for owner, fuzzy_score in fuzzy_best.items():
            entry_words = self._entry_words[owner]
            asked = query_words & self._question_words[owner]
            answered_only = (query_words & entry_words) - asked
            coverage = (self._weight(asked) + t.answer_word_share * self._weight(answered_only)) / query_weight
            # Content words that neither the article nor this entry ever uses: "Iran", "death toll"...
            foreign = len(query_words - entry_words - self._article_words)
            score = t.fuzzy_weight * fuzzy_score + (1 - t.fuzzy_weight) * 100 * coverage - t.foreign_penalty * foreign
            if kind and kind not in self._question_kinds[owner]:
                score -= t.kind_penalty  # "when did X leave" is not "why did X leave"
            # A note is asked for when the question uses words the article never does ("death toll"),
            # or asks who/when/why/how many the way the note's own phrasings do ("why did the team leave?").
            asked_kind = kind in NOTE_KINDS and kind in self._question_kinds[owner]
            asks_note = bool(query_words & self._note_words[owner]) or asked_kind
            if not self._entries[owner].covered and not asks_note:
                vague_notes.append(owner)
                if fuzzy_score < t.verbatim:
                    score -= t.note_penalty  # a note needs the question to ask for what the article lacks
            scores[owner] = score
        # A note asked only in the article's own words yields to a close answer quoting the same passage.
        for note in vague_notes:
            for owner, score in scores.items():
                close = scores[note] - score < t.note_yield and score >= t.answer
                if close and self._entries[owner].covered and self._quote_texts[owner] & self._quote_texts[note]:
                    scores[note] = min(scores[note], score - t.margin)
        ranked = sorted(((s, i) for i, s in scores.items()), key=lambda pair: (-pair[0], pair[1]))
        return _Scores(ranked, kind)

    def _decide(self, question: str, scored: list[tuple[float, int]]) -> Match:
        t = self.thresholds
        best_score, best = scored[0]
        # An entry quoting the same passage is no rival: either one answers with the same proof.
        # Nor is one of its related entries: the answer carries a button to it.
        rivals = [
            (s, i)
            for s, i in scored[1:]
            if not self._quote_texts[i] & self._quote_texts[best] and i not in self._related[best]
        ]
        runner_up = rivals[0][0] if rivals else 0.0
        if best_score >= t.answer and best_score - runner_up >= t.margin:
            entry = self._entries[best]
            return Match(question, "answered" if entry.covered else "no_match", _shown(best_score), entry, ())
        close = [self._entries[i] for s, i in [scored[0], *rivals[:2]] if s >= t.suggest and best_score - s < t.margin]
        if best_score >= t.suggest and len(close) >= 2:
            return Match(question, "ambiguous", _shown(best_score), None, tuple(close))
        nearest = tuple(self._entries[i] for s, i in scored[:3] if s >= t.nearest and self._entries[i].covered)
        return Match(question, "no_match", _shown(best_score), None, nearest)


def _script(char: str) -> str:
    """The alphabet a letter belongs to, as Unicode names it ("LATIN", "CYRILLIC", "HEBREW"...)."""
    return unicodedata.name(char, "").partition(" ")[0] if char.isalpha() else ""


def _asking_clauses(text: str) -> list[str]:
    """The clauses of a message that ask something: ended by "?" or opening with a question word."""
    parts = _CLAUSE_BREAK.split(text)  # clause, its punctuation (or None), clause, ...
    clauses = parts[0::2]
    marks = [*(m or "" for m in parts[1::2]), ""]
    return [c for c, mark in zip(clauses, marks, strict=True) if c and ("?" in mark or _ASKING.match(c))]


def _edit_limit(length: int) -> int:
    """Typo edits tolerated in a word of this length."""
    return 1 if length < 8 else 2


def _shown(score: float) -> float:
    return round(max(0.0, min(100.0, score)), 1)


@dataclass(frozen=True, slots=True)
class Synonyms:
    """Word or phrase variants → the article's own wording, replaced longest phrase first."""

    table: dict[str, str]
    longest: int  # words in the longest variant

    def apply(self, normalized: str) -> str:
        words = normalized.split()
        out: list[str] = []
        i = 0
        while i < len(words):
            for size in range(min(self.longest, len(words) - i), 0, -1):
                replacement = self.table.get(" ".join(words[i : i + size]))
                if replacement is not None:
                    out.append(replacement)
                    i += size
                    break
            else:
                out.append(words[i])
                i += 1
        return " ".join(out)


def _compile_synonyms(kb: KnowledgeBase) -> Synonyms | None:
    table: dict[str, str] = {}
    for canonical, variants in kb.synonyms.items():
        for variant in variants:
            key = normalize(variant)
            if key and key != normalize(canonical):
                table[key] = normalize(canonical)
    if not table:
        return None
    return Synonyms(table, max(len(key.split()) for key in table))


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
