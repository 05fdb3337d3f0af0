"""Read a message against the conversation so far: follow-ups, asides about the answer, topic changes.

Pure: no Telegram, no clock (the caller passes ``now``), no I/O but the lexicon's cache beside
the knowledge base (bot/index_cache.py, like the matcher's index). After every answer the
conversation remembers a :class:`ConversationState`: the entry, the question as understood,
the people, organisations, places and times it concerns, and the quotes shown. ``resolve``
reads the next message against it:

* no follow-up cue (no pronoun, no bare question word, no "and X?", no "who said that?"):
  the message is matched on its own, as before, for the price of one regular expression;
  one that finds only the answer just given again asks past it (the honest note, not a repeat);
* a pronoun or an ellipsis: the message is rewritten with the state's subjects in a few
  ways, the rewrites and the message itself are matched, and the best-scoring reading
  wins, so a self-contained question with a pronoun in it stays on its own. What costs a
  match is rationed: a pronoun whose name the message gives, or a confident reading alone
  about the context's own people, takes none; any other confident reading alone, one;
* a question about the answer itself ("who said that?", "where does it say that?", "is
  that true?", "tell me more", "what else did he say?") is answered from the state's quotes.

Each of these is a named reading, tried in the order ``resolve`` declares (``_ON_ITS_OWN``,
``_WITHOUT_A_CUE``, ``_WITH_A_CUE``); the rules that keep a cued message on its own
(``_STANDS_ALONE``), that let its reading alone beat a rewrite (``_ALONE_WINS``) and that turn
a rewrite's answer into a note (``_CHECKS``) are small functions too, each testable alone.

Which words are pronouns or question words is English language data; which names the
article holds is derived from the knowledge base (its paragraphs, attributions, synonyms and
the optional per-entry ``about`` field), so swapping faq.json is all it takes.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Literal, TypeVar

from bot import index_cache, multi
from bot.index import sentences_of
from bot.knowledge import Entry, KnowledgeBase, Quote
from bot.lazy_pattern import LazyPattern
from bot.matcher import Match, Matcher, Status
from bot.scoring import Scored
from bot.text import ENGLISH, ENGLISH_CONVERSATION, normalize, opens_yes_no, prepare

PRIVATE_TTL = 15 * 60.0  # a private chat's context expires after this much silence
GROUP_USER_TTL = 5 * 60.0  # a group member's next mention or /ask is read against their last answer this long
REPLY_TTL = 24 * 3600.0  # a reply to one of the bot's answers is read against it this long
MAX_QUESTION_CHARS = 200  # a remembered question is cut to this (it is only read again, never shown whole)
MAX_SUBJECTS = 6
ASIDE_WORDS = 6  # with no answer before it, a longer message with an about-the-answer cue is a question of its own

Kind = Literal["person", "group", "place", "time", "people"]
How = Literal["new", "pronoun", "ellipsis", "about", "more", "else", "button"]
AsideKind = Literal["attribution", "location", "confidence", "more", "else_said", "cause"]


# ---------------------------------------------------------------------------
# State


@dataclass(frozen=True, slots=True)
class ConversationState:
    """What the conversation is about after one answer. Plain values only, so it pickles small
    and holds no reference to the knowledge base (which a reload replaces)."""

    entry_id: str
    question: str  # the question as understood (a follow-up's rewrite, not its words)
    subjects: tuple[str, ...]  # the people, organisations, places and times it concerns, most salient first
    quotes: tuple[int, ...]  # the quotes shown, as indices into the knowledge base's quote list
    at: float  # when it was answered (seconds since the epoch)
    more: int = 0  # "tell me more" steps already taken
    # a reply in parts: the other parts it answered, (entry id, question) in the message's order; the
    # state itself is the last part answered, and a follow-up is read against the part it refers to
    parts: tuple[tuple[str, str], ...] = ()

    def expired(self, now: float, ttl: float) -> bool:
        """Whether the answer is older than ``ttl`` seconds: too old to read a follow-up against."""
        return now - self.at > ttl

    def dump(self) -> tuple[object, ...]:
        """Builtins only, for persistence: a renamed class never makes a stored chat unreadable. Six
        values, and a seventh (the other parts) only after a reply in parts."""
        dumped = (self.entry_id, self.question, self.subjects, self.quotes, self.at, self.more)
        return (*dumped, self.parts) if self.parts else dumped

    @classmethod
    def load(cls, data: object) -> ConversationState | None:
        """The state ``dump`` wrote; None for anything else (an old or foreign value)."""
        if not isinstance(data, tuple) or len(data) not in (6, 7):
            return None
        entry_id, question, subjects, quotes, at, more = data[:6]
        if not (isinstance(entry_id, str) and isinstance(question, str) and isinstance(at, float)):
            return None
        if not (isinstance(subjects, tuple) and isinstance(quotes, tuple) and isinstance(more, int)):
            return None
        parts = data[6] if len(data) == 7 and isinstance(data[6], tuple) else ()
        return cls(
            sys.intern(entry_id),
            question,
            _shared(tuple(sys.intern(str(s)) for s in subjects)),
            _shared(tuple(q for q in quotes if isinstance(q, int))),
            at,
            more,
            tuple(
                (sys.intern(p[0]), p[1])
                for p in parts
                if isinstance(p, tuple) and len(p) == 2 and isinstance(p[0], str) and isinstance(p[1], str)
            ),
        )


_T = TypeVar("_T", bound=tuple[object, ...])
_SHARED: dict[tuple[object, ...], tuple[object, ...]] = {}


def _shared(value: _T) -> _T:
    """One object for equal tuples (names, quote indices), so 100,000 chats about the same few
    answers hold a pointer each instead of a copy each."""
    if len(_SHARED) > 50_000:
        _SHARED.clear()
    return _SHARED.setdefault(value, value)  # type: ignore[return-value]


@dataclass(frozen=True, slots=True)
class Aside:
    """A reply about the previous answer itself rather than a new entry."""

    kind: AsideKind
    entry: Entry  # the answer it is about
    quotes: tuple[Quote, ...]  # the quotes it is about (for else_said: the speaker's other quotes)
    found: bool = True  # False: the article has nothing more to give (said honestly)
    subject: str | None = None  # else_said: whose words
    hedges: tuple[tuple[str, ...], ...] = ()  # confidence: per quote, the article's hedging words
    related: tuple[Entry, ...] = ()  # more: what to ask next
    sentences: tuple[str, ...] = ()  # attribution, confidence: each quote's whole sentence, which names its source
    following: tuple[int, ...] = ()  # more: paragraphs after the quotes', where theirs say nothing more
    complete: bool = False  # else_said: "is that his only quote?" answered: the answer showed all their words

    @property
    def paragraphs(self) -> tuple[int, ...]:
        """The article paragraphs the quotes come from (and those following), in article order, once."""
        return tuple(sorted({q.paragraph for q in self.quotes} | set(self.following)))


@dataclass(frozen=True, slots=True)
class Resolution:
    """How one message was read and what to answer."""

    message: str
    understood_as: str  # the question as resolved (the message itself when read on its own)
    match: Match  # the match to answer with (for an aside: the entry it is about)
    how: How
    context: ConversationState | None = None  # the state it was read against; None: read on its own
    aside: Aside | None = None
    state: ConversationState | None = None  # what the conversation remembers after this reply
    split: multi.Split | None = None  # a message asking two questions, answered in parts (``match``: the first)
    reading: str = ""  # the named reading that decided ("account_of_x", "rewritten"; "alone": read on its own)

    @property
    def answered(self) -> bool:
        """Whether the reply gives the user something: the aside's find, else an answered match."""
        if self.aside is not None:
            return self.aside.found
        return self.match.status == "answered"

    @property
    def logged(self) -> tuple[Match, ...]:
        """What the question log records: the match, or, for a message answered in parts, each part's
        (the part nothing answered is exactly the gap a curator's report should show)."""
        if self.split is None:
            return (self.match,)
        return tuple(part.match for part in self.split.parts)


# ---------------------------------------------------------------------------
# The article's names, derived once per knowledge base

_WORDS = ENGLISH_CONVERSATION  # the language is data (bot/text.py)
_TOKEN = LazyPattern(r"[^\W_][\w'’\-.]*[^\W_]|[^\W_]")
_CONNECTORS = _WORDS.name_connectors
_FUNCTION = _WORDS.function_words
_PLACE_BEFORE = _WORDS.place_before
_PLACE_AFTER = _WORDS.place_after
_TIME_WORDS = _WORDS.time_words
_PEOPLE_HEADS = LazyPattern(
    r"\b(officials?|sources?|people|persons?|spokesm[ae]n|spokeswom[ae]n|spokespersons?|diplomats?|analysts?"
    r"|mediators?|witnesses|residents|members?|leaders?|negotiators?|workers?|councillors?|director|mayor)\b"
)
# The sources an article quotes or cites without a name, in its own text: "a top Hamas official
# expressed optimism", "two US officials suggested", "An official at the port said".
_UNNAMED = LazyPattern(
    r"\b(?:[Aa]n?|[Oo]ne|[Tt]wo|[Tt]hree|[Ff]our|[Ss]everal|[Ss]ome)\s+((?:(?:senior|top|unnamed|former|high-ranking"
    r"|local|military|government|foreign|[A-Z][\w’'\-]*)\s+){0,3})(officials?|sources?|spokesm[ae]n|spokeswom[ae]n"
    r"|spokespersons?|diplomats?|analysts?|mediators?|negotiators?)\b"
)
_APPOSITION = LazyPattern(r"[A-Z][\w’'\-]*,\s*$")  # "Mousa Abu Marzouk, a senior Hamas official": the person
_ARTICLE_SELF = LazyPattern(r"^the article\b|^reports?$|^the page\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Name:
    """One person, organisation, place or time the article names, with the ways to say it."""

    text: str  # how a rewrite names it ("Abu Marzouk", "an Israeli official")
    kind: Kind
    aliases: tuple[str, ...]  # lowercase forms to find it by in a message
    # a person as the article most often names them ("Netanyahu", for "Benjamin Netanyahu"); "" for text
    usual: str = ""


def _clean(token: str) -> str:
    for suffix in ("’s", "'s", "’", "'"):
        if token.endswith(suffix):
            return token[: -len(suffix)]
    return token


def _phrases(text: str) -> Iterable[tuple[list[str], bool, int, int]]:
    """Capitalised word runs in a paragraph: (tokens, starts its sentence, start, end offsets)."""
    run: list[str] = []
    begins = False
    start = end = 0
    previous_end = 0
    for m in _TOKEN.finditer(text):
        token = m.group()
        gap = text[previous_end : m.start()]
        sentence_start = previous_end == 0 or bool(re.search(r"[.!?]", gap))
        joined = bool(run) and gap.strip() == ""
        capital = token[0].isupper() or (token.lower() in _CONNECTORS and joined)
        if run and not (capital and joined):
            yield [_clean(t) for t in run], begins, start, end
            run = []
        if capital and (run or token[0].isupper()):
            if not run:
                start, begins = m.start(), sentence_start
            run.append(token)
            end = m.end()
            if _clean(token) != token:  # a possessive ends the name
                yield [_clean(t) for t in run], begins, start, end
                run = []
        previous_end = m.end()
    if run:
        yield [_clean(t) for t in run], begins, start, end


def _capitalised_names(paragraphs: Sequence[str], lowercase: frozenset[str]) -> list[Name]:
    """The article's capitalised names, each typed by where it stands (see :func:`_typed_name`)."""
    runs, place_keys = _name_runs(paragraphs, lowercase)
    return [_typed_name(key, found, key in place_keys, lowercase) for key, found in runs.items()]


def _name_runs(paragraphs: Sequence[str], lowercase: frozenset[str]) -> tuple[dict[str, list[list[str]]], set[str]]:
    """Capitalised runs grouped by their last word ("Abu Marzouk", "Marzouk" -> "marzouk"), and the
    groups that stand where a place does (after "in"/"at", before "crossing"/"city")."""
    mid_capitals = {tokens[0] for p in paragraphs for tokens, begins, _, _ in _phrases(p) if not begins and tokens}
    groups: dict[str, list[list[str]]] = {}
    place_keys: set[str] = set()
    for paragraph in paragraphs:
        for tokens, begins, start, end in _phrases(paragraph):
            if begins:  # a sentence's first word is capitalised anyway: keep it only if it is a name elsewhere
                while tokens and (tokens[0].lower() in _FUNCTION or tokens[0].lower() in lowercase):
                    tokens = tokens[1:]
                if len(tokens) == 1 and tokens[0] not in mid_capitals and tokens[0].lower() not in _TIME_WORDS:
                    tokens = []
            while tokens and tokens[-1].lower() in _CONNECTORS:
                tokens = tokens[:-1]
            if not tokens or all(t.lower() in _FUNCTION for t in tokens):
                continue
            key = tokens[-1].lower()
            groups.setdefault(key, []).append(tokens)
            before = paragraph[:start].split()[-2:]
            after = paragraph[end:].split()[:1]
            if (before and before[-1].lower() in _PLACE_BEFORE) or (
                len(before) == 2 and before[-1].lower() == "the" and before[0].lower() in _PLACE_BEFORE
            ):
                place_keys.add(key)
            if after and after[0].strip(",.;:").lower() in _PLACE_AFTER:
                place_keys.add(key)
    return groups, place_keys


def _typed_name(key: str, runs: list[list[str]], place: bool, lowercase: frozenset[str]) -> Name:
    """One name from its runs: a time word, a place, two capitalised words a person, else a group
    ("Hamas"); findable by every tail of every run, but never by one common word alone."""
    longest = max(runs, key=len)
    if key in _TIME_WORDS:
        kind: Kind = "time"
    elif place:
        kind = "place"
    elif len(longest) >= 2 and key not in lowercase:  # "Harbour Authority" is no person
        kind = "person"
    else:
        kind = "group"
    aliases = {" ".join(t.lower() for t in run[i:]) for run in runs for i in range(len(run))}
    # one common word is no name ("authority" alone does not mean the Harbour Authority)
    aliases = {a for a in aliases if " " in a or a not in lowercase or a == longest[0].lower()}
    if kind == "person":
        aliases = {a for a in aliases if len(a) > 2 and a not in _CONNECTORS}
        text = " ".join(longest[-2:]) if len(longest) >= 3 else " ".join(longest)
        # a title run ("Prime Minister ...") keeps only the name's last two words
        forms = Counter(" ".join(run) for run in runs if text.endswith(" ".join(run)))
        usual = max(forms, key=lambda f: (forms[f], len(f))) if forms else ""
        return Name(text, kind, tuple(sorted(aliases, key=len, reverse=True)), "" if usual == text else usual)
    text = " ".join(longest)
    return Name(text, kind, tuple(sorted(aliases, key=len, reverse=True)))


def _attribution_parts(kb: KnowledgeBase) -> list[list[str]]:
    """Each quote's attribution in its parts: "Mousa Abu Marzouk, a senior Hamas official" -> two."""
    return [
        [part.strip() for part in re.split(r",| and (?=(?:other |the |an? |two |three |several ))", q.attribution)]
        for e in kb.entries
        for q in e.quotes
    ]


def _person_patterns(names: Iterable[Name]) -> list[re.Pattern[str]]:
    return [re.compile(rf"\b{re.escape(a)}\b") for n in names if n.kind == "person" for a in n.aliases]


def _appositions(names: list[Name], kb: KnowledgeBase) -> frozenset[str]:
    """A part of an attribution after a person's name is that person ("Tomas Reyna, mayor of Port
    Alder"), here and wherever else it stands: a source to refer to, not one left unnamed."""
    persons = _person_patterns(names)
    appositions: set[str] = set()
    for parts in _attribution_parts(kb):
        named = [any(p.search(part.lower()) for p in persons) for part in parts]
        appositions |= {part.lower() for n, part in enumerate(parts) if any(named[:n]) and not named[n]}
    return frozenset(appositions)


def _unnamed_sources(names: list[Name], kb: KnowledgeBase) -> list[Name]:
    """The sources quoted or cited without a name ("an Israeli official", "two US officials"), from
    the attributions and the article's own text, that are none of ``names`` yet."""
    persons = _person_patterns(names)
    known = {n.text.lower() for n in names}
    found: list[Name] = []

    def add(text: str) -> None:
        if text.lower() not in known:
            known.add(text.lower())
            found.append(Name(text, "people", (text.lower(),)))

    for parts in _attribution_parts(kb):
        for part in parts:
            if _ARTICLE_SELF.match(part) or not _PEOPLE_HEADS.search(part.lower()):
                continue
            if not any(p.search(part.lower()) for p in persons):
                add(part)
    for paragraph in kb.article.paragraphs:
        for m in _UNNAMED.finditer(paragraph):
            if not m.group(1) and not m.group(2).startswith(("official", "spokes", "diplomat")):
                continue  # "two people", "other sources": too vague to stand for anyone
            if not _APPOSITION.search(paragraph[: m.start()]):
                add(m.group()[0].lower() + m.group()[1:])
    return found


def _prefixes(texts: Iterable[str]) -> frozenset[str]:
    """The first four letters of every word of some texts: a cheap stand-in for a stem."""
    return frozenset(w[:4] for t in texts for w in re.findall(r"[a-z]+", t.lower()))


class Lexicon:
    """The names an article uses, typed (person, group, place, time, people) and findable in a message."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        paragraphs = kb.article.paragraphs
        body = "\n".join(paragraphs)
        lowercase = frozenset(t for t in _TOKEN.findall(body) if t.islower())
        names = _capitalised_names(paragraphs, lowercase)
        appositions = _appositions(names, kb)
        names += _unnamed_sources(names, kb)
        self.names = _with_synonyms(names, kb)
        self.appositions = appositions  # "mayor of Port Alder": a person's title, not an unnamed source
        self.attributive = _attributive(self.names, body)  # "Israeli": only ever before a noun
        self._by_alias = {a: n for n in self.names for a in n.aliases}
        longest_first = sorted(self._by_alias, key=len, reverse=True)
        self._finder = re.compile(r"\b(" + "|".join(map(re.escape, longest_first)) + r")\b") if longest_first else None
        self.quotes: tuple[Quote, ...] = tuple(dict.fromkeys(q for e in kb.entries for q in e.quotes))
        self._quote_index = {q: n for n, q in enumerate(self.quotes)}
        self._entry_subjects = {e.id: self._subjects_of_entry(e) for e in kb.entries}
        self.speakers = kb.speakers()
        texts = [
            body,
            *(t for e in kb.entries for t in (*e.all_questions, *e.keywords, e.answer, e.topic)),
            *(w for canonical, variants in kb.synonyms.items() for w in (canonical, *variants)),
        ]
        self.known = frozenset(w for t in texts for w in re.findall(r"[a-z]+", t.lower()))
        self._kinds: dict[str, frozenset[str]] = {}
        self._headline: dict[str, frozenset[str]] = {}
        self._entry_words: dict[str, frozenset[str]] = {}
        self._reacting: dict[str, tuple[Entry, ...]] = {}

    def covers(self, entry: Entry, message: str) -> bool:
        """Whether an entry speaks of a message's own content words (leaving out the names, pronouns
        and question words a follow-up fills in or refers with); True when it has none of its own."""
        own = [w for w in _own_words(message) if not self.find(w)]
        if not own:
            return True
        words = self._entry_words.get(entry.id)
        if words is None:
            texts = (*entry.all_questions, *entry.keywords, entry.answer, entry.topic, *(q.text for q in entry.quotes))
            words = self._entry_words[entry.id] = _prefixes(texts)
        return any(w[:4] in words for w in own)

    def foreign(self, text: str) -> bool:
        """Whether a message uses a word neither the article nor the knowledge base ever does
        ("weather", "bitcoin"): then the article cannot answer it, with or without context."""
        for word in re.findall(r"[a-z]+", text.lower()):
            if len(word) < 4 or word in self.known or word in _FUNCTION:
                continue
            if not any(
                word[: -len(end)] in self.known for end in ("s", "es", "ed", "d", "ing", "ly") if word.endswith(end)
            ):
                return True
        return False

    def find(self, text: str) -> list[Name]:
        """The names a text mentions, in order of first mention."""
        if self._finder is None:
            return []
        found: dict[str, Name] = {}
        lower = text.lower()
        for m in self._finder.finditer(lower):
            name = self._by_alias[m.group(1)]
            # "US" but not "us": an acronym that is also a word counts in capitals or after "the"
            acronym = name.text.isupper() and len(m.group(1)) <= 3 and m.group(1) == name.text.lower()
            if acronym and text[m.start() : m.end()] != name.text and not lower[: m.start()].endswith("the "):
                continue
            found.setdefault(name.text, name)
        return list(found.values())

    def name(self, text: str) -> Name | None:
        """The article's name spelt exactly ``text``, if it has one."""
        for name in self.names:
            if name.text == text:
                return name
        return None

    def _subjects_of_entry(self, entry: Entry) -> list[str]:
        texts = [
            *(q.attribution for q in entry.quotes if not _ARTICLE_SELF.match(q.attribution)),
            *entry.about,
            entry.question,
            " ".join(entry.keywords),
            *(q.text for q in entry.quotes),
        ]
        subjects: dict[str, None] = {}
        for text in texts:
            for name in self.find(text):
                subjects.setdefault(name.text, None)
            if text in entry.about and self.name(text) is None:
                subjects.setdefault(text, None)
        return list(subjects)

    def headline(self, entry: Entry, subjects: Iterable[str]) -> bool:
        """Whether an entry's question, keywords or sources (not merely its quotes) name any of these
        subjects: what it is about rather than whom it mentions."""
        own = self._headline.get(entry.id)
        if own is None:
            texts = (entry.question, " ".join(entry.keywords), *entry.about, *(q.attribution for q in entry.quotes))
            own = self._headline[entry.id] = frozenset(n.text for t in texts for n in self.find(t))
        return any(s in own for s in subjects)

    def concerns(self, entry: Entry, subjects: Iterable[str]) -> bool:
        """Whether an entry is about any of these subjects (as derived for a conversation state)."""
        own = self._entry_subjects.get(entry.id, ())
        return any(s in own for s in subjects)

    def people_of(self, name: Name) -> Name:
        """The name a demonym stands for ("Israeli" -> Israel, "Qatari" -> Qatar): the people's side is
        what acts ("the Israeli reaction" is how Israel responded); any other name itself."""
        if name.text not in self.attributive:
            return name
        said = name.text.lower()
        for other in self.names:
            if other is not name and any(said in (a + e for e in _WORDS.demonym_endings) for a in other.aliases):
                return other
        return name

    def reacting(self, name: Name) -> tuple[Entry, ...]:
        """The answered entries whose quotes say something made ``name`` do something ("…prompted
        Hamas to harden its demands"), found once per name."""
        found = self._reacting.get(name.text)
        if found is None:
            pattern = re.compile(_REACTED.format(x=rf"(?:{'|'.join(map(re.escape, name.aliases))})"))
            found = self._reacting[name.text] = tuple(
                e for e in self.kb.entries if e.covered and any(pattern.search(q.text.lower()) for q in e.quotes)
            )
        return found

    def kinds(self, entry: Entry) -> frozenset[str]:
        """The question kinds an entry is asked with in faq.json (who, when, where, why, how many)."""
        found = self._kinds.get(entry.id)
        if found is None:
            found = self._kinds[entry.id] = frozenset(k for q in entry.all_questions if (k := _kind_of(q)))
        return found

    def lacks(self, entry: Entry, kind: str) -> bool:
        """Whether an entry does not give that kind of fact: declared so in faq.json ("lacks"), or,
        for who/when/where/how many, neither declared nor asked that way nor named in its quotes."""
        declared = kind.replace(" ", "_")
        if declared in entry.lacks:
            return True
        if declared in entry.kinds or kind == "why":  # "why" cannot be checked in the quotes: trust the match
            return False
        return not self.gives(entry, kind)

    def gives(self, entry: Entry, kind: str) -> bool:
        """Whether an entry answers that kind of question: asked so in faq.json, or its quotes name
        a place (where), a time (when), a person or source (who), or a number (how many)."""
        if kind in self.kinds(entry):
            return True
        wanted = {"where": ("place",), "when": ("time",), "who": ("person", "people")}.get(kind)
        text = " ".join(q.text for q in entry.quotes)
        if wanted is not None:
            return any(n.kind in wanted for n in self.find(text))
        return kind == "how many" and bool(_NUMBER.search(text))

    def quote_ids(self, quotes: Iterable[Quote]) -> tuple[int, ...]:
        """The quotes' positions in the knowledge base (what a state stores instead of the text)."""
        return tuple(self._quote_index[q] for q in quotes if q in self._quote_index)

    def shown(self, state: ConversationState) -> tuple[Quote, ...]:
        """The quotes a state says were shown, skipping positions a reload left out of range."""
        return tuple(self.quotes[n] for n in state.quotes if 0 <= n < len(self.quotes))

    def state(
        self, entry: Entry, question: str, now: float, quotes: Sequence[Quote] | None = None, more: int = 0
    ) -> ConversationState:
        """The state after answering ``entry``: names in the question first, then the entry's own."""
        subjects = dict.fromkeys([n.text for n in self.find(question)] + self._entry_subjects.get(entry.id, []))
        shown = entry.quotes if quotes is None else quotes
        return ConversationState(
            sys.intern(entry.id),
            question[:MAX_QUESTION_CHARS],
            _shared(tuple(sys.intern(s) for s in list(subjects)[:MAX_SUBJECTS])),
            _shared(self.quote_ids(shown)),
            now,
            more,
        )


_NOT_A_NOUN_AFTER = _WORDS.not_a_noun_after


def _attributive(names: Iterable[Name], body: str) -> frozenset[str]:
    """The one-word group names the article only ever writes before another noun ("Israeli official",
    "Qatari team"): words describing someone, no one a pronoun can stand for ("where were they?"
    after "how many Israeli soldiers were killed?" is not "where were Israeli")."""
    found = set()
    for name in names:
        if name.kind != "group" or " " in name.text:
            continue
        after = [m.group(1) for m in re.finditer(rf"\b{re.escape(name.text)}\b(?:\s+([A-Za-z]+)|(?=\W|$))", body)]
        if after and all(w and w.lower() not in _FUNCTION and w.lower() not in _NOT_A_NOUN_AFTER for w in after):
            found.add(name.text)
    return frozenset(found)


def _with_synonyms(names: list[Name], kb: KnowledgeBase) -> list[Name]:
    """Names gain the knowledge base's variants of them ("bibi" for Netanyahu, "america" for the US)."""
    out = []
    for name in names:
        extra = [
            v.lower()
            for canonical, variants in kb.synonyms.items()
            if canonical.lower() in name.aliases
            for v in variants
        ]
        out.append(replace(name, aliases=tuple(sorted({*name.aliases, *extra}, key=len, reverse=True))))
    return out


_LEXICONS: dict[int, Lexicon] = {}


def lexicon(kb: KnowledgeBase) -> Lexicon:
    """The knowledge base's names, derived on first use (a reload brings a new knowledge base)."""
    found = _LEXICONS.get(id(kb))
    if found is None or found.kb is not kb:
        if len(_LEXICONS) > 4:
            _LEXICONS.clear()
        found = _LEXICONS[id(kb)] = index_cache.built(kb, Lexicon)  # cached beside the knowledge base
    return found


# ---------------------------------------------------------------------------
# Cues: English language data

_FILLER = (
    r"(?:(?:ok(?:ay)?|so|and|but|well|hmm+|right|thanks|thank you|cool|great|wow|interesting|oh|ah|i see|wait|huh"
    r"|yo|hey|lol|lmao|um+|uh+|alright|nice)[\s,.!]+)*"
)
# chat tails that carry no meaning for a follow-up: "why tho", "and israel lol", "how many rn"
_CASUAL_TAIL = LazyPattern(
    r"(?:[\s,]+(?:tho|though|lol|lmao|haha+|rn|right now|pls|plz|please|btw|bro|guys|mate))+(?=\W*$)"
)


def _casual(text: str) -> str:
    """A message without its chat tail ("why tho?" -> "why?"), for reading follow-up cues."""
    return _CASUAL_TAIL.sub("", text)


# "ok unrelated:", "Different question —", "new topic:", "on another note,": the speaker says the
# question is a new one, so it is read on its own (without the marker, which only confuses the matcher).
_TOPIC_CHANGE = LazyPattern(
    r"^\W*"
    + _FILLER
    + r"(?:(?:(?:(?:totally|completely|something|quite) )?unrelated(?: (?:question|q|topic|thing|note))?"
    r"|(?:a |an |one )?(?:(?:totally|completely) )?(?:different|diff|new|another|separate|random|other|unrelated)"
    r" (?:question|q|topic|subject|thing)|on (?:a |an )?(?:different|another|other|unrelated|separate|new)"
    r" (?:note|topic|subject)|chang(?:e|ing) (?:of )?(?:the )?(?:subject|topic)|switching (?:gears|topics?))"
    r"(?:,? but|,? though)?[\s:;,.!?\-–—]+"
    # "ok whatever. what's hamas's mood…", "never mind, who is…": the last answer waved away (only
    # before punctuation: "whatever happened to the hostages?" is one question)
    r"|(?:whatever|never ?mind|nvm|forget (?:it|that)|moving on)\s*[:;,.!?\-–—]+\s*)(?=\w)",
    re.IGNORECASE,
)
_QWORD = (
    r"(?:how many|how much|how long|how often|how far|how come|how so|from where|where from|where to|since when"
    r"|from when|until when|till when|by whom|by who|by what|with whom|with who|to whom|to who|for whom|for who"
    r"|what for|for what|for how long|where at|who by|what kinds?|what sorts?|what types?|which ones?|from whom"
    r"|from who|why not|why|when|where|who|whom|whose|what|which|how)"
)
_ABOUT = {
    "attribution": LazyPattern(
        r"\b(?:who (?:said|says|say|is saying|was saying|claims?|claimed|argues|argued|suggests|suggested|told|wrote"
        r"|reported|reports|is quoted"
        r"|thinks so|believes (?:that|this|it|so)|thinks (?:that|this)"
        r"|was quoted|made (?:that|this|the) (?:claim|statement))\b(?! anything else)"
        r"|who (?:in|at|from|of) (?:the )?(?:\w+ ){1,3}(?:said|says|claimed|claims|told) (?:that|this|it|so)\b"
        r"|says who|according to (?:whom|who)|whose (?:words|quote|claim|statement)"
        r"|^\W*who (?:called|described|labell?ed|termed) (?:it|that|this|them|those|these|him|her)\b"  # see _CALLED
        r"|who(?:'s| is| was) (?:that|this|it) from|^\W*who(?:'s| is| was) (?:that|this)\W*$"
        r"|who(?:'s| is) the source|what(?:'s| is) the source|source\?|sources\?|who(?:'s| is) quoted"
        r"|^\W*(?:the |a |any |what(?:'s| is) the )?sources? (?:for|of|on) (?:that|this|it)\W*$"
        r"|(?:can you |could you )?quote (?:it|that|this|him|her|them)|exact words|the (?:exact )?quote|verbatim"
        r"|^\W*(?:the |exact |direct )?quotes?\W*$"
        r"|who(?:'s| is| was) (?:saying|arguing|claiming|suggesting) (?:that|this|it|so)"
        # "where's that from?": the claim's source ("where is he from?" asks about a person)
        r"|where(?:'s| is| was| does| did) (?:that|this|it)(?: (?:come|comes|came|coming))? from\b(?! in the)"
        # whether those are the speaker's own words: "did he say that himself?", "is that what he actually
        # said?", "did anyone actually say that on record?", "are those his own words?"
        r"|^\W*(?:(?:but|so|and|ok|okay|wait),? )?did (?:he|she|they|(?:any|some)(?:one|body)(?: \w+){0,3})"
        r" (?:really |actually |ever )?say (?:that|this|it|so)"
        r"(?: (?:himself|herself|themselves|directly|publicly|in (?:those|these|so many) words|on (?:the )?record))?"
        r"(?:,? (?:tho|though|really|then))?\W*$"
        r"|\b(?:is|was) (?:that|this|it) what (?:he|she|they) (?:really |actually )?said\b"
        r"|\bsaid (?:that|this|it|so) on (?:the )?record\b|\bon (?:the )?record\W*$"
        r"|\b(?:are|were) (?:those|these|they) (?:his|her|their) (?:own |exact |actual )?words\b"
        r"|\b(?:is|was) (?:that|this|it) a (?:direct |real |actual )?quote\b"
        r")"
    ),
    "location": LazyPattern(
        r"\b(?:where (?:does|did|do) (?:it|the article|they|the story|the piece) (?:say|mention|state|report)"
        r"|where (?:is|was) (?:that|this|it) (?:in the article|said|written|mentioned|stated|from in the article)"
        r"|where in the (?:article|text|story)|which (?:paragraph|part|passage|line)|show me (?:where|the passage"
        r"|the paragraph|the context|the source|that part)|in what paragraph|context\?|what(?:'s| is) the context)"
    ),
    "confidence": LazyPattern(
        # not "who was that official?", which asks who
        r"\b(?:(?<!who )(?:is|was|are|were) (?:that|this|it|they|he|she|the (?:article|story|report|piece))"
        r" (?:really )?"
        r"(?:true|confirmed|verified|certain|sure"
        r"|official|a fact|accurate|reliable|correct|right|known|for sure|for real|credible|proven)"
        # ...ending the question: not "was that official part of the team?"
        r"(?!\w| (?!(?:or|and|then|though|at all|anyway|for sure|really|yet|now)\b)\w)"
        r"|how (?:sure|certain|reliable|confident|credible)"
        r"|how (?:do|does|did|would) (?:they|we|you|he|she|it) know"
        r"|(?:has|is|was) (?:that|this|it) (?:been )?(?:confirmed"
        r"|verified)|can (?:we|i) (?:trust|believe) (?:that|this|it)|really\?|for real\?|is that so\?|confirmed\?"
        r"|true\?|says who\?|do we know (?:that|this) for sure|who confirmed"
        r"|(?:are|r) (?:you|u) sure|^\W*(?:you |u )?sure\W*$|seriously\?|for sure\?|is (?:that|this|it) legit"
        r"|(?:is|was) (?:that|this|it) (?:just |only |merely )?(?:an? )?(?:speculation|rumou?r|claim|allegation|guess"
        r"|definite|definitive|settled)\b|^\W*(?:is there |are there |any )?(?:proof|evidence)\W*$)"
    ),
    "more": LazyPattern(
        r"^\W*" + _FILLER + r"(?:(?:can you |could you |please )?tell me more|more|more please|more info|more details"
        r"|(?:any )?more details|details|go on|continue|keep going|elaborate|expand(?: on that)?|and then\??"
        r"|what else|anything else|what happened next|(?:tell me )?more about (?:that|this|it)"
        r"|what else happened|(?:can |could )?(?:you )?elaborate(?: on (?:that|this|it))?|and|give me more|say more"
        r"|more on (?:that|this|it)|what happened (?:after that|afterwards?|after|then)|(?:so|and) what happened"
        r"|(?:and )?beyond (?:that|this)"
        r"|(?:and )?after that|then what|what then|and next|like what|like|such as|for example|for instance"
        r"|anything more|something more"
        r"|(?:any |some |give me an? )?examples?"
        r"|what else (?:does|did|do) (?:it|the article|the story|the piece|the text)"
        r" (?:say|mention|report|tell us)"
        r"(?: there| about (?:that|this|it))?)\W*(?:please|pls)?\W*$"
    ),
    "else_said": LazyPattern(
        r"\b(?:what else (?:did|does|has) (?:\w+ ){1,4}(?:say|said|tell|claim|confirm|add|mention|reveal"
        r"|disclose)|did (?:\w+ ){1,4}say anything else"
        r"|(?:is|was) (?:that|this) (?:his|her|their|its) only (?:quote|statement|comment)|any other quotes?"
        r"|other quotes?|(?:has|did) (?:he|she|they) (?:said|say) (?:anything|something) else"
        r"|anything else (?:from|by) (?:him|her|them|\w+)|what more did (?:\w+ ){1,4}say"
        r"|did (?:\w+ ){1,4}say (?:anything |something )?more|anything else (?:he|she|they) (?:said|say)"
        r"|did (?:he|she|they) add anything|what else (?:he|she|they) said)\b"
    ),
}
_PRONOUN = LazyPattern(
    r"\b(he|him|his|himself|she|her|hers|herself|they|them|their|theirs|themselves|it|its|itself|then"
    r"|(?<!all )(?:that|this|those|these|the same)"  # not "in all this"
    r"(?=\W*$|\W+(?:is|was|are|were|mean|means|meant|about|for|to|in|from|with"
    r"|on|at|by|happen|happened|say|said|true|right|so|\W))"  # "why did he say that?", not "that deal"
    r"|(?<!is )(?<!are )(?<!was )(?<!were )there(?! (?:is|are|was|were|be|been)\b))\b"  # not "is there", "there are"
)
# Asking who someone is by name: "what's his name?", "who are they?", "do we get the official's name?"
_ASKS_NAME = LazyPattern(
    r"\b(?:names?|named|identity|identified|who (?:is|are|was|were|'s|'re) (?:he|she|they|them|that|this|those|these)"
    r"|who (?:exactly|specifically))\b"
)
# "which officials?", "who was that official?": which of the answer's sources, by name
_SOURCE_HEAD = (
    r"(?P<head>officials?|sources?|spokesm[ae]n|spokeswom[ae]n|spokespersons?|diplomats?|analysts?|mediators?"
    r"|negotiators?)"
)
_SOURCE_WORDS = ("official", "source", "spokes", "diplomat", "analyst", "mediator", "negotiator")
_ASKS_WHICH_SOURCE = LazyPattern(
    r"^\W*"
    + _FILLER
    + r"(?:and |but |so )?(?:(?:which|what) (?:\w+ )?|who (?:is|was|are|were|'s|'re) (?:that|this|those"
    r"|these|the) (?:\w+ ){0,2})" + _SOURCE_HEAD + r"(?: exactly| then| though| specifically)?\W*$"
)
_THE_ARTICLE = LazyPattern(r"\b(?:this|that|the) (?:article|story|piece|page|report|text)\b")
# "how sure is the article?" about the answer in context, but not "…the article about the rockets?"
_THE_ARTICLE_ITSELF = LazyPattern(_THE_ARTICLE.pattern + r"(?! (?:about|on|regarding|over|concerning)\b)")
_CALLED = LazyPattern(
    r"^\W*who (?:called|described|labell?ed|termed) (?:it|that|this|them|those|these|him|her)"
    r" (?:as )?(?:an? )?(.+?)\W*$"
)
_REFERS_BACK = LazyPattern(r"\b(?:that|this|it|so|those|these|they|he|she|them|him|her)\b")
_PRONOUN_KIND: dict[str, tuple[Kind, ...]] = {
    **dict.fromkeys(("he", "him", "his", "himself", "she", "her", "hers", "herself"), ("person", "people")),
    **dict.fromkeys(("they", "them", "their", "theirs", "themselves"), ("group", "people", "person")),
    **dict.fromkeys(("it", "its", "itself"), ("place",)),  # a thing (see _rewrites) or a place; "they" for a group
    "there": ("place",),
    "then": ("time",),
}
_PERSONAL = frozenset(("he", "him", "his", "she", "her", "they", "them", "their"))
_POSSESSIVES = frozenset(("his", "her", "hers", "their", "theirs", "its"))
_BARE = LazyPattern(r"^\W*" + _FILLER + r"(?:and |but |so |then )?(" + _QWORD + r")(?: (?:exactly|then|though|now|again"
    r"|precisely|is that|was that|so|else))?\W*$")  # fmt: skip


def _whole_message(body: str) -> LazyPattern:
    """A pattern for a whole short message: chat fillers, a leading "and"/"but"/"so", then ``body``."""
    return LazyPattern(r"^\W*" + _FILLER + r"(?:and |but |so )?(?:" + body + r")\W*$")


# the bare question word in other words: "reason?", "in response to what?" ask why
_ASKS_WHY = _whole_message(
    r"(?:the |what(?:'s| is| was| were) (?:the |his |her |their |its )|for what |any |what |his |her |their |its )?"
    r"(?:reasons?|reasoning)(?: why)?"
    r"|(?:the |what(?:'s| is| was) the |any )?motives?"
    r"|in (?:response|reaction|reply|retaliation|return) (?:to|for) what|because of what|due to what"
    r"|what (?:caused|prompted|triggered|sparked) (?:it|that|this|them)"
)
# "about what?", "to do what?": what the answer was for, which the answer itself says or does not
_ASKS_PURPOSE = _whole_message(
    r"about what|to do what|doing what|to discuss what|to talk about what|for what purpose|on what|over what|for"
    r"|what(?:'s| was| is| were) (?:the|his|her|their|its) (?:point|purpose|aim|goal|agenda|objective)s?"
    r"(?: of (?:it|that|this|(?:the|that|this) (?P<of>[a-z]{4,})))?"
)
# "consequence?", "what came of it?": what the answer says followed from it
_ASKS_RESULT = _whole_message(
    r"(?:the |any |what(?:'s| is| was| were) the )?(?:consequences?|results?|outcomes?|effects?|impact|fallout)"
    r"(?: of (?:it|that|this))?|what came of (?:it|that|this)|what did (?:it|that|this) (?:lead to|cause|result in)"
)
_RESULT = LazyPattern(
    r"\b(?:lead(?:ing|s)? to|led to|result(?:ed|ing|s)? in|as a result|prompt(?:ed|ing|s)?|caus(?:ed|ing|es)|so that)\b"
)
_PURPOSE = LazyPattern(
    r"\b(?:(?:in order |so as )?to (?!be\b|have\b|the\b)[a-z]{3,}|discuss\w*|aim\w*|purpose|so that)\b"
)
_AGENT = _whole_message(r"who (?:did|does|has done|had done) (?:it|that|this)")
_EVENT = LazyPattern(
    r"^\W*" + _FILLER + r"(where|when|how|why)(?: exactly)? (?:did|does|will|would|was|is|has|had) (?:it|that|this)"
    r" (?:happen|take place|occur|start|begin|end|go down)\w*\W*$"
    # "what day was that?", "when was this?": when the event just answered was
    r"|^\W*" + _FILLER + r"(when|what day|what time|what date)(?: exactly)? (?:was|is|did) (?:it|that|this)"
    r"(?: exactly)?\W*$"
)
_WHICH_NOUN = LazyPattern(
    r"^\W*"
    + _FILLER
    + r"(?:(which|what) ([a-z]{3,}(?<!ed))(?: exactly| then)?|([a-z]{3,}s) (?:like|such as) (what))\W*$"
)  # not "what happened"; "concessions like what?" asks which concessions
_WHICH = frozenset(("which one", "which ones", "what kind", "what kinds", "what sort", "what sorts", "what type"))
# a message whose only pronouns are "this", "these", "it" ("all this", "is it a deadlock"), no person,
# group, place or time: "it" read confidently alone is the article or the situation
_ONLY_THIS = LazyPattern(
    r"^(?!.*\b(?:he|him|his|she|her|they|them|their|there|then|that|those)\b).*\b(?:this|these|it|its)\b"
)
_ONLY_THEY = LazyPattern(r"^(?!.*\b(?:he|him|his|she|her|it|its|there|then|that|this)\b).*\b(?:they|them|their)\b")
_ELSE = LazyPattern(r"\b(?:who|what|where|which|whom) else\b")  # "who else accuses Hamas?": besides the answer's
_AFTER = LazyPattern(r"\w \b(?:after|afterwards?|in response|in return|in reply|as a result|because of it)\W*$")
_PAST = LazyPattern(r"\b(?:others?|another|more|additional|further|else)\b")  # "any others?": past the answer
_AND_X = LazyPattern(
    r"^\W*" + _FILLER + r"(?:and|what about|how about|what abt|how abt|what of|and what about|and how about|same for"
    r"|what if it's)"
    r"\s+(.+?)\W*$"
)
# "and on Hamas's side?", "and the Israeli view?": the side itself ("and Hamas?")
_SIDE = LazyPattern(
    r"^(?:on |from |for )?(?:the )?(.+?)(?:'s|s'|’s)? (?:side|view|views|position|stance|take|perspective"
    r"|point of view|end|camp)$"
)
_REACTION = LazyPattern(r"^(?:the )?(.+?)(?:'s|s'|’s)? (response|responses|reaction|reactions|reply|answer)$")
# a fragment that only qualifies the last question: "even with a deal??", "even if they agree?", "not even
# after the talks?", "with or without an agreement?"
_QUALIFIER = LazyPattern(
    r"^\W*"
    + _FILLER
    + r"(?:(?:and |but )?(?:not )?even (?:if|with|without|after|before|though|when|so|despite|in|during"
    r"|then|now)\b|with or without\b|without (?:a|an|any|the)\b)(?!.*\?.*\w)"
)


def _asks_after_a_comma(text: str) -> bool:
    """Whether a clause after a comma opens a question of its own ("without the us, could a deal
    happen?"): the qualifier then opens a new question instead of qualifying the last one."""
    return any(_STARTS_ASKING.match(piece.strip()) for piece in text.split(",")[1:])


_X_TOO = LazyPattern(r"^\W*" + _FILLER + r"(.+?)(?: too| as well| also)\W*$")
_STARTS_ASKING = LazyPattern(
    r"^(?:" + _QWORD + r"|is|are|was|were|do|does|did|will|would|can|could|has|have|had|should)\b"
)
_LEADING_QUESTION = LazyPattern(
    r"^\W*(?:" + _QWORD + r")\b(?:\s+(?:is|are|was|were|do|does|did|will|would|can|could|has|have|had)\b)?\s*",
    re.IGNORECASE,
)
# Words that make a claim less than certain. Not the words that source one ("according to",
# "confirmed", "accused", "described"), nor plans ("plans", "intending"): the reply names the source
# already, and calling "confirmed" a hedge would tell the reader the opposite of what it says.
_HEDGES = LazyPattern(
    r"\b(suggest(?:s|ed)?|reportedly|claims?|claimed|alleged(?:ly)?|may|might|could|appears?|apparently"
    r"|purportedly|unconfirmed|yet to|no decision)\b",
    re.IGNORECASE,
)


_NUMBER = LazyPattern(
    r"\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens?|hundreds?|thousands?"
    r"|millions?)\b",
    re.IGNORECASE,
)
_KIND_OF = (
    (LazyPattern(r"\bhow (?:many|much)\b"), "how many"),
    (LazyPattern(r"\b(?:when|since when|until when|what time|what day|how long)\b"), "when"),
    (LazyPattern(r"\b(?:where|from where|where from|where to)\b"), "where"),
    (LazyPattern(r"\b(?:why|how come|what for)\b"), "why"),
    (LazyPattern(r"\b(?:who|whom|whose)\b"), "who"),
)


def _kind_of(question: str) -> str | None:
    """The kind of fact a question asks for, by its first question word (None: what, how, yes/no...)."""
    text = _plain(question)
    found = [(m.start(), kind) for pattern, kind in _KIND_OF if (m := pattern.search(text))]
    return min(found)[1] if found else None


# chat spells contractions without the apostrophe; only forms that are no English word otherwise
# ("its", "were", "well", "ill" are words of their own)
_BARE_CONTRACTIONS = {
    **{f"{w}s": f"{w}'s" for w in ("what", "that", "who", "where", "how", "when", "she", "there", "here")},
    **{f"{w}re": f"{w}'re" for w in ("they", "you", "what", "who")},
    **{f"{w}nt": f"{w}n't" for w in ("is", "are", "was", "does", "did", "do", "has", "have", "had", "could", "would")},
    "cant": "can't",
    "wont": "won't",
    "theyve": "they've",
    "hes": "he's",
}
_BARE_CONTRACTION = LazyPattern(r"\b(?:" + "|".join(sorted(_BARE_CONTRACTIONS, key=len, reverse=True)) + r")\b")

_OWN_STOP = _WORDS.not_content


def _own_words(message: str) -> list[str]:
    """A message's content words of four letters or more (not function words, pronouns or names)."""
    return [
        w
        for w in re.findall(r"[a-z]+", message.lower())
        if len(w) >= 4 and w not in _FUNCTION and w not in _OWN_STOP and w not in _PRONOUN_KIND
    ]


@lru_cache(maxsize=4096)
def _plain(text: str) -> str:
    """Lowercase with plain quotes and chat's apostrophe-less contractions restored ("whats" ->
    "what's"), for the cue patterns (the matcher normalises on its own)."""
    plain = " ".join(text.lower().replace("’", "'").replace("‘", "'").split())
    return _BARE_CONTRACTION.sub(lambda m: _BARE_CONTRACTIONS[m.group()], plain)


@dataclass(frozen=True, slots=True)
class _Cue:
    how: How
    aside: AsideKind | None = None
    qword: str | None = None  # ellipsis: the bare question word
    rest: str | None = None  # ellipsis: the "X" of "and X?"
    bare: bool = False  # "Israel?" alone: a follow-up only if it names something the article does
    word: bool = False  # "casualties?" alone: a word of the article that names no one, asked of the answer
    implicit: bool = False  # "who else…?", "…after?": leans on the answer without a pronoun
    which: bool = False  # "which demands?": which of the things the answer speaks of
    purpose: bool = False  # "about what?", "to do what?": what the answer was for
    of: str | None = None  # purpose: "what was the point of the meeting?": of what
    reworded: bool = False  # "reason?" for "why?": words that alone find something, asked as a question word
    event: bool = False  # "when did it start?": "it" is the event just answered
    result: bool = False  # "consequence?": what the answer says followed from it
    qualifier: bool = False  # "even with a deal?": the last question, qualified
    past: bool = False  # "who else?": besides what the answer gave
    side: bool = False  # "and Israel's side?", "the US view?": X's own account asked for in so many words


def cue(message: str) -> _Cue | None:
    """Why a message might be a follow-up; None (the common case) when nothing suggests it is."""
    text = _casual(_plain(message))
    if not text:
        return None
    short = len(text.split()) <= 3
    for kind, pattern in _ABOUT.items():
        # "who said that?" is about the answer; "who said we were very close?" is a question of its own
        # "how sure is the article?", "is the story reliable?": how sure it is of what it just said
        about_answer = (
            kind in ("more", "else_said")
            or short
            or _REFERS_BACK.search(text) is not None
            or (kind == "confidence" and _THE_ARTICLE_ITSELF.search(text) is not None)
        )
        if kind == "attribution" and _THE_ARTICLE.search(text):
            continue  # "who wrote this article?" asks about the article, not who said the answer
        if about_answer and pattern.search(text):
            return _Cue("else" if kind == "else_said" else "more" if kind == "more" else "about", aside=kind)  # type: ignore[arg-type]
    if m := _BARE.match(text):
        qword = {"who by": "by whom", "where at": "where", "from when": "since when"}.get(m.group(1), m.group(1))
        qword = re.sub(r"\bwho$", "whom", qword) if " " in qword else qword
        return _Cue("ellipsis", qword=qword, past=text.rstrip(" ?!.").endswith(" else"))
    if _ASKS_WHY.match(text):
        return _Cue("ellipsis", qword="why", reworded=True)
    if _ASKS_RESULT.match(text):
        return _Cue("ellipsis", rest=text.strip(" ?!."), result=True, reworded=True)
    if m := _ASKS_PURPOSE.match(text):
        return _Cue("ellipsis", qword="what for", purpose=True, reworded=True, of=m.group("of"))
    if _AGENT.match(text):  # "who did it?": by whom
        return _Cue("ellipsis", qword="by whom")
    if m := _EVENT.match(text):  # "where did it happen?": where (the answer is the event)
        return _Cue(
            "ellipsis",
            qword={"what day": "when", "what time": "when", "what date": "when"}.get(
                m.group(1) or m.group(2), m.group(1) or m.group(2)
            ),
            event=True,
        )
    if (m := _WHICH_NOUN.match(text)) and (noun := m.group(2) or m.group(3)) not in _FUNCTION | _PRONOUN_KIND.keys():
        return _Cue("ellipsis", qword=f"{m.group(1) or 'which'} {noun}", which=True)  # "which demands?"
    if _QUALIFIER.match(text) and not _asks_after_a_comma(text):  # "even with a deal?": the last question, qualified
        return _Cue("ellipsis", qualifier=True)
    if (m := _AND_X.match(text)) and not _STARTS_ASKING.match(m.group(1)):
        return _Cue("ellipsis", rest=_SIDE.sub(r"\1", m.group(1)), side=_SIDE.match(m.group(1)) is not None)
    if _PRONOUN.search(text):  # "what else was vague in it?": past what the answer gave
        return _Cue("pronoun", past=_ELSE.search(text) is not None)
    if _ELSE.search(text) or _AFTER.search(text):  # "who else accuses Hamas?", "what did Israel do after?"
        return _Cue("pronoun", implicit=True)
    if (m := _X_TOO.match(text)) and len(m.group(1).split()) <= 4 and not _STARTS_ASKING.match(m.group(1)):
        return _Cue("ellipsis", rest=m.group(1))
    if len(text.split()) <= 3 and not _STARTS_ASKING.match(text):  # "Israel?": "and X?" without the "and"
        # "any casualties?" is "casualties?" ("any others?" keeps its "others")
        rest = re.sub(r"^(?:any|some) (?=\w)", "", text.strip(" ?!."))
        return _Cue("ellipsis", rest=_SIDE.sub(r"\1", rest), bare=True, side=_SIDE.match(rest) is not None)
    return None


# ---------------------------------------------------------------------------
# Resolving: named readings, tried in a declared order


def resolve(
    message: str,
    state: ConversationState | None,
    kb: KnowledgeBase,
    matcher: Matcher,
    *,
    now: float,
    ttl: float = PRIVATE_TTL,
) -> Resolution:
    """Read ``message`` against ``state`` (None, expired or stale: on its own) and say what to answer.

    The readings are tried in order and the first that applies decides: those that need no context
    (:data:`_ON_ITS_OWN`, then thanks, which keep the context), those of a message with no
    follow-up cue (:data:`_WITHOUT_A_CUE`), then those of a message with one (:data:`_WITH_A_CUE`),
    whose last reading always answers. Addressing, thanks and acknowledgements that open or close the
    message ("hey bot", "thanks, what did he say?", "got it. when?") are no part of the question:
    the readings see the message without them, the resolution keeps the message as sent."""
    said = prepare(message, ENGLISH) or message
    resolution = _read(said, state, kb, matcher, now, ttl)
    if said == message:
        return resolution
    match = resolution.match
    asked = replace(match, query=message) if match.query == said else match
    understood = message if match.thanked else resolution.understood_as  # "ok got it, thanks" is all thanks
    return replace(resolution, message=message, match=asked, understood_as=understood)


def _read(
    message: str, state: ConversationState | None, kb: KnowledgeBase, matcher: Matcher, now: float, ttl: float
) -> Resolution:
    """``resolve`` for the message as matching reads it, with the name of the reading that decided."""
    for read_alone in _ON_ITS_OWN:
        if (resolution := read_alone(message, kb, matcher, now)) is not None:
            return _by(resolution, read_alone)
    alone = matcher.match(message)
    if alone.thanked:
        return replace(_acknowledged(message, alone, state, now, ttl), reading="acknowledged")
    if (in_parts := _in_parts(message, alone, state, kb, matcher, now, ttl)) is not None:
        return replace(in_parts, reading="in_parts")
    if state is not None and state.parts and not state.expired(now, ttl):
        state = _part_referred_to(message, state, kb)  # after a reply in parts: the part it is about
    entry = kb.get(state.entry_id) if state is not None else None
    if state is None or entry is None or state.expired(now, ttl):
        if (about := _about_x_alone(message, alone, kb, matcher, now)) is not None:
            return replace(about, reading="about_x_alone")
        unread = _of_no_answer(message, alone, kb)
        return replace(_fresh(message, unread, kb, now), reading="alone" if unread is alone else "of_no_answer")
    turn = _Turn(message, alone, state, entry, kb, matcher, lexicon(kb), now)
    found = cue(message)
    if found is None:
        for reading in _WITHOUT_A_CUE:
            if (resolution := reading(turn)) is not None:
                return _by(resolution, reading)
        return replace(turn.fresh(), reading="alone")
    found = _as_word(found, turn.lex)
    for cued in _WITH_A_CUE:
        if (resolution := cued(turn, found)) is not None:
            return _by(resolution, cued)
    raise AssertionError("the last reading always answers")  # pragma: no cover


def _by(resolution: Resolution, reading: Callable[..., Resolution | None]) -> Resolution:
    """The resolution, named by the reading that decided it (``ask --explain`` shows which)."""
    return replace(resolution, reading=reading.__name__.lstrip("_"))


def _of_no_answer(message: str, alone: Match, kb: KnowledgeBase) -> Match:
    """ "is it true?", "tell me more", "what else did he say?" with no answer before them (a first message,
    or after the context expired): about an answer there is none of, naming nothing of the article, so
    not understood ("I'm not sure what that refers to"), not whatever "true" half matches alone. A question
    of its own that alone finds its answer confidently ("who called it a crisis?") is that answer."""
    found = cue(message)
    if found is None or found.aside is None or lexicon(kb).find(message):
        return alone
    if len(_plain(message).split()) > ASIDE_WORDS:  # "who is the source for the claim that the talks hit a wall"
        return alone
    if alone.status == "answered" and alone.score >= SELF_CONTAINED:
        return alone
    return Match(alone.query, "no_match", 0.0, None, (), no_question=True, unclear=True)


@dataclass(frozen=True, slots=True)
class _Turn:
    """One message read against the answer in context: what every reading looks at."""

    message: str
    alone: Match  # the message matched on its own
    state: ConversationState
    entry: Entry  # the answer in context
    kb: KnowledgeBase
    matcher: Matcher
    lex: Lexicon  # the article's names
    now: float

    @property
    def understood(self) -> str:
        """The message as a question about the answer in context."""
        return f"{self.message.strip()} (about: {self.state.question})"

    @property
    def confident(self) -> bool:
        """Whether the message alone finds an answer well enough to stand on its own."""
        return self.alone.status == "answered" and self.alone.score >= SELF_CONTAINED

    def fresh(self) -> Resolution:
        """The message read on its own; the old context is not dragged in. One that finds nothing
        still moves the conversation on to the names it gives ("what's hamas's mood?", unanswered,
        then "where are they meeting?": Hamas), its answer otherwise unchanged."""
        read = _fresh(self.message, self.alone, self.kb, self.now)
        if read.state is None and (names := [n.text for n in self.lex.find(self.message)]):
            subjects = tuple(dict.fromkeys([*names, *self.state.subjects]))[:MAX_SUBJECTS]
            read = replace(read, state=replace(self.state, subjects=_shared(subjects), at=self.now))
        return read

    def the_answer_again(self) -> Match:
        """The answer in context, as the match to show again."""
        return Match(self.state.question, "answered", SELF_CONTAINED, self.entry, ())

    def about_it(self) -> Match:
        """The answer in context, as the match of a reply about it (its note, for a curated note)."""
        status: Status = "answered" if self.entry.covered else "no_match"
        return Match(self.state.question, status, 100.0, self.entry, ())

    @property
    def shown(self) -> tuple[Quote, ...]:
        """The quotes the answer in context showed (all of its own, for a state that lost them)."""
        return self.lex.shown(self.state) or self.entry.quotes

    @property
    def sentences(self) -> tuple[str, ...]:
        """Each quote shown in its whole sentence, once."""
        return tuple(dict.fromkeys(sentence_around(self.kb, q) for q in self.shown))

    def in_context(
        self,
        match: Match,
        how: How,
        understood: str | None = None,
        *,
        aside: Aside | None = None,
        state: ConversationState | None = None,
    ) -> Resolution:
        """A reply read against the answer in context; by default the conversation stays on that answer."""
        said = self.understood if understood is None else understood
        after = replace(self.state, at=self.now) if state is None else state
        return Resolution(self.message, said, match, how, context=self.state, aside=aside, state=after)


def _acknowledged(message: str, alone: Match, state: ConversationState | None, now: float, ttl: float) -> Resolution:
    """ "thanks!", "ok got it": acknowledged, and the conversation stays where it was ("why?" next
    still asks of the answer); "it" in "got it" is no pronoun to resolve."""
    kept = replace(state, at=now) if state is not None and not state.expired(now, ttl) else None
    return Resolution(message, message, alone, "new", state=kept)


def _as_word(found: _Cue, lex: Lexicon) -> _Cue:
    """A bare "casualties?" that names nothing of the article is a word asked of the answer."""
    if found.bare and not _named(found.rest or "", lex):
        return replace(found, word=True)
    return found


# -- readings that need no context


def _topic_change(message: str, kb: KnowledgeBase, matcher: Matcher, now: float) -> Resolution | None:
    """ "ok unrelated: ...": the speaker says the question is a new one, so it is read on its own,
    without the marker (which only confuses the matcher)."""
    if changed := _TOPIC_CHANGE.match(message):
        question = message[changed.end() :]
        alone = matcher.match(question)
        if (split := multi.read(question, alone, matcher)) is not None:  # "ok unrelated: who is X and what is Y?"
            return _answered_in_parts(message, split, kb, now, question)
        return _fresh(message, alone, kb, now, question)
    return None


def _who_else(message: str, kb: KnowledgeBase, matcher: Matcher, now: float) -> Resolution | None:
    """ "who else accuses Hamas?" names its subject: who accuses Hamas, read on its own (the answer
    just given is one of them; the others are what the article says)."""
    if (other := _without_else(message, kb)) is not None:
        return _fresh(message, matcher.match(other), kb, now, other)
    return None


_ON_ITS_OWN: tuple[Callable[[str, KnowledgeBase, Matcher, float], Resolution | None], ...] = (_topic_change, _who_else)


# -- readings of a message with no follow-up cue (the common case: one regular expression, then alone)


def _asked_past_the_answer(turn: _Turn) -> Resolution | None:
    """ "which other points were vague?" just after that answer: showing it again would pretend it
    says more; the honest reply is that the article gives no more about it."""
    if not _asks_past_the_answer(turn.message, turn.alone, turn.state, turn.entry):
        return None
    note = replace(turn.alone, status="no_match")
    return turn.in_context(note, "new", understood=turn.message)


def _pointing_back(turn: _Turn) -> Resolution | None:
    """ "was that official part of the negotiating team?": about the answer's official, whom the
    message alone matches only weakly elsewhere; the article says no more of them. Derived, not
    curated: "I couldn't find that", with the answer as the nearest thing."""
    if not _points_back(turn.message, turn.alone, turn.entry):
        return None
    return turn.in_context(Match(turn.state.question, "no_match", turn.alone.score, turn.entry, ()), "pronoun")


def _weakly_the_answer_again(turn: _Turn) -> Resolution | None:
    """ "has israel agreed to those guarantees?" just after the guarantees Hamas seeks: it points back
    at the answer's own thing ("those guarantees") and alone finds only that answer again, weakly; the
    answer does not say, and showing it again would pretend it does. Derived, not curated: "I couldn't
    find that", with the answer as the nearest thing."""
    alone = turn.alone
    if alone.entry is not turn.entry or alone.status != "answered" or alone.score >= SELF_CONTAINED:
        return None
    pointed = [m.group(2) for m in _THAT_NOUN.finditer(_plain(turn.message)) if m.group(1) not in ("the", "the same")]
    stems = _said_stems(turn.entry)
    if not any(noun not in _NOT_POINTING and ENGLISH.stem_of(noun) in stems for noun in pointed):
        return None
    return turn.in_context(Match(turn.state.question, "no_match", alone.score, turn.entry, ()), "pronoun")


def _unnamed_source_asked(turn: _Turn) -> Resolution | None:
    """ "which officials?", "who was that official?" after an answer whose source the article leaves
    unnamed ("two US officials"): the article does not say who; its note on that if it has one."""
    lower = turn.message.lower()
    if not any(head in lower for head in _SOURCE_WORDS):
        return None  # the common case, for the price of a few substring tests
    asked = _ASKS_WHICH_SOURCE.match(_casual(_plain(turn.message)))
    alone = turn.alone.entry
    if asked is None or (alone is not None and not alone.covered and turn.alone.score >= SELF_CONTAINED):
        return None  # alone it finds the article's note on it ("who are the two US officials?")
    head = ENGLISH.stem_of(asked.group("head"))
    unnamed = [
        s
        for s in turn.state.subjects
        if _unnamed(s, turn.lex) and head in {ENGLISH.stem_of(w) for w in s.lower().split()}
    ]
    if not unnamed:
        return None
    subject = unnamed[0]
    note = turn.matcher.match(f"{'are' if subject.endswith('s') else 'is'} {subject} named")
    if note.status != "no_match" or note.entry is None or note.entry.covered:
        note = Match(turn.state.question, "no_match", SELF_CONTAINED, turn.entry, ())
    return turn.in_context(note, "pronoun")


def _reaction_without_a_cue(turn: _Turn) -> Resolution | None:
    """ "how did hamas respond?": as :func:`_reaction_to_the_answer`, for a message with no cue."""
    return _reaction_to_the_answer(turn, None)


# "anything else about the rockets?", "more on the airstrikes", "what else does it say about rafah?": more
# about something named (not "more about that", the answer itself)
_MORE_ABOUT = LazyPattern(
    r"^\W*" + _FILLER + r"(?:(?:can you |could you |please )?tell me )?(?:anything|something|what|any|some)? ?"
    r"(?:else|more)(?: info| information| details)?(?: (?:do you know|does it say|does the article say|is there"
    r"|can you tell me))? (?:about|on|regarding) (?P<x>.+?)\W*$"
)


def _more_about(message: str) -> str | None:
    """What "anything else about X?" asks about: X, where X is no pronoun ("more about that" is the aside)."""
    lower = message.lower()
    if "else" not in lower and "more" not in lower:
        return None  # most messages: no pattern to run
    if (m := _MORE_ABOUT.match(_casual(_plain(message)))) is None:
        return None
    topic = m.group("x")
    return None if _PRONOUN.search(topic) or _THE_ARTICLE.search(topic) else topic


def _about_x_alone(message: str, alone: Match, kb: KnowledgeBase, matcher: Matcher, now: float) -> Resolution | None:
    """ "anything else about the rockets?" read as "tell me about the rockets", where the message as
    written finds no confident answer (its "anything else" only confuses the matcher)."""
    if (alone.status == "answered" and alone.score >= SELF_CONTAINED) or (topic := _more_about(message)) is None:
        return None
    asked = f"tell me about {topic}"
    match = matcher.match(asked)
    return _fresh(message, match, kb, now, asked) if match.status == "answered" else None


def _more_about_something(turn: _Turn) -> Resolution | None:
    """ "anything else about the rockets?": more of the answer in context where it speaks of them (as
    "tell me more"), else a question about them of its own (:func:`_about_x_alone`)."""
    topic = _more_about(turn.message)
    if topic is None:
        return None
    if turn.entry.covered and _asked_of(turn, topic):
        return _tell_me_more(turn)
    return _about_x_alone(turn.message, turn.alone, turn.kb, turn.matcher, turn.now)


def _asked_of(turn: _Turn, topic: str) -> bool:
    """Whether the last question (or the answer's own) asked about ``topic``: its name, else its words."""
    asked = f"{turn.state.question} {turn.entry.question}".lower()
    if names := _named(topic, turn.lex):
        return any(_says(asked, n.aliases) for n in names)
    stems = {ENGLISH.stem_of(w) for w in re.findall(r"[a-z]+", asked)}
    words = [w for w in re.findall(r"[a-z]+", topic.lower()) if len(w) > 3]
    return bool(words) and all(ENGLISH.stem_of(w) in stems for w in words)


def _settled_by_the_answer(turn: _Turn) -> Resolution | None:
    """ "and what did hamas want?" after why there was no Israeli delegation in Cairo: alone it could
    mean what Hamas wants in the talks or what it wanted of Israel in Cairo (a did-you-mean); the
    answer in context relates to the one (faq.json related), so that one is meant."""
    alone = turn.alone
    if alone.status != "ambiguous" or not alone.suggestions:
        return None
    near = [e for e in alone.suggestions if e.id in turn.entry.related and e is not turn.entry and e.covered]
    if len(near) != 1:
        return None
    entry = near[0]
    score = next((c.total for c in turn.matcher.explain(turn.message).scored if c.entry is entry), alone.score)
    match = Match(alone.query, "answered", round(score, 1), entry, ())
    after = turn.lex.state(entry, turn.message, turn.now)
    return Resolution(turn.message, turn.message, match, "new", context=turn.state, state=after)


_WITHOUT_A_CUE: tuple[Callable[[_Turn], Resolution | None], ...] = (
    _settled_by_the_answer,
    _more_about_something,
    _unnamed_source_asked,
    _reaction_without_a_cue,
    _asked_past_the_answer,
    _pointing_back,
    _weakly_the_answer_again,
)


# -- readings of a message with a follow-up cue


def _which_unnamed_source(turn: _Turn, found: _Cue) -> Resolution | None:
    """ "which officials tho?": as :func:`_unnamed_source_asked`, for a message with a cue."""
    return _unnamed_source_asked(turn)


def _about_the_answer(turn: _Turn, found: _Cue) -> Resolution | None:
    """ "who said that?", "where does it say that?", "is that true?", "tell me more", "what else did
    he say?": answered from the state's quotes (or, when they cannot say, read on its own)."""
    if found.aside is None:
        return None
    if found.aside == "more" and (note := _examples_not_given(turn)) is not None:
        return note
    return _aside(found.aside, turn) or turn.fresh()


_ASKS_EXAMPLES = _whole_message(
    r"like what|like|such as|for example|for instance|(?:any |some |give me an? )?examples?"
)


def _examples_not_given(turn: _Turn) -> Resolution | None:
    """ "like what?" after "Israel had softened some longstanding demands": it asks for examples,
    which faq.json says the answer never gives (it lacks what) and its quotes give none of ("…,
    including clarifying the duration…" would): the answer's honest "not in the article", as "which
    ones?" gets, not the paragraph around it as if that said."""
    entry = turn.entry
    if not entry.covered or "what" not in entry.lacks or not _ASKS_EXAMPLES.match(_casual(_plain(turn.message))):
        return None
    markers = _WORDS.example_markers
    if any(re.search(rf"\b{re.escape(m)}\b", q.text.lower()) for q in turn.shown for m in markers):
        return None
    return turn.in_context(Match(turn.state.question, "no_match", SELF_CONTAINED, entry, ()), "ellipsis")


# "what did they say exactly?": the exact words of whoever the answer just quoted ("what did they
# say?" alone may ask for more of their words than the answer shows)
_ASKS_THEIR_WORDS = _whole_message(
    r"what (?:exactly|precisely) did (?P<p>he|she|they) (?:say|tell (?:them|us|you))"
    r"|what did (?P<q>he|she|they) (?:say|tell (?:them|us|you)) (?:exactly|precisely|word for word)"
)


def _their_words_just_shown(turn: _Turn, found: _Cue) -> Resolution | None:
    """ "what did they say exactly?" after an answer that quotes them ("two US officials suggested
    that parties were still reviewing…"): their words are the quotes just shown, so the answer again,
    not the first of the article's other quotes by someone "they" might be."""
    asked = _ASKS_THEIR_WORDS.match(_casual(_plain(turn.message)))
    if asked is None or not turn.entry.covered:
        return None
    kinds = _PRONOUN_KIND[asked.group("p") or asked.group("q")]
    speakers = [n for q in turn.shown if not _ARTICLE_SELF.match(q.attribution) for n in turn.lex.find(q.attribution)]
    if not any(n.kind in kinds for n in speakers):
        return None
    return turn.in_context(turn.the_answer_again(), "pronoun")


def _keywords_found_alone(turn: _Turn, found: _Cue) -> bool:
    """ "hamas rocket fire", "summary", "death toll": keywords that find their answer (or their note)
    confidently alone. One word finding a note is asked of the answer only if the answer or one
    related to it speaks of it ("casualties?" after the rocket attack)."""
    reaction = _REACTION.match(found.rest or "")
    if not found.bare or (reaction and _is_name(reaction.group(1), turn.lex)):
        return False
    if turn.confident:
        return True
    rest = found.rest or ""
    return (
        turn.alone.entry is not None
        and turn.alone.score >= SELF_CONTAINED
        and (" " in rest or not _near(rest, turn.entry, turn.kb))
    )


# the pronouns that stand for someone or something ("it", "they", "his"), not "this" or "then"
_REFERRING = frozenset(_PRONOUN_KIND) - {"this", "that", "these", "those", "then", "there"}


def _confident_without_a_name(turn: _Turn, found: _Cue) -> bool:
    """ "who published this?", "was there a ceasefire afterwards": a message leaning on the answer
    with no person in it ("who else", "after", only "this"/"it") that finds its entry confidently.
    Not a personal pronoun in a message naming nothing, which can only stand for the answer's subject: "will it
    happen regardless of a deal?" after the Rafah offensive finds, alone, whether a deal is close; its
    rewrite is weighed against that."""
    return (
        (not _REFERRING.intersection(re.findall(r"[a-z]+", _plain(turn.message))) or bool(turn.lex.find(turn.message)))
        and not found.event
        and (found.implicit or bool(_ONLY_THIS.match(_plain(turn.message))))
        and turn.alone.entry is not None
        and turn.alone.score >= SELF_CONTAINED
    )


def _foreign_word(turn: _Turn, found: _Cue) -> bool:
    """It asks about something the article never mentions: no context makes the article answer it."""
    return turn.lex.foreign(_plain(turn.message))


def _which_of_nothing_said(turn: _Turn, found: _Cue) -> bool:
    """ "which demands?" asks of the answer only if the answer speaks of demands."""
    return found.which and not _mentions(turn.entry, (found.qword or "").split()[-1], turn.lex)


def _and_x_of_no_name(turn: _Turn, found: _Cue) -> bool:
    """ "what about the West Bank?", "what about the captives?": no name of the article to swap in (or
    a whole question's worth of words), and it finds its answer (or its note) confidently alone."""
    return (
        found.rest is not None
        and not found.bare
        and (not _named(found.rest, turn.lex) or len(found.rest.split()) >= 4)
        and turn.alone.entry is not None
        and turn.alone.status != "ambiguous"
        and turn.alone.score >= SELF_CONTAINED
    )


def _question_word_answered_alone(turn: _Turn, found: _Cue) -> bool:
    """ "what now?": a bare question word that answers itself (not "which ones?", "which demands?")."""
    if found.qword is None or found.which or found.reworded or found.event or found.past or found.qword in _WHICH:
        return False  # "who else?" asks past the answer: not a question of its own
    return turn.confident


def _words_of_no_name(turn: _Turn, found: _Cue) -> bool:
    """A bare message naming nothing of the article is asked of the answer only as one or two of its
    own words ("casualties?"); more, or none, are read alone."""
    rest = found.rest or ""
    return found.word and (len(rest.split()) > 2 or not _own_words(rest))


def _pronoun_named_in_message(turn: _Turn, found: _Cue) -> bool:
    """Cheap checks first: a pronoun whose name comes before it in the message ("how old is Netanyahu
    and how long has he led Israel?"), or a confident answer to a question that names its own
    subject ("who is Bill Burns and who did he meet?"), needs no rewrite."""
    if found.how != "pronoun" or _leaves_its_place_open(turn):
        return False
    return _has_antecedent(turn.message, turn.lex) or (turn.confident and _names_its_referent(turn.message, turn.lex))


def _concerns_its_place(turn: _Turn, match: Match) -> bool:
    """Whether a rewrite's entry is about the answer's place, which "there" stands for."""
    return match.entry is not None and turn.lex.concerns(match.entry, _places_in_context(turn)[:1])


def _places_in_context(turn: _Turn) -> list[str]:
    """The places the answer in context is about: what "there" stands for."""
    return [s for s in turn.state.subjects if (n := turn.lex.name(s)) is not None and n.kind == "place"]


def _leaves_its_place_open(turn: _Turn) -> bool:
    """ "what does hamas want from israel there?" after the talks in Cairo: "there" is the answer's place
    (Cairo), which the message does not name and its reading alone (what Hamas wants in a deal) is not
    about; the names it gives are no place, so they do not make it a question of its own."""
    words = re.findall(r"[a-z]+", _plain(turn.message))
    if "there" not in words or any(n.kind == "place" for n in turn.lex.find(turn.message)):
        return False
    places = _places_in_context(turn)
    alone = turn.alone.entry
    return bool(places) and (alone is None or not turn.lex.concerns(alone, places[:1]))


def _names_its_referent(message: str, lex: Lexicon) -> bool:
    """Whether the message names someone its pronoun may stand for ("who is Bill Burns and who did he
    meet?"). A name that "he" or "she" cannot stand for leaves the pronoun to the context: "does the US
    agree with him?" names no person, so "him" is still the one the answer was about."""
    names = lex.find(message)
    text = _plain(message)
    pronoun = next((m.group(1) for m in _PRONOUN.finditer(text) if m.group(1) in _PRONOUN_KIND), None)
    kinds = _PRONOUN_KIND.get(pronoun or "", ())
    return bool(names) and (not kinds or kinds[0] != "person" or any(n.kind in kinds for n in names))


def _pronoun_about_the_same_people(turn: _Turn, found: _Cue) -> bool:
    """A pronoun message answered confidently alone, by an entry about the context's own two most
    salient subjects: nothing to fill in. A source the answer merely cites (and its question did not
    name) is not what it is about: "are they coming back?" after "who walked out of the cairo talks"
    asks of the delegation, not of whatever else "senior Hamas officials" are cited for."""
    alone = turn.alone.entry
    if found.how != "pronoun" or not turn.confident or alone is None or _leaves_its_place_open(turn):
        return False
    cited = {n.text for q in turn.shown for n in turn.lex.find(q.attribution)}
    asked = {n.text for n in turn.lex.find(turn.state.question)}
    salient = [s for s in turn.state.subjects if s in asked or s not in cited][:2]
    return turn.lex.headline(alone, salient)


def _they_in_general(turn: _Turn, found: _Cue) -> bool:
    """ "why can't they reach a deal?": "they" answered confidently alone, after a question that named
    no one and nothing ("when did they start?" after "how long have the negotiations lasted?" asks of
    the negotiations), is the sides in general."""
    persons = [s for s in turn.state.subjects if (n := turn.lex.name(s)) is not None and n.kind == "person"]
    return (
        found.how == "pronoun"
        and turn.confident
        and bool(_ONLY_THEY.match(_plain(turn.message)))
        and not turn.lex.find(turn.state.question)
        and not _things(turn.state.question, turn.lex)
        and len(persons) < 2  # an answer about two people: "they" are the two of them
    )


# Each rule says the message stands on its own despite its cue; any one of them is enough. They
# all lead to the same reply, so their order is only that of their cost.
_STANDS_ALONE: tuple[Callable[[_Turn, _Cue], bool], ...] = (
    _keywords_found_alone,
    _confident_without_a_name,
    _foreign_word,
    _which_of_nothing_said,
    _and_x_of_no_name,
    _question_word_answered_alone,
    _words_of_no_name,
    _pronoun_named_in_message,
    _pronoun_about_the_same_people,
    _they_in_general,
)


def _which_it_only_mentions(turn: _Turn, found: _Cue) -> Resolution | None:
    """ "what reports?" after "reports suggest a Hamas delegation may return…", "what complications
    exactly?" after "…leading to further complications": the answer speaks of them in passing (neither
    the question asked nor the answer's own question is about them) and never says which, so the
    honest reply is that the article does not say, not the same answer again. Where alone the message
    confidently finds another entry, that entry may say which: read as usual."""
    if not found.which or not turn.entry.covered:
        return None
    noun = (found.qword or "").split()[-1]
    stem = ENGLISH.stem_of(noun)
    asked = f"{turn.state.question} {turn.entry.question}".lower()
    if any(ENGLISH.stem_of(w) == stem for w in re.findall(r"[a-z]+", asked)) or _lists_them(turn.entry, noun):
        return None
    alone = turn.alone.entry
    if alone is not None and alone is not turn.entry and turn.confident:
        return None
    return turn.in_context(Match(turn.state.question, "no_match", SELF_CONTAINED, turn.entry, ()), "ellipsis")


def _standing_alone(turn: _Turn, found: _Cue) -> Resolution | None:
    """A follow-up cue that the message does not need (see :data:`_STANDS_ALONE`): read on its own."""
    return turn.fresh() if any(rule(turn, found) for rule in _STANDS_ALONE) else None


def _account_of_x(turn: _Turn, found: _Cue) -> Resolution | None:
    """ "and Israel?", "and Israel's side?" after an answer told by others ("…have hit a roadblock…,
    according to senior Hamas officials") to a question naming no one to put X in place of (or, asked
    as "X's side", naming X itself): X's own account of the same thing, the entry quoting a source of X's ("an Israeli
    official", by name or as its people) that shares most of the answer's words; None (read as usual)
    where the article quotes no one of X's, or the answer is X's own words."""
    rest = found.rest
    if rest is None or found.word or not _is_name(rest, turn.lex):
        return None
    names = _named(rest, turn.lex)
    sources = [q.attribution for q in turn.shown if not _ARTICLE_SELF.match(q.attribution)]
    if len(names) != 1 or not sources or any(_speaks_for(a, names[0]) for a in sources):
        return None
    asked = turn.lex.find(turn.state.question)
    if asked and (names[0] not in asked or not found.side) and not _asked_what_they_said(turn, asked, sources):
        # "and hamas?" after "what does netanyahu want?": Hamas in Netanyahu's place (the rewrites); after
        # "who accused hamas…?" "what about hamas?" is what Hamas said back, not only its sources' words
        return None
    context = _said_stems(turn.entry) - {ENGLISH.stem_of(a) for a in names[0].aliases}
    best: tuple[int, int, Entry] | None = None
    for entry in turn.kb.entries:
        if entry is turn.entry or not entry.covered:
            continue
        own = [q.text for q in entry.quotes if _speaks_for(q.attribution, names[0])]
        if not own:
            continue
        # X's own words on the answer's matter, in the entry that quotes others least
        said = {ENGLISH.stem_of(w) for w in re.findall(r"[a-z][a-z'-]+", " ".join(own).lower())}
        score = (len(context & said), len(own) - len(entry.quotes))
        if best is None or score > best[:2]:
            best = (*score, entry)
    if best is None or best[0] < MIN_SHARED_STEMS:
        return None
    entry = best[2]
    match = Match(entry.question, "answered", SELF_CONTAINED, entry, ())
    speaker = next(
        (
            n.text
            for q in entry.quotes
            if _speaks_for(q.attribution, names[0])
            for n in turn.lex.find(q.attribution)
            if n.kind in ("person", "people") and _speaks_for(n.text, names[0])
        ),
        None,
    )  # shown as what that source said: "what did an Israeli official say"
    understood = f"what did {speaker} say" if speaker else f"{turn.message.strip()} (about: {turn.state.question})"
    after = turn.lex.state(entry, entry.question, turn.now)
    return Resolution(turn.message, understood, match, "ellipsis", context=turn.state, state=after)


def _asked_what_they_said(turn: _Turn, asked: list[Name], sources: list[str]) -> bool:
    """ "what did the two US officials say?", "what did the us say about the talks?": the question asked
    what the answer's own sources said, naming no one but them, so "and Israel?" asks what Israel's
    side says of it, with no one else's name in the question to swap Israel in for."""
    return bool(_SAYING.search(_plain(turn.state.question))) and all(
        any(_speaks_for(a, n) for a in sources) for n in asked
    )


MIN_SHARED_STEMS = 3  # X's account must share this many words with the answer to be about the same thing


def _speaks_for(attribution: str, name: Name) -> bool:
    """Whether an attribution names ``name``'s side: the name, or its people ("israeli"). An acronym that
    is also a word counts in capitals or after "the", as :meth:`Lexicon.find` reads it: "two US officials",
    not "told us"."""
    endings = "|".join(map(re.escape, _WORDS.demonym_endings))
    lower = attribution.lower()
    for alias in name.aliases:
        acronym = name.text.isupper() and len(alias) <= 3 and alias == name.text.lower()
        for m in re.finditer(rf"(?<!\w){re.escape(alias)}(?:{endings})?(?!\w)", lower):  # "u.s." ends on a dot
            as_word = attribution[m.start() : m.start() + len(alias)] != name.text
            if not (acronym and as_word and not lower[: m.start()].endswith("the ")):
                return True
    return False


def _side_of_the_answer(turn: _Turn, found: _Cue) -> Resolution | None:
    """ "and on Hamas's side?" after "what signs of progress?", an answer that speaks of Hamas but
    asked about no one to swap Hamas in for: that answer again, where it says it."""
    if (
        found.rest is None
        or not turn.entry.covered
        or not _side_of_answer(found.rest, turn.state, turn.entry, turn.lex)
    ):
        return None
    return turn.in_context(turn.the_answer_again(), "ellipsis")


def _purpose_of_the_answer(turn: _Turn, found: _Cue) -> Resolution | None:
    """ "about what?", "to do what?" after "Burns met Al Thani in Doha": what the answer says it was
    for, where its quotes say ("to discuss restarting the talks"); after someone's words, what the
    article says around them; else honestly not in the article."""
    if not found.purpose or not turn.entry.covered:
        return None
    if found.of is not None and ENGLISH.stem_of(found.of) not in _said_stems(turn.entry):
        return turn.fresh()  # "what was the point of the talks?" after an answer about no talks
    if any(_PURPOSE.search(q.text) for q in turn.entry.quotes):
        return turn.in_context(turn.the_answer_again(), "ellipsis")
    if turn.state.more == 0 and any(not _ARTICLE_SELF.match(q.attribution) for q in turn.shown):
        return _tell_me_more(turn)  # "about what?" after someone's words: what the article says around them
    return turn.in_context(Match(turn.state.question, "no_match", SELF_CONTAINED, turn.entry, ()), "ellipsis")


def _result_of_the_answer(turn: _Turn, found: _Cue) -> Resolution | None:
    """ "consequence?" after "Hamas did not provide the requested response, leading to further
    complications": the answer again, where its quotes say what followed; else read as usual."""
    if not found.result or not turn.entry.covered or not any(_RESULT.search(q.text) for q in turn.entry.quotes):
        return None
    return turn.in_context(turn.the_answer_again(), "ellipsis")


# "how did hamas react?", "what did israel do in response?": X's reaction to what was just answered
_ASKS_REACTION = _whole_message(
    r"how did (?P<x>[a-z' ]+?) (?:react|respond|reply|take it|take that)"
    r"(?: to (?:that|this|those|these|it|them)(?: [a-z]+){0,2})?"  # "...react to those threats?"
    r"|what did (?P<y>[a-z' ]+?) do (?:in response|about it|about that|then|next)"
)
# how an article says one thing answered another: "...prompted Hamas to harden its demands"
_MADE_TO = r"(?:prompt(?:ed|ing|s)|led|pushed|forced|drove|caused) {x} to"  # what made X do it: its cause
_REACTED = _MADE_TO + r"|{x} (?:responded|reacted|replied|retaliated)"


def _reaction_to_the_answer(turn: _Turn, found: _Cue | None) -> Resolution | None:
    """ "how did Hamas react?" / "and Hamas's reaction?" after Netanyahu's Rafah threat: the entry
    whose quotes say the answer's event made X do something ("…threats of military action in Rafah
    prompted Hamas to harden its demands"), where it shares more of the answer's words than what the
    message alone finds; None (read as usual) where the article says no such thing."""
    lower = turn.message.lower()
    if not any(w in lower for w in ("react", "respon", "repl", " do ", "take ")):
        return None  # the common case, for the price of a few substring tests
    asked = _ASKS_REACTION.match(_casual(_plain(turn.message)))
    reaction = _REACTION.match(found.rest or "") if found is not None else None
    who = (asked.group("x") or asked.group("y")) if asked else reaction.group(1) if reaction else None
    names = [turn.lex.people_of(n) for n in _named(who, turn.lex)] if who else []
    if not names:
        return None
    reacting = turn.lex.reacting(names[0])
    context = _said_stems(turn.entry) - {ENGLISH.stem_of(a) for a in names[0].aliases}
    best: tuple[int, Entry] | None = None
    for entry in reacting:
        if entry is turn.entry:
            continue
        shared = len(context & _said_stems(entry))
        if best is None or shared > best[0]:
            best = (shared, entry)
    alone = turn.alone.entry
    if best is None or best[1] is alone:
        return None
    if reaction is not None:  # "and Israel's response?": as "how did Israel respond?" would find it
        alone = turn.matcher.match(
            f"how did {who} {'react' if reaction.group(2).startswith('reacti') else 'respond'}"
        ).entry
    if alone in reacting:
        return None  # alone it finds X's reaction already ("how did israel respond?": the airstrikes)
    if alone is not None and len(context & _said_stems(alone)) >= best[0]:
        return None  # what the message finds alone is as much about the answer
    entry = best[1]
    understood = f"{turn.message.strip()} (about: {turn.state.question})"
    match = Match(entry.question, "answered", SELF_CONTAINED, entry, ())
    return Resolution(
        turn.message,
        understood,
        match,
        "ellipsis",
        context=turn.state,
        state=turn.lex.state(entry, entry.question, turn.now),
    )


@dataclass(frozen=True, slots=True)
class _Reading:
    """A rewrite of the message with the context filled in, and what it found."""

    text: str
    match: Match
    itself: bool = False  # the answer in context, which already gives what a bare question word asks
    shown: str | None = None  # how it is shown as understood, where ``text`` has words glued on
    framed: bool = False  # "and X?" as the last question about X, which nothing answers confidently


def _the_answer_itself(turn: _Turn, found: _Cue) -> _Reading:
    """The answer in context as the reading of a bare question word it already answers ("by whom?")."""
    return _Reading(f"{found.qword}? (about: {turn.state.question})", turn.the_answer_again(), itself=True)


def _rewritten(turn: _Turn, found: _Cue) -> Resolution:
    """The message rewritten with the context filled in (the last reading: it always answers). The
    best rewrite is weighed against the message alone, then checked that it gives what was asked.
    Where that finds nothing and the message alone is a did-you-mean, the answer in context may
    settle which of its entries is meant ("anything positive?" after how long the talks lasted: the
    earlier progress, which that answer lists as related)."""
    read = _rewrite_read(turn, found)
    if read.answered or read.match.entry is not None or turn.alone.status != "ambiguous":
        return read  # an answer, or an honest "not in the article" note
    return _settled_by_the_answer(turn) or read


def _rewrite_read(turn: _Turn, found: _Cue) -> Resolution:
    """:func:`_rewritten` before a did-you-mean alone is settled by the answer in context."""
    best = _best_rewrite(turn, found)
    if found.qword is not None and (best is None or best.match.status != "answered") and _gives_here(turn, found.qword):
        # "by whom?" after "Kerem Shalom is where Hamas's rockets killed three soldiers": the answer
        # already says, where the rewrites find only a note about something else
        best = _the_answer_itself(turn, found)
    if best is not None and _the_answer_says_it(turn, found, best):
        best = _the_answer_itself(turn, found)
    itself = best is None or best.match.status != "answered" or best.match.entry is turn.entry
    if found.qword == "why" and itself and (cause := _cause_of(turn)):
        # "what triggered it?": no rewrite answers but the answer again, whose own words say what made them
        # do it; the article's note on what triggered the war, which the words alone find, asks of no answer
        return cause
    if best is None:
        return turn.fresh()
    # "what about the US?" alone finds who Bill Burns is (89.1), which never names the US: a guess, not
    # the question, which is the last one about the US
    alone = turn.alone.entry
    guess = best.framed and not (alone is not None and _mentions(alone, found.rest or "", turn.lex))
    weighed = None if guess else _weighed_against_alone(turn, found, best)
    if weighed is not None:
        return weighed
    reading = _checked(turn, found, best)
    turned_away = reading.match.status != "answered" and reading.match.entry is turn.entry and not reading.itself
    if found.qword is not None and turned_away and (beside := _told_beside_the_answer(turn, found.qword)):
        return beside
    if reading.itself or reading.match.entry is None or reading.match.status != "answered":
        # the answer itself, or "not in the article": the conversation is still about what was last answered
        next_state = replace(turn.state, at=turn.now)
    else:
        # a reading with words glued on is kept as no question: the last one (the same answer) or the
        # answer's own question, which the next follow-up can read ("and qatar?" after "what for?")
        entry = reading.match.entry
        kept = reading.text if reading.shown is None else turn.state.question if entry is turn.entry else entry.question
        next_state = turn.lex.state(entry, kept, turn.now)
    understood = reading.shown or reading.text
    again = found.qword == "why" and reading.match.entry is turn.entry and reading.match.status == "answered"
    if again and (cause := _cause_of(turn, understood)):  # "why?": the answer's own sentence giving the cause
        return cause
    return Resolution(turn.message, understood, reading.match, found.how, context=turn.state, state=next_state)


# "what are they doing before that?", "where were they after this?": what the article tells around the
# answer's event (not a yes/no question: "did Burns fly to Cairo after?" asks one fact)
_AROUND = LazyPattern(r"^\W*" + _FILLER + r"(?:what|where|who)\b.*\b(?:before|after) (?:that|this|then)\W*$")


def _asks_around(turn: _Turn) -> bool:
    """Whether a message whose rewrite found nothing asks what happened just before or after the answer
    in context: the paragraphs around its quotes tell that ("tell me more"), where the answer is an
    answer and more was not asked yet."""
    return turn.entry.covered and turn.state.more == 0 and _AROUND.match(_plain(turn.message)) is not None


def _around_the_answer(turn: _Turn, found: _Cue) -> Resolution | None:
    """ "what are they doing before that?": the paragraphs around the answer's quotes (see :func:`_asks_around`)."""
    return _tell_me_more(turn) if _asks_around(turn) else None


def _told_beside_the_answer(turn: _Turn, qword: str) -> Resolution | None:
    """ "from where?" after "such rocket attacks have been rare": the answer does not say (its reading
    was turned away), and the first entry the answer lists as related that quotes the same paragraph
    gives it ("Hamas fired approximately ten rockets from the Rafah area"): the same event's detail,
    told beside the answer. None where no such entry does."""
    kind = _kind_of(qword)
    if kind not in ("where", "when", "who", "how many") or kind.replace(" ", "_") in turn.entry.lacks:
        return None  # faq.json says the answer lacks it: the article does not tell
    paragraphs = {q.paragraph for q in turn.shown if q.paragraph}
    for rid in turn.entry.related:
        entry = turn.kb.get(rid)
        if entry is None or not entry.covered or not paragraphs & {q.paragraph for q in entry.quotes}:
            continue
        gives = turn.lex.gives(entry, kind) and not turn.lex.lacks(entry, kind)
        # ...of the one asked about: not the Monday another quote of the paragraph gives someone else
        if gives and _tells_it_of(turn.lex, entry, kind, turn.state.question):
            match = Match(entry.question, "answered", SELF_CONTAINED, entry, ())
            understood = f"{qword}? (about: {turn.state.question})"
            after = turn.lex.state(entry, entry.question, turn.now)
            return Resolution(turn.message, understood, match, "ellipsis", context=turn.state, state=after)
    return None


def _tells_it_of(lex: Lexicon, entry: Entry, kind: str, question: str) -> bool:
    """Whether the time (when) or place (where) an entry's quotes name is told of whom ``question`` asks
    about: a quote naming it also names them (True where the question names no one, or another kind is
    asked). Stricter than :func:`_gives_it_of`: the entry was not what was asked."""
    wanted = {"when": "time", "where": "place"}.get(kind)
    asked_of = {n.text for n in lex.find(question) if n.kind != wanted}
    if wanted is None or not asked_of:
        return True
    return any(
        any(n.kind == wanted for n in named) and asked_of & {n.text for n in named}
        for named in (lex.find(q.text) for q in entry.quotes)
    )


def _cause_of(turn: _Turn, understood: str | None = None) -> Resolution | None:
    """ "why?" answered by the answer's own sentence giving the cause (see :func:`_cause_quotes`), not
    all of it; None where its quotes give none, or faq.json says it lacks why."""
    causes = () if "why" in turn.entry.lacks or not turn.entry.covered else _cause_quotes(turn)
    if not causes:
        return None
    sentences = tuple(dict.fromkeys(sentence_around(turn.kb, q) for q in causes))
    aside = Aside("cause", turn.entry, causes, sentences=sentences)
    return turn.in_context(turn.about_it(), "ellipsis", understood, aside=aside)


def _the_answer_says_it(turn: _Turn, found: _Cue, best: _Reading) -> bool:
    """ "when?" after "Hamas's leadership plans to convene in Doha on Monday…": the answer's own quotes
    name the time (or the place, for "where?"), so a rewrite finding another entry's time (Tuesday's
    return to Cairo) answers a question nobody asked."""
    if found.qword not in ("when", "where", "why") or found.event or not turn.entry.covered:
        return False
    if found.qword in turn.entry.lacks:
        return False  # not where faq.json says the answer does not give it ("where did the team go?")
    if best.match.entry is turn.entry or best.match.status != "answered":
        return False
    if found.qword == "why":
        return _the_answer_gives_the_cause(turn)
    wanted = "time" if found.qword == "when" else "place"
    return any(n.kind == wanted for q in turn.shown for n in turn.lex.find(q.text))


def _the_answer_gives_the_cause(turn: _Turn) -> bool:
    """ "why?" after "what does hamas want now?", whose answer quotes "Netanyahu's repeated threats…
    prompted Hamas to harden its demands": the answer's own words say what made the one asked about do
    it, so they are the reason, not another entry's glued-on reading."""
    return bool(_cause_quotes(turn))


def _cause_quotes(turn: _Turn) -> tuple[Quote, ...]:
    """The quotes shown that say what made the one the last question asked about do it (see
    :func:`_the_answer_gives_the_cause`); "why?" is answered by them, not by the whole answer again."""
    asked = turn.lex.find(turn.state.question)
    if not asked:
        return ()
    made = re.compile(_MADE_TO.format(x=rf"(?:{'|'.join(map(re.escape, asked[0].aliases))})"))
    return tuple(q for q in turn.shown if made.search(q.text.lower()))


def _best_rewrite(turn: _Turn, found: _Cue) -> _Reading | None:
    """The best-scoring rewrite, tier by tier from the most faithful down (see :func:`_rewrites`).

    A pronoun message the matcher already answers confidently on its own is most likely a new
    question: only its most faithful rewrite is worth a match (one, not four)."""
    best: tuple[str, Match, float] | None = None
    weak: tuple[str, Match, list[Scored]] | None = None  # X's reading of the last question, found only half
    confident = found.how == "pronoun" and turn.confident
    tiers, glued = _rewrites(turn.message, found, turn.state, turn.entry, turn.lex)
    for level, tier in enumerate(tiers):
        if not tier:
            continue  # "when did they start?" after an answer that names no one: no one to put in
        limit = 1 if confident else len(tier)
        for n, text in enumerate(tier):
            if n >= limit:
                break
            if best is not None and best[2] >= MAX_SCORE - REWRITE_ORDER_PENALTY * n:
                break  # no later rewrite of the tier can beat it
            explained = turn.matcher.explain(text)  # scored once: the match and, for X's own entry, its rivals
            match = explained.match
            if (
                found.rest is not None
                and match.entry is turn.entry
                and (other := _xs_own_entry(turn, found, text, explained.scored))
            ):
                match = other  # "why did the israel delegation leave cairo?": the answer just given lacks why
            if (
                found.rest is not None
                and match.entry is turn.entry
                and not _again(turn.entry, found.rest, turn.state, turn.lex)
            ):
                continue  # "and the US?" is not the same answer again, unless that answer is about the US too
            if level and found.how == "pronoun" and match.status == "answered" and match.score < SELF_CONTAINED:
                continue  # the question glued to the last one's words: worth an answer only when confident
            if found.rest is not None and match.status == "answered" and match.score < SELF_CONTAINED:
                if level == 0 and weak is None:
                    weak = (text, match, explained.scored)
                continue  # "and Israel?" after "who did Bill Burns meet?": "who did Israel meet" half matches a
                # concession of Israel's; an "and X?" reading answers only where its entry answers it confidently
            if level and found.how == "pronoun" and match.entry is turn.entry and _asks_a_reason_not_given(turn):
                continue  # "why did Hamas do it" glued to "what happened to the soldiers": found by its words
            # Most faithful first: a later rewrite of the same tier must win clearly, not by a point.
            value = _value(match) - REWRITE_ORDER_PENALTY * n
            if level == 0 and found.how == "pronoun" and _misses_its_words(turn, match, text):
                value -= UNCOVERED_PENALTY
                limit = len(tier)  # even a message read confidently alone: the next referent's reading too
            if best is None or value > best[2]:
                best = (text, match, value)
        if confident or (best is not None and best[1].entry is not None):
            break  # a looser tier is only for when no faithful reading finds anything
        if weak is not None and _same_frame(weak[0], turn.state.question, found.rest or ""):
            # "what about the US?" after "what does israel want?": "what does the US want?" half matches
            # Netanyahu's positions; the question is that one, not "what did the US say" of a looser tier
            text, match, top = weak
            near = tuple(c.entry for c in top[:3] if c.entry is not turn.entry and c.total >= top[0].total - 10)
            nearest = near or ((match.entry,) if match.entry is not None else ())
            return _Reading(text, Match(text, "no_match", match.score, None, nearest), framed=True)
    return None if best is None else _Reading(best[0], best[1], shown=glued.get(best[0]))


UNCOVERED_PENALTY = 20.0


def _misses_its_words(turn: _Turn, match: Match, text: str) -> bool:
    """ "what's he planning" read as Abu Marzouk's: the answer found (who he is) never speaks of planning,
    so the checks would turn it away; a later referent's reading whose answer does (Netanyahu's offensive)
    is the question. Only "he"/"she", one person of the answer's: "they" may be any group it names."""
    entry = match.entry
    return (
        match.status == "answered"
        and entry is not None
        and bool(_HE_OR_SHE.intersection(re.findall(r"[a-z]+", _plain(turn.message))))  # one person, not "they"
        and not turn.lex.covers(entry, turn.message)
        and not _quotes_them(entry, turn.message, text, turn.lex)
    )


def _same_frame(reading: str, previous: str, rest: str) -> bool:
    """Whether a reading is the last question with only its name swapped for ``rest`` ("what does the US
    want?" for "what does israel want?", "is the us going to invade rafah?" for "is netanyahu going to…"):
    every word before and after X is the last question's, in order, and X stands in for at most a name's
    few words there."""
    words, asked, x = reading.lower().split(), previous.lower().rstrip(" ?!.").split(), rest.lower().split()
    words[-1:] = [w.rstrip(" ?!.") for w in words[-1:]]
    for at in range(len(words) - len(x) + 1):
        if words[at : at + len(x)] != x:
            continue
        before, after = words[:at], words[at + len(x) :]
        swapped = len(asked) - len(before) - len(after)
        if 1 <= swapped <= 4 and asked[:at] == before and asked[len(asked) - len(after) :] == after:
            return True
    return False


def _xs_own_entry(turn: _Turn, found: _Cue, text: str, scored: Sequence[Scored]) -> Match | None:
    """ "and Israel?" after "why did the hamas delegation leave cairo?": its reading, "why did the israel
    delegation leave cairo?", finds the answer just given again, which does not give what it asks (faq.json:
    it lacks why); the next entry that does and speaks of X (why no Israeli delegation came) answers it,
    where it scores as a confident answer would."""
    kind, rest = _kind_of(text), found.rest or ""
    lacking = kind is not None and turn.lex.lacks(turn.entry, kind)
    if not lacking and _again(turn.entry, rest, turn.state, turn.lex):
        return None  # the answer again gives it, and speaks of X
    for candidate in scored:  # the reading's candidates, best first
        entry = candidate.entry
        if entry is turn.entry:
            continue
        if candidate.total < SELF_CONTAINED:
            return None
        gives = kind is None or not turn.lex.lacks(entry, kind)
        if entry.covered and gives and _mentions(entry, rest, turn.lex):
            return Match(text, "answered", round(candidate.total, 1), entry, ())
    return None


def _asks_a_reason_not_given(turn: _Turn) -> bool:
    """A "why" the answer in context is never asked with: it gives no reason to show again."""
    return _kind_of(turn.message) == "why" and "why" not in turn.lex.kinds(turn.entry)


def _asks_an_unnamed_name(turn: _Turn, reading: _Reading) -> bool:
    """ "what's his name?" about an unnamed official: the article cannot say, whatever it matched."""
    return bool(_ASKS_NAME.search(_plain(turn.message))) and any(
        _unnamed(subject, turn.lex) and subject in reading.text and subject.lower() not in turn.message.lower()
        for subject in turn.state.subjects
    )


@dataclass(frozen=True, slots=True)
class _Weighing:
    """The message alone against its best rewrite: what the rules of :data:`_ALONE_WINS` look at."""

    found: _Cue
    alone: Match
    rewrite: Match
    entry: Entry  # the answer in context
    guessed: bool  # the reading alone only guesses whom the message's pronoun means
    in_context: bool  # a word asked of the answer that the rewrite's answer speaks of


def _weighing(turn: _Turn, found: _Cue, best: _Reading) -> _Weighing:
    match = best.match
    # "what are their names?" after two US officials: a pronoun message read alone only guesses
    # whom it means, so the rewrite about the conversation's own subjects keeps its reading.
    guessed = (
        _asks_an_unnamed_name(turn, best)
        or (found.how == "pronoun" and _guessed_subject(turn.message, turn.alone, match, turn.state, turn.lex))
        or (found.how == "pronoun" and _leaves_its_place_open(turn) and _concerns_its_place(turn, match))
        # "what day was that?" names no event: alone it only guesses one (the article's date)
        or (found.event and not turn.lex.find(turn.message))
        or _the_persons_note(turn, found, match)
        or _a_weak_note_about_someone_else(turn, found)
        or _which_the_answer_does_not_say(turn, found, match)
    )
    # "casualties?" after the rocket attack: the answer in context that speaks of casualties, over
    # the article-wide note about casualty figures that the word alone finds
    in_context = (
        found.word
        and match.entry is not None
        and match.status == "answered"
        and match.score >= SELF_CONTAINED
        and turn.lex.covers(match.entry, turn.message)
    )
    return _Weighing(found, turn.alone, match, turn.entry, guessed, in_context)


def _which_the_answer_does_not_say(turn: _Turn, found: _Cue, rewrite: Match) -> bool:
    """ "which demands?" after "Israel had softened some longstanding demands": the answer speaks of the
    demands and faq.json says it never gives which (it lacks "what"), so its reading finds that answer's
    honest "not in the article"; the message alone ("which demands": Hamas's) only guesses whose."""
    if not found.which or rewrite.entry is not turn.entry or rewrite.status == "answered":
        return False
    if "what" not in turn.entry.lacks:
        return False
    stem = ENGLISH.stem_of((found.qword or "").split()[-1])
    return any(ENGLISH.stem_of(w) == stem for q in turn.shown for w in re.findall(r"[a-z]+", q.text.lower()))


_HE_OR_SHE = frozenset(p for p, kinds in _PRONOUN_KIND.items() if kinds[0] == "person")


def _the_persons_note(turn: _Turn, found: _Cue, rewrite: Match) -> bool:
    """ "how old is he?" after "who is Netanyahu": "he" is that person, and the rewrite finds the
    article's note on them (it gives no biography); the message alone, about no one, only guesses
    (the page's date), however well it scores, unless what it finds concerns that person."""
    if found.how != "pronoun" or rewrite.status != "no_match" or rewrite.entry is None or rewrite.entry.covered:
        return False
    if not _HE_OR_SHE.intersection(re.findall(r"[a-z]+", _plain(turn.message))):
        return False
    persons = [s for s in turn.state.subjects if (n := turn.lex.name(s)) is not None and n.kind == "person"]
    alone = turn.alone.entry
    return bool(persons) and (alone is None or not turn.lex.concerns(alone, persons[:1]))


def _a_weak_note_about_someone_else(turn: _Turn, found: _Cue) -> bool:
    """ "where does he live?" after "who is Netanyahu": alone, about no one, the message only half
    matches a note on something else (the death toll, by "live" ~ "lives"); "he" is that person, and
    the honest reply is that the article does not say, with his answers as the nearest."""
    if found.how != "pronoun" or not _HE_OR_SHE.intersection(re.findall(r"[a-z]+", _plain(turn.message))):
        return False
    alone = turn.alone.entry
    if alone is None or alone.covered or turn.alone.score >= SELF_CONTAINED or turn.lex.find(turn.message):
        return False
    persons = [s for s in turn.state.subjects if (n := turn.lex.name(s)) is not None and n.kind == "person"]
    return bool(persons) and not turn.lex.concerns(alone, persons[:1])


def _alone_answers_as_well(w: _Weighing) -> bool:
    """A new, self-contained question ("who is Bill Burns and what did he discuss?") keeps its own
    reading when it answers at least as well; "and Hamas's side?" read alone is little more than
    "Hamas", so it must beat an answer in context clearly."""
    if w.guessed or w.alone.status != "answered":
        return False
    if w.found.how == "pronoun":
        return _value(w.alone) >= _value(w.rewrite)
    margin = AND_X_MARGIN if w.found.rest is not None and w.rewrite.status == "answered" else 0.0
    return _value(w.alone) > _value(w.rewrite) + margin


def _rewrite_finds_no_entry(w: _Weighing) -> bool:
    """The rewrite finds nothing where the message alone finds an entry (an answer or a note) without
    guessing whom it means."""
    return w.rewrite.entry is None and w.alone.entry is not None and not w.guessed


def _alone_finds_its_note(w: _Weighing) -> bool:
    """The matcher's own "not in the article" for the message as written ("what kind of rockets were
    they?") outranks a rewrite that only finds something else to show."""
    return (
        not (w.guessed or w.in_context)
        and w.alone.status == "no_match"
        and w.alone.entry is not None
        and w.alone.score >= w.rewrite.score
    )


def _which_is_not_the_answer_again(w: _Weighing) -> bool:
    """ "what signs?" is not the same answer again: the signs alone; unless the answer's quotes point
    back at the very things it just listed ("…a complete withdrawal… and an end to the conflict…
    such concessions would…": "concessions like what?" is answered by them)."""
    if not (w.found.which and w.rewrite.entry is w.entry and "what" not in w.entry.lacks):
        return False
    return w.alone.status == "answered" and not _lists_them(w.entry, (w.found.qword or "").split()[-1])


def _lists_them(entry: Entry, noun: str) -> bool:
    """Whether an entry's quotes refer back to ``noun`` as things they have just named ("such
    concessions", "these demands")."""
    stem = ENGLISH.stem_of(noun)
    said = (m.group(1) for q in entry.quotes for m in _LISTED.finditer(q.text.lower()))
    return any(ENGLISH.stem_of(w) == stem for w in said)


_LISTED = LazyPattern(r"\b(?:such|these|those|both) ([a-z]{3,})\b")


_ALONE_WINS: tuple[Callable[[_Weighing], bool], ...] = (
    _alone_answers_as_well,
    _rewrite_finds_no_entry,
    _alone_finds_its_note,
    _which_is_not_the_answer_again,
)


def _weighed_against_alone(turn: _Turn, found: _Cue, best: _Reading) -> Resolution | None:
    """The message on its own where a rule of :data:`_ALONE_WINS` says it reads better than its
    rewrite, or where both agree; None: the rewrite stands."""
    weighing = _weighing(turn, found, best)
    if any(rule(weighing) for rule in _ALONE_WINS):
        return turn.fresh()
    alone = turn.alone
    if alone.status == "answered" and alone.entry is not None and best.match.entry is alone.entry:
        # Both readings agree: the message stands on its own; remember the fuller wording.
        return Resolution(
            turn.message, turn.message, alone, "new", state=turn.lex.state(alone.entry, best.text, turn.now)
        )
    return None


def _asked_kind(found: _Cue, text: str) -> str | None:
    """The kind of fact a follow-up asks for ("which ones?" after "Israel softened some demands":
    what; "what day?": when)."""
    if found.which:
        return _kind_of(found.qword or "") or "what"
    return "what" if found.qword in _WHICH else _kind_of(found.qword or text)


def _no_more_than_it_said(turn: _Turn, found: _Cue, best: _Reading) -> Match | None:
    """ "any others?" that finds the same answer again: the article gives no more than it said."""
    if found.word and best.match.entry is turn.entry and _PAST.search(found.rest or ""):
        return replace(best.match, status="no_match")
    return None


def _name_never_given(turn: _Turn, found: _Cue, best: _Reading) -> Match | None:
    """ "what's his name?" about an unnamed official: the article cannot say."""
    return replace(best.match, status="no_match") if _asks_an_unnamed_name(turn, best) else None


def _kind_not_given(turn: _Turn, found: _Cue, best: _Reading) -> Match | None:
    """ "when?" read into an answer that never says when: showing it would pretend it does."""
    entry, asked = best.match.entry, _asked_kind(found, best.text)
    if entry is None or asked is None:
        return None
    lacking = asked in entry.lacks if asked == "what" else turn.lex.lacks(entry, asked)
    if not lacking and not _gives_it_of(turn.lex, entry, asked, best.text):
        lacking = True
    if not lacking:
        return None
    return _turned_away(best.match, turn.entry, curated=asked in entry.lacks)


def _gives_it_of(lex: Lexicon, entry: Entry, kind: str, text: str) -> bool:
    """Whether the time (when) or place (where) an entry's quotes name is one of those the reading
    asks about: "when did Burns meet" on Burns's meeting in Doha, whose other quote says Hamas's
    leadership convenes there on Monday, is not told by that Monday. True where the entry is asked
    that way in faq.json, the reading names no one, or a quote naming the time also names them."""
    wanted = {"when": "time", "where": "place"}.get(kind)
    if wanted is None or kind in entry.kinds or kind in lex.kinds(entry):
        return True
    asked_of = {n.text for n in lex.find(text) if n.kind != wanted}
    if not asked_of:
        return True
    for quote in entry.quotes:
        named = lex.find(quote.text)
        if any(n.kind == wanted for n in named) and asked_of & {n.text for n in named}:
            return True
    return False


def _words_not_found(turn: _Turn, found: _Cue, best: _Reading) -> Match | None:
    """ "how old is he?" -> "how old is Bill Burns": the name found the entry, the question's own
    words did not (a bare "by whom?" has no words to miss; "what did he say about X?" is answered by
    his words, whatever they are about)."""
    entry = best.match.entry
    if entry is None or (found.qword is not None and not _own_words_past(turn.message, found)):
        return None
    if turn.lex.covers(entry, turn.message) or _quotes_them(entry, turn.message, best.text, turn.lex):
        return None
    return _turned_away(best.match, turn.entry)


def _own_words_past(message: str, found: _Cue) -> list[str]:
    """A follow-up's own words past its bare question phrase: "what kind?", "which ones?" ask with
    words of no content ("kind", "ones"), which no answer need use; "which demands?" asks of the
    demands, its own word."""
    asked = set(found.qword.split()) if found.qword in _WHICH else set()
    return [w for w in _own_words(message) if w not in asked]


def _never_quoted_speaker(turn: _Turn, found: _Cue, best: _Reading) -> Match | None:
    """ "did he say anything?" about Bill Burns, whom the article never quotes."""
    return _turned_away(best.match, turn.entry) if _never_quoted(turn.message, best.text, turn.lex) else None


# Checks of an answered rewrite, in order; the first that objects turns the answer into a note.
_CHECKS: tuple[Callable[[_Turn, _Cue, _Reading], Match | None], ...] = (
    _name_never_given,
    _kind_not_given,
    _words_not_found,
    _never_quoted_speaker,
)


def _checked(turn: _Turn, found: _Cue, best: _Reading) -> _Reading:
    """The rewrite's match, turned into a note where it does not give what was asked (see
    :data:`_CHECKS`), or into the answer in context where that already gives it."""
    if found.past and (best.itself or best.match.entry is turn.entry) and (found.qword or len(turn.shown) == 1):
        # "who else?" read back into the answer just given: it names no one else. Derived, not curated:
        # "I couldn't find that", the answer as the nearest question (never headed "Not in the article").
        # "what else do they want?" after an answer of several quotes may ask of the ones past the first
        past = replace(best.match, status="no_match", entry=None, suggestions=(turn.entry,))
        return replace(best, match=past, itself=False)
    if best.itself:
        return best  # the answer itself, which gives what was asked (see _gives)
    match = _no_more_than_it_said(turn, found, best)
    if match is None and best.match.entry is not None and best.match.status == "answered":
        match = next((m for check in _CHECKS if (m := check(turn, found, best)) is not None), None)
    match = best.match if match is None else match
    if match.status != "answered" and found.qword is not None and _gives_here(turn, found.qword):
        # "by whom?" whose rewrite was turned away, after an answer that already says by whom
        return _the_answer_itself(turn, found)
    return replace(best, match=match)


_WITH_A_CUE: tuple[Callable[[_Turn, _Cue], Resolution | None], ...] = (
    _which_unnamed_source,
    _about_the_answer,
    _their_words_just_shown,
    _result_of_the_answer,
    _reaction_to_the_answer,
    _around_the_answer,
    _standing_alone,
    _which_it_only_mentions,
    _account_of_x,
    _side_of_the_answer,
    _purpose_of_the_answer,
    _rewritten,
)


def _turned_away(match: Match, in_context: Entry, *, curated: bool = False) -> Match:
    """A reading the bot itself judges not answered by what it found. About the answer in context, or
    by a curated lacks, the answer is shown as the nearest thing the article says ("Not in the
    article:"); an entry the rewrite found elsewhere is only suggested: the bot did not understand,
    and only a curated note may say the article does not tell ("by whom?" must not head the
    soldiers' answer, which says who fired, with "Not in the article")."""
    if curated or match.entry is in_context:
        return replace(match, status="no_match")
    return Match(match.query, "no_match", match.score, None, (match.entry,) if match.entry is not None else ())


REWRITE_ORDER_PENALTY = 8.0
REPEAT_SCORE = 97.0  # a message matching the answer's entry this well asks the same question again


_NOT_POINTING = _FUNCTION | frozenset("article story text piece report page news same other".split())
_THAT_NOUN = LazyPattern(r"\b(that|this|those|these|the same|the)\s+([a-z][a-z'-]{3,})\b")


def _points_back(message: str, alone: Match, entry: Entry) -> bool:
    """Whether a message with no other cue points at something of the answer ("that official", "those
    airstrikes": a word its quotes or answer use) and alone finds only a weak answer elsewhere."""
    if alone.entry is entry or (alone.status == "answered" and alone.score >= SELF_CONTAINED):
        return False
    if alone.entry is not None and not alone.entry.covered:
        return False  # alone it finds a curated note: that is the article's word on it
    # a bare "the" points back only when the message alone answers nothing, or only weakly by an entry
    # that never speaks of the thing ("how long was the meeting?" after Burns met Al Thani: not the
    # months of negotiations); "the talks", "the Israeli side" name their own subject
    weak = alone.status != "answered" or (alone.entry is not None and _speaks_of_none(message, alone.entry))
    pointed = ((m.group(1), m.group(2)) for m in _THAT_NOUN.finditer(_plain(message)))
    nouns = [noun for det, noun in pointed if noun not in _NOT_POINTING and (weak or det != "the")]
    if not nouns:
        return False
    # one stem ("that official" ~ "officials", "the attack" ~ "attacked"), never a prefix ("with" ~ "withdrawal")
    stems = _said_stems(entry)
    return any(ENGLISH.stem_of(n) in stems for n in nouns)


def _speaks_of_none(message: str, entry: Entry) -> bool:
    """Whether an entry's answer and quotes use none of the nouns the message puts "the" before."""
    nouns = [m.group(2) for m in _THAT_NOUN.finditer(_plain(message)) if m.group(2) not in _NOT_POINTING]
    stems = _said_stems(entry)
    return bool(nouns) and not any(ENGLISH.stem_of(n) in stems for n in nouns)


@lru_cache(maxsize=1024)
def _said_stems(entry: Entry) -> frozenset[str]:
    """The stems of an entry's answer and quotes, once per entry rather than once per message."""
    said = " ".join((entry.answer, *(q.text for q in entry.quotes))).lower()
    return frozenset(ENGLISH.stem_of(w) for w in re.findall(r"[a-z][a-z'-]+", said))


def _asks_past_the_answer(message: str, alone: Match, state: ConversationState, entry: Entry) -> bool:
    """Whether a message with no follow-up cue, read alone, finds only the answer just given again
    and asks for more of it ("which other points were vague?"): a question about more than that
    answer says. Asked in other words ("which ministry was the team from?"), it is that answer again."""
    if alone.status != "answered" or alone.entry is not entry or alone.score >= REPEAT_SCORE:
        return False
    plain = _plain(message)
    if not _PAST.search(plain):
        return False  # it asks for nothing more ("other", "else", "more"): the answer, reworded
    return plain.strip(" ?!.") != _plain(state.question).strip(" ?!.")


MAX_SCORE = 100.0  # the matcher's perfect match


def _has_antecedent(message: str, lex: Lexicon) -> bool:
    """Whether every pronoun of the message follows a name it can stand for in the message itself:
    then the message is self-contained and no rewrite is worth a match."""
    text = _plain(message)
    pronouns = [m for m in _PRONOUN.finditer(text) if m.group(1) in _PRONOUN_KIND]
    if not pronouns:
        return False
    for m in pronouns:
        kinds = _PRONOUN_KIND[m.group(1)]
        if m.group(1) == "its" and _DEFINITE.search(text[: m.start()]):
            continue  # "did the port authority raise its offer?": the authority's
        if not any(n.kind in kinds for n in lex.find(message[: m.start()])):
            return False
    return True


_DEFINITE = LazyPattern(r"\bthe (?!article|story|same|other)[a-z]{3,}(?: [a-z]{3,})?\s+\w+")


def _says(text: str, aliases: Iterable[str]) -> bool:
    """Whether a lowercase text uses any of these aliases as a whole word."""
    return any(re.search(rf"\b{re.escape(a)}\b", text) for a in aliases)


_SAYING = LazyPattern(
    r"\b(?:say|said|says|saying|think|thinks|thought|tell|told|claim|claimed|claims|describe|described)\b"
)


def _quotes_them(entry: Entry, message: str, text: str, lex: Lexicon) -> bool:
    """Whether a message asks what someone said ("what did he say about the talks?") and the entry
    quotes the person its rewrite named: their words are the answer, whatever they are about."""
    if not _SAYING.search(_plain(message)):
        return False
    named = [n for n in lex.find(text) if n.kind in ("person", "people") and n not in lex.find(message)]
    return any(_says(q.attribution.lower(), n.aliases) for n in named for q in entry.quotes)


def _near(words: str, entry: Entry, kb: KnowledgeBase) -> bool:
    """Whether an entry or one it lists as related speaks of a word of ``words`` (by its first four letters)."""
    wanted = {w[:4] for w in _own_words(words)}
    near = [entry, *(e for rid in entry.related if (e := kb.get(rid)) is not None)]
    for e in near:
        texts = (*e.all_questions, *e.keywords, e.answer, *(q.text for q in e.quotes))
        if wanted & _prefixes(texts):
            return True
    return False


def _never_quoted(message: str, text: str, lex: Lexicon) -> bool:
    """Whether a message asks what someone said and its rewrite named only people the article never
    quotes (no quote's speaker or attribution names them)."""
    if not _SAYING.search(_plain(message)):
        return False
    named = [n for n in lex.find(text) if n.kind == "person" and n not in lex.find(message)]
    if not named:
        return False
    sources = " ".join(q.attribution.lower() for q in lex.quotes)
    return not any(_says(sources, n.aliases) for n in named)


def _gives(entry: Entry, qword: str, lex: Lexicon) -> bool:
    """Whether an answer itself gives what a bare question word asks: "by whom?" a person or group
    its quotes name, "who?" a person or source, "where?" a place, "when?" a time."""
    kind = _kind_of(qword)
    if kind is None or kind == "why" or kind.replace(" ", "_") in entry.lacks:
        return False
    if qword == "by whom":
        return any(n.kind in ("person", "people", "group") for q in entry.quotes for n in lex.find(q.text))
    return lex.gives(entry, kind)


def _gives_here(turn: _Turn, qword: str) -> bool:
    """Whether the answer in context gives what a bare question word asks of the one the last question
    asked about: "when?" after "where did Burns meet" is not told by the Monday its other quote gives
    Hamas's leadership (see :func:`_gives_it_of`)."""
    kind = _kind_of(qword)
    return _gives(turn.entry, qword, turn.lex) and (
        kind is None or _gives_it_of(turn.lex, turn.entry, kind, turn.state.question)
    )


def _side_of_answer(rest: str, state: ConversationState, entry: Entry, lex: Lexicon) -> bool:
    """Whether "and X?" asks for X's part of the answer itself: X is a name the answer speaks of,
    and the question it answered named no one to put X in place of."""
    if lex.find(state.question) or _REACTION.match(rest) or not _is_name(rest, lex):
        return False  # "and netanyahu's?" after "what are hamas's demands?" swaps; "hamas's leadership" is more
    return _mentions(entry, rest, lex)


def _again(entry: Entry, rest: str, state: ConversationState, lex: Lexicon) -> bool:
    """Whether "and X?" may be answered with the same entry again: it speaks of X, and X was not all
    the previous question was about ("what about Hamas?" after "who accused Hamas?" asks Hamas's side)."""
    if not _mentions(entry, rest, lex):
        return False
    asked = [n.text for n in lex.find(state.question)]
    return not (asked and all(n.text in asked for n in _named(rest, lex)) and len(asked) == 1)


def _is_name(text: str, lex: Lexicon) -> bool:
    """Whether a text is nothing but names of the article ("israels", "the US"; not "written")."""
    rest = text.lower()
    for name in _named(text, lex):
        for alias in name.aliases:
            rest = re.sub(rf"\b{re.escape(alias)}s?\b", " ", rest)
    return rest != text.lower() and not [w for w in re.findall(r"[a-z]+", rest) if w not in _FUNCTION]


def _named(text: str, lex: Lexicon) -> list[Name]:
    """The names a text mentions, also as a possessive without its apostrophe ("israels response")."""
    return lex.find(text) or lex.find(re.sub(r"\b(\w{3,})s\b", r"\1", text))


def _says_of(text: str, name: Name) -> bool:
    """Whether a lowercase text speaks of ``name``: by one of its aliases, or as its people ("an Israeli
    official" speaks of Israel, "the Qatari team" of Qatar)."""
    endings = "|".join(map(re.escape, _WORDS.demonym_endings))
    return any(re.search(rf"\b{re.escape(a)}(?:{endings})?\b", text) for a in name.aliases)


def _mentions(entry: Entry, rest: str, lex: Lexicon) -> bool:
    """Whether an entry's answer or quotes speak of what "and X?" asks about."""
    names = _named(rest, lex)
    text = " ".join((entry.answer, *(q.text for q in entry.quotes))).lower()
    if names:
        return any(_says_of(text, n) for n in names)
    words = [w for w in re.findall(r"\w+", rest.lower()) if len(w) > 3]
    return bool(words) and all(w in text for w in words)


# "and Hamas's side?" read alone is little more than "Hamas": it must beat an answer in context clearly
AND_X_MARGIN = 5.0
GUESS_MARGIN = 12.0  # how much better a pronoun message's reading alone must score to beat its rewrite


def _guessed_subject(message: str, alone: Match, match: Match, state: ConversationState, lex: Lexicon) -> bool:
    """Whether a pronoun message read alone only guesses whom the pronoun means: it names no one
    itself, its entry is about none of the conversation's subjects, and the rewrite's entry is
    (scoring within ``GUESS_MARGIN``)."""
    if alone.entry is None or match.entry is None or alone.entry is match.entry or _names_its_referent(message, lex):
        return False
    if lex.headline(alone.entry, state.subjects[:2]):
        return False
    if match.entry.id != state.entry_id and not lex.concerns(match.entry, state.subjects):
        return False  # the rewrite must be about the answer ("when did they start?": the negotiations)
    return match.score >= alone.score - GUESS_MARGIN


SELF_CONTAINED = 80.0  # a question naming its own subject and answered this well is read on its own


def _value(match: Match) -> float:
    """A reading's worth: its score when it leads to an entry (an answer or an honest note)."""
    if match.entry is None or match.status == "ambiguous":
        return match.score - 100.0
    return match.score


def _without_else(message: str, kb: KnowledgeBase) -> str | None:
    """ "who else accuses hamas" -> "who accuses hamas", for a "who else" question that is no aside
    and names something of the article; None for any other message."""
    text = _plain(message)
    if " else" not in text or not _ELSE.search(text):
        return None
    text = _BESIDES.sub("", text)  # "who else is blaming hamas besides him": "else" says it already
    found = cue(text)
    if found is None or not found.implicit or not lexicon(kb).find(text):
        return None
    return _ELSE.sub(lambda m: m.group().split()[0], text)


_BESIDES = LazyPattern(
    r"[\s,]+(?:" + "|".join(_WORDS.besides_words) + r")\s+(?:him|her|them|that|this|those|these|it|he|she|they)\W*$"
)


def _fresh(message: str, match: Match, kb: KnowledgeBase, now: float, question: str | None = None) -> Resolution:
    """The message read on its own (``question``: without its "ok unrelated:"); an answer (or a note)
    starts a new context."""
    asked = message if question is None else question
    state = lexicon(kb).state(match.entry, asked, now) if match.entry is not None else None
    return Resolution(message, asked, match, "new", state=state)


def _in_parts(
    message: str,
    alone: Match,
    state: ConversationState | None,
    kb: KnowledgeBase,
    matcher: Matcher,
    now: float,
    ttl: float,
) -> Resolution | None:
    """A message asking two questions at once, answered in parts (bot/multi.py says when); a
    follow-up after it is read against the last part answered. A message with a follow-up cue in a
    live context ("who is he and what did he say?") is left to the follow-up readings."""
    if state is not None and not state.expired(now, ttl) and cue(message) is not None:
        return None
    split = multi.read(message, alone, matcher)
    return None if split is None else _answered_in_parts(message, split, kb, now)


def _answered_in_parts(
    message: str, split: multi.Split, kb: KnowledgeBase, now: float, question: str | None = None
) -> Resolution:
    """The reply in parts, its first part answered as the match; the conversation moves on to the
    last part answered (``question``: the message without its "ok unrelated:")."""
    last = split.last
    after = lexicon(kb).state(last.match.entry, last.question, now) if last.match.entry is not None else None
    others = tuple(
        (p.match.entry.id, p.question[:MAX_QUESTION_CHARS])
        for p in split.parts
        if p.match.entry is not None and p is not last
    )
    if after is not None and others:
        after = replace(after, parts=others)
    first = replace(split.first.match, query=message)
    return Resolution(message, message if question is None else question, first, "new", state=after, split=split)


def _part_referred_to(message: str, state: ConversationState, kb: KnowledgeBase) -> ConversationState:
    """The part of a reply in parts that a follow-up is about: "who did he meet?" after "who is Bill
    Burns and what is Rafah?" asks of Burns, the part whose question names a person, though the
    state is the last part's (Rafah, whose answer only mentions Netanyahu). The last part whose
    question names what the message does, else whose question names someone of the kind its first
    pronoun stands for ("he": a person, "they": a group, "it", "there": a place); the last part
    answered when none does or the message has no pronoun ("why?", "and Israel?")."""
    lex = lexicon(kb)
    text = _plain(message)
    pronoun = next((m.group(1) for m in _PRONOUN.finditer(text) if m.group(1) in _PRONOUN_KIND), None)
    named = {n.text for n in lex.find(message)}
    kind = _PRONOUN_KIND[pronoun][0] if pronoun is not None else None
    if not named and kind is None:
        return state
    options = [*state.parts, (state.entry_id, state.question)]
    for wanted in (lambda n: n.text in named, lambda n: n.kind == kind):
        for entry_id, question in reversed(options):
            if any(wanted(n) for n in lex.find(question)):
                entry = kb.get(entry_id)
                if entry_id == state.entry_id or entry is None:
                    return state
                return lex.state(entry, question, state.at)
    return state


def _referents(pronoun: str, state: ConversationState, lex: Lexicon, *, sources: bool = False) -> list[str]:
    """The state's subjects a pronoun can stand for, most salient first (``sources``: a question
    about who they are or what they said, where the speakers of the quotes shown come first)."""
    kinds = _PRONOUN_KIND.get(pronoun)
    if kinds is None:
        return []
    typed = []
    # "who are they?" after the words of two US officials: the officials, before the US itself
    speakers = " ".join(q.attribution.lower() for q in lex.shown(state)) if sources and kinds[0] == "group" else ""
    for subject in state.subjects:
        name = lex.name(subject)
        kind: Kind = name.kind if name is not None else "group"
        # "Israeli" is no one "they" stands for, though "their" may be its ("who is their PM?": Qatar's)
        if kind in kinds and (pronoun in _POSSESSIVES or subject not in lex.attributive):
            said = kind == "people" and subject.lower() in speakers
            typed.append((-1 if said else kinds.index(kind), subject))
    typed.sort(key=lambda pair: pair[0])
    referents = [s for _, s in typed][:3]
    if sources and kinds[0] == "person" and referents and _speaks(referents[0], state, lex):
        # "where did he say it?" after "who is Abu Marzouk?", whose answer quotes him: he, no one else
        return referents[:1]
    if kinds[0] == "group":  # "they" after an answer about two people: the two of them
        named = [n.text for n in lex.find(state.question) if n.kind == "person"]
        if len(named) < 2:
            named = [s for s in state.subjects if (n := lex.name(s)) is not None and n.kind == "person"]
        if len(named) >= 2:  # first, unless the conversation's first subject is a group ("Hamas")
            leading = lex.name(state.subjects[0]) if state.subjects else None
            ahead = int(leading is not None and leading.kind == "group" and bool(referents))
            referents.insert(ahead, f"{named[0]} and {named[1]}")
        # "what were their names?" after "how many soldiers were killed?": the soldiers, not the
        # demonym that only describes them ("Israeli"); after "how many died?", which counts no noun,
        # the ones its answer's entry counts ("How many Israeli soldiers were killed?": the soldiers)
        entry = lex.kb.get(state.entry_id)
        asked = (state.question, *((entry.question,) if entry is not None else ()))
        if counted := next((c for q in asked if (c := _COUNTED.search(q.lower()))), None):
            words = counted.group(1).split()
            describing = {a.lower() for a in lex.attributive}
            referents.insert(0, "the " + " ".join(words[1:] if words[0] in describing else words))
        # "where were they fired from?" after "did israel hit back after the rockets?": a thing
        # the question spoke of, after the people it named; first, where it named none ("who are the
        # mediators?": "where are they?" asks where the mediators are, not where Israel is)
        things = [f"the {noun}" for noun in _things(state.question, lex) if f"the {noun}" not in referents]
        referents = [*things, *referents] if _names_no_one_for_they(state.question, lex) else [*referents, *things]
    return referents


def _speaks(subject: str, state: ConversationState, lex: Lexicon) -> bool:
    """Whether a quote the state shows is attributed to this person: his are the words on show."""
    name = lex.name(subject)
    said = " ".join(q.attribution.lower() for q in lex.shown(state))
    return name is not None and _says(said, name.aliases)


_THING = LazyPattern(r"\b(?:the|these|those|[a-z]+'s|[a-z]+s') ([a-z]{3,}(?<![su])s)\b")
_BODY = LazyPattern(r"\bthe ((?:[a-z]+ )?(?:" + "|".join(sorted(_WORDS.collective_nouns)) + r"))\b")


def _things(question: str, lex: Lexicon) -> list[str]:
    """The plural nouns a question speaks of ("the rockets", "hamas's demands"): words of the article
    that name no one and are no function word; and the bodies of people it names by a collective noun
    ("the qatari team")."""
    plain = _plain(question)
    plural = [
        m.group(1)
        for m in _THING.finditer(plain)
        if (m.group(1) in lex.known and m.group(1) not in _FUNCTION and not lex.find(m.group(1)))
        or _people_of_a_demonym(m.group(1), lex)  # "the qataris": the people "Qatari" describes
    ]
    return plural + [m.group(1) for m in _BODY.finditer(plain) if m.group(1).split()[-1] in lex.known]


def _people_of_a_demonym(word: str, lex: Lexicon) -> bool:
    """Whether a plural word is the people of a demonym the article only writes before a noun ("qataris"
    for "Qatari"): a group "they" may stand for, which the article's names do not hold."""
    return word.endswith("s") and any(n.text in lex.attributive for n in lex.find(word[:-1]))


def _names_no_one_for_they(question: str, lex: Lexicon) -> bool:
    """Whether a question names no one "they" could stand for (an adjective such as "Qatari" only
    describes): then "they" next is what it asked about ("who are the mediators?", "where are they?")."""
    return not [n for n in lex.find(question) if n.text not in lex.attributive and n.kind in ("group", "people")]


_COUNTED = LazyPattern(r"\bhow many ((?:[a-z]+ )??[a-z]{3,}s)\b")  # the plural noun a question counts


def _unnamed(subject: str, lex: Lexicon) -> bool:
    """Whether a subject is a source the article quotes without a name ("two US officials")."""
    name = lex.name(subject)
    return name is not None and name.kind == "people" and subject.lower() not in lex.appositions


_CONTRACTION = LazyPattern(r"\b(he|she|it|they|that)'(s|re|ve|ll|d)\b")
_CONTRACTED = {"s": "is", "re": "are", "ve": "have", "ll": "will", "d": "would"}


def _uncontracted(text: str) -> str:
    """ "they're demanding" -> "they are demanding", so a name can take the pronoun's place."""
    return _CONTRACTION.sub(lambda m: f"{m.group(1)} {_CONTRACTED[m.group(2)]}", text)


def _substitute(text: str, pronoun: str, subject: str) -> str:
    if pronoun == "there":
        replacement = f"in {subject}"
    elif pronoun == "then":
        replacement = f"on {subject}"
    elif pronoun in _POSSESSIVES:  # "two US officials'", "Hamas's"
        replacement = f"{subject}'" if subject.endswith("s") and subject.split()[-1].islower() else f"{subject}'s"
    else:
        replacement = subject
    return re.sub(rf"\b{pronoun}\b", replacement, text, count=1)


def _core(question: str) -> str:
    """A question without its leading question word: "how many rockets were fired" -> "rockets were fired"."""
    return _LEADING_QUESTION.sub("", question.strip(" ?")).strip()


# "what is the latest offer?", "what was the deal?": a question asking about one thing, by name
_ASKED_THING = LazyPattern(r"^\W*(?:what|which)(?:'s| is| was| are| were) (?:the|a|an) [a-z' -]+\W*$")
_INDEFINITE = LazyPattern(
    r"\b(?:a|an) ([a-z]+(?: [a-z]+)?)(?= (?:from|to|of|for|with|in|on|at|by|before|after|that|which|and|or|but)\b"
    r"|[,.;:]|$)"
)


def _answer_things(entry: Entry, lex: Lexicon) -> tuple[str, ...]:
    """The things an answer introduces ("Israel wanted a written response from Hamas before sending a
    delegation": "written response", "delegation"), first first: what "it" may stand for."""
    return tuple(t for t in _indefinites(entry) if not lex.find(t))[:2]


@lru_cache(maxsize=1024)
def _indefinites(entry: Entry) -> tuple[str, ...]:
    """An answer's indefinite noun phrases, once per entry (no lexicon held: a reload replaces it)."""
    found = [m.group(1) for m in _INDEFINITE.finditer(entry.answer.lower())]
    # then the subject a quote opens on ("PORT ALDER, Caldria — A strike by about 3,400 dockworkers…":
    # the strike), not one it mentions in passing ("…the duration of a ceasefire")
    found += [
        m.group(1)
        for q in entry.quotes
        for m in _INDEFINITE.finditer(q.text.lower())
        if not q.text[: m.start()].strip() or q.text[: m.start()].rstrip()[-1] in "—–:"
    ]
    return tuple(t for t in dict.fromkeys(found) if t.split()[-1] not in _FUNCTION)


# "why did they do it?", "how did he do that?": the pronoun is whoever did what the answer tells
_DOES_IT = LazyPattern(r"\b(?:he|she|they) (?:do|did|does|done) (?:it|that|this)\b")
_UNDERGOES = (
    r"\b(?:happen(?:ed|s)? to|(?:done|did) to) (?:the )?{x}\b"
    r"|\b{x} (?:were|was|had been|have been|has been) \w+(?:ed|en)\b"
)


def _undergoes(subject: str, question: str, entry: Entry) -> bool:
    """Whether the question or the answer has ``subject`` undergo the event ("what happened to the
    soldiers?", "three soldiers were killed"): the one it was done to, not whoever did it."""
    head = re.escape(subject.lower().split()[-1])
    said = f"{question} {entry.answer}".lower()
    return re.search(_UNDERGOES.format(x=head), said) is not None


def _rewrites(
    message: str, found: _Cue, state: ConversationState, entry: Entry, lex: Lexicon
) -> tuple[list[list[str]], dict[str, str]]:
    """Readings of a follow-up with the state filled in, in tiers from the most faithful down; and,
    for those with words glued on rather than names put in ("who threatened rafah town southernmost"),
    how to show them as understood: the question about the last one ("who threatened it? (about:
    what about rafah)")."""
    text = _uncontracted(_casual(_plain(message)).rstrip(" ?!."))
    previous = state.question
    about = f"(about: {previous.strip()})"
    glued: dict[str, str] = {}
    core = _core(previous)
    curated = _core(entry.question)  # the answer's own question, grammatical and specific
    tiers: list[list[str]]
    if found.qword is not None:
        qword = found.qword
        # "where?" after "who did he meet?" read alone: the last question's "he", named
        pronoun = next((m.group(1) for m in _PRONOUN.finditer(core.lower()) if m.group(1) in _PERSONAL), None)
        if pronoun is not None and (referents := _referents(pronoun, state, lex)):
            core = _substitute(core.lower(), pronoun, referents[0])
            about = f"(about: {_substitute(previous.strip(), pronoun, referents[0])})"
        # "why?" after "how many rockets did Hamas fire?" -> "why rockets did Hamas fire"
        tiers = [[f"{qword} {core}", f"{qword} {curated}", f"{qword} {core} {entry.topic}"]]
        glued = dict.fromkeys(tiers[0], f"{qword}? {about}")
    elif found.qualifier:  # "even with a deal?" after "is netanyahu going to invade rafah?": that, even with a deal
        tiers = [[f"{previous.strip().rstrip(' ?!.')} {text}", f"{entry.question.rstrip(' ?')} {text}"]]
    elif found.word:  # "casualties?" after the rocket attack: the casualties of what was asked
        tiers = [[f"{found.rest} {curated}", f"{found.rest} {core}"]]
        glued = dict.fromkeys(tiers[0], f"{found.rest}? {about}")
    elif found.rest is not None:
        tiers = _and_x(found.rest, _named_pronoun(previous, state, lex), state, lex)
        # a name in place of another in the last question reads as a question; the rest is glued on
        asked = f"{message.strip()} {about}"
        glued = {t: asked for t in tiers[1] if not t.startswith(("how did ", "what did "))}
    else:
        pronouns = [m.group(1) for m in _PRONOUN.finditer(text) if m.group(1) in _PRONOUN_KIND]
        first: list[str] = []
        if pronouns:
            pronoun = pronouns[0]
            things = _answer_things(entry, lex)
            if pronoun in ("it", "its", "itself"):  # a thing more often than a name: what the answer was about
                if _ASKED_THING.match(_plain(previous)):  # "what is the latest israeli offer?": that offer
                    first.append(_substitute(text, pronoun, core.lower()))
                keyworded = _substitute(text, pronoun, " ".join(entry.keywords[:3]) or core)
                glued[keyworded] = f"{text}? {about}"  # "who threatened rafah town southernmost"
                first.append(keyworded)
                first += [_substitute(text, pronoun, f"the {thing}") for thing in things]
            sources = bool(_ASKS_NAME.search(text) or _SAYING.search(text))
            own = [n.text.lower()[:5] for n in lex.find(message)]
            doer = bool(_DOES_IT.search(text))
            for subject in _referents(pronoun, state, lex, sources=sources):
                if any(o in subject.lower() for o in own):
                    continue  # "what did they want israel to do?": "they" are not Israel (or Israeli)
                if doer and _undergoes(subject, previous, entry):
                    continue  # "why did they do it?" after the soldiers were killed: not the soldiers
                if _ASKS_NAME.search(text) and _unnamed(subject, lex):  # "what's his name?": is he named?
                    first.append(f"{'are' if subject.endswith('s') else 'is'} {subject} named")
                said = _as_said(subject, previous, lex)
                rewritten = _substitute(text, pronoun, said)
                for other in pronouns[1:]:  # "what did he say about his..." : the same referent
                    if _PRONOUN_KIND.get(other) == _PRONOUN_KIND.get(pronoun):
                        rewritten = _substitute(rewritten, other, said)
                    elif other == "it" and things:  # "did they get it?": the thing the answer spoke of
                        rewritten = _substitute(rewritten, other, f"the {things[0]}")
                    elif other == "there" and (places := _referents(other, state, lex)):
                        rewritten = _substitute(rewritten, other, places[0])  # "want them there": in Cairo
                first.append(rewritten)
        if _ELSE.search(text):  # "who else accuses Hamas?": who accuses Hamas, the answer's aside
            first.append(_ELSE.sub(lambda m: m.group().split()[0], text))
        # only "that" / "this", or no name fits: the previous question's subject matter (with the
        # pronoun's referent, where one fits: "why did Hamas do it" glued, not "why did they do it")
        named = next((t for t in first if t != text and t not in glued), text)
        loose = [f"{named} {core}", f"{named} {curated}", f"{named} {entry.topic}"]
        glued.update(dict.fromkeys(loose, f"{named}? {about}"))
        tiers = [first, loose]
    return [list(dict.fromkeys(t for t in tier if t.strip())) for tier in tiers], glued


def _named_pronoun(previous: str, state: ConversationState, lex: Lexicon) -> str:
    """The last question with its person's pronoun named ("who did he meet?" after "who is bill burns?":
    "who did Bill Burns meet?"), so that "and Israel?" next has a name to take the place of."""
    lower = previous.lower()
    pronoun = next((m.group(1) for m in _PRONOUN.finditer(lower) if m.group(1) in _PERSONAL), None)
    if pronoun is None or not (referents := _referents(pronoun, state, lex)):
        return previous
    return _substitute(lower, pronoun, _as_said(referents[0], previous, lex))


def _as_said(subject: str, previous: str, lex: Lexicon) -> str:
    """A person as the last question named them ("who is netanyahu?", then "what did he threaten?":
    "netanyahu", not "Benjamin Netanyahu", whose full name is how the article introduces him): the
    asker's own words for the referent read as they would ask it."""
    name = lex.name(subject)
    if name is None or name.kind != "person":
        return subject
    asked = previous.lower()
    alias = next((a for a in name.aliases if re.search(rf"\b{re.escape(a)}\b", asked)), None)
    if alias is None:  # never named by the asker: as the article most often names them ("Netanyahu")
        return name.usual if name.usual and subject == name.text else subject
    words = name.text.split()[-len(alias.split()) :]  # in the article's capitals: "Netanyahu"
    return " ".join(words) if " ".join(words).lower() == alias else subject


# the part of a question its answer fills in: "which country's", "whose", "who"
_NO_AUXILIARY = r"(?!(?:" + "|".join(ENGLISH.auxiliaries) + r")\b)"  # "who did he meet?", "what did…": no slot
_ASKED_SLOT = LazyPattern(
    r"^\W*(?:(?:which|what|whose) " + _NO_AUXILIARY + r"[a-z]+(?:'s|s')?|whose|who)\s+" + _NO_AUXILIARY + r"(?=[a-z])"
)


def _and_x(rest: str, previous: str, state: ConversationState, lex: Lexicon) -> list[list[str]]:
    """ "and Israel?", "what about the US?", "and on Tuesday?": the previous question, about X instead."""
    if m := _REACTION.match(rest):  # "and Israel's response?": how X responded, else the previous question about X
        verb = "react" if m.group(2).startswith("reacti") else "respond"
        who = m.group(1)
        if who.endswith("s") and not lex.find(who) and lex.find(who[:-1]):
            who = who[:-1]  # "israels response": the possessive without its apostrophe
        tiers = _and_x(who, previous, state, lex)
        return [[f"how did {who} {verb}", *tiers[0]], tiers[1]]
    rest = re.sub(r"(?<=\w)(?:'s|s'|’s)$", "", rest)  # "and israel's?": Israel in place of Hamas in "Hamas's"
    names = lex.find(rest)
    time = rest.split()[-1] in _TIME_WORDS
    swapped: list[str] = []
    for subject in state.subjects:
        name = lex.name(subject)
        if name is None or (names and name is names[0]):
            continue
        if not ((time and name.kind == "time") or (not time and names and name.kind == names[0].kind)):
            continue
        for alias in name.aliases:
            if re.search(rf"\b{re.escape(alias)}\b", previous.lower()):
                replaced = re.sub(rf"\b{re.escape(alias)}\b", rest, previous, count=1, flags=re.IGNORECASE)
                swapped.append(re.sub(r"\b(on|in|at) (on|in|at)\b", r"\1", replaced) if time else replaced)
                break
        if swapped:
            break
    looser = []
    if not swapped:  # no name of the same kind: put X in place of the most salient one
        for subject in state.subjects[:1]:
            name = lex.name(subject)
            for alias in name.aliases if name is not None else (subject.lower(),):
                if re.search(rf"\b{re.escape(alias)}\b", previous.lower()):
                    looser.append(re.sub(rf"\b{re.escape(alias)}\b", rest, previous, count=1, flags=re.IGNORECASE))
                    break
    if (slot := _ASKED_SLOT.match(_plain(previous))) is not None:
        # "and hamas?" after "which country's team left cairo on sunday?": hamas's team left cairo
        looser.append(f"{rest} {previous[slot.end() :].rstrip(' ?')}")
    looser.append(f"{previous.rstrip(' ?')} {rest}")
    if any(not _ARTICLE_SELF.match(q.attribution) for q in lex.shown(state)):
        looser.append(f"what did {rest} say")  # the answer was someone's words: X's words, then
        # "and the Israeli view?" -> the article's unnamed "an Israeli official"
        word = re.compile(rf"\b{re.escape(rest)}\b")
        looser += [f"what did {n.text} say" for n in lex.names if n.kind == "people" and word.search(n.text.lower())][
            :2
        ]
    return [swapped, looser]


# ---------------------------------------------------------------------------
# Asides: questions about the answer itself


def _tell_me_more(turn: _Turn) -> Resolution:
    """ "tell me more": the paragraphs around the quotes shown, then the next related entry, then
    honestly nothing more."""
    state, entry, shown = turn.state, turn.entry, turn.shown
    if state.more == 0 and not entry.covered:
        return _nothing_more_than_the_note(turn)
    if state.more == 0 and shown:
        following = _following(turn.kb, shown)
        aside = Aside("more", entry, shown, related=_related(entry, turn.kb), following=following)
        return turn.in_context(turn.about_it(), "more", aside=aside, state=replace(state, at=turn.now, more=1))
    related = [e for e in _related(entry, turn.kb) if e.id != entry.id]
    if not related:
        return turn.in_context(turn.about_it(), "more", aside=Aside("more", entry, (), found=False), state=state)
    nxt = related[0]
    match = Match(nxt.question, "answered", 100.0, nxt, ())
    return Resolution(
        turn.message, nxt.question, match, "more", context=state, state=turn.lex.state(nxt, nxt.question, turn.now)
    )


def _nothing_more_than_the_note(turn: _Turn) -> Resolution:
    """ "tell me more" after a "not in the article" note: the article has no more on what was asked
    (as "is that true?" there has no claim to confirm), so the reply says so, with the note's quotes
    (what it does say nearby) and the questions it can answer; the paragraph around those quotes would
    pass for an answer. A second "tell me more" moves on to the first of those questions."""
    entry, state = turn.entry, turn.state
    aside = Aside("more", entry, turn.shown, found=False, related=_related(entry, turn.kb))
    return turn.in_context(turn.about_it(), "more", aside=aside, state=replace(state, at=turn.now, more=1))


MORE_CHARS = 60  # a paragraph saying less than this beyond the quotes shown tells no more


def _following(kb: KnowledgeBase, quotes: Sequence[Quote]) -> tuple[int, ...]:
    """The paragraph after the quotes' own when theirs say nothing beyond the quotes (a one-sentence
    paragraph that is the quote): "tell me more" must show more than the answer did."""
    numbers = sorted({q.paragraph for q in quotes if q.paragraph})
    paragraphs = kb.article.paragraphs
    if not numbers or numbers[-1] >= len(paragraphs):
        return ()
    for n in numbers:
        rest = paragraphs[n - 1]
        for quote in quotes:
            rest = rest.replace(quote.text, "")
        if len(rest.strip(" .,;:“”\"'")) >= MORE_CHARS:
            return ()
    return (numbers[-1] + 1,)


def _who_said_it(turn: _Turn) -> Resolution | None:
    """ "who said that?": the quotes shown, each in its whole sentence, which names its source.
    "who called them vague?" is about the answer only if the answer's quotes say "vague"; "who
    called it a crisis?" after another answer is a question of its own."""
    if called := _CALLED.match(_plain(turn.message)):
        said = " ".join(q.text.lower() for q in turn.shown)
        if not all(w in said for w in _own_words(called.group(1))):
            return None
    aside = Aside("attribution", turn.entry, turn.shown, sentences=turn.sentences)
    return turn.in_context(turn.about_it(), "about", aside=aside, state=_speakers_first(turn))


def _speakers_first(turn: _Turn) -> ConversationState:
    """After "who said that?", the people just named as its source lead the conversation's subjects:
    "what else did he say?" next asks of the speaker (Abu Marzouk), not of the person his words were
    about (Netanyahu), whom the question before named first."""
    said = " ".join(q.attribution.lower() for q in turn.shown)
    speaking = [s for s in turn.state.subjects if (n := turn.lex.name(s)) is not None and _says(said, n.aliases)]
    subjects = tuple(dict.fromkeys([*speaking, *turn.state.subjects]))
    return replace(turn.state, subjects=_shared(subjects), at=turn.now)


def _where_it_says(turn: _Turn) -> Resolution:
    """ "where does it say that?": the paragraphs the quotes shown come from."""
    return turn.in_context(turn.about_it(), "about", aside=Aside("location", turn.entry, turn.shown))


def _how_sure(turn: _Turn) -> Resolution:
    """ "is that true?": whom the article attributes the quotes shown to, and with what hedging. After
    a "not in the article" note there is no claim to confirm: the reply says so and what the note's
    quotes do establish (``found`` False, so it stays unanswered)."""
    hedges = tuple(_hedges(turn.kb, q) for q in turn.shown)
    covered = turn.entry.covered
    aside = Aside("confidence", turn.entry, turn.shown, found=covered, hedges=hedges, sentences=turn.sentences)
    return turn.in_context(turn.about_it(), "about", aside=aside)


def _else_said(turn: _Turn) -> Resolution:
    """ "what else did he say?": other quotes from the person the message (or the answer) is about."""
    state, lex = turn.state, turn.lex
    text = _plain(turn.message)
    named = [n.text for n in lex.find(text)]
    pronoun = next((m.group(1) for m in _PRONOUN.finditer(text) if m.group(1) in _PRONOUN_KIND), "he")
    people = named or _referents(pronoun, state, lex, sources=True) or list(state.subjects[:1])
    shown = set(lex.shown(state))
    subject = people[0] if people else None
    quotes: list[Quote] = []
    if subject is not None:
        name = lex.name(subject)
        aliases = name.aliases if name is not None else (subject.lower(),)
        for speaker, said in lex.speakers.items():
            if _says(speaker.lower(), aliases):
                quotes += [q for q in said if q not in shown and q not in quotes]
    # a quote that is part of another one shown or found says nothing more ("Netanyahu emphasizing
    # that…" inside "Netanyahu and the US have accused Hamas…, with Netanyahu emphasizing that…")
    texts = [q.text for q in (*shown, *quotes)]
    quotes = [q for q in quotes if not any(q.text != t and q.text.strip(' .“”"') in t for t in texts)]
    understood = f"what else did {subject or 'they'} say?"
    if quotes:
        aside = Aside("else_said", turn.entry, tuple(quotes), subject=subject)
        after = replace(state, quotes=lex.quote_ids(quotes), at=turn.now)
        return turn.in_context(turn.about_it(), "else", understood, aside=aside, state=after)
    if opens_yes_no(normalize(text)):  # "is that his only quote?", "didn't he say anything else?": yes, all, said so
        aside = Aside("else_said", turn.entry, (), subject=subject, complete=True)
        return turn.in_context(turn.about_it(), "else", understood, aside=aside, state=state)
    aside = Aside("else_said", turn.entry, tuple(q for q in lex.shown(state)), found=False, subject=subject)
    return turn.in_context(turn.about_it(), "else", understood, aside=aside, state=state)


_ASIDES: dict[AsideKind, Callable[[_Turn], Resolution | None]] = {
    "attribution": _who_said_it,
    "location": _where_it_says,
    "confidence": _how_sure,
    "else_said": _else_said,
}


def _aside(kind: AsideKind, turn: _Turn) -> Resolution | None:
    """A reply about the answer itself; None when there are no quotes to speak of (then the
    message is read on its own)."""
    if kind == "more":
        return _tell_me_more(turn)
    if not turn.shown:
        return None
    return _ASIDES[kind](turn)


_SENTENCE_END = LazyPattern(r"[.!?][”\"’]?(?=\s)")


def sentence_around(kb: KnowledgeBase, quote: Quote) -> str:
    """The article's whole sentence(s) holding a quote, verbatim: "“We were very close...,” said
    Mousa Abu Marzouk, a senior Hamas official." names who said it where the quote alone may not."""
    if not quote.paragraph:
        return quote.text
    paragraph = kb.article.paragraphs[quote.paragraph - 1]
    start = paragraph.find(quote.text)
    if start < 0:
        return quote.text
    end = start + len(quote.text)
    before = [m.end() for m in _SENTENCE_END.finditer(paragraph, 0, start)]
    begin = before[-1] if before else 0
    after = _SENTENCE_END.search(paragraph, max(end - 1, begin))
    stop = after.end() if after else len(paragraph)
    return paragraph[begin:stop].strip()


def _related(entry: Entry, kb: KnowledgeBase) -> tuple[Entry, ...]:
    return tuple(e for rid in entry.related if (e := kb.get(rid)) is not None and e.covered)


def _hedges(kb: KnowledgeBase, quote: Quote) -> tuple[str, ...]:
    """The words with which the article hedges a quote ("suggested", "may"), in its sentence and attribution."""
    paragraph = kb.article.paragraphs[quote.paragraph - 1] if quote.paragraph else quote.text
    sentence = next((s for s in sentences_of(paragraph) if quote.text[:40] in s), quote.text)
    words = dict.fromkeys(m.group(1).lower() for m in _HEDGES.finditer(f"{sentence} {quote.text}"))
    return tuple(words)


def button_state(entry: Entry, kb: KnowledgeBase, now: float) -> ConversationState:
    """The context after a related-question button: the conversation moves on to that entry."""
    return lexicon(kb).state(entry, entry.question, now)


def shown_texts(resolution: Resolution, kb: KnowledgeBase) -> tuple[str, ...]:
    """The article text a reply shows (quotes, or whole paragraphs for "where"/"tell me more")."""
    aside = resolution.aside
    if aside is not None:
        if aside.kind in ("location", "more"):
            return tuple(kb.article.paragraphs[n - 1] for n in aside.paragraphs if n)
        return aside.sentences or tuple(q.text for q in aside.quotes)
    if resolution.split is not None:  # each part answered shows its own quotes
        return tuple(q.text for part in resolution.split.answered if part.match.entry for q in part.match.entry.quotes)
    entry = resolution.match.entry
    return tuple(q.text for q in entry.quotes) if entry is not None else ()
