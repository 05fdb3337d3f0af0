"""A message that asks two questions at once: read it in parts, and say when to answer it so.

Pure: no Telegram, no I/O. ``text.split_questions`` cuts the message into its questions (the
language is data); each part is matched on its own, and :func:`read` says whether the message is
answered in parts (a :class:`Split`) or, as before, as one question (None). The rules, each one
function:

* ``two_answers``: two or more parts answered with different entries ("who is Bill Burns and
  what is Rafah?"): each is answered, in order;
* ``one_of_them``: the message as a whole finds nothing (no answer, no curated note), yet one
  part is answered and none is a note ("Who is the mediator and when was the port built?"
  on a page that says who but not when it was built): that part is answered, and the reply says which part it
  could not find;
* otherwise the message is read as one question, exactly as before: a message that already
  matches confidently, with no second part answered, keeps its one answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from bot.matcher import Match, Matcher
from bot.text import ENGLISH, Language, prepare, split_questions

MAX_PARTS = 4  # a message asking more is answered in its first four questions


@dataclass(frozen=True, slots=True)
class Part:
    """One question of a message that asks several, and its match on its own."""

    question: str
    match: Match

    @property
    def answered(self) -> bool:
        return self.match.status == "answered" and self.match.entry is not None

    @property
    def noted(self) -> bool:
        """A curated "not in the article" note (or an answer lacking what the part asks): said so."""
        return self.match.entry is not None and not self.answered

    @property
    def unsure(self) -> bool:
        """It could mean one of several entries: the reply asks which, with its did-you-mean."""
        return self.match.entry is None and self.match.status == "ambiguous" and bool(self.match.suggestions)

    @property
    def missing(self) -> bool:
        """Nothing found for it: the reply names it as the part it could not find."""
        return self.match.entry is None and not self.unsure


@dataclass(frozen=True, slots=True)
class Split:
    """A message answered in parts: its questions in order, each entry once."""

    parts: tuple[Part, ...]
    rule: str  # the rule that split it: "two_answers" or "one_of_them"

    @property
    def answered(self) -> tuple[Part, ...]:
        return tuple(p for p in self.parts if p.answered)

    @property
    def first(self) -> Part:
        """The first part answered: the reply's main answer (JSON keeps its fields for it)."""
        return self.answered[0]

    @property
    def last(self) -> Part:
        """The last part answered: a follow-up ("and why?") is read against it."""
        return self.answered[-1]

    @property
    def missing(self) -> tuple[Part, ...]:
        return tuple(p for p in self.parts if p.missing)

    @property
    def unsure(self) -> tuple[Part, ...]:
        return tuple(p for p in self.parts if p.unsure)


def parts_of(message: str, matcher: Matcher, lang: Language = ENGLISH) -> tuple[Part, ...]:
    """Each question of the message with its match, a part finding an entry an earlier part
    found left out (the reply gives each entry once); () for a message asking one question."""
    # addressing is no part of a question ("hey bot, who is X and…"): read as matching reads it
    questions = split_questions(prepare(message, lang, matcher.limits.max_query_chars), lang)
    if len(questions) < 2:
        return ()
    parts: list[Part] = []
    found: set[str] = set()
    for question in questions[:MAX_PARTS]:
        match = matcher.match(question)
        if parts and match.status == "answered" and _points_back(question, lang):  # not alone: not found
            match = replace(match, status="no_match", entry=None, suggestions=())
        if match.entry is not None and match.entry.id in found:
            continue
        if match.entry is not None:
            found.add(match.entry.id)
        parts.append(Part(question, match))
    return tuple(parts)


def _points_back(question: str, lang: Language) -> bool:
    """Whether a later question stands on an earlier one ("…and how old is he?", "…and what do they
    want?"): read alone, it is asked of nobody, and a match for it would answer something else, so
    it is never answered on its own (the message is read whole, or the reply says it could not find it)."""
    return any(word in lang.back_references for word in re.findall(r"[\w’']+", question.lower()))


def two_answers(parts: tuple[Part, ...], whole: Match) -> bool:
    """Two or more parts answered, with different entries (``parts_of`` gives each entry once)."""
    return sum(p.answered for p in parts) >= 2


def one_of_them(parts: tuple[Part, ...], whole: Match) -> bool:
    """The whole message finds nothing, not even a curated note (which is an answer too: "the
    article does not say"), one of its parts is answered and no other part is a note: a part the
    article is known not to answer makes the message a question about what it does not say
    (blind_probes_long: "the two US officials…, who were they? …, and what are their names")."""
    return whole.entry is None and any(p.answered for p in parts) and not any(p.noted for p in parts)


RULES = (two_answers, one_of_them)


def read(message: str, whole: Match, matcher: Matcher, lang: Language = ENGLISH) -> Split | None:
    """The message answered in parts, or None: read it as one question (``whole``, its match)."""
    if whole.no_question or whole.other_script:
        return None
    parts = parts_of(message, matcher, lang)
    for rule in RULES:
        if rule(parts, whole):
            return Split(parts, rule.__name__)
    return None
