"""The index of one knowledge base, built once: a record per entry, every phrasing, the
inverted index from stems to phrasings, the vocabulary, and typo repair against it.

Pure: no I/O. Scoring (bot/scoring.py) reads it; nothing here decides anything.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.knowledge import Entry, KnowledgeBase
from bot.text import (
    CLOCK,
    DAY,
    ENGLISH,
    HOW_MANY,
    NUMBER,
    SPAN,
    TIME,
    YES_NO,
    Language,
    age_marks,
    answer_demand,
    asked_focus,
    chat_to_words,
    content_words,
    count_marks,
    is_function_word,
    normalize,
    question_kind,
    script_of,
    span_marks,
    speaker_asked,
)

RELATED_BUTTONS = 3  # an answer shows buttons for its first related entries (render.py); those are no rivals
MIN_REPAIR_LETTERS = 4  # shorter words are too ambiguous to repair
MIN_TRUSTED_REPAIR = 6  # from this length a near article spelling wins over a near function word
LONG_WORD_LETTERS = 8  # from this length two edits are a typo, below it one


_WORD_OR_MARK = re.compile(r"[^\W_](?:[\w'\u2019-]*\w)?|[^\w\s]")
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])[\s\u201d\"]+")


def sentences_of(text: str) -> list[str]:
    """A text's sentences: broken after a full stop, question or exclamation mark and a space."""
    return [s for s in _SENTENCE_BREAK.split(text) if s.strip()]


def names_in(text: str, lang: Language) -> list[frozenset[str]]:
    """The names a text gives, each as its normalised words less titles: runs of two or more
    capitalised words ("Bill Burns", "Mohammed bin Abdulrahman Al Thani", "Kerem Shalom"),
    never a title alone ("Prime Minister"), a sentence's first word alone, or a weekday."""
    found: list[frozenset[str]] = []
    run: list[str] = []

    def close() -> None:
        while run and run[-1].casefold() in lang.name_joiners:
            run.pop()
        words = [w for w in normalize(" ".join(run)).split() if w not in lang.name_joiners]
        words = [w for w in words if w not in lang.stopwords and w not in lang.number_words]
        named = [w for w in words if w not in lang.title_words]
        if len(words) >= 2 and named:
            found.append(frozenset(named))
        run.clear()

    for token in _WORD_OR_MARK.findall(text):
        folded = token.casefold()
        if (token[0].isupper() and folded not in lang.calendar_words) or (run and folded in lang.name_joiners):
            run.append(token)
        else:
            close()
    close()
    return found


_SENTENCE_END = frozenset('.?!;:"\u201c\u201d()')
_NAME_REACH = (3, 6)  # a name this many tokens before or after a mention names the thing it mentions


@dataclass(frozen=True, slots=True)
class Mentions:
    """What an entry's answer and quotes say of the things they mention, by stem (``asked_focus``)."""

    named: frozenset[str]  # some mention names it: "the mediator, … Eleanor Voss", "Varnholt stock exchange"
    unnamed: frozenset[str]  # mentioned, never named: "a hotel in the capital, Harlow", "neither company"
    # an unnamed mention described by a capitalised word ("a Qatari technical team"): which one, not its name
    described: tuple[tuple[str, frozenset[str]], ...] = ()


def mentions_in(texts: Iterable[str], lang: Language) -> Mentions:
    """Which of the things a text mentions it names. A mention names its thing when the word is
    itself written as part of a name ("the Harbour Authority") or a capitalised word stands near it in
    its sentence ("the mediator, retired labour court judge Eleanor Voss"), unless an indefinite word
    introduces it ("a hotel in the capital, Harlow", "two U.S. officials", "neither company"): then only
    a name it stands in apposition to names it ("Mousa Abu Marzouk, a senior Hamas official"), and a
    capitalised word between the two describes it ("an Israeli official")."""
    named: set[str] = set()
    mentioned: set[str] = set()
    described: dict[str, set[str]] = {}
    for text in texts:
        tokens = _WORD_OR_MARK.findall(text)
        folded = [normalize(t) for t in tokens]
        capital = [
            t[0].isupper() and n > 0 and tokens[n - 1] not in _SENTENCE_END and folded[n] not in lang.calendar_words
            for n, t in enumerate(tokens)
        ]
        for n, word in enumerate(folded):
            if not word or not tokens[n][0].isalpha() or is_function_word(word, lang):
                continue
            stem = lang.stem_of(word.split()[0])
            mentioned.add(stem)
            if capital[n]:
                named.add(stem)
                continue
            opener = next(
                (
                    m
                    for m in range(n - 1, max(-1, n - 4), -1)
                    if folded[m] in lang.indefinite_words or folded[m].isdigit()
                ),
                None,
            )
            if opener is not None and opener >= 2 and tokens[opener - 1] == "," and capital[opener - 2]:
                named.add(stem)  # "Mousa Abu Marzouk, a senior Hamas official": an apposition names it
                continue
            if opener is not None:
                attributes = {folded[m] for m in range(opener + 1, n) if capital[m]}
                if attributes:
                    described.setdefault(stem, set()).update(attributes)
                continue
            low, high = max(0, n - _NAME_REACH[0]), min(len(tokens), n + _NAME_REACH[1] + 1)
            if any(
                capital[m] and not any(t in _SENTENCE_END for t in tokens[min(m, n) : max(m, n)])
                for m in range(low, high)
            ):
                named.add(stem)
    return Mentions(
        frozenset(named),
        frozenset(mentioned - named),
        tuple((stem, frozenset(words)) for stem, words in sorted(described.items()) if stem not in named),
    )


_CLOCK_MARK = re.compile(r"\b\d{1,2}(?::\d{2})?\s*[ap]\.?\s?m\b|\b\d{1,2}:\d{2}\b", re.IGNORECASE)


def clock_marks(texts: Iterable[str]) -> set[str]:
    """The times of day a text writes with digits ("9 p.m.", "14:30"), each as itself."""
    return {found.group(0) for text in texts for found in _CLOCK_MARK.finditer(text)}


def speakers_of(entry: Entry, lang: Language) -> frozenset[str]:
    """The words of who speaks in an entry: its quotes' attributions and speakers, and the
    capitalised words of a quote that reports words or a stance ("Netanyahu, who reiterated…")."""
    words = {w for q in entry.quotes for w in normalize(f"{q.attribution} {q.speaker}").split()}
    for quote in entry.quotes:
        if lang.reporting_verbs.intersection(normalize(quote.text).split()):
            capitalised = [w for w in _WORD_OR_MARK.findall(quote.text) if w[0].isupper()]
            words.update(normalize(" ".join(capitalised)).split())
    return frozenset(w for w in words if not is_function_word(w, lang))


_CLAUSE_END = r"[.;:!?\u2014]+|\s\u2013\s|,?\s+(?:{joiners})\s+"  # "…doesn't say why, but it says…"


@dataclass(frozen=True, slots=True)
class Disclaimer:
    """What a curated answer says the article does not give, one clause ("the article doesn't say why it
    left or where it went"): the kinds of question it names and the content stems it names."""

    kinds: frozenset[str]  # "why", "where"; "yes_no" for "whether…"; "how_many" for "how many…"
    stems: frozenset[str]  # of the words after the disclaiming phrase, less those the text also affirms
    pending: bool = False  # it says the thing has not happened yet (``Language.pending``): whether is answered
    named: frozenset[str] = frozenset()  # stems of its words written as names ("…how *Hamas* reacted")
    # stems of readers' other words for its words (``Language.kin_groups``: "hurt" -> "wounded", "injured"),
    # less those the text affirms: a question asking "how many were wounded?" asks what it disclaims
    kin: frozenset[str] = frozenset()


def disclaimers_in(
    texts: Iterable[str], fold: Callable[[str], str], lang: Language, name_words: frozenset[str] = frozenset()
) -> tuple[Disclaimer, ...]:
    """The clauses of a text that say what the article does not give (``Language.disclaimers``: "the
    article doesn't say whether anyone was killed", "it gives no start date", "the group has yet to
    decide"): their question kinds and content stems, less the stems any other clause of the texts uses
    (what the text does give) and less the verbs of saying ("reports nothing either of them *said*")."""
    if not lang.disclaimers and not lang.pending:
        return ()
    spans: list[tuple[list[str], bool]] = []
    affirmed: set[str] = set()
    joiners = "|".join(map(re.escape, lang.concessive_joiners)) or "(?!)"
    clause_end = re.compile(_CLAUSE_END.format(joiners=joiners), re.IGNORECASE)
    said = {lang.stem_of(w) for w in lang.speech_verbs | lang.reporting_verbs}
    said.update(lang.stem_of(w) for w in (*lang.auxiliaries, *lang.negated_auxiliaries))
    for text in texts:
        for clause in clause_end.split(text):
            words = normalize(clause).split()
            padded = f" {' '.join(words)} "
            at, pending = min(
                (
                    (found + len(p) + 2, p in lang.pending)
                    for p in (*lang.disclaimers, *lang.pending)
                    if (found := padded.find(f" {p} ")) >= 0
                ),
                default=(None, False),
            )
            if at is None:
                affirmed.update(content_words(fold(" ".join(words)), lang))
                continue
            affirmed.update(content_words(fold(padded[:at]), lang))
            # "…what they hit, whether anyone was killed, or how Hamas reacted": one item per question word
            item: list[str] = []
            for word in padded[at:].split():
                if item and (word in lang.question_words or word in lang.whether_words):
                    spans.append((item, pending))
                    item = []
                item.append(word)
            if item:
                spans.append((item, pending))
    items = []
    kin_words: dict[str, set[str]] = {}  # a stem -> the words of its kin groups
    for group in lang.kin_groups if spans else ():
        single = {w for w in group if " " not in w}  # "lost their lives" has no one stem
        for word in single:
            kin_words.setdefault(lang.stem_of(word), set()).update(single)
    for words, pending in spans:
        kinds = {lang.kinds[w] for w in words if w in lang.kinds}
        kinds.update(YES_NO for w in words if w in lang.whether_words)
        follows = dict(zip(words, [*words[1:], ""], strict=True))
        if lang.how in follows:  # "…how many cranes there would be", "…how Hamas reacted"
            kinds.add(HOW_MANY if follows[lang.how] in lang.count_words else lang.how)
        stems = frozenset(content_words(fold(" ".join(words)), lang)) - affirmed - said
        named = frozenset(lang.stem_of(w) for w in words if w in name_words)
        kin = frozenset(lang.stem_of(k) for s in stems for k in kin_words.get(s, ())) - stems - affirmed - said
        items.append(Disclaimer(frozenset(kinds), stems, pending, named, kin))
    return tuple(items)


def says_where(text: str, name_words: frozenset[str], lang: Language) -> bool:
    """Whether a text says where: a place preposition (``Language.place_prepositions``) before a name
    of the article, maybe after a determiner ("killed near *the Kerem Shalom* crossing", "met in Doha")."""
    words = normalize(text).split()
    for n, word in enumerate(words[:-1]):
        if word in lang.place_prepositions:
            after = words[n + 2] if words[n + 1] in lang.determiners and n + 2 < len(words) else words[n + 1]
            if after in name_words:
                return True
    return False


def edit_limit(length: int) -> int:
    """Typo edits tolerated in a word of this length."""
    return 1 if length < LONG_WORD_LETTERS else 2


@dataclass(frozen=True, slots=True)
class Phrasing:
    """One way an entry is asked (a curated question, or its keywords joined)."""

    text: str  # normalised wording
    stems: str  # its content stems, sorted and space-joined (the order-free view)
    owner: int  # position of its entry
    bag: bool = False  # the entry's keywords joined, not a question


@dataclass(frozen=True, slots=True)
class EntryRecord:
    """What the scorer needs to know about one entry, computed once."""

    entry: Entry
    position: int
    asked: frozenset[str]  # stems of the words people use to ask for it (questions, keywords, topic)
    words: frozenset[str]  # asked, plus the stems of its answer, quotes and attributions
    quotes: frozenset[str]  # its quote texts: two entries quoting the same passage prove the same thing
    related: frozenset[int]  # positions of the related entries shown as buttons under it
    kinds: frozenset[str]  # question kinds it answers: declared ("kinds"), else those its phrasings ask
    lacks: frozenset[str]  # kinds the article does not give about its subject (declared "lacks"), less those asked
    note_words: frozenset[str]  # asked-for stems the article never uses ("death toll"): what a note is about
    # What its answer, quotes and attributions hold (text.answer_demand): normalised number words
    # and digits, time words and dates, and the names (two or more capitalised words, "Bill Burns").
    numbers: frozenset[str] = frozenset()
    times: frozenset[str] = frozenset()
    days: frozenset[str] = frozenset()  # days and dates: digits, weekdays, months, "today"
    # the content stems of each of its questions and keywords, one set each (rule measure_only reads them apart)
    asked_each: tuple[frozenset[str], ...] = ()
    clocks: frozenset[str] = frozenset()  # times of day: "9 p.m.", "noon", "overnight"
    spans: frozenset[str] = frozenset()  # units of a span of time or length: "11th day", "for months", "38 kilometres"
    ages: frozenset[str] = frozenset()  # ages it gives ("aged 64", "Sofie Lindqvist, 29,"): text.age_marks
    names: tuple[frozenset[str], ...] = ()
    # what its own phrasings ask for, each with the phrasing: that question is answered as far as the article goes
    demands: tuple[tuple[str, str], ...] = ()
    speakers: frozenset[str] = frozenset()  # words of who speaks in it: its quotes' attributions and speakers
    # Stems its answer and quotes mention and name ("the mediator, … Eleanor Voss"), and those they
    # mention but never name ("a hotel", "neither company"): "which company…" asks for a name it lacks.
    mentions: Mentions = Mentions(frozenset(), frozenset())
    focus_asked: tuple[str, ...] = ()  # its own phrasings asking an identity (``text.asked_focus``), normalised
    # what its answer and quotes say the article does not give ("doesn't say why", ``disclaimers_in``)
    disclaimers: tuple[Disclaimer, ...] = ()
    # each sentence of its quotes, normalised, with its content stems: "who said…" finds the words there
    quoted_each: tuple[tuple[str, frozenset[str]], ...] = ()
    places: bool = False  # its answer says where (``says_where``): a "where" question is no other kind for it

    def quotes_speaker(self, asked: frozenset[str]) -> bool:
        """Whether one of the asked speaker's words names a speaker of its quotes ("qatar" names
        "the Qatari Prime Minister"): a word and another it begins count as one."""
        return any(
            w == s or (min(len(w), len(s)) >= 4 and (w.startswith(s) or s.startswith(w)))
            for w in asked
            for s in self.speakers
        )

    def names_focus(
        self, focus: tuple[str, ...], which: bool, asked: frozenset[str], names: frozenset[str], lang: Language
    ) -> bool | None:
        """Whether its text names the thing a question asks the identity of (``text.asked_focus``),
        judged by the focus's first word that is no name itself (``names``: "the *Israeli* official");
        None when its text never mentions that word. A "which" question may also be answered by what
        describes an unnamed mention ("which team…": "a Qatari technical team"), unless it says so itself."""
        mentions = self.mentions
        for word in focus:
            if word in names:
                continue
            stem = lang.stem_of(word)
            if stem in mentions.named:
                return True
            if stem not in mentions.unnamed:
                return None
            return which and any(s == stem and words - asked for s, words in mentions.described)
        return None

    def gives(self, demand: str, asked: frozenset[str]) -> bool:
        """Whether the entry's text holds a number, time or name beyond the ``asked`` words (a
        number the question itself gives is no answer to "how many of the 3,400…")."""
        if demand == NUMBER:
            return bool(self.numbers - asked)
        if demand == TIME:
            return bool(self.times - asked)
        if demand == DAY:
            return bool(self.days - asked)
        if demand == SPAN:
            return bool(self.spans - asked)
        if demand == CLOCK:
            return bool(self.clocks - asked)
        return any(name - asked for name in self.names)


@dataclass(frozen=True, slots=True)
class Synonyms:
    """Word or phrase variants → the article's own wording, replaced longest phrase first."""

    table: dict[str, str]
    longest: int  # words in the longest variant

    def apply(self, normalized: str) -> str:
        """The normalized text with every variant replaced by the article's wording, longest phrase first."""
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


def compile_synonyms(kb: KnowledgeBase) -> Synonyms | None:
    """The knowledge base's synonym table, normalized; ``None`` when it has no variant to replace."""
    table: dict[str, str] = {}
    for canonical, variants in kb.synonyms.items():
        for variant in variants:
            key = normalize(variant)
            if key and key != normalize(canonical):
                table[key] = normalize(canonical)
    if not table:
        return None
    return Synonyms(table, max(len(key.split()) for key in table))


class Index:
    """Everything about a knowledge base the matcher looks up, built once per knowledge base."""

    def __init__(self, kb: KnowledgeBase, lang: Language = ENGLISH, *, synonyms: bool = True) -> None:
        self.kb = kb
        self.lang = lang
        self.uses_synonyms = synonyms
        self.synonyms = compile_synonyms(kb) if synonyms else None
        entries = kb.entries
        folded: dict[str, str] = {}  # each curated text is normalised once

        def fold(text: str) -> str:
            if text not in folded:
                folded[text] = self.canonical(chat_to_words(normalize(text), lang))
            return folded[text]

        def stems(texts: Iterable[str]) -> frozenset[str]:
            return frozenset(w for t in texts for w in content_words(fold(t), lang))

        phrasings: list[Phrasing] = []
        for n, entry in enumerate(entries):
            questions = [(q, False) for q in entry.all_questions]
            for text, bag in (*questions, (" ".join(entry.keywords), True)):
                if normalized := fold(text):
                    content = " ".join(sorted(content_words(normalized, lang)))
                    phrasings.append(Phrasing(normalized, content, n, bag))
        self.phrasings = tuple(phrasings)
        self.wordings = [p.text for p in phrasings]  # the choices for rapidfuzz.process, in phrasing order
        # Inverted index: content stem -> positions of the phrasings that contain it.
        self.phrasings_with: dict[str, list[int]] = {}
        for i, phrasing in enumerate(phrasings):
            for word in phrasing.stems.split():
                self.phrasings_with.setdefault(word, []).append(i)

        article = kb.article
        self.article_words = stems((*article.paragraphs, article.title, article.section))
        # words the article writes capitalised inside a sentence and never in lower case ("Israeli", "Hamas")
        written = [t for p in (*article.paragraphs, article.title) for t in _WORD_OR_MARK.findall(p) if t[0].isalpha()]
        lower = {normalize(t) for t in written if t[0].islower()}
        self.name_words = frozenset(w for t in written if t[0].isupper() for w in normalize(t).split()) - lower
        self.article_scripts = frozenset(map(script_of, " ".join(article.paragraphs))) - {""}
        self.reads_ascii = "LATIN" in self.article_scripts  # then plain ASCII needs no letter-by-letter look
        position = {e.id: n for n, e in enumerate(entries)}
        records = []
        for n, entry in enumerate(entries):
            asked = stems((*entry.all_questions, *entry.keywords, entry.topic))
            quoted = stems((entry.answer, *(q.text for q in entry.quotes), *(q.attribution for q in entry.quotes)))
            asked_kinds = frozenset(k for q in entry.all_questions if (k := question_kind(fold(q), lang)))
            kinds = frozenset(entry.kinds) or asked_kinds
            evidence = [entry.answer, *(q.text for q in entry.quotes), *(q.attribution for q in entry.quotes)]
            said = {w for t in evidence for w in normalize(t).split()}
            related = entry.related[:RELATED_BUTTONS] if entry.covered else ()
            records.append(
                EntryRecord(
                    entry=entry,
                    position=n,
                    asked=asked,
                    words=asked | quoted,
                    quotes=frozenset(q.text for q in entry.quotes),
                    related=frozenset(position[r] for r in related if r in position),
                    kinds=kinds,
                    places=entry.covered and says_where(entry.answer, self.name_words, lang),
                    # A kind the entry's own phrasings ask it answers as far as the article goes ("who
                    # called it a crisis?" -> "an unnamed official"): only the other lacked kinds turn away.
                    lacks=frozenset(entry.lacks) - asked_kinds,
                    note_words=asked - self.article_words,
                    numbers=frozenset(count_marks(evidence, lang)),
                    times=frozenset(w for w in said if w.isdigit() or w in lang.time_words or w in lang.calendar_words),
                    days=frozenset(w for w in said if w.isdigit() or w in lang.calendar_words or w in lang.day_words),
                    asked_each=tuple(
                        frozenset(content_words(fold(t), lang)) for t in (*entry.all_questions, *entry.keywords)
                    ),
                    clocks=frozenset({w for w in said if w in lang.clock_words} | clock_marks(evidence)),
                    spans=frozenset(span_marks(evidence, lang)),
                    ages=frozenset(age_marks(evidence)),
                    # and whoever its own phrasings ask the words of ("what does management say")
                    speakers=speakers_of(entry, lang).union(
                        *(speaker_asked(fold(q), lang) for q in entry.all_questions)
                    ),
                    names=tuple(dict.fromkeys(n for t in evidence for n in names_in(t, lang))),
                    demands=tuple((d, fold(q)) for q in entry.all_questions if (d := answer_demand(fold(q), lang))),
                    mentions=mentions_in((entry.answer, *(q.text for q in entry.quotes)), lang),
                    focus_asked=tuple(fold(q) for q in entry.all_questions if asked_focus(fold(q), lang)[0]),
                    disclaimers=disclaimers_in(
                        (entry.answer, *(q.text for q in entry.quotes)), fold, lang, self.name_words
                    ),
                    quoted_each=tuple(
                        (folded_sentence, frozenset(content_words(folded_sentence, lang)))
                        for q in entry.quotes
                        for sentence in sentences_of(q.text)
                        if (folded_sentence := fold(sentence))
                    ),
                )
            )
        self.records = tuple(records)
        self.known_stems = self.article_words.union(*(r.words for r in records))
        # Surface words (not stems) for typo repair, so "tlaks" can find "talks".
        surface = {w for t in folded.values() for w in t.split()}
        spellings = sorted(w for w in surface if len(w) > 2 and w not in lang.stopwords and not w.isdigit())
        # An edit changes a word's length by one at most: only spellings of a near length can be
        # within reach, so each length gets its own (still alphabetical) list to search.
        longest = max(map(len, spellings), default=0)
        self.spellings_near = {
            n: [w for w in spellings if abs(len(w) - n) <= edit_limit(n)]
            for n in range(MIN_REPAIR_LETTERS, longest + 3)
        }
        self.function_words = sorted(lang.stopwords | lang.question_words)
        # Inverse document frequency over entries, idf(w) = ln(1 + N / df(w)): rare words identify an entry.
        df: dict[str, int] = {}
        for record in records:
            for w in record.words:
                df[w] = df.get(w, 0) + 1
        self.idf = {w: math.log(1 + len(entries) / n) for w, n in df.items()}
        # stems the headline uses or more than a fifth of the entries do: the article's subject and recurring
        # actors ("hamas", "israel", "netanyahu"), whom a terse answer need not name
        common = {w for w, n in df.items() if 5 * n > len(entries)}
        self.main_words = frozenset(common.union(content_words(fold(article.title), lang)))
        self.default_idf = math.log(1 + len(entries))
        self.measure_stems = frozenset(lang.stem_of(w) for w in lang.measure_words)  # "how big": no topic

    def canonical(self, normalized: str) -> str:
        """The curated synonyms rewritten into the article's own words."""
        return normalized if self.synonyms is None else self.synonyms.apply(normalized)

    def knows(self, word: str) -> bool:
        """Whether the article or an entry uses this word (by its stem)."""
        return self.lang.stem_of(word) in self.known_stems

    def repair(self, word: str) -> str | None:
        """A known spelling within one edit (two for long words), or the function word it misspells,
        None when the word is genuinely new to this article or a correctly spelt word of the language."""
        if len(word) < MIN_REPAIR_LETTERS or not word.isalpha():
            return None
        limit = edit_limit(len(word))
        near = self.spellings_near.get(len(word), ())
        best = process.extractOne(word, near, scorer=OSA.distance, score_cutoff=limit)
        if best is not None and self.lang.is_word(word) and not self.lang.same_word(word, best[0]):
            best = None  # a correctly spelt word is not a typo of a near article word ("deal", "dead")
        if best is not None and len(word) >= MIN_TRUSTED_REPAIR:
            return best[0]
        function = process.extractOne(word, self.function_words, scorer=OSA.distance, score_cutoff=1)
        if function is not None:
            return function[0]
        return best[0] if best is not None else None

    def is_function_word(self, word: str) -> bool:
        """``text.is_function_word`` in the knowledge base's language."""
        return is_function_word(word, self.lang)

    def weight(self, words: Iterable[str]) -> float:
        """The summed idf of some stems (an unseen stem weighs as much as the rarest)."""
        return sum(self.idf.get(w, self.default_idf) for w in words)
