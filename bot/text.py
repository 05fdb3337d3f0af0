"""Text analysis: normalising, tokens, stems, question kinds, clauses, scripts.

Pure functions over strings. Everything English is data in one :class:`Language`
value (``ENGLISH``), so a second language is a second value, not a second module.
"""

from __future__ import annotations

import json
import re
import threading
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import snowballstemmer

# ---------------------------------------------------------------------------
# Normalisation (language-independent)

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


def script_of(char: str) -> str:
    """The alphabet a letter belongs to, as Unicode names it ("LATIN", "CYRILLIC", "HEBREW"...)."""
    return unicodedata.name(char, "").partition(" ")[0] if char.isalpha() else ""


# ---------------------------------------------------------------------------
# The language, as data


def no_dictionary(word: str) -> bool:
    """A language without a word list: every word unknown to the article may be a typo."""
    return False


@dataclass(frozen=True)
class Language:
    """What text analysis needs to know about one language. Regexes are derived once."""

    name: str
    stopwords: frozenset[str]  # function words, chat fillers and words about the article itself
    question_words: frozenset[str]
    auxiliaries: tuple[str, ...]  # a clause opening with one of these asks ("did they...", "is it...")
    kinds: Mapping[str, str]  # question word -> the kind of answer it asks for
    how: str  # the question word that, followed by a count word, asks "how many"
    count_words: frozenset[str]  # "many", "much"
    clause_joiners: tuple[str, ...]  # words that join two clauses ("but", "and", "so")
    stem: Callable[[str], str]
    # Irregular forms no suffix rule reaches ("met" -> "meet", "held" -> "hold"), looked up before stemming.
    irregular: Mapping[str, str]
    # Words that address the bot or open/close a chat message ("hey bot", "quick question:", "pls"):
    # never content, dropped before matching.
    openers: tuple[str, ...] = ()
    closers: tuple[str, ...] = ()
    # Thanks and acknowledgements that open a message, dropped only when punctuation parts them from
    # the rest ("thanks, what did he say?", "great. who is X?"): "thanks for that" and "great answer" are
    # no question with a word cut off.
    polite_openers: tuple[str, ...] = ()
    # Words that thank: a message of nothing else ("thanks!", "ok thx") is acknowledged, not
    # answered with a greeting and starter questions.
    thanks: frozenset[str] = frozenset()
    # Words that acknowledge an answer ("ok", "great", "got it"), and the fillers around them ("so
    # much", "yeah"): a message of these and thanks only is an acknowledgement ("tell me something
    # interesting" is not: "tell" is no filler; nor is "wow, really?": a question mark asks). The
    # same words open a message as addressing does ("thanks, what did he say?"): see ``openers``.
    acknowledgements: frozenset[str] = frozenset()
    acknowledgement_fillers: frozenset[str] = frozenset()
    # The acknowledgements that ask nothing even with a question mark ("ok?", "thanks?" after an
    # answer): "cool?", "wow, really?" ask, and so do the fillers ("so?", "right?").
    assents: frozenset[str] = frozenset()
    # Whether a word is correctly spelt in the language ("position", "apart"): typo repair never
    # rewrites one into a near article word. No dictionary: every word may be a typo.
    is_word: Callable[[str], bool] = no_dictionary
    # Spellings of one word that differ by region ("harbour", "harbor"): a dictionary word is still
    # repaired into the article's own spelling of it.
    spelling_variants: tuple[tuple[str, str], ...] = ()
    # Chat spellings of everyday words ("ppl", "wat", "b4", "govt"): read as the word before
    # anything else, so "wat did the govt say" asks what and is about the government.
    chat_forms: Mapping[str, str] = field(default_factory=dict)
    # Chat spellings with a slash ("w/o", "w/", "b/c"), which normalising would split at the slash
    # ("w o"): written out before anything else reads the message ("even w/o a deal??").
    slashed_forms: Mapping[str, str] = field(default_factory=dict)
    # Chat phrasings of a word, in normalised text ("does that happen a lot" -> "… happen often").
    chat_phrases: Mapping[str, str] = field(default_factory=dict)
    # What a question asks for beyond its question word, read from the noun after "which"/"what"
    # ("which day…" asks when, "which officials…" who, "what percentage…" how many) and from
    # "name" ("what's the official's name?" asks for a name). Empty: the question word alone.
    head_kinds: Mapping[str, str] = field(default_factory=dict)
    # a word that, after a head noun, makes a compound asking something else: "what time frame" asks
    # a span, not a time of day
    compound_tails: frozenset[str] = frozenset()
    name_words: frozenset[str] = frozenset()
    # "which" + a noun that names no kind ("which demands…") asks for a detail of the subject: the
    # kind "what", which only a declared lacks reads (every entry answers some "what")
    detail_words: frozenset[str] = frozenset()
    # "what did she say about how…", "what will they do when…": a question opening one of these and an
    # auxiliary asks what was done or said; a later question word is inside it (``question_kind``)
    verb_question_words: frozenset[str] = frozenset()
    copulas: frozenset[str] = frozenset()  # "what is the name…", "what were the names…"
    singular_copulas: frozenset[str] = frozenset()  # "who was the official…" asks for a name
    determiners: frozenset[str] = frozenset()  # skipped between "which" and its noun ("which two…")
    # an answer saying one of these before a name ("near the Kerem Shalom crossing", "in Cairo") says where:
    # a "where" question is no other kind of question for it (contribution kind)
    place_prepositions: frozenset[str] = frozenset()
    # Words that introduce a thing without saying which one it is ("a hotel", "two carriers", "neither
    # company", "an unnamed official"): a mention after one of them names nothing (``asked_focus``).
    indefinite_words: frozenset[str] = frozenset()
    # What an answer's text must hold to answer a question asking for a number, a time or a
    # name (``answer_demand``): the language's number and time words, and the words of a title
    # ("Prime Minister") that alone name nobody.
    number_words: frozenset[str] = frozenset()
    number_hows: frozenset[str] = frozenset()  # "how old": a number, though not "how many"
    # number words that also stand for a thing named before ("before sending one", "one of the aims"):
    # a count only before the thing counted ("one rocket")
    pronoun_numbers: frozenset[str] = frozenset()
    # "how long…" asks a span (``SPAN``): the word after "how" that asks one, and the units of time and
    # length a text gives one in ("11th day", "for months", "38 kilometres"); a weekday or a date is none
    span_hows: frozenset[str] = frozenset()
    span_words: frozenset[str] = frozenset()
    span_counters: frozenset[str] = frozenset()  # "for months", "a week", "several years", "second week"
    # "how old is he?", "how old is Bill Burns?" ask a person's age (``asks_age``): the word after "how"
    # that asks an age, and the pronouns that stand for a person. A date gives no one's age.
    age_hows: frozenset[str] = frozenset()
    person_pronouns: frozenset[str] = frozenset()
    # a message of nothing but these asks what was meant ("huh?", "eh?"): not understood, not a greeting
    puzzled_words: frozenset[str] = frozenset()
    time_words: frozenset[str] = frozenset()
    # "what time…", "at what hour…" ask a time of day (``CLOCK``): the heads that ask it, and the words
    # and marks of a text that give one ("9 p.m.", "noon", "overnight")
    clock_heads: frozenset[str] = frozenset()
    # "what day…", "which date…" ask a day (``DAY``): the heads that ask one, and the words that give one
    # besides the calendar's and a number ("today", "yesterday"); "in recent months" or "after" gives none
    day_heads: frozenset[str] = frozenset()
    day_words: frozenset[str] = frozenset()
    clock_words: frozenset[str] = frozenset()
    calendar_words: frozenset[str] = frozenset()  # weekdays and months: capitalised, yet no one's name
    title_words: frozenset[str] = frozenset()
    name_joiners: frozenset[str] = frozenset()  # lower-case words inside a name ("bin", "van")
    # "what did X say/tell…" asks for X's own words: the verbs that ask for them
    speech_verbs: frozenset[str] = frozenset()
    speech_question_words: frozenset[str] = frozenset()  # "what did X say" (not "who is X mentioned…")
    complementizers: frozenset[str] = frozenset()  # "who warned *that* …": opens the words reported
    quoting_words: frozenset[str] = frozenset()  # "who was *quoted as* saying…": before the verb of saying
    # A yes/no question opens its clause with an auxiliary ("did anyone die?"), maybe after a
    # lead word ("so", "and", "ok"); the negated auxiliaries open one too ("didn't they leave?").
    yes_no_leads: frozenset[str] = frozenset()
    negated_auxiliaries: frozenset[str] = frozenset()
    # A question asking for a judgement (kind "opinion"): its clause opens with one of these
    # phrases ("should…", "do you think…"), it holds one of the anywhere phrases ("in your
    # opinion"), or it is a yes/no question with a judgement word ("is it fair to…", "was X right…").
    opinion_openers: tuple[str, ...] = ()
    opinion_phrases: tuple[str, ...] = ()
    judgement_words: frozenset[str] = frozenset()
    not_judgement_phrases: tuple[str, ...] = ()  # a judgement word that says when or where ("right now")
    judgement_phrases: tuple[str, ...] = ()  # ...or a judgement phrase ("is X to blame?"; "who is to blame" asks who)
    # Words of a sentence that reports someone's words or stance ("said", "vowed", "desired"):
    # the people it names speak in it, though the quote is the article's own.
    reporting_verbs: frozenset[str] = frozenset()
    # Phrases (normalised) by which a curated answer says what the article does not give ("the article
    # doesn't say why", "it gives no start date", "the group has yet to decide"): the words after one, to
    # the clause's end, are what it lacks (``index.disclaimers_in``); and the word that asks yes or no there
    # ("doesn't say whether anyone was killed").
    disclaimers: tuple[str, ...] = ()
    # ...and those by which it says a thing has not happened yet ("the group has yet to decide"): that
    # answers whether it has ("has hamas decided?"), not what it was ("what did hamas decide?")
    pending: tuple[str, ...] = ()
    # Words that ask a size and name nothing it is the size of ("how *big*", "what *size*"): a question
    # sharing only these with an entry's phrasings is not about it
    # ("how big is Rafah?" and a keyword "how big" of the rocket count)
    measure_words: frozenset[str] = frozenset()
    # The page's own nouns ("this *story*", "the *article*"): stopwords, yet a question that names the page
    # among entries as close prefers the one whose own phrasings name it ("whats the date on this story")
    page_words: frozenset[str] = frozenset()
    # Readers' words for the same thing, one group a line ("injured", "hurt", "wounded"): a question's
    # "wounded" asks what a curated "…doesn't say whether anyone else was hurt" disclaims (rule kin)
    kin_groups: tuple[tuple[str, ...], ...] = ()
    whether_words: frozenset[str] = frozenset()
    # A yes/no question about what is still to come ("will there be a deal before the end of the month?"):
    # the words that put it in the future; with a time word it asks when as well (rule dated)
    future_words: frozenset[str] = frozenset()
    # "what *other* strikes…", "any *other* hospitals…" ask for more of a thing than the one an entry is
    # about (not "the other hospital", one of two): only an entry whose text speaks of others answers
    other_words: frozenset[str] = frozenset()
    definite_words: frozenset[str] = frozenset()  # "the other…", "each other": one more of a known set
    others_answers: frozenset[str] = frozenset()  # "the only scheduled airline", "other engines", "another"
    # words that end a disclaiming clause as punctuation does ("…doesn't say why, *but* it says…")
    concessive_joiners: tuple[str, ...] = ()
    # A message asking two questions at once ("who is the mediator and when are they due back?"):
    # the marks that end one question before another ("?" followed by more text, ";"), and the
    # words that open a second question when a question word or an auxiliary follows them
    # ("…, and when…", "also who…"; not "who are Hamas and Israel", "what did X and Y agree").
    question_marks: str = ""
    question_joiners: tuple[str, ...] = ()
    # Words by which a later question points back at an earlier one ("who is X and what does he want?"):
    # such a part is asked of nobody alone, so it is never answered on its own.
    back_references: frozenset[str] = frozenset()
    # Words whose neighbours in meaning are other things, not other words for them ("days" ~
    # "months", "monday" ~ "sunday", "three" ~ "four"): numbers, times and calendar words.
    exact_words: frozenset[str] = field(init=False, repr=False)
    clause_break: re.Pattern[str] = field(init=False, repr=False)
    asking: re.Pattern[str] = field(init=False, repr=False)
    opening: re.Pattern[str] = field(init=False, repr=False)
    polite_opening: re.Pattern[str] = field(init=False, repr=False)
    closing: re.Pattern[str] = field(init=False, repr=False)
    slashed: re.Pattern[str] = field(init=False, repr=False)
    question_break: re.Pattern[str] = field(init=False, repr=False)
    question_lead: re.Pattern[str] = field(init=False, repr=False)  # "And how far…?": the joiner is no part of it
    question_opening: re.Pattern[str] = field(init=False, repr=False)  # opens on a question word or auxiliary

    def __post_init__(self) -> None:
        joiners = "|".join(self.clause_joiners)
        breaks = re.compile(rf"([.?!;:,\n]+)\s*|\s+-+\s+|\s+(?:{joiners})\s+", re.IGNORECASE)
        openers = "|".join([*sorted(self.question_words), *self.auxiliaries])
        asking = re.compile(rf"^\W*(?:\w+\s+){{0,3}}?(?:{openers})\b", re.IGNORECASE)
        object.__setattr__(self, "exact_words", self.number_words | self.time_words | self.calendar_words)
        object.__setattr__(self, "clause_break", breaks)
        object.__setattr__(self, "asking", asking)
        # Longest phrase first, so "hey bot" goes whole before "hey" could.
        opening = "|".join(re.escape(p) for p in sorted(self.openers, key=len, reverse=True)) or "(?!)"
        closing = "|".join(re.escape(p) for p in sorted(self.closers, key=len, reverse=True)) or "(?!)"
        separator = r"(?:[\s,:;.!\-\u2014\u2013]+|$)"
        object.__setattr__(self, "opening", re.compile(rf"^(?:\s*(?:{opening}){separator})+", re.IGNORECASE))
        polite = "|".join(re.escape(p) for p in sorted(self.polite_openers, key=len, reverse=True)) or "(?!)"
        marks = r"\s*[,:;.!\-\u2014\u2013]+\s*"
        object.__setattr__(
            self, "polite_opening", re.compile(rf"^(?:\s*(?:{opening})\s+)*\s*(?:(?:{polite}){marks})+", re.IGNORECASE)
        )
        object.__setattr__(self, "question_break", _question_break(self))
        joiners = "|".join(re.escape(j) for j in sorted(self.question_joiners, key=len, reverse=True)) or "(?!)"
        object.__setattr__(self, "question_lead", re.compile(rf"^\W*(?:(?:{joiners})\b[\s,]*)+", re.IGNORECASE))
        leads = "|".join(sorted(self.yes_no_leads, key=len, reverse=True)) or "(?!)"
        askers = {*self.question_words, *self.auxiliaries, *self.negated_auxiliaries}
        asks = "|".join(re.escape(w) for w in sorted(askers, key=len, reverse=True)) or "(?!)"
        asked = rf"^\W*(?:(?:{leads})\W+)*(?:{asks})\b"
        object.__setattr__(self, "question_opening", re.compile(asked, re.IGNORECASE))
        object.__setattr__(self, "closing", re.compile(rf"(?:[\s,;.!\-]+(?:{closing}))+[\s.!]*$", re.IGNORECASE))
        # "w/o" whole; "w/" also run into its word ("w/hamas")
        slashed = "|".join(
            re.escape(p) + (r"(?!/)" if p.endswith("/") else r"(?![\w/])")
            for p in sorted(self.slashed_forms, key=len, reverse=True)
        )
        object.__setattr__(self, "slashed", re.compile(rf"(?<![\w/])(?:{slashed or '(?!)'})", re.IGNORECASE))

    def stem_of(self, word: str) -> str:
        """The word's stem, an irregular form read as its base first ("left" -> "leave" -> "leav", as "leaving")."""
        return self.stem(self.irregular.get(word, word))

    def same_word(self, word: str, other: str) -> bool:
        """Whether two spellings are one word spelt the way another region spells it."""
        for one, another in self.spelling_variants:
            word, other = word.replace(one, another), other.replace(one, another)
        return word == other


def _question_break(lang: Language) -> re.Pattern[str]:
    """Where a message turns from one question to the next: a ``question_marks`` mark with more text
    after it (the mark captured), or a ``question_joiners`` word before a question word or an
    auxiliary with at least two more words ("and did the plane land", not "and were injured")."""
    if not lang.question_joiners and not lang.question_marks:
        return re.compile(r"(?!)")
    marks = rf"\s*([{re.escape(lang.question_marks)}]+)\s*(?=\S)" if lang.question_marks else "(?!)"
    joiners = "|".join(re.escape(j) for j in sorted(lang.question_joiners, key=len, reverse=True)) or "(?!)"
    words = "|".join(sorted(lang.question_words, key=len, reverse=True))
    auxiliaries = "|".join(sorted({*lang.auxiliaries, *lang.negated_auxiliaries}, key=len, reverse=True))
    opens = rf"(?:{words})\b|(?:{auxiliaries})\s+[\w'’-]+\s+\w"
    return re.compile(rf"{marks}|\s*,?\s+(?:(?:{joiners}),?\s+)+(?=(?:{opens}))", re.IGNORECASE)


# Generic English function words; article-specific vocabulary never lives here. Listed once each
# (tests/test_text.py checks): a repeat is a sign the list was extended without being read. The last lines are
# prepositions and sentence adverbs ("among", "regardless", "together", "somewhere"): a reader's own words
# that name no topic, which the foreign penalty otherwise charged as content the article never mentions; the very
# last, a reader's words about the text or the bot ("mentioned in the story", "per the article", "bot, …") and
# adverbs of emphasis ("obviously", "specifically"). Not
# the words that set the asked thing apart from what an entry says ("else", "besides", "except", "instead"),
# negations ("nobody", "neither") or "since" (a time): those carry meaning against an entry.
_ENGLISH_STOPWORD_LIST = tuple(
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
    guys ngl tbh btw idk imo omg wtf smh fr rn lmao haha hmm um uh oh ah well anyway anyways even still
    now right exactly basically literally currently lately stuff kind sort lot lots bit someone somebody anyone
    anybody everyone wait hello thanks thank thx ty tysm thankyou cheers wondering wonder curious quick question
    mean meant go going
    gone goes went come came coming gets getting make makes made making happen happens happened
    happening take took give gave keep keeps taking takes taken giving gives keeping kept
    among amongst along beyond either everywhere hence however indeed meanwhile namely nevertheless onto perhaps rather
    regardless somehow sometimes somewhere thereby therefore thus together toward towards upon via whatever whenever
    wherever whether whoever anyhow anywhere around regarding concerning
    mention mentioned mentions mentioning per obviously particular particularly specifically bot""".split()
)
_ENGLISH_STOPWORDS = frozenset(_ENGLISH_STOPWORD_LIST)

# Common irregular English verb forms, so "met" meets "meet" and "held" meets "hold".
_ENGLISH_IRREGULAR = {
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


_snowball = threading.local()  # a Snowball stemmer object keeps state while it stems: one per thread


@lru_cache(maxsize=1 << 16)
def english_stem(word: str) -> str:
    """Porter2 (Snowball's English stemmer), so 'negotiations' meets 'negotiating' and 'fired'
    meets 'firing'."""
    if not word.isalpha():
        return word
    stemmer = getattr(_snowball, "english", None)
    if stemmer is None:
        stemmer = _snowball.english = snowballstemmer.stemmer("english")
    return str(stemmer.stemWord(word))


HOW_MANY = "how_many"  # the names are knowledge.QUESTION_KINDS'
WHEN = "when"  # a time asked of an event ("when…", "which day…")
WHERE = "where"  # a place asked ("where…", "in which city…")
WHAT = "what"  # asked by "which demands…": a declared lacks reads it, the kind penalty does not
YES_NO = "yes_no"  # every entry can be asked yes/no: like WHAT, only a declared lacks reads it
OPINION = "opinion"  # asks for a judgement, which the article reports at most (someone's view)
NUMBER, NAME, TIME = "number", "name", "time"  # what an answer's text must hold (answer_demand)
CLOCK = "clock time"  # "what time do the talks start?": a time of day, not only a day
SPAN = "span"  # "how long has the strike lasted?": a length of time (or of road), not a day
DAY = "day"  # "what day did the attack happen?": a day or a date, not "in recent months" or "after"

_WORD_LIST = Path(__file__).with_name("english_words.txt")  # see tests/make_english_words.py
_THESAURUS = Path(__file__).parent / "draft" / "thesaurus.json"  # everyday English words, one group a form


def _kin_groups(path: Path) -> tuple[tuple[str, ...], ...]:
    """The thesaurus's groups of words for one thing, less those with a sense pattern (their words are
    kin in one sense only: "hit" is "hurt" only where someone was hit); () without the file."""
    try:
        groups = json.loads(path.read_text(encoding="utf-8"))["groups"]
    except (OSError, ValueError, KeyError):
        return ()
    return tuple(tuple(normalize(w) for w in g) for g in groups if isinstance(g, list))


@lru_cache(maxsize=1)
def _english_words() -> bytes:
    """The sorted word list, read only when a repair is about to happen: half a millisecond as
    bytes (building a set of its 127,000 words would cost 17). Missing: no dictionary."""
    try:
        return _WORD_LIST.read_bytes()
    except OSError:
        return b""


@lru_cache(maxsize=4096)
def english_word(word: str) -> bool:
    """Whether a word of four letters or more is in the English word list: a binary search over
    the sorted lines of the file, so nothing is built at start."""
    text, key = _english_words(), word.encode("utf-8")
    lo, hi = 0, len(text)
    while lo < hi:
        mid = (lo + hi) // 2
        start = text.rfind(b"\n", 0, mid) + 1
        end = text.find(b"\n", start)
        end = len(text) if end < 0 else end
        line = text[start:end]
        if line == key:
            return True
        if line < key:
            lo = end + 1
        else:
            hi = start
    return False


ENGLISH = Language(
    name="English",
    stopwords=_ENGLISH_STOPWORDS,
    question_words=frozenset(["who", "whom", "whose", "what", "when", "where", "why", "how", "which"]),
    auxiliaries=tuple("did does do is are was were will would can could has have had should".split()),
    kinds={"who": "who", "whom": "who", "whose": "who", "when": "when", "where": "where", "why": "why"},
    how="how",
    count_words=frozenset(("many", "much")),
    clause_joiners=("but", "and", "so"),
    stem=english_stem,
    irregular=_ENGLISH_IRREGULAR,
    openers=tuple(
        phrase.strip()
        for phrase in """hey bot|hi bot|hello bot|yo bot|ok bot|okay bot|dear bot|hey there|hi there|hello there
        |bot|hey|hi|hello|heya|hiya|yo|sup|ok so|okay so|ok|okay|alright|pls|plz|please|quick question|quick q
        |question|one more question|another question|also|and also|btw|um|uh|umm|hmm|sorry|excuse me|oh|ah
        |well|anyway|anyways|lol|haha|hm|yeah|yep|yup""".split("|")
    ),
    polite_openers=tuple(
        phrase.strip()
        for phrase in """thanks|thank you|thanks a lot|thank you so much|thx|ty|cheers|great|cool|awesome|perfect
        |got it|gotcha|wow|amazing|nice one|nice|i see|makes sense|ok great|ok cool|ok thanks""".split("|")
    ),
    closers=tuple("pls|plz|please|thanks|thank you|thx|ty|cheers|bot|lol|haha".split("|")),
    thanks=frozenset("thanks thank thx ty cheers tysm thankyou".split()),
    acknowledgements=frozenset(
        """ok okay k kk alright great cool awesome nice perfect got gotcha understood wow amazing brilliant noted
        sense see""".split()
    ),
    acknowledgement_fillers=frozenset(
        "right yes yeah yep yup so very much lot a you it that this all oh ah i bot lol haha that's it's makes".split()
    ),
    assents=frozenset("ok okay k kk alright".split()),
    is_word=english_word,
    spelling_variants=(
        ("our", "or"),
        ("tre", "ter"),
        ("res", "ers"),
        ("ise", "ize"),
        ("yse", "yze"),
        ("ll", "l"),
        ("ogue", "og"),
    ),
    chat_forms=dict(
        pair.split(":")
        for pair in """ppl:people ppls:people wat:what wut:what wht:what wen:when wher:where b4:before
        abt:about bc:because
        cuz:because coz:because bcuz:because govt:government gov:government govts:governments thru:through
        yrs:years mins:minutes hrs:hours approx:approximately tmrw:tomorrow
        tmr:tomorrow""".split()
    )
    | {"tldr": "tl dr"},  # "tl;dr" normalises to two words; typed without the semicolon it is one
    chat_phrases={
        **{f"{verb} a lot": f"{verb} often" for verb in ("happen", "happens", "happened", "happening")},
        # phrasal verbs whose words say nothing apart ("take place" is "happen", "turn up" is "come")
        **{"take place": "happen", "takes place": "happens", "took place": "happened", "taking place": "happening"},
        **{"taken place": "happened", "turn up": "come", "turns up": "comes", "turned up": "came"},
        "turning up": "coming",
    },
    slashed_forms={"w/o": "without", "w/out": "without", "w/": "with", "b/c": "because", "b/w": "between"},
    head_kinds={
        **dict.fromkeys(
            """official officials minister ministers leader leaders person people man woman men women spokesman
            spokeswoman spokesperson company companies firm firms politician politicians journalist reporter
            doctor doctors executive executives president mayor judge""".split(),
            "who",
        ),
        **dict.fromkeys("time date day days year years month months week hour".split(), "when"),
        **dict.fromkeys("city country town place places location village region street".split(), "where"),
        **dict.fromkeys("number percentage percent proportion amount figure".split(), HOW_MANY),
    },
    name_words=frozenset(("name", "names", "named")),
    detail_words=frozenset(("which",)),
    verb_question_words=frozenset(("what",)),
    copulas=frozenset(("is", "was", "are", "were")),
    singular_copulas=frozenset(("is", "was")),
    determiners=frozenset(("the", "a", "an", "his", "her", "its", "their", "exact", "exactly")),
    place_prepositions=frozenset(("in", "near", "at", "from", "outside", "inside")),
    indefinite_words=frozenset(
        "a an one two three four five six seven eight nine ten some several neither another unnamed any".split()
    ),
    number_words=frozenset(
        """zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen
        sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred
        hundreds thousand thousands million millions billion billions dozen dozens half quarter none""".split()
    ),
    number_hows=frozenset(("old",)),
    pronoun_numbers=frozenset(("one",)),
    span_hows=frozenset(("long",)),
    span_words=frozenset(
        """second seconds minute minutes hour hours day days week weeks fortnight month months year years decade
        decades century centuries kilometre kilometres kilometer kilometers km miles mile metres meters""".split()
    ),
    span_counters=frozenset("a an for few several many some first second third fourth fifth last past next".split()),
    age_hows=frozenset(("old",)),
    person_pronouns=frozenset("he she him her his hers".split()),
    puzzled_words=frozenset("huh eh pardon".split()),
    time_words=frozenset(
        """today yesterday tomorrow tonight morning afternoon evening night noon midnight weekend week weeks
        month months year years day days hour hours decade decades ago since until till after before during
        earlier later recently recent soon last next previous early late dawn overnight""".split()
    ),
    clock_heads=frozenset(("time", "hour")),
    day_heads=frozenset(("day", "date")),
    day_words=frozenset("today yesterday tomorrow tonight weekend".split()),
    compound_tails=frozenset("frame frames line lines span scale scales table tables limit limits zone zones".split()),
    clock_words=frozenset(
        "am pm noon midnight o'clock morning afternoon evening night overnight tonight dawn dusk".split()
    ),
    calendar_words=frozenset(
        """monday tuesday wednesday thursday friday saturday sunday january february march april may june july
        august september october november december""".split()
    ),
    title_words=frozenset(
        """prime minister president director general secretary chief executive officer mayor senator judge
        dr mr mrs ms sir lord king queen prince foreign defense defence health labour labor justice interior
        deputy vice head chair chairman chairwoman commissioner governor ambassador envoy spokesman
        spokeswoman spokesperson leader professor captain colonel lieutenant sergeant sheikh emir""".split()
    ),
    speech_verbs=frozenset(
        """say said says tell told comment commented think thinks thought claim claimed argue argued
        announce announced state stated mention mentioned""".split()
    ),
    speech_question_words=frozenset(("what",)),
    complementizers=frozenset(("that",)),
    quoting_words=frozenset(("quoted", "as")),
    question_marks="?;",
    question_joiners=("and", "also", "and also"),
    back_references=frozenset("he she him her his hers they them their theirs it its".split()),
    yes_no_leads=frozenset("so and but ok okay then also well oh wait".split()),
    negated_auxiliaries=frozenset(
        """didn't didnt doesn't doesnt don't dont isn't isnt aren't arent wasn't wasnt weren't werent won't
        wont wouldn't wouldnt can't cant couldn't couldnt hasn't hasnt haven't havent hadn't hadnt shouldn't
        shouldnt""".split()
    ),
    opinion_openers=tuple(
        phrase.strip()
        for phrase in """should|shouldn't|shouldnt|what should|who should|do you think|what do you think
        |don't you think|dont you think|do u think|what do u think|would you say|do you believe|do you agree
        |what is your opinion|what's your opinion|what is your view|what's your view|what's your take""".split("|")
    ),
    opinion_phrases=("in your opinion", "your opinion", "in your view", "your take on", "in the right", "in the wrong"),
    not_judgement_phrases=("right now", "right away", "right after", "right before", "right here", "right there"),
    judgement_phrases=("to blame", "at fault", "in good faith", "in bad faith"),
    judgement_words=frozenset(
        """right wrong fair unfair justified unjustified moral immoral ethical unethical acceptable unacceptable
        reasonable unreasonable wise unwise mistake deserve deserved deserves fault""".split()
    ),
    reporting_verbs=frozenset(
        """say said says saying told tells vowed warned insisted stated announced confirmed described
        describing called accused blamed blame argued claimed expressed stressed added noted declined denied
        rejected dismissed reiterated according threatened pledged promised urged insists desired desires wanted
        wants sought seeks seeking demanded demands hoped hopes expects expected believes believed opposed
        refused refuses intends intended intending""".split()
    ),
    disclaimers=tuple(
        f"{negation} {verb}"
        for negation in ("doesn't", "does not", "doesnt", "never")
        for verb in """say give name list report mention describe explain predict date specify detail identify
        reveal""".split()
    )
    + tuple(
        f"{verb} {none}"
        for verb in "says gives names lists reports mentions describes".split()
        for none in ("no", "nothing")
    )
    + ("no word on",),
    pending=("yet to", "not yet"),
    measure_words=frozenset(
        "big bigger biggest large larger largest small smaller smallest size sized huge tiny".split()
    ),
    page_words=frozenset("article story piece page".split()),
    whether_words=frozenset(("whether",)),
    future_words=frozenset("will won't wont gonna".split()),
    other_words=frozenset(("other", "others")),
    definite_words=frozenset("the each every this that his her its their our my your one".split()),
    others_answers=frozenset(
        "other others another only else elsewhere besides alone sole also more further additional similar".split()
    ),
    kin_groups=_kin_groups(_THESAURUS),
    concessive_joiners=("but", "though", "although", "while"),
    name_joiners=frozenset(("bin", "ibn", "al", "el", "de", "du", "da", "di", "van", "von", "der", "den", "la", "le")),
)

# Question kinds that by themselves can ask for what a "not covered" note is about ("how" is too loose:
# "how are the families doing?").
NOTE_KINDS = frozenset(("who", "when", "why", HOW_MANY))


# ---------------------------------------------------------------------------
# Analysis

_MENTION = re.compile(r"(?<![\w@])@\w{3,}")  # @botname, anywhere in the message


def prepare(text: str, lang: Language = ENGLISH, max_chars: int = 500) -> str:
    """The message as matching reads it: cut to ``max_chars`` before and after NFKC (which can
    turn 500 characters into 9,000), with @mentions and addressing words ("hey bot, quick
    question:", "... pls") dropped, since they are never content."""
    text = unicodedata.normalize("NFKC", text[:max_chars])[:max_chars]
    text = _MENTION.sub(" ", text)
    text, slashed = lang.slashed.subn(lambda m: f" {lang.slashed_forms[m.group().lower()]} ", text)
    if slashed:
        text = re.sub(r" +(?=[?!.,;:])", "", re.sub(r" {2,}", " ", text)).strip()
    text = lang.opening.sub("", lang.polite_opening.sub("", text))
    return lang.closing.sub("", text).strip()


def is_function_word(word: str, lang: Language = ENGLISH) -> bool:
    """Whether a word is a stopword or question word of the language: it carries no topic."""
    return word in lang.stopwords or word in lang.question_words


_SENTENCE_WORD = re.compile(r"[.?!]+|[^\W\d_][\w'’-]*")


def written_as_names(text: str) -> frozenset[str]:
    """The normalised words of a message written with a capital letter where a sentence does
    not start ("did Egypt help?": egypt): what the asker names, not merely mentions."""
    named: set[str] = set()
    starts = True
    for token in _SENTENCE_WORD.findall(text):
        if not token[0].isalpha():
            starts = True
            continue
        if not starts and token[0].isupper():
            named.update(normalize(token).split())
        starts = False
    return frozenset(named)


def content_words(normalized: str, lang: Language = ENGLISH) -> list[str]:
    """Stemmed words that carry meaning (no stopwords), in order, without repeats."""
    seen: dict[str, None] = {}
    for word in normalized.split():
        if (not is_function_word(word, lang) and len(word) > 1) or word.isdigit():
            seen.setdefault(lang.stem_of(word), None)
    return list(seen)


def chat_to_words(normalized: str, lang: Language = ENGLISH) -> str:
    """A normalised message with the language's chat spellings written out ("wat did ppl say" ->
    "what did people say")."""
    if not lang.chat_forms:
        return normalized
    words = " ".join(lang.chat_forms.get(w, w) for w in normalized.split())
    for phrase, meaning in lang.chat_phrases.items():
        if phrase in words:
            words = re.sub(rf"\b{re.escape(phrase)}\b", meaning, words)
    return words


def question_kind(normalized: str, lang: Language = ENGLISH) -> str | None:
    """The first question word, with "how many/much" told apart from "how", and "which/what"
    read by the noun it asks about ("which day" -> when, "what's the name" -> who); a question
    asking for a judgement is "opinion" ("should Israel accept?", "is it fair to…"), and one
    opening with an auxiliary whose words name no other kind is "yes_no" ("did anyone die?";
    "did Hamas say why they left" asks why)."""
    words = normalized.split()
    rest = _past_leads(words, lang)
    yes_no_opening = _opens_with_auxiliary(rest, lang)
    if _asks_judgement(rest, yes_no_opening, lang):
        return OPINION
    kind = _asked_kind(words, lang)
    return YES_NO if kind is None and yes_no_opening else kind


def opens_yes_no(normalized: str, lang: Language = ENGLISH) -> bool:
    """Whether a question opens as a yes/no question does: with an auxiliary ("did he say anything
    else?", "is that his only quote?", "didn't they leave?"), after any lead word ("so", "and")."""
    return _opens_with_auxiliary(_past_leads(normalized.split(), lang), lang)


def _past_leads(words: list[str], lang: Language) -> list[str]:
    """The words from the first that is no yes/no lead word ("so", "and", "ok") on (the last word kept)."""
    lead = 0
    while lead < len(words) - 1 and words[lead] in lang.yes_no_leads:
        lead += 1
    return words[lead:]


def _opens_with_auxiliary(words: list[str], lang: Language) -> bool:
    return bool(words) and (words[0] in lang.auxiliaries or words[0] in lang.negated_auxiliaries)


def _asks_judgement(clause: list[str], yes_no_opening: bool, lang: Language) -> bool:
    """Whether a clause asks for a judgement rather than a fact: it opens with an opinion phrase,
    holds an anywhere one, or is a yes/no question with a judgement word."""
    text = f" {' '.join(clause)} "
    if any(text.startswith(f" {p} ") for p in lang.opinion_openers):
        return True
    if any(f" {p} " in text for p in lang.opinion_phrases):
        return True
    for phrase in lang.not_judgement_phrases:  # "is there a delegation in Cairo *right now*?" judges nothing
        text = text.replace(f" {phrase} ", " ")
    clause = text.split()
    if yes_no_opening and any(f" {p} " in text for p in lang.judgement_phrases):
        return True  # "is Netanyahu to blame?", "is Hamas negotiating in good faith?"
    return yes_no_opening and any(w in lang.judgement_words for w in clause)


def _asks_a_doing(words: list[str], lang: Language) -> bool:
    """Whether a question opens "what", perhaps a noun, and an auxiliary that is no copula ("what did…",
    "what word did…", "what can't…"; not "what is the reason why…", whose later "why" is what it asks)."""
    if not words or words[0] not in lang.verb_question_words:
        return False
    for word in words[1:3]:
        if word in lang.auxiliaries or word in lang.negated_auxiliaries:
            return word not in lang.copulas
    return False


def _asked_kind(words: list[str], lang: Language) -> str | None:
    """The kind the first question word asks for (``question_kind`` without yes/no and opinion)."""
    for n, word in enumerate(words):
        if n > 1 and _asks_a_doing(words, lang):
            # "what did she say about how…", "what will they do when…": the opening "what" asks what
            # someone did or said; a later question word opens a clause inside it, not what it asks
            return None
        if word in lang.kinds:
            return lang.kinds[word]
        if word == lang.how:
            return HOW_MANY if n + 1 < len(words) and words[n + 1] in lang.count_words else lang.how
        if word in lang.question_words and (head := _head_kind(words, n + 1, lang)) is not None:
            return head  # what, which
        if word in lang.detail_words and n + 1 < len(words) and not is_function_word(words[n + 1], lang):
            return WHAT  # "which demands did Israel soften?": a detail, which a declared lacks "what" turns away
    return None


def _head_kind(words: list[str], start: int, lang: Language) -> str | None:
    """The kind the noun after "which"/"what" asks for: "which two US officials" -> who, "what
    time" -> when, "what is the name of…" -> who; None for a noun that says nothing of the kind
    ("which demands") or a verb ("what did the minister say")."""
    i, after_copula, skipped = start, False, 0
    if i < len(words) and words[i] in lang.copulas:
        i, after_copula = i + 1, True
    while i < len(words) and skipped <= 3:
        word = words[i]
        if word in lang.name_words:
            return "who"
        compound = i + 1 < len(words) and words[i + 1] in lang.compound_tails
        if not after_copula and word in lang.head_kinds and not compound:
            return lang.head_kinds[word]
        modifier = word in lang.determiners or word.isdigit() or word in lang.number_words
        if not modifier and (after_copula or is_function_word(word, lang) or word in lang.auxiliaries):
            return None
        i, skipped = i + 1, skipped + 1  # a determiner, a number or an adjective before the noun
    return None


def answer_demand(normalized: str, lang: Language = ENGLISH) -> str | None:
    """What the answer's own text must hold for the question to be answered at all: a number
    ("how many…", "how old…"), a time ("when…", "what day…") or a name ("what's his name?",
    "who was the official…", "which officials…"). None when any answer on the subject may do."""
    words = normalized.split()
    if any(w in lang.name_words for w in words):
        return NAME
    if words and words[0] in lang.auxiliaries:
        return None  # "was anyone hurt when…": a yes/no question; its "when" joins a clause
    for n, word in enumerate(words):
        if word == lang.how:
            after = words[n + 1] if n + 1 < len(words) else ""
            if after in lang.span_hows:
                return SPAN
            return NUMBER if after in lang.count_words or after in lang.number_hows else None
        if word in lang.kinds:
            kind = lang.kinds[word]
            if kind == "when":
                return TIME
            if kind == "who" and words[n + 1 : n + 2] and words[n + 1] in lang.singular_copulas:
                # "who was the official…" asks for a name; "who are the parties" may be answered by groups
                return NAME if words[n + 2 : n + 3] and words[n + 2] in lang.determiners else None
            return None
        if word in lang.question_words and (head := _head_kind(words, n + 1, lang)) is not None:
            if head == "when" and words[n + 1 : n + 2] and words[n + 1] in lang.clock_heads:
                return CLOCK  # "what time do the talks start" (not "what time of year": "of" follows)
            if head == "when" and words[n + 1 : n + 2] and words[n + 1] in lang.day_heads:
                return DAY  # "what day did the attack happen", "which date"
            return {"who": NAME, "when": TIME, HOW_MANY: NUMBER}.get(head)
    return None


def asks_age(normalized: str, named: frozenset[str], lang: Language = ENGLISH) -> bool:
    """Whether a question asks a person's age: "how old" about "he/she" or a word written as a name
    ("how old is he?", "how old is Bill Burns?"), not about a thing ("how old is the article?", which
    its date may answer)."""
    words = normalized.split()
    for n, word in enumerate(words[:-1]):
        if word == lang.how and words[n + 1] in lang.age_hows:
            return any(w in lang.person_pronouns or w in named for w in words[n + 2 :])
    return False


_AGE_MARK = re.compile(
    r"\b[\w-]+[- ]years?[- ]old\b|\b(?:aged|age of|age)\s+\d{1,3}\b|\bborn\b"
    r"|\b[A-Z][\w’'.-]+,\s+\d{1,3},"
    r"|\b(?:his|her|their)\s+(?:early\s+|mid-?|late\s+)?(?:\d0s|(?:twen|thir|for|fif|six|seven|eigh|nine)ties)\b",
)


def age_marks(texts: Iterable[str]) -> set[str]:
    """The ages a text gives ("the 132-year-old viaduct", "aged 64", "Sofie Lindqvist, 29,", "born in
    1956", "in his sixties"), each as written."""
    return {found.group(0) for text in texts for found in _AGE_MARK.finditer(text)}


def count_marks(texts: Iterable[str], lang: Language = ENGLISH) -> set[str]:
    """The numbers a text gives, as written: digits and number words, but not a number word standing for
    a thing named before it ("they asked for a written plan before sending one", "one of the aims"),
    which answers no "how many"."""
    found: set[str] = set()
    for text in texts:
        words = normalize(text).split()
        for n, word in enumerate(words):
            if not (word.isdigit() or word in lang.number_words):
                continue
            after = words[n + 1] if n + 1 < len(words) else ""
            if word in lang.pronoun_numbers and (not after or after == "of" or after in lang.stopwords):
                continue
            found.add(word)
    return found


def span_marks(texts: Iterable[str], lang: Language = ENGLISH) -> set[str]:
    """The spans of time or length a text gives: a unit after a number, an ordinal or a word that counts
    it ("an eighteen-month renovation", "its 11th day", "for months", "about 38 kilometres"), each as "N
    unit"; "opening hours" and "on Monday" give none."""
    found: set[str] = set()
    for text in texts:
        words = normalize(text).split()
        for n, word in enumerate(words[1:], start=1):
            before = words[n - 1]
            counted = before in lang.span_counters or before in lang.number_words or before[:1].isdigit()
            if word in lang.span_words and counted:
                found.add(f"{before} {word}")
    return found


def asked_focus(normalized: str, lang: Language = ENGLISH) -> tuple[tuple[str, ...], bool]:
    """The words of the thing whose identity a question asks, at most two, the noun last: "the name
    of the *hotel*…", "which two *shipping companies*…", "who was the *Israeli official*…", "who were
    the two *US officials*…". Empty when it asks no identity ("who are the strikers" may be answered
    by what they are) or asks a time or a number ("which day", "which percentage": ``answer_demand``);
    and whether it asks "which" (what describes the thing may answer) rather than its name."""
    words = normalized.split()
    start = next((n + 2 for n, w in enumerate(words[:-2]) if w in lang.name_words and words[n + 1] == "of"), None)
    for n, word in enumerate(words if start is None else ()):
        if word in lang.detail_words:
            start = n + 1  # "which routes…"
        elif lang.kinds.get(word) == "who" and words[n + 1 : n + 2] and words[n + 1] in lang.copulas:
            rest = words[n + 2 : n + 4]
            singular = words[n + 1] in lang.singular_copulas and rest[:1] and rest[0] in lang.determiners
            counted = any(w in lang.number_words or w.isdigit() for w in rest)
            start = n + 2 if singular or counted else None  # "who was the official…", "who were the two…"
        if word in lang.question_words:
            break
    if start is None:
        return (), False
    which = words[start - 1] in lang.detail_words
    while start < len(words) and (
        words[start] in lang.determiners or words[start] in lang.number_words or words[start].isdigit()
    ):
        start += 1
    focus: list[str] = []
    for word in words[start : start + 2]:
        if is_function_word(word, lang) or word in lang.auxiliaries or word in lang.name_words:
            break
        focus.append(word)
    if not focus or lang.head_kinds.get(focus[0]) in ("when", HOW_MANY):
        return (), False
    return tuple(focus), which


def speaker_asked(normalized: str, lang: Language = ENGLISH) -> frozenset[str]:
    """The content words of X in "what did X say / tell / think…": a question for X's own words,
    which only an entry quoting X answers. Empty when it asks for nobody's ("what did they say")."""
    words = normalized.split()
    for n, word in enumerate(words[:3]):
        if word in lang.speech_question_words and words[n + 1 : n + 2] and words[n + 1] in lang.auxiliaries:
            for m in range(n + 2, min(len(words), n + 8)):
                if words[m] in lang.speech_verbs:
                    return frozenset(w for w in words[n + 2 : m] if not is_function_word(w, lang))
            return frozenset()
    return frozenset()


def asks_others(normalized: str, lang: Language = ENGLISH) -> bool:
    """Whether a question asks for more things than one ("what other strikes…", "any other hospitals…",
    "have other airlines reported…"), not one of a known set ("the other hospital", "each other")."""
    words = normalized.split()
    return any(w in lang.other_words and not (n and words[n - 1] in lang.definite_words) for n, w in enumerate(words))


def said_asked(normalized: str, lang: Language = ENGLISH) -> str:
    """The words of X in "who said X?" / "who warned that X?": a question for who spoke words,
    which the entry quoting them answers. Empty when it asks nothing of the kind."""
    words = normalized.split()
    if not words or lang.kinds.get(words[0]) != "who":
        return ""
    n = 1  # "who was quoted saying…": auxiliaries and the words of being quoted stand before the verb
    while n < len(words) and (words[n] in lang.auxiliaries or words[n] in lang.quoting_words):
        n += 1
    if n >= len(words) or (words[n] not in lang.reporting_verbs and words[n] not in lang.speech_verbs):
        return ""
    rest = words[n + 1 :]
    return " ".join(rest[1:] if rest[:1] and rest[0] in lang.complementizers else rest)


def asking_clauses(text: str, lang: Language = ENGLISH) -> list[str]:
    """The clauses of a message that ask something: ended by "?" or opening with a question word."""
    parts = lang.clause_break.split(text)  # clause, its punctuation (or None), clause, ...
    clauses = parts[0::2]
    marks = [*(m or "" for m in parts[1::2]), ""]
    return [c for c, mark in zip(clauses, marks, strict=True) if c and ("?" in mark or lang.asking.match(c))]


def split_questions(text: str, lang: Language = ENGLISH) -> list[str]:
    """The questions of a message that asks more than one ("Who is the mediator and when are the
    parties due back?" -> "Who is the mediator", "when are the parties due back"); a message asking
    one gives one. A piece is a question when it asks (opens with a question word or an auxiliary,
    or ends with "?") and has a word of content: "where and when did it happen?" stays whole, and
    "what is Rafah? I read it was hit" is one question and an aside."""
    parts = lang.question_break.split(text)  # piece, its mark (or None), piece, ...
    pieces = [lang.question_lead.sub("", p).strip(" ,") for p in parts[0::2]]
    marks = [*(m or "" for m in parts[1::2]), "?" if text.rstrip().endswith("?") else ""]
    return [
        piece
        for piece, mark in zip(pieces, marks, strict=True)
        if piece and ("?" in mark or lang.question_opening.match(piece)) and content_words(normalize(piece), lang)
    ]


@dataclass(frozen=True, slots=True)
class ConversationLanguage:
    """The words the conversation resolver reads follow-ups with. Each list differs from its
    nearest :class:`Language` field on purpose, so it is its own: the names it finds in an article,
    and the words a follow-up leans on the answer with."""

    # words never part of a name or a point back ("that official"); unlike ``stopwords``, no chat
    # filler and no question content ("about", "any"), but sentence adverbs ("however", "amid")
    function_words: frozenset[str]
    # lower-case words inside a person's name; ``name_joiners`` plus Arabic and Hebrew kinship
    # words ("abu", "bint", "ben"), which open a name the conversation must keep whole
    name_connectors: frozenset[str]
    place_before: frozenset[str]  # "in Doha": the name after it is a place
    place_after: frozenset[str]  # "Kerem Shalom crossing": the name before it is a place
    # the days, months and nearby days an "and on Tuesday?" swaps in: ``calendar_words`` plus
    # "today", "weekend"…, without the durations of ``time_words``
    time_words: frozenset[str]
    # verbs after a one-word group name that show it is a noun of its own ("Israel said"), not one
    # only describing the next noun ("Israeli official")
    not_a_noun_after: frozenset[str]
    # words of a follow-up that are not its own content ("did he say anything else?"): question and
    # chat words, plus the words of a side taken ("view", "stance") that only point at the answer
    not_content: frozenset[str]
    # singular nouns for a body of people, which "they" stands for ("what is the qatari team?", then
    # "why did they leave?": the team)
    collective_nouns: frozenset[str] = frozenset()
    # endings that make a country's or group's name describe its people ("Israel" -> "an Israeli official",
    # "Qatar" -> "Qatari"): a source so described speaks for that side
    demonym_endings: tuple[str, ...] = ()
    # words before the one a "who else…?" already leaves out ("who else blames hamas besides him?"):
    # with a pronoun after them they only say "else" again
    besides_words: tuple[str, ...] = ()
    # words with which a quote gives examples of what it speaks of ("…vague points…, including clarifying
    # the duration"): "like what?" is then answered by the quote itself
    example_markers: tuple[str, ...] = ()


ENGLISH_CONVERSATION = ConversationLanguage(
    function_words=frozenset(
        """a an the and or but if on in at of to for from by with as while when where why who what which how
        however meanwhile amid such this that these those there then we i you he she they it our his her their
        its my your after before since until during also although though yet so still now""".split()
    ),
    name_connectors=frozenset("bin ibn al el de da di du von van der den le la abu bint ben".split()),
    place_before=frozenset("in at near into inside outside across toward towards".split()),
    place_after=frozenset("crossing city town village border port terminal area region capital province".split()),
    time_words=frozenset(
        """monday tuesday wednesday thursday friday saturday sunday january february march april may june july
        august september october november december today tomorrow yesterday tonight weekend""".split()
    ),
    not_a_noun_after=frozenset("have has had is are was were said says say will would could can did do does".split()),
    not_content=frozenset(
        """about does did have has had were was what when where which while with would could should will shall
        this that these those there then they them their theirs tell know said says say anything something else
        also just really only very more most much many some any other exactly actually please thanks ever never
        even already again anyway
        side view views position stance perspective camp""".split()
    ),
    collective_nouns=frozenset(
        """team delegation government group family army military police committee council crew staff
        leadership cabinet administration ministry""".split()
    ),
    demonym_endings=("i", "is", "ian", "ians", "an", "ans", "ese", "ish"),
    besides_words=("besides", "other than", "apart from", "aside from", "except for", "except", "but"),
    example_markers=("including", "such as", "for example", "for instance", "among them", "notably"),
)
