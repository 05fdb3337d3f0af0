"""The decision: a scored list of entries -> a Match (answered | ambiguous | no_match).

Every cutoff is in :class:`Cutoffs`; each outcome comes with a one-line reason, which
``python -m bot ask --explain`` prints.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from itertools import islice
from typing import Literal

from rapidfuzz import fuzz

from bot.index import EntryRecord, Index
from bot.knowledge import Entry
from bot.scoring import Limits, Query, Scored
from bot.text import NUMBER, OPINION, WHEN, YES_NO, Language, content_words, normalize, script_of

Status = Literal["answered", "ambiguous", "no_match"]

# an entry's phrasing this alike to the question (token_set_ratio of content stems) asks what its answer
# says the article lacks as the curator meant it: that answer is the answer (rule disclaimed)
DISCLAIMER_ASKED = 70.0


@dataclass(frozen=True, slots=True)
class Cutoffs:
    """Every score threshold of the decision, in one place (scores are 0-100)."""

    answer: float = 55.0  # final score needed to answer
    note: float = 55.0  # ...and to show a curated note (not covered, or an answer whose `lacks` is asked):
    # a note abstains, so a higher answer cutoff (fewer wrong answers) must not hide it
    suggest: float = 45.0  # final score needed to be offered as did-you-mean
    nearest: float = 0.0  # a no-match suggests the answers scoring above this for *that* question
    margin: float = 3.0  # lead over the runner-up needed to answer outright
    verbatim: float = 90.0  # wording ratio needed when a question has no content words at all
    suggestions: int = 3  # did-you-mean and nearest entries offered at most


@dataclass(frozen=True, slots=True)
class Match:
    """The outcome for one question."""

    query: str
    status: Status
    score: float
    entry: Entry | None  # the answer (or a "not covered" note) when there is one
    suggestions: tuple[Entry, ...]
    no_question: bool = False  # nothing to look up: a greeting, "thanks", punctuation, emoji
    thanked: bool = False  # a no-question message that thanks ("thanks!", "ok ty"): acknowledged
    other_script: bool = False  # written mostly in an alphabet the article does not use: unread, not unanswered
    # a no-question message that still asks, of nobody named ("who is he?", "why?" with no answer before
    # it): the reply asks who or what is meant instead of greeting
    unclear: bool = False


@dataclass(frozen=True, slots=True)
class Decision:
    """A match and why it came out that way."""

    match: Match
    reason: str


def shown(score: float) -> float:
    """The score as people see it: 0-100, one decimal."""
    return round(max(0.0, min(100.0, score)), 1)


def rivals(index: Index, scored: list[Scored], disabled: frozenset[str] = frozenset()) -> list[Scored]:
    """The entries that compete with the best one. An entry quoting the same passage is no rival:
    either one answers with the same proof. Nor is one of its related entries: the answer
    carries a button to it."""
    if "rivals_by_evidence" in disabled:
        return scored[1:]
    best = index.records[scored[0].position]
    return [
        s for s in scored[1:] if not index.records[s.position].quotes & best.quotes and s.position not in best.related
    ]


def decide(
    question: str,
    query: Query,
    scored: list[Scored],
    index: Index,
    cutoffs: Cutoffs,
    disabled: frozenset[str] = frozenset(),
    text: str | None = None,
    limits: Limits | None = None,
) -> Decision:
    """The outcome for a question whose candidates are ``scored`` (best first). ``text``: the
    message as read (cut to the limit), when ``query`` is one of its clauses."""
    text = query.text if text is None else text
    if _acknowledges(question, index):  # the message as sent: its "thanks" is an opener to matching
        match = Match(question, "no_match", 0.0, None, (), no_question=True, thanked=True)
        decision = Decision(match, "thanks or an acknowledgement: nothing to look up")
    elif scored:
        decision = _ranked(question, query, scored, index, cutoffs, disabled)
    else:
        if query.text == text:  # read once already (the message itself, not one of its clauses)
            words = content_words(query.normalized, index.lang)
        else:
            folded = normalize(text)
            words = content_words(folded if "synonyms" in disabled else index.canonical(folded), index.lang)
        puzzled = _puzzled(query.normalized, index.lang)  # "huh?": its one word is no word to look up
        unclear = puzzled or (not words and _asks_of_nobody(query.normalized, index.lang))
        match = Match(question, "no_match", 0.0, None, (), no_question=puzzled or not words, unclear=unclear)
        reason = "no entry shares a word with the question" if words and not puzzled else "nothing to look up"
        decision = Decision(match, f"{reason}: it asks, but names no one and nothing" if unclear else reason)
    match = decision.match
    if match.status == "answered" and match.entry is not None:
        record = index.records[scored[0].position]
        if _asks_what_it_lacks(query, scored[0], index, disabled):
            # It asks for what the answer says the article does not give: not in the article, with
            # the answer (which says so) and its quotes as the nearest thing the article does say.
            reason = f"the answer says the article does not give '{query.kind}': not in the article"
            return Decision(replace(match, status="no_match"), reason)
        if "disclaimed" not in disabled and (said := _disclaimed(query, record, index, disabled)):
            # "did the airstrikes kill anyone?": "…doesn't say what they hit, whether anyone was killed":
            # the curated answer itself says the article does not give it, so it is that note.
            return Decision(replace(match, status="no_match"), f"the answer says the article does not give {said}")
        rule, why = _turned_away(query, record, index, cutoffs, disabled)
        if rule in _CURATED_FOR and _CURATED_FOR[rule](query, record):
            # The curator wrote this entry for such a question ("name of the hotel": "the article doesn't
            # name the hotel"): its answer is the curated word on it, shown as not in the article.
            return Decision(replace(match, status="no_match"), f"{why}; the entry's own phrasings ask so: its note")
        if why is not None:
            # Only curated data may say "the article doesn't say": this is "I couldn't find that",
            # with the answer that came nearest first among the suggestions.
            nearest = tuple(
                s.entry for s in scored[: cutoffs.suggestions] if s.entry.covered and s.total >= cutoffs.nearest
            )
            return Decision(replace(match, status="no_match", entry=None, suggestions=nearest), f"{why}: no match")
        return decision
    if (
        "other_script" not in disabled
        and not match.no_question
        and _other_script(index, text, (limits or Limits()).max_script_letters)
    ):
        return Decision(replace(match, other_script=True), decision.reason + "; mostly in another alphabet: unread")
    return decision


def _turned_away(
    query: Query, record: EntryRecord, index: Index, cutoffs: Cutoffs, disabled: frozenset[str]
) -> tuple[str | None, str | None]:
    """The first answer-check rule the best entry fails, and why: (None, None) when it passes them all."""
    if "answer_type" not in disabled and query.demand and not _gives(query, record, cutoffs):
        # "how many died?" answered by a text with no number in it: whatever it says, not that.
        return "answer_type", f"the question asks for a {query.demand} the answer's text does not give"
    if "age" not in disabled and query.age and not _gives_age(query, record, cutoffs):
        # "how old is he?" answered by the publication date: a date or a count is no one's age
        return "age", "the question asks a person's age, which the answer's text does not give"
    if "unnamed" not in disabled and _asks_unnamed(query, record, index, cutoffs):
        # "what's the name of the hotel…" answered by "a hotel in the capital": not which one
        return "unnamed", f"the question asks which {' '.join(query.focus)}, which the answer's text never names"
    if "unmentioned" not in disabled and _asks_unmentioned(query, record, index, cutoffs):
        # "who is the harbour master…" answered by the harbour authority's entry, which never speaks of one
        return "unmentioned", f"the question asks who the {' '.join(query.focus)} is, of whom the answer never speaks"
    if "named_elsewhere" not in disabled and (named := _named_elsewhere(query, record, index)):
        # "have dockworkers at Ostmere gone on strike as well?" answered by why the Port Alder strike began
        return "named_elsewhere", f"the question names {', '.join(sorted(named))}, of which the answer never speaks"
    if "others" not in disabled and query.others and not _speaks_of_others(record, index):
        # "what other strikes are happening in Caldria?" answered by the one strike the article is about
        return "others", "the question asks for others, and the answer's text speaks of none"
    if "measure_only" not in disabled and (measure := _measured_alone(query, record, index)):
        # "how big is Rafah?" answered by the rocket count, whose "how big (was the barrage)" is all it shares
        return "measure_only", f"the entry's phrasings asking '{measure}' share nothing else with the question"
    if "judgement" not in disabled and query.kind == OPINION and OPINION not in record.kinds:
        # "is netanyahu to blame?" answered by what each side says of the blame: a judgement it never gives
        return "judgement", "the question asks for a judgement, which the entry is never asked for"
    if "speaker" not in disabled and query.speaker and not record.quotes_speaker(query.speaker):
        # "what did Burns say after the meeting?" answered by the article's account of it
        speaker = " ".join(sorted(query.speaker))
        return "speaker", f"the question asks for the words of '{speaker}', whom the answer never quotes"
    return None, None


# Where the entry's own phrasings ask what the rule found its text does not give (which thing it is,
# of the same thing; or the same kind of number, time or name), its curated answer is the curator's
# word on that question (review: "which hotel?" lost "the article doesn't name the hotel" to a bare
# "I couldn't find that").
_CURATED_FOR: dict[str, Callable[[Query, EntryRecord], bool]] = {
    "unnamed": lambda q, r: any(set(q.focus) <= set(asked.split()) for asked in r.focus_asked),
    "answer_type": lambda q, r: any(demand == q.demand for demand, _ in r.demands),
}


def _asked_as_written(query: Query, phrasings: Iterable[str], cutoffs: Cutoffs) -> bool:
    """Whether the question is one of the entry's own phrasings, near verbatim: the curator's answer
    to that question is the answer, as far as the article goes ("which official called it a crisis?")."""
    return any(fuzz.ratio(query.probe, asked) >= cutoffs.verbatim for asked in phrasings)


def _gives(query: Query, record: EntryRecord, cutoffs: Cutoffs) -> bool:
    """Whether the answer's text holds the number, time or name the question asks for, or the question
    is one of the entry's own phrasings asking for it, near verbatim: the curator's answer to that
    question is the answer, as far as the article goes ("which official called it a crisis?")."""
    assert query.demand is not None
    if record.gives(query.demand, query.words):
        return True
    return _asked_as_written(query, (p for d, p in record.demands if d == query.demand), cutoffs)


def _gives_age(query: Query, record: EntryRecord, cutoffs: Cutoffs) -> bool:
    """Whether the answer's text gives an age, or the question is one of the entry's own phrasings
    asking a number, near verbatim ("how old is bill burns" on the note on his background)."""
    if record.ages:
        return True
    return _asked_as_written(query, (p for d, p in record.demands if d == NUMBER), cutoffs)


def _asks_unnamed(query: Query, record: EntryRecord, index: Index, cutoffs: Cutoffs) -> bool:
    """Whether the question asks which thing it is, or its name, of a thing the answer's text mentions
    but never names ("which two shipping companies…": "neither company has confirmed it"), and is not
    one of the entry's own phrasings asking so, near verbatim: the curator's answer to that question is
    the answer, as far as the article goes ("which official called it a crisis?": "an unnamed Israeli
    official")."""
    if not query.focus:
        return False
    names = query.named | index.name_words
    if record.names_focus(query.focus, query.which, query.words, names, index.lang) is not False:
        return False
    return not _asked_as_written(query, record.focus_asked, cutoffs)


def _asks_unmentioned(query: Query, record: EntryRecord, index: Index, cutoffs: Cutoffs) -> bool:
    """Whether the question asks who a role or thing is ("who is the *harbour master*…", ``text.asked_focus``)
    whose head noun no word of the entry (its phrasings, answer, quotes) ever uses: the harbour
    authority's entry says what the authority does, not who the harbour master is. Not for "which…",
    which what describes the entry may answer; not for the entry's own phrasing asking so, near verbatim."""
    if not query.focus or query.which:
        return False
    if index.lang.stem_of(query.focus[-1]) in record.words:
        return False
    return not _asked_as_written(query, record.focus_asked, cutoffs)


def _named_elsewhere(query: Query, record: EntryRecord, index: Index) -> frozenset[str]:
    """The question's words written as names ("Ostmere", "the US") that the article uses but the entry
    never does: the question is about them, and the article speaks of them elsewhere. Not the names the
    headline or more than a fifth of the entries use (the article's subject and recurring actors, "Hamas",
    "Netanyahu"), which a terse answer need not repeat ("how many months have Israel and Hamas been negotiating?")."""
    stem_of = index.lang.stem_of
    elsewhere = (query.stems & index.article_words) - record.words - index.main_words
    return frozenset(w for w in query.named if stem_of(w) in elsewhere)


def _disclaimed(query: Query, record: EntryRecord, index: Index, disabled: frozenset[str] = frozenset()) -> str:
    """What the question asks that the entry's own answer says the article does not give (``index.
    disclaimers_in``), as the reason's words; "" when it asks nothing such: a word of the question the
    answer uses only where it says so ("…doesn't say whether anyone was *killed*"), or its question kind
    named there of nothing more ("It doesn't say *why*."). Not a word one of the entry's phrasings close
    to the question uses, nor a kind its phrasings ask: the curator wrote it for that question ("qatar
    team left cairo?" on "…doesn't say why it left"; "is hamas going back to cairo" on "…doesn't say
    whether it went"); nor the article's subject and recurring actors (``Index.main_words``); nor, for a
    yes/no question, what has not happened yet ("has hamas decided?": "the group has yet to decide"); nor
    what it says of someone the question does not name ("how did Israel react?": "…how Hamas reacted"), nor
    of another kind of question ("will the government decide?": "…doesn't say when it might decide")."""
    for disclaimer in record.disclaimers:
        if disclaimer.pending and query.kind == YES_NO:
            continue
        if disclaimer.named and query.stems.isdisjoint(disclaimer.named):
            continue
        stems = disclaimer.stems - index.main_words
        # "…doesn't say *when* the government might decide" is no word on "will the government decide?"
        of_kind = not disclaimer.kinds or YES_NO in disclaimer.kinds or query.kind in disclaimer.kinds
        if of_kind and (shared := {s for s in stems & query.stems if not _asked_close(query, record, index, s)}):
            return f"'{' '.join(sorted(shared))}'"
        kin = (disclaimer.kin & query.stems) - index.main_words
        if (
            of_kind
            and "kin" not in disabled
            and (shared := {s for s in kin if not _asked_close(query, record, index, s, bag=False)})
        ):
            # "how many were wounded?": "…doesn't say whether anyone else was *hurt*"
            return f"'{' '.join(sorted(shared))}'"
        if query.kind in disclaimer.kinds and query.kind not in record.kinds and not stems - record.asked:
            return f"'{query.kind}'"
        if WHEN in disclaimer.kinds and "dated" not in disabled and (dated := _dated(query, record, index)):
            # "will there be a deal before the end of the month?": "…doesn't predict when a deal might come"
            return f"'{WHEN}' ('{dated}')"
    return ""


def _dated(query: Query, record: EntryRecord, index: Index) -> str:
    """The time word of a yes/no question about what is still to come ("will there be a deal *before*
    the end of the *month*?", ``Language.future_words``) that none of the entry's phrasings uses: it asks
    when, as "will there be a deal soon" (a phrasing of the entry) does not; "" when there is none."""
    lang = index.lang
    if query.kind != YES_NO or not query.words & lang.future_words:
        return ""
    times = (lang.time_words | lang.calendar_words) & set(query.probe.split())
    asked = {w for p in index.phrasings if p.owner == record.position and not p.bag for w in p.text.split()}
    return " ".join(sorted(times - asked))


def _asked_close(query: Query, record: EntryRecord, index: Index, stem: str, bag: bool = True) -> bool:
    """Whether one of the entry's phrasings using ``stem`` reads like the question (order-free, as
    ``scoring.candidates`` compares them, at least ``DISCLAIMER_ASKED``); with ``bag`` False, not its
    keywords joined: a bag of words that find the entry reads like any question sharing two of them."""
    asked = " ".join(sorted(query.stems))
    using = (index.phrasings[i] for i in index.phrasings_with.get(stem, ()))  # the phrasings with the stem
    return any(
        fuzz.token_set_ratio(asked, p.stems) >= DISCLAIMER_ASKED
        for p in using
        if p.owner == record.position and (bag or not p.bag)
    )


def _speaks_of_others(record: EntryRecord, index: Index) -> bool:
    """Whether the entry's answer, quotes or phrasings speak of others than the one thing ("other
    engines", "another", "the only airline", ``Language.others_answers``): then it may answer "any other…?"."""
    entry, words = record.entry, index.lang.others_answers
    texts = (entry.answer, *(q.text for q in entry.quotes), *entry.all_questions, *entry.keywords)
    return any(w in words for t in texts for w in normalize(t).split())


def _measured_alone(query: Query, record: EntryRecord, index: Index) -> str:
    """A word of the question asking a size (``Language.measure_words``: "big", "large", "size")
    that the entry's phrasings and keywords use only where they share no other word with the question:
    "how big is Rafah?" and the rocket count's "how big was the barrage" (its "rafah" is in other
    phrasings); "" when there is none. A measure word names nothing it measures: alone it carries no match."""
    measures = query.stems & index.measure_stems & record.asked
    if not measures:
        return ""
    for stems in record.asked_each:
        if stems & measures and (stems & query.stems) - index.measure_stems:
            return ""
    return " ".join(sorted(measures))


def _asks_what_it_lacks(query: Query, best: Scored, index: Index, disabled: frozenset[str]) -> bool:
    return "lacks" not in disabled and query.kind in index.records[best.position].lacks


def _ranked(
    question: str, query: Query, scored: list[Scored], index: Index, cutoffs: Cutoffs, disabled: frozenset[str]
) -> Decision:
    best = scored[0]
    rival = rivals(index, scored, disabled)
    runner_up = rival[0].total if rival else 0.0
    lead = best.total - runner_up
    # A note is shown from its own cutoff: it says what the article does not give, which is abstaining.
    is_note = not best.entry.covered or _asks_what_it_lacks(query, best, index, disabled)
    needed, which = (cutoffs.note, "note") if is_note else (cutoffs.answer, "answer")
    if best.total >= needed and lead >= cutoffs.margin:
        status: Status = "answered" if best.entry.covered else "no_match"
        what = "answer" if best.entry.covered else "curated note"
        reason = (
            f"{best.entry.id} scores {best.total:.1f} >= {which} {needed:g} and leads the best rival "
            f"by {lead:.1f} >= margin {cutoffs.margin:g}: the {what}"
        )
        return Decision(Match(question, status, shown(best.total), best.entry, ()), reason)
    count = cutoffs.suggestions
    close = [
        s.entry
        for s in [best, *rival[: count - 1]]
        if s.total >= cutoffs.suggest and best.total - s.total < cutoffs.margin
    ]
    if best.total >= needed and len(close) >= 2 and "page_words" not in disabled:
        page = _naming_the_page(query, [best, *rival[: count - 1]], close, index)
        if page is not None:
            reason = (
                f"{len(close)} entries within margin {cutoffs.margin:g} of the best ({best.total:.1f}), "
                f"but the question names the page and only {page.entry.id}'s phrasings do: the answer"
            )
            return Decision(Match(question, "answered", shown(page.total), page.entry, ()), reason)
    if best.total >= cutoffs.suggest and len(close) >= 2:
        reason = (
            f"{len(close)} entries within margin {cutoffs.margin:g} of the best ({best.total:.1f}), "
            f"all >= suggest {cutoffs.suggest:g}: did you mean"
        )
        return Decision(Match(question, "ambiguous", shown(best.total), None, tuple(close)), reason)
    nearest = tuple(s.entry for s in scored[:count] if s.total >= cutoffs.nearest and s.entry.covered)
    if best.total < needed:
        reason = f"best score {best.total:.1f} < {which} {needed:g}: no match"
    else:
        reason = f"best leads its rival by {lead:.1f} < margin {cutoffs.margin:g}, and no close rival >= suggest"
    return Decision(Match(question, "no_match", shown(best.total), None, nearest), reason)


def _naming_the_page(query: Query, ranked: list[Scored], close: list[Entry], index: Index) -> Scored | None:
    """Of entries too close to tell apart, the one answerable entry whose own phrasings name the page
    ("date of the article", ``Language.page_words``) when the question names it too ("whats the date on
    this story"): the page's date, not the strike's start date; None when none or several do."""
    words = index.lang.page_words
    if not words & set(query.normalized.split()):
        return None
    naming = [
        s
        for s in ranked
        if s.entry in close
        and s.entry.covered
        and any(p.owner == s.position and not p.bag and words & set(p.text.split()) for p in index.phrasings)
    ]
    return naming[0] if len(naming) == 1 else None


def _acknowledges(text: str, index: Index) -> bool:
    """Whether the message only thanks or acknowledges ("thanks!", "ok great, thank you", "got it"):
    it asks nothing, so it is acknowledged rather than greeted or looked up. Any other word keeps it a
    question ("cool, why?", "tell me something interesting"), and so does a question mark, but after
    thanks or a bare assent only ("thanks?", "ok?": acknowledged, not greeted)."""
    lang = index.lang
    words = normalize(text).split()
    said = set(words)
    if "?" in text:
        # "wow, really?", "cool?", "ok so?": it asks; "ok?", "thanks?", "thank you so much?" thank or assent only
        kept = said - lang.acknowledgement_fillers if said & lang.thanks else said
        return bool(kept) and kept <= lang.thanks | lang.assents
    polite = lang.thanks | lang.acknowledgements
    if said & lang.thanks and "for" in words and not said & lang.question_words:
        return True  # "thanks for that", "thank you for your help"
    return bool(said & polite) and said <= polite | lang.acknowledgement_fillers


def _asks_of_nobody(normalized: str, lang: Language) -> bool:
    """A message with nothing to look up that still asks: a question word or a personal pronoun ("who is he?",
    "why?", "what about them?"), not a greeting ("hi", "hello there")."""
    return any(w in lang.question_words or w in lang.person_pronouns for w in normalized.split())


def _puzzled(normalized: str, lang: Language) -> bool:
    """A message of nothing but puzzlement ("huh?", "eh?"): it asks what was meant, of nothing named."""
    words = normalized.split()
    puzzled = [w for w in words if w in lang.puzzled_words]
    return bool(puzzled) and all(w in lang.puzzled_words or w in lang.question_words for w in words)


def _other_script(index: Index, text: str, max_letters: int) -> bool:
    """Mostly written in an alphabet the article does not use (judged by its first letters). The text
    is already NFKC (text.prepare), so "ｗｈｏ" and "𝐰𝐡𝐨" read as "who"."""
    if text.isascii() and index.reads_ascii:
        return False
    letters = [script_of(ch) for ch in islice((ch for ch in text if ch.isalpha()), max_letters)]
    foreign = sum(script not in index.article_scripts for script in letters)
    return foreign > len(letters) / 2
