"""Draft a knowledge base from an article page: ``python -m bot draft PAGE > faq.json``.

Rules only (no model, no network): the page is split by ``bot.page``; each sentence's speaker is
found from how news English attributes speech ("…,” said X, a Y", "X said", "according to X",
"two officials suggested"); named people and organisations are found from capitalised runs and
the role the article gives them. The draft proposes an overview, entries about the article itself,
one entry per claim-bearing sentence, "who is X?" per named person or organisation, and "not in
the article" notes where the text itself says a detail is missing (an unnamed source or group, a
role nobody named holds, "did not say who…", an outcome still to come). Each sentence's entry says
which question kinds it cannot answer (``lacks``: no number, no time, "declined to say how much"),
and is asked the way readers ask: by the speaker's role as well as name, numbers by their unit,
a passive by its doer, with the everyday words of the thesaurus groups it uses. Every answer quotes
the article verbatim, and phrasings that would not reach their own entry are pruned with the real
matcher, so the draft passes ``python -m bot check`` untouched. It is a start for a curator, not a
finished file.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz, process

from bot import knowledge
from bot.matcher import Matcher, normalize, question_kind
from bot.page import Page, Sentence, sentences
from bot.text import ENGLISH

SCHEMA_REF = "faq.schema.json"
MIN_PHRASINGS = knowledge.MIN_PHRASINGS
NEAR_IDENTICAL = 95  # matcher.lint's limit for two entries' phrasings

_WORD = re.compile(r"[A-Za-z][\w’'-]*|\d[\d,.]*\d[a-z]*|\d[a-z]*")
_PARTICLES = frozenset("bin bint ibn al el abu van von de der da du la le di".split())
_TITLES = frozenset(
    """president prime minister director mayor chief executive secretary general judge senator governor
    chancellor speaker sheikh king queen prince mr mrs ms dr professor ambassador commissioner chairman
    chairwoman chair spokesman spokeswoman spokesperson labour labor foreign defence defense finance interior
    health justice deputy vice head commander minister's councillor councilor councilman councilwoman
    alderman rabbi bishop pope archbishop imam father sister brother general colonel captain lieutenant
    sergeant officer detective inspector superintendent""".split()
)
_ROLE_WORDS = frozenset(
    """president minister director mayor executive secretary judge official officials spokesman spokeswoman
    spokesperson economist analyst mediator negotiator leader chief head chairman chairwoman commander
    governor senator ambassador envoy professor researcher lawyer manager founder owner editor reporter
    correspondent master officer councillor councilor member campaigner activist representative midwife nurse
    doctor surgeon teacher lawmaker legislator delegate organiser organizer coordinator consultant scientist
    expert resident worker engineer historian chair chairperson""".split()
)
_ROLE_MODIFIERS = frozenset(
    "retired former senior top deputy acting interim chief labour labor court union foreign prime vice".split()
)
_ORG_WORDS = frozenset(
    """hospital clinic school college academy museum library prison trust
    union authority council ministry department university office agency party company corporation group
    association federation committee commission court bank fund organisation organization institute
    parliament government board police army navy service services league alliance movement front
    foundation rail railway railways airline airlines airways engineering holdings partners
    industries network society institution inc ltd plc corp co""".split()
)
_PLACE_WORDS = frozenset(
    """bay quay street road avenue square river island strip terminal port gates gate coast valley mountain
    hill lake sea ocean harbour harbor airport station bridge crossing city town village province district
    county region""".split()
)
_LAW_WORDS = frozenset("act law treaty accord code".split())
_SOURCE_NOUNS = frozenset(
    """official officials source sources people person diplomat diplomats aide aides insider insiders
    negotiator negotiators analyst analysts spokesperson spokesman spokeswoman member members""".split()
)
_SPEECH = (
    r"said|says|say|told|added|argued|insisted|warned|noted|stated|explained|estimated|denied|confirmed|"
    r"suggested|urged|accused|announced|emphasized|emphasised|reiterated|expressed|claimed|acknowledged|"
    r"predicted|signalled|signaled|saying"
)
_SPEECH_RE = re.compile(rf"\b(?:{_SPEECH})\b")
_PRONOUNS = {"he", "she", "they"}
_ADVERBS = frozenset("also later privately now previously separately again then publicly".split())
_NUMBER_WORDS = frozenset(
    """two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty hundred hundreds
    thousand thousands million millions dozen dozens""".split()
)
_MONEY = frozenset("percent per cent crowns dollars euros pounds million billion %".split())
_TIME_WORDS = frozenset(
    """monday tuesday wednesday thursday friday saturday sunday weekend week weeks month months year years
    day days today yesterday tomorrow tonight morning evening night hours hour january february march april
    may june july august september october november december afterward afterwards recent""".split()
)
_WHY_WORDS = re.compile(
    r"\b(?:because|due to|prompted|leading to|in order to|so that|needed to|to keep|blamed?|blames|"
    r"reason|caus(?:e|ed|ing)|once(?= the)|over (?!the (?:weekend|past|last|next)\b)(?:the |its |their |a )?\w+)\b",
    re.IGNORECASE,
)
_PLACE_PREP = re.compile(r"\b(?:in|at|near|from|outside|to|into|across)\s+(?:the\s+)?([A-Z][\w’'-]+)")
# "in a radio interview", "at a hotel", "outside the hospital": where something was said or done, uncapitalised
_SETTING = re.compile(
    r"\b(?:at|outside|inside|near|in|on)\s+(?:a|an|the|its|their)\s+(?:[\w’'-]+\s+){0,2}?(?:interview|conference|"
    r"rally|meeting|hotel|hospital|station|court|office|gates?|building|site|port|street|square|hall|school|"
    r"statement|briefing|programme|program|broadcast|radio|television|line|picket|border|terminal|road|"
    r"assembly|parliament|council|senate|chamber)\b"
)
_DATELINE = re.compile(r"^[A-Z][A-Z .’'-]+,\s+[A-Z][\w]+\s+[—–-]\s+")
_GAP = re.compile(
    r"\b(?:(?:did not|didn’t|does not|would not|has not|have not|had not|declined to)\s+"
    r"(?:say|describe|disclose|reveal|give|name|specify|explain)|(?:has|have|had) not (?:yet )?been told|"
    r"(?:is|was) not (?:yet )?(?:clear|known))\s+(?P<what>(?:how|why|when|where|who|what|which|whether)\b[^.;,”]*)",
)
_WH_SPLIT = re.compile(r"\s+or\s+(?=(?:how|why|when|where|who|what|which|whether)\b)")
# "The trust’s board is due to meet on March 26 to decide whether…": an outcome the article cannot report yet
_DUE = re.compile(
    r"(?:^|, )(?P<subj>(?:[Tt]he |[A-Z])[\w’' -]{2,60}?) (?:is|are) (?:due|expected|set|scheduled) to "
    r"(?P<verb>meet|vote|decide|rule|report|announce|publish)\b(?P<rest>[^.;]*)"
)
_NOT_PUBLIC = re.compile(r"^(?P<who>(?:The|A)\s+\w+)\s+has not made (?P<what>[\w’' -]+?) public")
_NOT_CLEAR = re.compile(
    r"\b(?:It was|It is|it was|it is) not (?:clear|known) whether (?P<subj>.+?) "
    r"(?P<aux>would|will|could|can|should|might|may|is|are|was|were|has|have) (?P<rest>[^.;]+)"
)
# "at least two carriers", "four people", "neither company": people or firms the sentence does not name
_UNNAMED_GROUP = re.compile(
    r"(?<![\d,.])\b(?:\d[\d,]*|two|three|four|five|six|several|some|many|neither|both)\s+(?:\w+\s+)?"
    r"(?:people|persons|carriers|companies|company|firms|officials|sources|picketers|workers|men|women|guards?)\b",
    re.IGNORECASE,
)
# "a hotel in the capital", "a security guard": one thing the sentence does not name
_UNNAMED_ONE = re.compile(
    r"\ba (?:\w+ )?(?:hotel|company|firm|guard|official|source|carrier|contractor|restaurant|bank|school)\b",
    re.IGNORECASE,
)
_DECLINED = re.compile(r", but declined to (?:describe|detail|discuss) it")


@dataclass(slots=True, eq=False)
class Person:
    """A named person or organisation and what the article says they are."""

    name: str
    kind: str  # person | org | place | law
    roles: list[str] = field(default_factory=list)
    role_sentence: Sentence | None = None
    first: Sentence | None = None
    short: str = ""  # the surname or short form the article also uses
    titles: list[str] = field(default_factory=list)  # roles written before the name ("Mayor")
    gender: str = ""  # "m" | "f" where the article's pronouns for them say so, else ""
    details: dict[str, str] = field(default_factory=dict)  # role -> the whole appositive it was cut from

    @property
    def label(self) -> str:
        """How an attribution names them: "Mayor Tomas Reyna", "Simon Achterberg, the authority’s chief executive"."""
        role = self.roles[0] if self.roles else ""
        if not role or self.kind != "person":
            return self.name
        return f"{role} {self.name}" if role in self.titles else f"{self.name}, {role}"


@dataclass(slots=True)
class Claim:
    """One article sentence with who it is attributed to and how (quoted, reported or the article's own)."""

    sentence: Sentence
    speaker: str  # as /speakers groups it
    attribution: str  # as shown under the quote
    speech: str  # quote | reported | article
    unnamed: str | None = None  # an unnamed source ("two US officials")
    people: list[Person] = field(default_factory=list)


@dataclass(slots=True)
class Draft:
    """A drafted faq.json and the report lines saying what was guessed."""

    data: dict[str, Any]
    report: list[str]


# ---------------------------------------------------------------------------
# Names


def _tokens(text: str) -> list[re.Match[str]]:
    return list(_WORD.finditer(text))


def _is_cap(word: str) -> bool:
    return word[:1].isupper()


def _base(word: str) -> str:
    """A word without its possessive: "Netanyahu’s" -> "Netanyahu", "Workers’" stays."""
    for suffix in ("’s", "'s"):
        if word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def _runs(text: str) -> list[tuple[int, int, list[str]]]:
    """Capitalised runs (start, end, words), joined over "of"/"and" when they name an organisation."""
    toks = _tokens(text)
    runs: list[tuple[int, int, list[str]]] = []
    i = 0
    while i < len(toks):
        word = toks[i].group()
        if _is_cap(word) and not word.isdigit():
            j = i
            words = []
            while j < len(toks):
                w = toks[j].group()
                gap = text[toks[j - 1].end() : toks[j].start()] if j > i else ""
                if j > i and gap.strip() not in ("", "&"):  # punctuation between ("Tarrant & Lyle" goes on)
                    break
                if _is_cap(w) or (w.casefold() in _PARTICLES and j + 1 < len(toks) and _is_cap(toks[j + 1].group())):
                    words.append(w)
                    j += 1
                    if w.endswith(("’s", "'s")):
                        break
                else:
                    break
            runs.append((toks[i].start(), toks[j - 1].end(), words))
            i = j
        else:
            i += 1
    merged: list[tuple[int, int, list[str]]] = []
    for run in runs:
        if merged:
            prev = merged[-1]
            between = text[prev[1] : run[0]]
            joined = [*prev[2], *between.split(), *run[2]]
            if between.strip() in ("of", "and", "of the", "for") and any(w.casefold() in _ORG_WORDS for w in joined):
                merged[-1] = (prev[0], run[1], joined)
                continue
        merged.append(run)
    return merged


def _classify(words: list[str]) -> tuple[str, list[str], list[str]]:
    """(kind, title words, name words) of a capitalised run."""
    folded = [_base(w).casefold().strip("’'") for w in words]
    titles: list[str] = []
    rest = list(words)
    while len(rest) > 1 and (
        rest[0].casefold() in _TITLES or rest[0].isupper() or _nationality(rest[0]) or rest[0].casefold() == "the"
    ):
        titles.append(rest.pop(0))
    last_title = max((n for n, w in enumerate(rest[:-2]) if w.casefold() in _TITLES), default=-1)
    if last_title >= 0 and all(_is_cap(w) for w in rest[: last_title + 1]):  # "Infrastructure Minister Hanne Korr"
        titles += rest[: last_title + 1]
        rest = rest[last_title + 1 :]
    rest_folded = [_base(w).casefold() for w in rest]
    plain_name = not any(w in _ORG_WORDS | _PLACE_WORDS | _LAW_WORDS for w in rest_folded)
    if titles and len(rest) >= 2 and plain_name:  # "CIA Director Bill Burns", "Mayor Tomas Reyna"
        return "name", titles, rest
    if folded[-1] in _LAW_WORDS and len(words) >= 2:
        return "law", [], words
    if len(words) >= 2 and (
        folded[-1] in _ORG_WORDS or ("of" in folded and folded[folded.index("of") - 1] in _ORG_WORDS)
    ):
        return "org", [], words
    if folded[-1] in _PLACE_WORDS or folded[0] in _PLACE_WORDS:
        return "place", [], words
    if any(w in _ORG_WORDS for w in folded) and len(words) >= 2:
        return "org", [], words
    return "name", titles, rest


def _nationality(word: str) -> bool:
    """ "Israeli", "Qatari", "Caldrian", "American": an adjective before a title, not a first name."""
    return bool(re.fullmatch(r"[A-Z][a-z]{3,}(?:ian|ean|ican|nese|ish)|[A-Z][a-z]{4,}i", word))


_APPOSED = r"(?:[^,.;“”()]|(?<=\d)[,.](?=\d))"  # an appositive's characters: "19,000" does not end it
_PLACE_ROLE = re.compile(
    r"^(?:a|an|the)\s+(?:[\w’'-]+\s+){0,2}?(?:town|city|village|port|county|region|district|suburb|country|"
    r"island|state|province|capital|municipality)\b"
)


def _appositive_after(text: str, end: int) -> str | None:
    """The role after a name: ", a senior Hamas official", ", a midwife who has worked there…" (up to
    "who"), ", who represents Tollbridge in the assembly" (the clause itself)."""
    m = re.match(rf",\s+(?P<role>(?:(?:a|an|the)\s+)?{_APPOSED}{{3,140}}?)(?=,(?!\d)|\.(?:\s|$)|$)", text[end:])
    if not m:
        return None
    role = m["role"].strip()
    first = role.split()[0].casefold()
    if first in ("who", "which") and len(role.split()) >= 3 and not _SPEECH_RE.search(role):
        # ", which runs both hospitals": what an organisation is, as the article describes it
        if m2 := re.match(r"who (?:is|was) (?P<role>(?:a|an|the) .+)$", role):  # "who is a nurse" -> "a nurse"
            role = m2["role"]
        return role if len(role.split()) <= 12 else None
    role = re.split(r"\s+(?:who|which|whose)\s+", role)[0]  # "a midwife who has worked…" -> "a midwife"
    if _SPEECH_RE.search(role) or re.search(r"\b(?:has|have|is|are|was|were|had|will|would)\b", role):
        return None
    lowercase_ok = first in _ROLE_WORDS or first in _ROLE_MODIFIERS or first in {"about", "some", "roughly"}
    if not (first in {"a", "an", "the"} or lowercase_ok or first.endswith(("’s", "'s"))):
        return None
    return role if len(role.split()) <= 12 else None


def _whole_appositive(text: str, end: int) -> str | None:
    """The appositive after a name as written, up to its closing comma or full stop."""
    m = re.match(rf",\s+(?P<role>{_APPOSED}{{3,160}}?)(?=,(?!\d)|\.(?:\s|$)|$)", text[end:])
    return m["role"].strip() if m else None


def _distance(role: str) -> bool:
    """ "about 38 kilometres down the valley": where a place is, not what it is."""
    return bool(re.match(r"(?:about|some|roughly|nearly|almost|around|\d)", role.casefold()))


def _role_before(text: str, start: int) -> str | None:
    """Role words just before a name: "Union president Dara Quillan", "retired labour court judge Eleanor Voss"."""
    before = text[:start].rstrip()
    words = before.split()
    role: list[str] = []
    modified = False
    while words:
        w = words[-1]
        if w.endswith((",", ";", ":", "—")):
            break
        lw = w.casefold()
        modifier = bool(
            role
            and len(role) < 4
            and re.fullmatch(r"[a-z][a-z-]+", w)
            and lw not in ENGLISH.stopwords
            and not _SPEECH_RE.fullmatch(lw)
            and not lw.endswith(("ed", "ing"))
            and lw not in _PAST | _AUX
            and role[-1].casefold() in _ROLE_WORDS
        )  # "regional assembly member Agathe Lindqvist"
        capital = bool(role) and _is_cap(w) and lw not in {"the", "a", "an"} and not modified
        if lw in _ROLE_WORDS or lw in _ROLE_MODIFIERS or modifier or capital:
            role.insert(0, w)
            words.pop()
            modified = modified or modifier
        else:
            break
    if not role or not any(w.casefold() in _ROLE_WORDS for w in role):
        return None
    return " ".join(role)


def _apposed_noun_before(text: str, start: int) -> str | None:
    """ "The mediator, retired labour court judge Eleanor Voss": the noun before the comma."""
    m = re.search(r"(?:^|\s)(?:The|the)\s+(?P<noun>[a-z]+(?:\s[a-z]+)?),\s+[^,]*$", text[:start])
    return m["noun"] if m and m["noun"].split()[-1] in _ROLE_WORDS | {"mediator"} else None


def find_people(all_sentences: Sequence[Sentence]) -> dict[str, Person]:
    """Named people, organisations, places and laws, by name, with the roles the article gives them."""
    found: dict[str, Person] = {}
    singles = Counter(_base(t.group()) for s in all_sentences for t in _tokens(s.text) if _is_cap(t.group()))
    for sentence in all_sentences:
        text = _DATELINE.sub(lambda m: " " * len(m.group()), sentence.text)
        for start, end, words in _runs(text):
            kind, titles, name_words = _classify(words)
            if kind == "name":
                if len(name_words) < 2:
                    continue
                if start == 0 and name_words[0].casefold() in ENGLISH.stopwords:
                    continue
                title_text = " ".join(titles)
                name_start = start + (text[start:].find(name_words[0]) if titles else 0)
                role_before = _role_before(text, name_start)
                after = _appositive_after(text, end)
                surname = _surname(name_words)
                speaks = bool(
                    re.match(rf"\s+(?:{_SPEECH})\b", text[end:]) or re.search(rf"\b(?:{_SPEECH})\s+$", text[:start])
                )  # "said Nessa Brannagh", "Nessa Brannagh told"
                person_like = bool(titles or role_before or after or speaks) or singles[surname] > 1
                if not person_like:
                    continue
                if after and (_distance(after) or _PLACE_ROLE.match(after)):  # "…, about 38 km down the valley"
                    place = " ".join(_base(w) for w in name_words)
                    known = found.setdefault(place, Person(place, "place", [], sentence, sentence, place))
                    if known.kind == "person" and not known.roles:  # named before its appositive said what it is
                        known.kind, known.short = "place", place
                    if known.kind == "place" and after not in known.roles:
                        known.roles.append(after)
                        known.role_sentence = known.role_sentence or sentence
                    continue
                name = " ".join(_base(w) for w in name_words)
                person = found.setdefault(name, Person(name, "person", first=sentence, short=surname))
                prefixes = [r for r in (title_text, role_before) if r]
                person.titles += prefixes
                for role in (*prefixes, _apposed_noun_before(text, name_start), after):
                    if role and role not in person.roles:
                        person.roles.append(role)
                        person.role_sentence = person.role_sentence or sentence
                if after and (whole := _whole_appositive(text, end)) and whole != after:
                    person.details.setdefault(after, whole)  # "a midwife who has worked there for 19 years…"
            else:
                name = _base(re.sub(r"^The\s+", "", text[start:end]))  # as written: "Tarrant & Lyle Engineering"
                if kind in ("place",) and len(words) < 2 and not _appositive_after(text, end):
                    continue
                person = found.setdefault(name, Person(name, kind, first=sentence, short=name))
                after = _appositive_after(text, end)
                if after and after not in person.roles and not _distance(after):
                    person.roles.append(after)
                    person.role_sentence = person.role_sentence or sentence
    # "the mayor, Helen Ortiz, said": the role first, then the name
    for sentence in all_sentences:
        for m in re.finditer(
            r"\b[Tt]he (?P<role>[a-z]+(?: [a-z]+)?), (?P<name>[A-Z][\w’'-]+(?: [A-Z][\w’'-]+)+),", sentence.text
        ):
            if m["role"].split()[-1] in _ROLE_WORDS:
                person = found.setdefault(
                    m["name"], Person(m["name"], "person", first=sentence, short=_surname(m["name"].split()))
                )
                if f"the {m['role']}" not in person.roles:
                    person.roles.append(f"the {m['role']}")
                    person.role_sentence = person.role_sentence or sentence
    # single capitalised words with an appositive: places like "Rafah, the southernmost town in Gaza"
    for sentence in all_sentences:
        for tok in _tokens(sentence.text):
            word = tok.group()
            if not _is_cap(word) or tok.start() == 0 or word in found or _base(word) != word:
                continue
            if word.casefold() in _TIME_WORDS or word.casefold() in ENGLISH.stopwords:
                continue
            role = _appositive_after(sentence.text, tok.end())
            if role and not any(word in p.name.split() for p in found.values()):
                found[word] = Person(word, "place", [role], sentence, sentence, word)
    return _merge_short_forms(found)


def _merge_short_forms(found: dict[str, Person]) -> dict[str, Person]:
    """ "Kestridge General" after "Kestridge General Hospital": the organisation's short form, not a
    place of its own."""
    for name, entry in list(found.items()):
        if entry.kind == "person":
            continue
        longer = next(
            (
                p
                for p in found.values()
                if p is not entry
                and p.kind == "org"
                and p.name.startswith(name + " ")
                and p.name[len(name) + 1 :].casefold() in _ORG_WORDS  # "… Hospital", not "… Health Trust"
            ),
            None,
        )
        if longer is not None:
            longer.roles += [r for r in entry.roles if r not in longer.roles and not _distance(r)]
            if len(longer.short) >= len(longer.name):
                longer.short = name
            del found[name]
    return found


def _surname(words: list[str]) -> str:
    for n, w in enumerate(words[1:], start=1):
        if w.casefold() in _PARTICLES:
            return " ".join(_base(x) for x in words[n:])
    return _base(words[-1])


# ---------------------------------------------------------------------------
# Who says each sentence


_MALE = frozenset("he him his himself mr".split())
_FEMALE = frozenset("she her hers herself mrs ms".split())
_PRONOUN_RE = re.compile(r"\b(?:he|him|his|himself|she|her|hers|herself)\b", re.IGNORECASE)


def _gender_of(pronoun: str) -> str:
    low = pronoun.casefold().rstrip(".")
    return "m" if low in _MALE else "f" if low in _FEMALE else ""


def _unquoted(text: str) -> str:
    """The text with quoted speech blanked (same length): a pronoun inside a quote is the speaker's own."""
    return re.sub(r"“[^”]*(?:”|$)", lambda m: " " * len(m.group()), text)


def _mentions(text: str, people: dict[str, Person]) -> list[tuple[int, Person]]:
    """Where each named person is mentioned in a text (by full name or surname), in order."""
    found: dict[int, Person] = {}
    for person in people.values():
        if person.kind != "person":
            continue
        for form in dict.fromkeys((person.name, person.short)):
            for m in re.finditer(rf"(?<![\w’']){re.escape(form)}(?![\w])", text):
                if not any(start <= m.start() < start + len(p.name) for start, p in found.items() if p is not person):
                    found.setdefault(m.start(), person)
    out = sorted(found.items(), key=lambda item: item[0])
    return [
        (pos, p)
        for n, (pos, p) in enumerate(out)
        if not (n and out[n - 1][1] is p and pos < out[n - 1][0] + len(p.name))
    ]


def assign_genders(all_sentences: Sequence[Sentence], people: dict[str, Person]) -> None:
    """A person's gender from the pronouns that follow their name in the same paragraph (outside quotes)
    and from "Mr"/"Ms" before it; a person the text never genders stays "" (unknown)."""
    votes: dict[str, Counter[str]] = {}
    by_paragraph: dict[int, list[Sentence]] = {}
    for sentence in all_sentences:
        by_paragraph.setdefault(sentence.paragraph, []).append(sentence)
    for paragraph in by_paragraph.values():
        text = " ".join(s.text for s in paragraph)
        plain = _unquoted(text)
        mentions = _mentions(plain, people)
        for m in _PRONOUN_RE.finditer(plain):
            before = [p for pos, p in mentions if pos < m.start()]
            if before:
                votes.setdefault(before[-1].name, Counter())[_gender_of(m.group())] += 1
        for pos, person in mentions:
            title = re.search(r"\b(Mr|Mrs|Ms)\.?\s+$", plain[:pos])
            if title:
                votes.setdefault(person.name, Counter())[_gender_of(title.group(1))] += 3
    for name, counter in votes.items():
        (top, n), *rest = [*counter.most_common(2), ("", 0)]
        if n > rest[0][1]:
            people[name].gender = top


@dataclass(slots=True)
class _Context:
    """What a pronoun can refer to at a sentence: the persons named so far, in order, by paragraph."""

    paragraph: int
    earlier: list[tuple[int, Person]] = field(default_factory=list)  # (paragraph, person) before this sentence
    previous: Claim | None = None  # the claim just before, in the same paragraph

    def pronoun(self, pronoun: str, named_before: Sequence[Person] = ()) -> Person | None:
        """ "he"/"she": the nearest person named before it in this paragraph whose gender does not
        contradict the pronoun, else the nearest earlier one of the same (known) gender; "they": the
        last person named. Never a person of the other gender."""
        gender = _gender_of(pronoun)
        here = [*(p for par, p in self.earlier if par == self.paragraph), *named_before]
        if not gender:
            return here[-1] if here else (self.earlier[-1][1] if self.earlier else None)
        for person in reversed(here):
            if person.gender in (gender, ""):
                return person
        for par, person in reversed(self.earlier):
            if par != self.paragraph and person.gender == gender:
                return person
        return None


def _resolve(
    who: str, people: dict[str, Person], ctx: _Context | None, named_before: Sequence[Person] = ()
) -> Person | None:
    who = who.strip(" ,")
    if who.casefold() in _PRONOUNS:
        return ctx.pronoun(who, named_before) if ctx is not None else None
    for person in people.values():
        if person.kind == "person" and (person.name in who or who == person.short or who.endswith(person.short)):
            return person
    if ctx is not None and (m := re.fullmatch(r"(?:[Tt]he|[Ii]ts|[Tt]heir)\s+(?P<role>[a-z][\w’' -]+)", who)):
        # "the chief executive said": the nearest person the article gave that role
        role = m["role"].casefold()

        def holds(person: Person) -> bool:
            return any(role == _role_head(r) or role == _role_head(r).split()[-1] for r in person.roles)

        for _, person in reversed([*ctx.earlier, *((ctx.paragraph, p) for p in named_before)]):
            if holds(person):
                return person
        later = [p for p in people.values() if p.kind == "person" and holds(p)]
        if len(later) == 1:  # "…, its director said." before the director is named: the only one
            return later[0]
    return None


def _clean_who(who: str) -> str:
    words = [w for w in who.strip(" ,").split() if w.casefold() not in _ADVERBS]
    while words and words[0].casefold() in {"and", "but", "while", "as", "with"}:
        words.pop(0)
    return " ".join(words)


def _is_unnamed(who: str) -> bool:
    """ "two US officials", "a port official who asked not to be named": a source with no name
    (the caller has already tried to resolve the phrase to a named person)."""
    words = [w.casefold().strip(",") for w in who.split()]
    return bool(words) and any(w in _SOURCE_NOUNS for w in words) and words[0] not in {"he", "she", "they"}


def _org(who: str, people: dict[str, Person]) -> Person | None:
    return next((p for p in people.values() if p.kind == "org" and p.name in who), None)


_LEADING_CLAUSE = re.compile(
    r"^(?:While|Although|Though|As|After|Despite|Amid|Meanwhile|However|But|In|On|At|During|Under|Speaking|"
    r"Asked|Earlier|Later|Last|Since)\b"
)
_NO_COMMA = r"(?:[^“”,]|(?<=\d),(?=\d))"  # "19,000" is one number, not a clause break
# "…, the line’s operator said on Tuesday, leaving…": an attribution by description inside the sentence
_INSERTED_ROLE = re.compile(
    rf",\s+(?P<who>(?:the|its|their)\s+(?:[\w-]+(?:’s|'s)?\s+){{0,3}}?[\w-]+)\s+(?:{_SPEECH})(?:\s+on\s+\w+)?(?=[,.;]|$)"
)
_INSERTED = re.compile(
    rf"[,”]\s+(?P<who>(?:he|she|they|[A-Z][\w’'-]+(?:\s[A-Z][\w’'-]+)?))\s+(?:{_SPEECH})(?=[,.;]|\s+on\b|$)"
)


def attribute(
    sentence: Sentence, people: dict[str, Person], last: Person | None = None, ctx: _Context | None = None
) -> Claim:
    """Who the sentence reports: a direct quote's speaker, reported speech's subject, or the article."""
    text = _DATELINE.sub("", sentence.text)  # "KESTRIDGE, Velmar — Hollis Varga said…"
    if ctx is None:
        ctx = _Context(sentence.paragraph, [(sentence.paragraph, last)] if last else [])
    mentions = _mentions(text, people)

    def before(pos: int) -> list[Person]:
        return [p for at, p in mentions if at < pos]

    def claim(person: Person, speech: str) -> Claim:
        return Claim(sentence, person.name, person.label, speech, None, [person])

    speech_kind = "quote" if "“" in text else "reported"
    # 1. "“…,” said X, a Y."  /  "“…,” X said …"  /  "“…,” he said."
    m = re.match(r"^“[^”]+[,.?!]”\s*(?P<rest>.*)$", text)
    if m:
        rest = m["rest"]
        said = re.match(rf"^(?:{_SPEECH})\s+(?P<who>[^,.]+)", rest) or re.match(
            rf"^(?P<who>[\w’' .-]+?)\s+(?:{_SPEECH})\b", rest
        )
        if said:
            person = _resolve(said["who"], people, ctx, before(m.start("rest")))
            if person is not None:
                return claim(person, "quote")
            who = _clean_who(said["who"])
            if who and who[0].isupper() and who.casefold() not in _PRONOUNS and len(who.split()) <= 6:
                return Claim(sentence, who, who, "quote")
    # 2. "X said …" at the start, or after a leading clause
    segments = [text, *(text[m.end() :] for m in re.finditer(r",\s+", text))]
    offsets = [0, *(m.end() for m in re.finditer(r",\s+", text))]
    subordinate = _LEADING_CLAUSE.match(text)
    aside: str | None = None  # an unnamed source inside a sentence that is the article's own
    for n, segment in enumerate(segments):
        said = re.match(rf"^(?P<who>{_NO_COMMA}{{2,90}}?(?:,{_NO_COMMA}{{3,90}},)?)\s+(?P<verb>{_SPEECH})\b", segment)
        if not said:
            continue
        who = _clean_who(said["who"])
        if "," in who and _resolve(who, people, None) is None and _org(who, people) is None:
            who = who.split(",")[0].strip()  # "Shopkeepers in Hollin Cross, a town of 19,000 people,": the shopkeepers
        if n > 0 and not subordinate:  # "Israel had softened…, and a top official expressed…": the article's
            if aside is None and _is_unnamed(who) and len(who.split()) <= 8 and _resolve(who, people, None) is None:
                aside = who
            continue
        declined = re.match(r"^(?P<who>.+?)\s+(?:declined|refused)\s+to$", who)
        if declined:  # "Varga declined to say how much…": his (reported) statement
            who = declined["who"]
        too_long = len(who.split()) > (16 if _is_unnamed(who) else 12)  # "An official at the X who asked…"
        if not who or too_long or re.search(r"\b(?:has|have|is|are|was|were|had|will)\b", who):
            continue
        if who.casefold() in {"it", "this", "that", "which", "there", "another", "one", "others", "some"}:
            continue
        if who.split()[-1].casefold() in {"to", "not", "would", "could", "did"}:  # "the trust did not say"
            continue
        named = before(offsets[n])
        person = (
            _resolve(who, people, ctx, named) if who.split()[0].casefold() not in {"the", "a"} or "," in who else None
        )
        person = person or _resolve(who.split(",")[0], people, ctx, named)
        if person is not None and (n == 0 or person.short in who or who.casefold() in _PRONOUNS or subordinate):
            return claim(person, speech_kind)
        org = _org(who, people)
        if _is_unnamed(who) or ((n == 0 or org) and who[0].isupper() | bool(org) and len(who.split()) <= 6):
            speaker = who[0].upper() + who[1:]
            unnamed = who if _is_unnamed(who) else None  # "an official at the Ambulance Service" has no name
            return Claim(sentence, speaker, f"{who[0].lower() + who[1:]}, as reported", "reported", unnamed)
    # 2b. "Nessa Brannagh, a midwife who …, told a rally …": a sentence opening on a named person who speaks
    if mentions and (_SPEECH_RE.search(text) or "“" in text):
        pos, person = mentions[0]
        lead = text[:pos].strip()
        if not lead or re.fullmatch(r"(?:[A-Z][\w’'.-]*\s*)+", lead):
            return claim(person, speech_kind)
    # 2b'. "Norvane Regional Rail did not address that claim, saying in a statement…": an organisation speaks
    if (org := _org(text[:90], people)) is not None:
        opening = rf"^(?:(?:But|And|Yet|Meanwhile|However),?\s+)?(?:[Tt]he\s+)?{re.escape(org.name)}"
        speaks = rf"(?:,\s+(?:which|who)\s+[^“”]*?,)?\s+(?:also\s+)?(?!announced)(?:{_SPEECH})\b"  # "…, which…, says"
        if re.match(opening + speaks, text) or (
            re.match(opening, text) and ("“" in text or re.search(r"\b(?:saying|said in a statement)\b", text))
        ):
            return Claim(sentence, org.name, f"{org.name}, as reported", speech_kind, None, [org])
    # 2c. "…, he said, and …": an attribution inside the sentence
    for m in _INSERTED.finditer(text):
        person = _resolve(m["who"], people, ctx, before(m.start("who")))
        if person is not None:
            return claim(person, speech_kind)
    for m in _INSERTED_ROLE.finditer(_unquoted(text)):
        who = m["who"]
        person = _resolve(who, people, ctx, before(m.start("who")))
        if person is not None:
            return claim(person, speech_kind)
        return Claim(sentence, who[0].upper() + who[1:], f"{who}, as reported", "reported")
    # 3. "…, according to X."
    m = re.search(r"\baccording to (?P<who>[^,.;]+)", text)
    if m:
        who = _clean_who(m["who"])
        person = _resolve(who, people, ctx, before(m.start("who")))
        if person is not None:
            return claim(person, "reported")
        unnamed = who if _is_unnamed(who) else None
        return Claim(sentence, who[0].upper() + who[1:], f"{who}, as reported", "reported", unnamed)
    # 4. "“What I cannot do…”": a quote standing alone continues the speaker of the sentence before
    prev = ctx.previous
    if text.startswith("“") and prev is not None and prev.speech != "article" and prev.people:
        previous_speaker = prev.people[0]
        if previous_speaker.kind == "person" and previous_speaker.name == prev.speaker:
            return claim(previous_speaker, "quote")
    return Claim(sentence, "The article", "the article", "article", aside)


def _mentioned(sentence: Sentence, people: dict[str, Person]) -> list[Person]:
    return [p for p in people.values() if p.name in sentence.text or (p.kind == "person" and p.short in sentence.text)]


def claims(all_sentences: Sequence[Sentence], people: dict[str, Person]) -> list[Claim]:
    """Each sentence's claim, in order: pronouns resolve to persons named before them (see _Context)."""
    assign_genders(all_sentences, people)
    out: list[Claim] = []
    earlier: list[tuple[int, Person]] = []
    for sentence in all_sentences:
        previous = out[-1] if out and out[-1].sentence.paragraph == sentence.paragraph else None
        claim = attribute(sentence, people, ctx=_Context(sentence.paragraph, list(earlier), previous))
        mentioned = _mentioned(sentence, people)
        claim.people = list(dict.fromkeys([*claim.people, *mentioned]))
        out.append(claim)
        earlier += [(sentence.paragraph, p) for _, p in _mentions(sentence.text, people)]
        if claim.speech != "article" and claim.people and claim.people[0].kind == "person":
            earlier.append((sentence.paragraph, claim.people[0]))  # "he said" after a quote: its speaker
    return out


# ---------------------------------------------------------------------------
# Phrasings


class _Vocabulary:
    """How rare each word is among the article's sentences: rare words tell entries apart."""

    def __init__(self, texts: Iterable[str]) -> None:
        docs = [set(self.words(t)) for t in texts]
        self.counts = Counter(w for d in docs for w in d)
        self.idf = {w: math.log((1 + len(docs)) / (1 + n)) + 1 for w, n in self.counts.items()}

    def df(self, word: str) -> int:
        """In how many sentences the word occurs."""
        return self.counts.get(normalize(word), 0)

    @staticmethod
    def words(text: str) -> list[str]:
        return [w for w in normalize(text).split() if w not in ENGLISH.stopwords and (len(w) > 2 or w.isdigit())]

    def key(self, text: str, n: int, skip: Iterable[str] = ()) -> list[str]:
        """The n rarest content words of a text, in their order."""
        skipped = {normalize(s) for s in skip}
        words = list(dict.fromkeys(w for w in self.words(text) if w not in skipped and not _SPEECH_RE.fullmatch(w)))
        top = set(sorted(words, key=lambda w: -self.idf.get(w, 1.0))[:n])
        return [w for w in words if w in top]


_SPEECH_WORDS = frozenset(_SPEECH.split("|"))
_IRREGULAR_PLURALS = frozenset("people children men women police staff cattle crew personnel".split())


def _plural_noun(word: str) -> bool:
    return word.endswith("s") or word in _IRREGULAR_PLURALS


def _counted(text: str) -> list[tuple[str, str]]:
    """(how many|how much, the counted words) for each number in a text."""
    toks = [t.group() for t in _tokens(text)]
    out = []
    for n, tok in enumerate(toks):
        low = tok.casefold()
        if not (tok[0].isdigit() or low in _NUMBER_WORDS) or re.fullmatch(r"\d{4}", tok):
            continue
        following = [w.casefold() for w in toks[n + 1 : n + 5]]
        if following[:1] == ["of"] and len(following) > 2:  # "about 300 of its pupils"
            following = following[2:] if following[1] in {"its", "their", "the", "his", "her"} else following[1:]
        if following and following[0] in _NUMBER_WORDS | {"million", "billion", "thousand"}:
            following = following[1:]
        if not following:
            continue
        if following[0] in _MONEY:
            rest = [w for w in following[1:] if w not in ENGLISH.stopwords][:1]
            out.append(("how much", " ".join(rest)))
        elif following[0] in _TIME_WORDS or low.endswith(("th", "st", "nd", "rd")):
            out.append(("how long", following[0]))
        elif following[0] not in ENGLISH.stopwords and (
            n == 0 or toks[n - 1].casefold() not in {"the", "these", "those"}
        ):
            # the counted noun: "612 babies", "two maternity units"; never "the two takes", "300 people outside"
            first, second = following[0], following[1] if len(following) > 1 else ""
            if first.endswith(("’s", "'s")) or first in _UNIT_WORDS:  # "the viaduct’s 14 piers", "41 minutes"
                continue
            if _plural_noun(first) and not _verbish(first) and first not in _SPEECH_WORDS:
                out.append(("how many", first))
            elif _plural_noun(second) and second not in ENGLISH.stopwords and not _verbish(second):
                out.append(("how many", f"{first} {second}"))
    return out


def _kinds(claim: Claim) -> list[str]:
    """The kinds of question the sentence can answer, from what it contains."""
    text = claim.sentence.text
    words = set(normalize(text).split())
    kinds = ["what"]
    if claim.speech != "article" or any(p.kind in ("person", "org") for p in claim.people):
        kinds.append("who")
    if words & _TIME_WORDS or re.search(r"\b1[5-9]\d\d\b|\b20\d\d\b", text):
        kinds.append("when")
    if _PLACE_PREP.search(text) or _SETTING.search(text) or any(p.kind == "place" for p in claim.people):
        kinds.append("where")
    if _WHY_WORDS.search(text):
        kinds.append("why")
    counted = {how for how, _ in _counted(text)}
    if counted & {"how many", "how much"}:
        kinds.append("how_many")
    if claim.speech != "article":
        kinds.append("opinion")
    return kinds


def _role_head(role: str) -> str:
    """The noun a reader would use for a role: "the authority’s chief executive" -> "chief executive"."""
    role = re.split(r"\s+(?:at|of|for|in|from|with)\s+", role)[0]
    words = [w for w in role.split() if w.casefold() not in {"a", "an", "the"} and not w.endswith(("’s", "'s"))]
    return " ".join(words[-2:]).casefold()


def _last_noun_phrase(text: str) -> str | None:
    """The last "a/an/the …" phrase of a clause, up to "for": what "declined to describe it" refers to."""
    m = list(re.finditer(r"\b(?:a|an|the) ((?:[\w’'-]+ ){0,5}?[\w’'-]+?)(?= for |$)", text.rstrip(" ,")))
    return m[-1].group(1) if m else None


def _clauses(text: str) -> list[str]:
    parts = [p.strip() for p in re.split(r",\s+(?:and|but|while|with|as|leading|saying|adding)\b|;\s+|,\s+", text)]
    return [p for p in parts if len(p.split()) >= 4]


_PAST = frozenset(
    """met left held told sent took gave made came saw found began won lost led kept spoke broke fell struck
    sought ran paid built stood knew wrote drove went said flew shot threw hid rose sold put cut hit set
    fired""".split()
)
_AUX = frozenset("has have had is are was were will would could can may might".split())
_STOP_AT = frozenset("on in at to from after before with by for near outside while when as because since".split())
_OPENERS_SKIP = frozenset(
    "amid while however meanwhile on if at after before although though as since in under during despite by".split()
)


def _base_verb(word: str) -> str:
    """A light past-to-present: "raised" -> "raise", "signalled" -> "signal", "tried" -> "try"."""
    w = word.casefold()
    if w in ENGLISH.irregular:  # "came" -> "come", "held" -> "hold"
        return ENGLISH.irregular[w]
    if not w.endswith("ed") or len(w) < 5:
        return w
    if not w.endswith("ied"):  # the dictionary decides: "belonged" -> "belong", "fired" -> "fire"
        for base in (w[:-1], w[:-2], w[:-3]):
            if len(base) > 2 and (base != w[:-3] or w[-3] == w[-4]) and ENGLISH.is_word(base):
                return base
    if w in _PAST:
        return w
    if w.endswith("ied"):
        return w[:-3] + "y"
    stem_ = w[:-2]
    if len(stem_) > 3 and stem_[-1] == stem_[-2] and stem_[-1] not in "aeiousl":
        return stem_[:-1]
    if stem_.endswith(("ll",)):
        return stem_[:-1] if stem_.endswith("lll") else stem_[:-1] if w.endswith("lled") and len(w) > 8 else stem_
    if stem_[-1] in "szcvgu" or stem_.endswith(("at", "it", "ot", "ut", "ar", "ir", "ur", "in", "on", "ad", "id")):
        return stem_ + "e" if not stem_.endswith(("ss",)) else stem_
    return stem_


def _common_start(words: Sequence[str]) -> bool:
    """Whether a phrase's capital is only the sentence's: "The trust", "Season tickets", "Two picketers",
    not "Norvane Regional Rail" (a name: its next word is capitalised too, or it is no dictionary word)."""
    first = words[0].strip("“”")
    if first.casefold() in ENGLISH.stopwords or first.casefold() in _NUMBER_WORDS:
        return not (len(words) > 1 and words[1][:1].isupper() and first.casefold() not in {"the", "a", "an"})
    nxt = words[1] if len(words) > 1 else ""
    common = ENGLISH.is_word(first.casefold()) or (len(first) < 4 and first.isalpha())  # the list starts at 4 letters
    return common and not nxt[:1].isupper()


def subject_verb_object(text: str) -> tuple[str, str, str] | None:
    """(subject, past verb, object) of a simple news sentence, or None. Rules, not a parser: the
    verb is the first past-tense word after the subject; the object runs to a preposition or comma."""
    text = _DATELINE.sub("", text)
    appositive = re.match(r"^(?P<subject>[^,“”]{2,60}?),\s[^,“”]{3,90},\s(?P<next>[\w’'-]+)", text)
    if appositive:  # "The mediator, retired labour court judge Eleanor Voss, met …": the verb is "met"
        nxt = appositive["next"].casefold()
        if nxt in _PAST | _AUX or _SPEECH_RE.fullmatch(nxt) or (nxt.endswith("ed") and len(nxt) > 4):
            text = appositive["subject"] + " " + text[appositive.start("next") :]
    words = text.split()
    first = words[0].casefold().strip(",") if words else ""
    if first in _OPENERS_SKIP and "," in " ".join(words[:14]):
        head = " ".join(words).split(",", 1)
        words = head[1].split() if len(head) > 1 else words
    for n, raw in enumerate(words[1:], start=1):
        w = raw.strip(",.;:”“").casefold()
        before = words[n - 1].casefold()
        if w in _AUX or ((w in _PAST or (w.endswith("ed") and len(w) > 3)) and before not in {"the", "a", "an", "its"}):
            subject = re.sub(r",[^,]*,", "", " ".join(words[:n])).strip(" ,")  # "X, the chief executive, said"
            if re.search(r"\d{3}\b", subject) and re.search(r"[a-z]\d", subject):
                return None  # "…district, home to about 4,000 people": an appositive cut at its number
            if "," in subject or len(subject.split()) > 8 or "“" in subject:
                return None
            if {x.casefold() for x in subject.split()} & {"not", "did", "does", "do", "who", "that", "which"}:
                return None  # "the commission did not say who": no subject of "would carry"
            verb_words = [w]
            rest = words[n + 1 :]
            if w in _AUX and rest:
                verb_words.append(rest[0].strip(",.").casefold())
                rest = rest[1:]
            obj: list[str] = []
            for r in rest:
                lw = r.casefold().strip(",.;:”“")
                if lw in _STOP_AT or not lw:
                    break
                obj.append(r.strip(",.;:”“"))
                if r.endswith((",", ".", ";", ":")) or len(obj) >= 5:
                    break
            while obj and obj[-1].casefold() in ENGLISH.stopwords:  # "…between Kestrelford and"
                obj.pop()
            first_word = subject.split()[0]
            if _common_start(subject.split()):  # "The trust" -> "the trust"; "Norvane Regional Rail" stays
                subject = first_word.casefold() + subject[len(first_word) :]
            return subject, " ".join(verb_words), " ".join(obj)
    return None


def question_forms(text: str, kinds: Sequence[str]) -> list[str]:
    """Readers' questions a sentence answers, from its subject, verb and object."""
    svo = subject_verb_object(text)
    if svo is None:
        return []
    subject, verb, obj = svo
    main = verb.split()[-1]
    if main in _NOT_VERBS or (len(verb.split()) == 1 and main in _AUX):  # "is due", "was about": no action
        return []
    if main in {"be", "been"}:  # "season tickets will be valid": no action to ask about
        return []
    if len(verb.split()) > 1:  # "has promised", "would move": the auxiliary asks
        aux = verb.split()[0]
        if aux in {"is", "are", "was", "were"}:  # a passive ("was carried out"): its doer is asked elsewhere
            return [f"{aux} {subject} {main} {obj}".strip()] + [
                f"{kind} {aux} {subject} {main} {obj}".strip() for kind in ("when", "where", "why") if kind in kinds
            ]
        out = [f"what {aux} {subject} {main}", f"who {verb} {obj}".strip()]
        if obj:
            out.append(f"{aux} {subject} {main} {obj}")
        out += [f"{kind} {aux} {subject} {main} {obj}".strip() for kind in ("when", "where", "why") if kind in kinds]
        return out
    base = _base_verb(main)
    out = [f"what did {subject} {base}", f"what did {subject} do", f"who {verb} {obj}".strip()]
    if obj:
        out.append(f"what {verb} {obj}")
        out.append(f"did {subject} {base} {obj}")
    for kind in ("when", "where", "why"):
        if kind in kinds:
            out.append(f"{kind} did {subject} {base} {obj}".strip())
    if "how_many" in kinds and re.search(
        r"\b(?:marks|dollars|euros|pounds|crowns|francs|yen|cost|costs|price)\b", text
    ):
        out.append(
            f"how much did {subject} {base} {obj}".strip()
        )  # money only: "how much did X suspend" is no question
    return out


_NOT_VERBS = frozenset("due set expected likely able about going unable sure aware ready".split())


def _plain(text: str) -> str:
    """Text as a question can carry it: no quotation marks, no end punctuation, lower-cased start."""
    text = re.sub(r"[“”]", "", text).strip().rstrip(".;:,")
    first = text.split()[0] if text.split() else ""
    return (first.casefold() + text[len(first) :]) if first.casefold() in ENGLISH.stopwords else text


def _said_content(text: str) -> tuple[str, str] | None:
    """(speech verb, what was said) of reported or quoted speech: ("warned", "that delay carried its
    own risks"), ("said", "customers are deciding right now where…")."""
    quoted = re.match(r"^“(?P<q>[^”]+?)[,.?!]?”\s*(?:,\s*)?(?P<rest>.*)$", text)
    if quoted:
        verb = _SPEECH_RE.search(quoted["rest"])
        return (verb.group() if verb else "said", quoted["q"])
    m = re.search(rf"\b(?P<verb>{_SPEECH})\s+(?P<what>[^;]+)", text)
    if not m:
        return None
    return m["verb"], m["what"]


def _words(text: str, n: int) -> str:
    return " ".join(text.split()[:n]).rstrip(",;:")


def claim_phrasings(claim: Claim, vocab: _Vocabulary) -> list[str]:
    """Readers' questions a sentence answers, in whole words: about its subject; its clauses asked
    back as yes/no and when/where/why/how many questions where the sentence can tell; who said it."""
    text = _DATELINE.sub("", claim.sentence.text)
    person = next((p for p in claim.people if p.kind == "person" and p.name == claim.speaker), None)
    kinds = _kinds(claim)
    topic = _topic(text, claim.speaker if claim.speech != "article" else "", speech=claim.speech != "article")
    out = [f"what happened with {topic}", f"tell me about {topic}", f"what do we know about {topic}"]
    if len(_Vocabulary.words(topic)) < 2:  # "tell me about drive": reaches whatever mentions the word
        out = out[:1]
    said = _said_content(text) if claim.speech != "article" else None
    body = said[1] if said else text
    clauses = [c for c in _clauses(body) if any(_verbish(w) for w in c.split())] or [body]
    wh = [k for k in ("when", "where", "why") if k in kinds]
    for clause in clauses[:3]:
        inverted = _invert(clause)
        if inverted is None:
            out.append(f"is it true that {_words(_plain(clause), 14)}")
            continue
        aux, rest = inverted
        rest = _words(rest, 14)
        out.append(f"{aux} {rest}")
        out += [f"{k} {aux} {rest}" for k in wh]
        if any(how == "how much" for how, _ in _counted(clause)):
            out.append(f"how much {aux} {rest}")
    svo = subject_verb_object(text)
    for how, counted in _counted(text):
        if how == "how many" and counted:
            out.append(f"how many {counted} {'did ' + svo[0] + ' ' + _base_verb(svo[1].split()[-1]) if svo else ''}")
            if all(vocab.df(w) <= 1 for w in _Vocabulary.words(counted)):  # "how many people" alone is too vague
                out.append(f"how many {counted}")
    if claim.speech == "article":
        out += question_forms(text, kinds)
    else:
        short = person.short if person else _sentence_case(claim.speaker)
        out += [f"what did {short} say about {topic}", f"what does {short} think about {topic}"]
        if said:
            verb, what = said
            content = _words(_plain(what), 12)
            out += [f"who said {content}", f"who {verb} {content}", f"did {short} say {content}"]
        for role in person.roles if person else []:
            head = _role_head(role)
            if head and not role.startswith("who "):
                out += [f"what did the {head} say about {topic}", f"what did the {head} say"]
    out += _reader_forms(claim, text, kinds, vocab)
    out = [p for p in out if not _MALFORMED.search(p)]
    if len(set(out)) <= MIN_PHRASINGS and topic:  # a short sentence: the plain ways to ask about its topic
        out += [f"tell me about {topic}", f"what do we know about {topic}", f"what does the article say about {topic}"]
    return out


# A drafted phrasing that no reader would type: "what happened with in a statement", "did in a radio
# interview that…", "is it true that announced the merger", "how many takes"
_MALFORMED = re.compile(
    r"\b(?:with|about|of)\s+(?:in|on|at|to|that|which|by|for|how|what)\b|"
    r"^(?:(?:when|where|why|how much)\s+)?(?:did|does|do|would|will|had|has|have|is|was|are|were)\s+"
    r"(?:in|on|at|to|that|which|by|for|how|what|who|whether|if)\b|"
    r"^is it true that (?:(?:has|have|had|is|was|would|will|did)\s+)?\w+ed\b|"
    r"\b(?:the|a|an)\s*$|\b(?:did|does)\s+\w+\s+\w+ed\b(?<!need)"
)


def _aliases(person: Person) -> list[str]:
    """How readers name a person: by surname and by what they are ("the mediator", "the chief executive")."""
    out = [person.short]
    for role in person.roles:
        if role.startswith("who "):
            continue
        head = _role_head(role)
        if head and head.split()[-1] in _ROLE_WORDS | {"executive", "officer", "minister"}:
            out.append(f"the {head}")
    return list(dict.fromkeys(out))


_UNITS = {
    "how far": frozenset("kilometres kilometers km miles mile metres meters kilometre kilometer".split()),
    "how long": frozenset("minutes minute hours hour days day weeks week months month years year".split()),
    "how much": frozenset("marks dollars euros pounds crowns francs yen million billion percent cent %".split()),
}


def _reader_forms(claim: Claim, text: str, kinds: Sequence[str], vocab: _Vocabulary) -> list[str]:
    """Questions as readers put them: the speaker by role ("what did the mediator say"), the sentence's
    action asked with its subject named the way readers name it, and its numbers asked by their unit
    ("how far", "how long", "how much", "what share")."""
    out: list[str] = []
    speaker = _speaker_person(claim)
    if speaker is not None:
        for alias in _aliases(speaker):
            out += [f"what did {alias} say", f"what was {alias}'s view", f"what is {alias} saying"]
            if claim.speech == "quote":
                out.append(f"what did {alias} tell reporters")
    said = _said_content(text) if claim.speech != "article" else None
    body = _plain(said[1]) if said else text
    body = re.sub(r"^that\s+", "", body)
    svo = subject_verb_object(body)
    if svo is not None:
        subject, verb, obj = svo
        people_here = [p for p in claim.people if p.kind == "person" and _named_in(p, subject)]
        subjects = [subject] + [a for p in people_here for a in _aliases(p)]
        main = verb.split()[-1]
        if main not in _NOT_VERBS and not (len(verb.split()) == 1 and main in _AUX):
            aux, action = (verb.split()[0], main) if len(verb.split()) > 1 else ("did", _base_verb(main))
            for who in subjects[1:]:
                out += [f"what {aux} {who} {action}", f"{aux} {who} {action} {obj}".strip()]
                out += [f"{k} {aux} {who} {action} {obj}".strip() for k in ("when", "where", "why") if k in kinds]
    out += _measure_questions(text)
    out += _passive_questions(body)
    return out


_PASSIVE = re.compile(
    r"^(?P<s>[^,;]{3,60}?) (?P<be>was|were|is|are|has been|have been|had been|will be|would be) (?:\w+ly )?"
    r"(?P<v>\w+(?:ed|en|ne|wn|lt|pt|ught))(?P<p> (?:out|up|off|down|over))? by (?P<agent>[^,.;]{3,60})"
)


def _passive_questions(text: str) -> list[str]:
    """A passive sentence asked about its doer: "The inspection was carried out by Tarrant & Lyle" ->
    "who carried out the inspection", "by whom was the inspection carried out"."""
    m = _PASSIVE.match(_plain(_DATELINE.sub("", text)))
    if not m:
        return []
    subject, verb, particle = m["s"], m["v"], m["p"] or ""
    if _common_start(subject.split()):
        subject = subject[0].lower() + subject[1:]
    be = "were" if m["be"] in ("were", "are", "have been") else "was"
    return [
        f"who {verb}{particle} {subject}",
        f"by whom {be} {subject} {verb}{particle}",
        f"who {be} {subject} {verb}{particle} by",
    ]


_NUM = (
    r"(?:\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|a hundred)"
)
_APPROX = (
    r"(?:(?:about|some|at least|more than|up to|nearly|almost|roughly|around|over|under|well over|"
    r"a minimum of|a maximum of|only|just)\s+)*"
)
_PROPER = r"[A-Z][\w’'-]*(?: [A-Z][\w’'-]*)*"
_UNIT_WORDS = {unit: how for how, units in _UNITS.items() for unit in units}


def _measure_questions(text: str) -> list[str]:
    """Each measured number asked the way readers ask for it, in whole clauses: "the review would take at
    least 10 weeks" -> "how long would the review take"; "a crack about 3.5 metres long" -> "how long is
    the crack"; "the 132-year-old Sallow Viaduct" -> "how old is the Sallow Viaduct"; "to Kestridge General,
    about 38 kilometres down the valley" -> "how far is Kestridge General"; "about 40 percent of shifts" ->
    "what share of shifts"."""
    out = []
    plain = _plain(text)
    for m in re.finditer(r"\b(\d+)-year-old (?P<np>(?:[A-Z][\w’'-]+\s?)+|[a-z]+)", plain):
        out.append(f"how old is the {m['np'].strip()}")
    for m in re.finditer(
        rf"\b(?:a|an|the)\s+(?P<noun>[a-z]+)\s+{_APPROX}{_NUM}\s+\w+\s+(?P<adj>long|high|tall|wide|deep)\b", plain
    ):
        out.append(f"how {m['adj']} is the {m['noun']}")
    for m in re.finditer(
        rf"\b(?:from (?P<a>{_PROPER}) )?to (?P<b>{_PROPER}),\s+{_APPROX}{_NUM}\s+(?:kilometres|kilometers|km|miles)\b",
        plain,
    ):
        out.append(f"how far is {m['b']}")
        if m["a"]:
            out += [f"how far is {m['b']} from {m['a']}", f"how far apart are {m['a']} and {m['b']}"]
    for m in re.finditer(rf"{_APPROX}{_NUM}\s+(?:per cent|percent|%)\s+of\s+(?:the\s+)?(?P<what>[\w’'-]+)", plain):
        out += [f"what share of {m['what']}", f"what percentage of {m['what']}", f"what proportion of {m['what']}"]
    said = _said_content(plain)
    if said is not None and not plain.startswith("“"):
        plain = re.sub(r"^(?:that|on \w+ that)\s+", "", _plain(said[1]))  # what was said, not who said it
    for clause in [c for c in re.split(r";\s+|,\s+(?:and|but|while|though)\s+", plain) if c]:
        measure = re.search(
            rf"(?:\s*[“”]?\s*){_APPROX}(?:between\s+{_NUM}(?:\s+(?:million|billion))?\s+and\s+)?{_NUM}"
            rf"(?:\s+(?:million|billion|thousand))?\s+(?P<unit>[\w%]+)(?:\s+(?:a|per|each)\s+(?:year|day|week|month))?",
            clause,
        )
        unit = measure["unit"].casefold() if measure else ""
        if not measure or _UNIT_WORDS.get(unit) is None or unit in {"percent", "%", "cent"}:
            continue
        how = _UNIT_WORDS[unit]
        after = re.split(
            r"\s+(?:while|because|after|before|until|when|as|since|if|unless|so)\s+", clause[measure.end() :]
        )[0]
        rest = (clause[: measure.start()] + " " + after).strip()
        rest = re.sub(r"\s+(?:for|of|by|in)\s*$", "", rest)
        inverted = _invert(rest.replace(",", ""))  # "combining management, surgery and care would save"
        if inverted is not None and len(inverted[1].split()) <= 12:
            out.append(f"{how} {inverted[0]} {inverted[1]}".strip())
    return out


def _sentence_case(phrase: str) -> str:
    """A phrase from the start of a sentence, as it reads mid-sentence: "Two US officials" -> "two US
    officials", "An Israeli official" -> "an Israeli official", "Shipping industry sources" unchanged."""
    first, _, rest = phrase.partition(" ")
    low = first.casefold()
    if low in ENGLISH.stopwords or low in _NUMBER_WORDS or low in _ROLE_MODIFIERS:
        return f"{low} {rest}".strip()
    return phrase


def _plural(phrase: str) -> bool:
    words = re.sub(r"\s+(?:who|familiar|with|from|at|of)\b.*$", "", phrase).split()
    return bool(words) and (words[-1].endswith("s") or words[-1] in {"people", "police"} or " and " in phrase)


_DETERMINERS = frozenset("the a an its their his her our this these those".split()) | _NUMBER_WORDS
_GENERIC_HEADS = frozenset("one ones way thing things part lot kind sort time".split())


def _quoted(text: str) -> str:
    """The words inside the sentence's quotation marks, joined."""
    return " ".join(re.findall(r"“([^”]*)", text))


def _noun_phrases(text: str) -> list[str]:
    """Noun phrases a clause names, in order: a determiner or number and the content words after it,
    up to a function word or verb ("the timing", "two maternity units", "the commission’s order")."""
    words = text.split()
    out = []
    for n, raw in enumerate(words):
        low = raw.casefold()
        if not (low in _DETERMINERS or re.fullmatch(r"\d[\d,.]*", low)):
            continue
        phrase = [raw]
        following = words[n + 1 : n + 6]
        for k, nxt in enumerate(following):
            bare = nxt.strip(",.;:!?").casefold()
            after = following[k + 1].strip(",.;:!?").casefold() if k + 1 < len(following) else ""
            if bare == "of" and len(phrase) > 1 and after and after not in ENGLISH.stopwords and not _verbish(after):
                phrase.append(nxt)  # "a sign of imminent collapse"
                continue
            if not bare or bare in ENGLISH.stopwords or _verbish(bare) or bare in _PRONOUNS:
                break
            phrase.append(nxt.rstrip(",.;:!?"))
            if nxt != nxt.rstrip(",.;:!?"):
                break
        content = [w for w in phrase[1:] if len(w) > 2]
        if content and phrase[-1].casefold() not in _GENERIC_HEADS:
            out.append(" ".join(phrase))
    return out


def _topic(text: str, speaker: str = "", *, speech: bool = True) -> str:
    """What a sentence is about, as a reader would name it: its subject (or, when the subject is a
    speaker, the subject of what they said), at most six words; else its first content words."""
    text = _DATELINE.sub("", text)
    said = re.search(rf"\b(?:{_SPEECH})\s+(?:that\s+)?(?P<rest>[^“”]+)", text) if speech else None
    svo = subject_verb_object(said["rest"] if said else text) or subject_verb_object(text)
    topic = svo[0] if svo else ""
    skip = {w.casefold() for w in speaker.split()} - ENGLISH.stopwords  # "The company": not "the"
    if (
        not topic
        or topic.casefold() in _PRONOUNS | {"it", "they", "we", "i", "this", "that", "who", "what", "which"}
        or skip & {w.casefold() for w in topic.split()}
    ):
        opens_on_quote = text.startswith("“") and bool(_quoted(text))  # "“…,” said X, a Y": the quote's topic
        rest = said["rest"] if said and said["rest"].strip(" .,") and not opens_on_quote else ""
        spoken = re.sub(r"[“”]", "", rest or _quoted(text) or text)
        phrases = [np for np in _noun_phrases(spoken) if not skip & {w.casefold() for w in np.split()}]
        topic = phrases[0] if phrases and speech else _noun_phrase(spoken, skip)
    if len(topic.split()) < 1 or topic.casefold() in ENGLISH.stopwords:  # the content words it opens on
        words = [
            w
            for w in re.findall(r"[\w’'-]+", text)
            if w.casefold() not in ENGLISH.stopwords | skip and not _SPEECH_RE.fullmatch(w.casefold())
        ]
        topic = " ".join(words[:2])  # two words read as a phrase ("pouring concrete"), four as keywords
    kept = topic.split()[:8]
    while kept and kept[0].casefold() in {"but", "and", "yet", "so", "also"}:
        kept.pop(0)
    if kept and _common_start(kept):  # "A plan to merge…" -> "a plan to merge…", "Season tickets" -> "season tickets"
        kept[0] = kept[0].casefold()
    while kept and (kept[-1].strip(",;:").casefold() in ENGLISH.stopwords or kept[-1].endswith(",")):
        kept[-1] = kept[-1].rstrip(",;:")
        if kept[-1].casefold() in ENGLISH.stopwords:
            kept.pop()
        else:
            break
    return " ".join(kept)


def _verbish(word: str) -> bool:
    w = word.casefold().strip(",.;:")
    return (
        w in _PAST | _AUX | {"cannot", "can’t", "can't", "must", "should", "do", "does"}
        or bool(_SPEECH_RE.fullmatch(w))
        or (w.endswith("ed") and len(w) > 3)  # "died" too
    )


# words that end the noun phrase a clause opens on: "Tickets cost 15 crowns" -> "tickets"
_NP_STOPS = frozenset(
    """that who which is are cost costs says say means needs makes takes gives goes comes seems stands remains
    sits""".split()
)


def _noun_phrase(text: str, skip: set[str]) -> str:
    """The words a clause opens on, up to its verb: "combining management, surgery and maternity care"."""
    words: list[str] = []
    for raw in text.split():
        w = raw.strip(",.;:")
        if _verbish(w) or w.casefold() in skip or w.casefold() in _NP_STOPS:
            if words:
                break
            continue
        words.append(raw)
        if raw.endswith((",", ";", ":", ".")) and len(words) >= 2 and not raw.endswith(","):
            break
    while words and words[-1].strip(",").casefold() in ENGLISH.stopwords:
        words.pop()
    while words and words[0].casefold() in _PRONOUNS | {"it", "they", "we", "i", "what"}:
        words.pop(0)
    return " ".join(words[:6]).rstrip(",;:")


_SUBJECT_PRONOUNS = frozenset("i we they he she it you".split())


def _invert(clause: str) -> tuple[str, str] | None:
    """(auxiliary, rest) of a clause turned into a question's word order: "births would move from X"
    -> ("would", "births move from X"); "the trust announced the merger" -> ("did", "the trust announce the
    merger"). None where the clause has no plain subject before its verb."""
    words = _plain(clause).split()
    for n, raw in enumerate(words[:10]):
        w = raw.casefold().strip(",")
        if raw.endswith(",") and w not in _AUX:  # "Under the plan, births…": no plain subject
            return None
        if n == 0:
            continue
        if (w in _AUX or w in _PAST or w.endswith("ed")) and (
            any(x.casefold().strip(",") in _SUBJECT_PRONOUNS | {"us", "them", "me", "that"} for x in words[1:n])
            or words[0].casefold() in _TIME_WORDS  # "hours after a routine inspection found…": no subject
        ):
            return None  # "they keep telling us it is…", "the mothers we have to plan for…": no plain subject
        if w in _AUX or w in {"did", "does", "do"}:  # "the commission did not say…" -> "did the commission not say…"
            subject = " ".join(words[:n])
            after = words[n + 1].casefold() if n + 1 < len(words) else ""
            if w in {"has", "have", "had"} and not (
                _verbish(after) or after in {"been", "not", "yet", "already", "also"}
            ):
                # "the service usually had two crews": "had" is the verb -> "did the service usually have two crews"
                return ("did" if w == "had" else "does" if w == "has" else "do"), " ".join(
                    [subject, "have", *words[n + 1 :]]
                )
            return w, " ".join([subject, *words[n + 1 :]])
        if w in _PAST or (w.endswith("ed") and len(w) > 3 and words[n - 1].casefold() not in {"the", "a", "an"}):
            return "did", " ".join([*words[:n], _base_verb(w), *words[n + 1 :]])
    return None


_VAGUE_TOPICS = frozenset("nobody everybody everyone someone somebody others members people this that".split())


def claim_question(claim: Claim) -> str:
    """The entry's main question, as a reader asks it: "What did Hollis Varga say about the trust?",
    "What do two US officials say about talks?", "What happened with the Tollbridge unit?"."""
    topic = _topic(
        claim.sentence.text, claim.speaker if claim.speech != "article" else "", speech=claim.speech != "article"
    )
    topic = topic.rstrip(".,;:")
    unknown = re.match(
        r"^It (?:is|was) not (?:yet )?(?:clear|known) "
        r"(?P<what>(?:whether|which|who|when|how|what|why)\b[^;.]+?)(?:,\s+(?:and|but)\b|[;.]|$)",
        claim.sentence.text,
    )
    if unknown:  # "It is not yet known which option will be chosen" -> "Is it known which option will be chosen?"
        return f"Is it known {unknown['what']}?"
    if claim.speech in ("quote", "reported"):
        person = next((p for p in claim.people if p.kind == "person" and p.name == claim.speaker), None)
        who = person.name if person else _sentence_case(claim.speaker)
        if not person and _common_start(who.split()):
            who = who[0].lower() + who[1:]  # "Mortgage lenders" -> "mortgage lenders"
        if re.search(r"\b(?:declined|refused) to (?:say|comment|discuss|describe|give)\b", claim.sentence.text):
            return f"What did {who} decline to say?"
        verb = "do" if claim.unnamed and _plural(who) else "does" if claim.unnamed else "did"
        if not topic or topic.casefold() in _VAGUE_TOPICS or len(topic) < 4:
            return f"What else {verb} {who} say?"
        return f"What {verb} {who} say about {topic}?"
    return f"What happened with {topic}?" if topic else "What does the article report?"


def short_answer(claim: Claim) -> str:
    """A readable answer from the sentence (its quote stays the whole sentence, verbatim): no
    dateline, no role of the speaker (the attribution shows it), no ", which …," aside, and at most
    about 30 words, cut where a clause ends."""
    text = _DATELINE.sub("", claim.sentence.text)
    outside = _unquoted(text)
    for person in claim.people:
        for role in person.roles:
            for form in (f", {role},",):
                at = outside.find(form)
                if at >= 0 and text[at : at + len(form)] == form:
                    text = text[:at] + text[at + len(form) :]
                    outside = _unquoted(text)
                    break
    for m in re.finditer(r",\s+(?:which|who)\s+[^,“”]+,\s+(?P<next>[\w’'-]+)", outside):
        verb = m["next"].casefold()
        if " and " not in m.group() and (_SPEECH_RE.fullmatch(verb) or verb.endswith("ed") or verb in _PAST | _AUX):
            text = text[: m.start()] + " " + text[m.start("next") :]  # "The trust, which runs both, announced"
        break
    words = text.split()
    if len(words) > 32:
        cut = " ".join(words[:32])
        at = max(cut.rfind(", "), cut.rfind("; "))
        text = (cut[:at] if at > len(cut) // 2 else cut).rstrip(" ,;") + " …"
        if text.count("“") > text.count("”"):
            text = text[:-2] + "…”"
    return text[0].upper() + text[1:] if text else claim.sentence.text


# ---------------------------------------------------------------------------
# Entries


def _slug(text: str, taken: set[str]) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = [w for w in re.findall(r"[a-z0-9]+", ascii_text.casefold()) if w not in ENGLISH.stopwords]
    base = "-".join(words[:5])[:36].strip("-") or "entry"
    slug, n = base, 2
    while slug in taken:
        slug = f"{base[:33]}-{n}"
        n += 1
    taken.add(slug)
    return slug


def _quote(sentence: Sentence, attribution: str, speaker: str) -> dict[str, str]:
    quote = {"text": sentence.text, "attribution": attribution}
    if speaker != attribution:
        quote["speaker"] = speaker
    return quote


def _entry(
    entry_id: str,
    topic: str,
    question: str,
    phrasings: Iterable[str],
    answer: str,
    quotes: list[dict[str, str]],
    *,
    kind: str = "answer",
    keywords: Iterable[str] = (),
    about: Iterable[str] = (),
    kinds: Iterable[str] = (),
    lacks: Iterable[str] = (),
) -> dict[str, Any]:
    entry: dict[str, Any] = {"id": entry_id}
    if kind != "answer":
        entry["kind"] = kind
    entry.update(
        topic=topic,
        question=question,
        phrasings=_unique(p for p in phrasings if p.strip()),
        keywords=_unique(keywords),
        answer=answer,
        quotes=quotes,
        related=[],
    )
    if about:
        entry["about"] = _unique(about)
    if kinds:
        entry["kinds"] = list(dict.fromkeys(kinds))
    if lacks:
        entry["lacks"] = list(dict.fromkeys(lacks))
    return entry


def _unique(texts: Iterable[str]) -> list[str]:
    seen: dict[str, str] = {}
    for text in texts:
        text = " ".join(text.split())
        key = normalize(text)
        if key and key not in seen:
            seen[key] = text
    return list(seen.values())


def _article_entries(
    page: Page, title: str, section: str, date_line: str, lead: Sentence | None
) -> list[dict[str, Any]]:
    def header(text: str) -> dict[str, str]:
        return {"text": text, "attribution": "the page header", "from": "header"}

    entries = []
    if lead is not None:
        entries.append(
            _entry(
                "overview",
                "About the article",
                "What is the article about?",
                [
                    "what is this about",
                    "what's the story",
                    "give me a summary",
                    "summarize the article",
                    "what happened",
                    "what is the news",
                    "main points of the article",
                    "tldr",
                ],
                f"{title}: {lead.text}",
                [header(title), _quote(lead, "the article", "The article")],
            )
        )
    entries += [
        _entry(
            "headline",
            "About the article",
            "What is the headline?",
            ["what is the title", "what's the article called", "headline of the story", "title of the article"],
            f"The headline is “{title}”.",
            [header(title)],
        ),
        _entry(
            "publish-date",
            "About the article",
            "When was the article published?",
            ["what date is the article", "when was this written", "publication date", "what day was it published"],
            f"The page is dated {date_line}.",
            [header(date_line)],
        ),
        _entry(
            "section",
            "About the article",
            "Which section is the article in?",
            ["what section is this", "what category is the article", "which part of the site", "section of the story"],
            f"It is in the {section} section.",
            [header(section)],
        ),
    ]
    if page.author:
        entries.append(
            _entry(
                "author",
                "About the article",
                "Who wrote the article?",
                ["who is the author", "who wrote this", "author of the story", "which journalist wrote it"],
                f"The page credits {page.author}.",
                [header(next(h for h in page.header if page.author in h))],
            )
        )
    else:
        entries.append(
            _entry(
                "author",
                "Not in the article",
                "Who wrote the article?",
                [
                    "who is the author",
                    "who wrote this",
                    "author of the story",
                    "which journalist wrote it",
                    "who is the reporter",
                ],
                "The page names no author and no outlet.",
                [],
                kind="not_covered",
            )
        )
    return entries


def _who_entries(people: dict[str, Person], taken: set[str]) -> list[dict[str, Any]]:
    """ "Who is X?" for each named person or organisation the article gives a role or description."""
    entries = []
    for person in people.values():
        sentence = person.role_sentence
        if sentence is None or not person.roles:
            continue
        name, short = person.name, person.short
        titles = [r for r in person.roles if not r.startswith(("who ", "which "))]  # "who represents X" is no title
        heads = [h for h in dict.fromkeys(_role_head(r) for r in titles) if h]
        if person.kind == "person":
            question = f"Who is {name}?"
            phrasings = [
                f"who is {name}",
                f"who is {short}",
                f"what does {short} do",
                f"what is {short}'s job",
                f"{short} role",
                f"tell me about {name}",
            ]
            for role in titles:
                phrasings += _role_questions(role)
            topic = "Who's who"
        else:
            question = f"What is {'the ' if person.kind in ('org', 'law') else ''}{name}?"
            phrasings = [f"what is {name}", f"tell me about {name}", name, f"what kind of place is {name}"]
            if person.kind == "place":
                phrasings.append(f"where is {name}")
                if any(_distance(r) for r in person.roles):  # "about 200 kilometres up the coast"
                    phrasings += [f"how far is {name}", f"how far away is {name}", f"distance to {name}"]
            else:
                phrasings.append(f"who are the {name}")
            for role in person.roles:
                if role.startswith("which "):  # ", which runs both hospitals": "who runs both hospitals"
                    clause = role.split(maxsplit=1)[1]
                    phrasings += [f"who {clause}", f"which organisation {clause}", f"what does the {name} do"]
            topic = "Places and organisations"
        answer = _describe(person)
        if person.kind == "person" and not re.search(r"\b(?:aged|years old|\d+-year-old)\b", sentence.text):
            entries.append(
                _entry(
                    _slug(f"{short} personal details", taken),
                    "Not in the article",
                    f"How old is {name}, and what is their background?",
                    [
                        f"how old is {short}",
                        f"{short} age",
                        f"when was {short} born",
                        f"{short} background",
                        f"where is {short} from",
                        f"is {short} married",
                        *(  # "retired labour court judge": when they retired is background the text lacks
                            [f"when did {short} retire", f"when did {short} stop being a {_role_head(r)}"]
                            if (
                                r := next(
                                    (x for x in person.roles if re.match(r"(?:a |the )?(?:retired|former) ", x)), ""
                                )
                            )
                            else []
                        ),
                        *(
                            [f"how long has {short} been in the job"]
                            if not re.search(r"\bfor \w+ (?:years|months)\b|\bsince\b", _describe(person))
                            else []
                        ),
                    ],
                    f"The article doesn't give {name}'s age or background, only this: {_describe(person)}",
                    [_quote(sentence, "the article", "The article")],
                    kind="not_covered",
                    about=[name],
                )
            )
        entries.append(
            _entry(
                _slug(name, taken),
                topic,
                question,
                phrasings,
                answer,
                [_quote(sentence, "the article", "The article")],
                keywords=[name, short, *heads, *_colloquial(person), *(_WHO_WORDS if person.kind == "person" else ())],
                about=[name],
                kinds=["who", "what"]
                if person.kind == "person"
                else ["what", "where", *(["how", "how_many"] if re.search(r"\d", " ".join(person.roles)) else [])],
                # "how long has X been chief executive?", "when was X founded?": a role is not a history
                lacks=["when", "why", "how", "how_many"]
                if person.kind == "person" or not re.search(r"\d", " ".join(person.roles))
                else ["when", "why"],  # "about 38 kilometres down the valley" says how far
            )
        )
        entries[-1]["_who"] = True
    return entries


def _describe(person: Person) -> str:
    """ "Nessa Brannagh is a midwife.", "Agathe Lindqvist represents Tollbridge…", "Pieter Oduya: Health Minister."."""
    first, *rest = [person.details.get(r, r) for r in person.roles]
    if person.kind == "place" and _distance(first):
        text = f"{person.name} is {first}"
    elif first.startswith(("who ", "which ")):
        text = f"{person.name} {first.split(maxsplit=1)[1]}"
    elif first.split()[0].casefold() in {"a", "an", "the"} or first.split()[0].endswith(("’s", "'s")):
        text = f"{person.name} is {first}"
    elif person.roles[0] in person.titles and first[:1].isupper():  # "Health Minister Pieter Oduya"
        text = f"{person.name} is the {first}"
    else:
        text = (
            f"{person.name} is {first}" if first[:1].islower() else f"{person.name}: {first}"
        )  # "… is chief economist at X"
    return text + "".join(f"; {r}" for r in rest) + "."


_LEADING = frozenset("president leader chief head chairman chairwoman director executive secretary".split())


def _role_questions(role: str) -> list[str]:
    """How readers ask for the holder of a role: "who is the chief executive of the authority",
    "who runs the union" (for "the authority’s chief executive", "Union president")."""
    bare = _bare(role)
    head = _role_head(role)
    out = [f"who is the {bare}", f"who is the {head}", f"name of the {head}"]
    owner = None
    possessive = re.match(r"^(?:the\s+)?(?P<owner>[\w -]+?)[’']s\s+(?P<title>.+)$", bare)  # "the authority’s chief"
    of_owner = re.match(r"^(?P<title>.+?)\s+(?:of|at)\s+(?:the\s+)?(?P<owner>.+)$", bare)  # "chief executive of X"
    if m := possessive or of_owner:
        owner, title = m["owner"], m["title"]
        out += [f"who is the {title} of the {owner}", f"{owner} {title}"]
    elif len(bare.split()) >= 2 and bare.split()[-1].casefold() in _LEADING:  # "Union president"
        owner = " ".join(bare.split()[:-1])
    if owner and head.split()[-1] in _LEADING:
        out += [f"who runs the {owner}", f"who leads the {owner}", f"who heads the {owner}", f"{owner} leader"]
        out += [f"who is in charge of the {owner}", f"who is the boss of the {owner}"]
    if m2 := re.fullmatch(r"(?P<field>[A-Z][a-z]+(?: and [A-Z][a-z]+)?) Minister", bare):  # "Health Minister"
        field = m2["field"].casefold()
        out += [f"who is the minister for {field}", f"who is the minister in charge of {field}", f"{field} minister"]
    return out


def _bare(role: str) -> str:
    return re.sub(r"^(?:a|an|the)\s+", "", role)


def _gap_questions(what: str) -> list[str]:
    """A detail the article says is missing, asked as readers ask it: "whether its findings would be
    binding" -> "would its findings be binding"; "who would carry out the review" -> also "who will…"."""
    words = what.split()
    if words[0] == "whether":
        inverted = _invert(" ".join(words[1:]))
        main = f"{inverted[0]} {inverted[1]}" if inverted else " ".join(words[1:])
        out = [main, f"is it known whether {' '.join(words[1:])}"]
    else:
        out = [what]
    future = re.sub(r"\bwould\b", "will", out[0])
    past = re.sub(r"\b(depended|relied|rested)\b", lambda m: m[1][:-2] + "s", out[0])
    return list(dict.fromkeys([*out, future, past]))


_WHERE_NOUNS = frozenset("hotel restaurant school bank building office hospital station venue site".split())


def _which_questions(text: str, mention: re.Match[str], noun: str) -> list[str]:
    """The question a reader asks of an unnamed group or thing, in the sentence's own words: "At least
    two carriers have begun diverting vessels to Ostmere" -> "which two carriers have begun diverting
    vessels to Ostmere"; "…met the delegations at a hotel in the capital" -> "what is the name of the
    hotel where the mediator met the delegations"."""
    group = re.sub(r"^(?:a|an)\s+", "", mention.group(0).casefold())
    rest = re.split(r"[,;.]|\s+(?:after|because|while|when|but)\s+", text[mention.end() :])[0].strip()
    out = []
    if rest and (rest.split()[0].casefold() in _AUX | _PAST or _verbish(rest.split()[0])):
        out += [f"which {group} {rest}", f"who are the {group} that {rest}", f"name the {noun} that {rest}"]
    if noun in _WHERE_NOUNS and (svo := subject_verb_object(text)) is not None:
        subject, verb, obj = svo
        place = (
            f"the {noun} {rest}".strip() if rest and rest.split()[0] in {"in", "at", "near", "on"} else f"the {noun}"
        )
        out += [
            f"what is the name of {place} where {subject} {verb} {obj}".strip(),
            f"which {noun} did {subject} {_base_verb(verb.split()[-1])} {obj} at".strip(),
            f"what is the name of {place}",
        ]
    return out


_ROLE_HOLDERS = frozenset(
    """mayor director master officer chairman chairwoman chair president secretary judge governor commissioner
    spokesman spokeswoman spokesperson manager principal headteacher inspector superintendent""".split()
)


def _source_by_organisation(who: str, be: str) -> list[str]:
    """ "official at the Brennock Valley Ambulance Service" as readers shorten it: "who is the ambulance
    service official", "what is the name of the official"."""
    m = re.match(r"(?P<noun>[\w -]+?)\s+(?:at|from|of|in)\s+the\s+(?P<org>.+)$", who)
    if not m:
        return []
    noun, org = m["noun"], m["org"]
    short = " ".join(org.split()[-2:]).casefold() if len(org.split()) > 2 else ""  # "… Ambulance Service"
    out = [f"what is the name of the {noun}", f"who was the {noun} quoted", f"who {be} the {org} {noun}"]
    if short and short != org.casefold():
        out.append(f"who {be} the {short} {noun}")
    return out


def _unnamed_role_notes(claims_: list[Claim], people: dict[str, Person], taken: set[str]) -> list[dict[str, Any]]:
    """ "Who is the harbour master?": a role the article mentions ("the harbour master’s office said…")
    that no named person holds in it. Readers ask for the name; the article does not give it."""
    held = {_role_head(r) for p in people.values() for r in p.roles} | {
        _role_head(r).split()[-1] for p in people.values() for r in p.roles if _role_head(r)
    }
    notes = []
    seen: set[str] = set()
    for claim in claims_:
        text = _unquoted(claim.sentence.text)
        for m in re.finditer(
            r"\b(?:the|a|an|its|their)\s+(?P<role>(?:[a-z][\w-]*\s+)?(?P<head>[a-z]+))(?:’s|'s)?\b", text
        ):
            head, role = m["head"], m["role"]
            if head not in _ROLE_HOLDERS or role in held or head in held or role in seen:
                continue
            if re.match(r",?\s+[A-Z][a-z]+\s+[A-Z]", text[m.end() :]) or re.search(
                r"[A-Z][a-z]+\s+$", text[: m.start()]
            ):
                continue  # "the mayor, Helen Ortiz," / "Mayor Ortiz": named
            seen.add(role)
            notes.append(
                _entry(
                    _slug(f"who {role}", taken),
                    "Not in the article",
                    f"Who is the {role}?",
                    [
                        f"who is the {role}",
                        f"what is the name of the {role}",
                        f"name of the {role}",
                        f"is the {role} named",
                        *([f"who is the {role} at the {org}"] if (org := _org_of(text)) else []),
                    ],
                    f"The article does not name the {role}.",
                    [_quote(claim.sentence, claim.attribution, claim.speaker)],
                    kind="not_covered",
                    keywords=["name", "names", "who", "identity"],
                )
            )
    return notes


def _org_of(text: str) -> str:
    """The first organisation-like capitalised run of a text, if any."""
    m = re.search(
        r"\b(?:[A-Z][\w’'-]+\s){1,4}(?:" + "|".join(w.capitalize() for w in sorted(_ORG_WORDS)) + r")\b", text
    )
    return m.group() if m else ""


def _note_entries(claims_: list[Claim], taken: set[str]) -> list[dict[str, Any]]:
    notes = []
    seen: set[str] = set()
    for claim in claims_:
        text = claim.sentence.text
        quote = _quote(claim.sentence, claim.attribution, claim.speaker)
        if claim.unnamed and normalize(claim.unnamed) not in seen:
            seen.add(normalize(claim.unnamed))
            who = re.sub(r"^(?:a|an|the)\s+", "", claim.unnamed, flags=re.IGNORECASE)
            who = _sentence_case(who)
            who = re.sub(r"\s+who\s+asked not to be named$", "", who)
            plural = _plural(who)
            be = "are" if plural else "is"
            notes.append(
                _entry(
                    _slug(f"who {who}", taken),
                    "Not in the article",
                    f"Who {be} the {who}?",
                    [
                        f"who {be} the {who}",
                        f"names of the {who}",
                        f"which {who}",
                        f"what are the names of the {who}",
                        f"who {be} {who}",
                        f"name the {who}",
                        f"identify the {who}",
                        *_source_by_organisation(who, be),
                    ],
                    f"The article does not name the {who}.",
                    [quote],
                    kind="not_covered",
                    keywords=["name", "names", "identity"],
                )
            )
        for m in _GAP.finditer(text):
            for what in _WH_SPLIT.split(m["what"].strip()):  # "who would… or whether its findings…": two gaps
                if _NOT_CLEAR.search(text) and what.startswith("whether"):
                    continue  # the not-clear note below asks it
                asked = _gap_questions(what)
                notes.append(
                    _entry(
                        _slug(what, taken),
                        "Not in the article",
                        asked[0][0].upper() + asked[0][1:] + "?",
                        [*asked[1:], f"do we know {what}", f"does the article say {what}", f"tell me {what}"],
                        f"The article doesn't say {what}.",
                        [quote],
                        kind="not_covered",
                    )
                )
        if m6 := _DUE.search(_DATELINE.sub("", text)):
            subj = m6["subj"][0].lower() + m6["subj"][1:] if m6["subj"].startswith("The ") else m6["subj"]
            when = re.search(r"\b(?:on|in|by|next|later) [\w ]+?(?= to |,|$)", m6["rest"])
            asked_when = f" {when.group()}" if when else ""
            decide = re.search(r"\bto (?P<v>decide|vote on|rule on|consider) (?P<what>[^,;]+)", m6["rest"])
            outcome = [
                f"what did {subj} decide",
                f"what was decided{asked_when}",
                f"what came out of the {m6['verb']}ing of {subj}"
                if m6["verb"] == "meet"
                else f"did {subj} {m6['verb']}",
                f"what was the outcome{asked_when}",
                *(
                    [f"what did {subj} decide at its {when.group().split(maxsplit=1)[1]} meeting"]
                    if when and m6["verb"] == "meet"
                    else []
                ),
                *(
                    [f"what was decided at the {when.group().split(maxsplit=1)[1]} meeting"]
                    if when and m6["verb"] == "meet"
                    else []
                ),
                f"what happened{asked_when}",
                *([f"has {subj} decided {decide['what']}", f"did {subj} decide {decide['what']}"] if decide else []),
            ]
            notes.append(
                _entry(
                    _slug(f"outcome {subj} {m6['verb']}", taken),
                    "Not in the article",
                    f"What did {subj} decide?",
                    outcome[1:],
                    f"The article does not report an outcome: {subj} had still to {m6['verb']}{asked_when}.",
                    [quote],
                    kind="not_covered",
                    keywords=["decided", "decision", "outcome", "result"],
                )
            )
        for m5 in [*_UNNAMED_GROUP.finditer(text), *_UNNAMED_ONE.finditer(text)]:
            if claim.unnamed and m5.group(0) in claim.unnamed:
                continue  # the unnamed speaker has its note already
            group = m5.group(0).casefold()
            noun = group.split()[-1]
            if not group or normalize(group) in seen or group.split()[0] in {"both", "neither", "some", "many"}:
                continue
            seen.add(normalize(group))
            count = group.split()[0].replace(",", "")
            if count.isdigit() and int(count) > 99:  # "210,000 people" are a population, not people to name
                continue
            around = text[m5.end() : m5.end() + 60]  # "four people were arrested after a scuffle"
            detail = " ".join([w for w in _Vocabulary.words(around) if w not in normalize(group).split()][:2])
            notes.append(
                _entry(
                    _slug(f"names {group} {detail}", taken),
                    "Not in the article",
                    f"What are the names of the {re.sub(r'^(?:a|an|the) ', '', group)}?"
                    if not re.match(r"^(?:a|an) ", group)
                    else f"What is the name of the {group.split(maxsplit=1)[1]}?",
                    [
                        f"names of the {noun} {detail}",
                        f"which {noun} {detail}",
                        f"what is the name of the {noun}",
                        f"identify the {noun} {detail}",
                        f"who are the {noun} {detail}",
                        f"name the {noun}",
                        *_which_questions(text, m5, noun),
                    ],
                    f"The article does not name the {re.sub(r'^(?:a|an|the) ', '', group)}.",
                    [quote],
                    kind="not_covered",
                    keywords=["name", "names", "identity", "which"],
                )
            )
        if m2 := _NOT_PUBLIC.search(text):
            owner = m2["who"].split()[-1]
            what = re.sub(r"\b(?:its|their)\b", f"the {owner}’s", m2["what"])
            notes.append(
                _entry(
                    _slug(what, taken),
                    "Not in the article",
                    f"What is {what}?",
                    [
                        f"what is {what}",
                        f"how much does the {owner} want",
                        f"{what}",
                        f"what figure does the {owner} want",
                        f"how much is the {owner} asking for",
                        f"the {owner}'s number",
                    ],
                    f"The article doesn't give {what}: it says the {owner} has not made it public.",
                    [quote],
                    kind="not_covered",
                )
            )
        if m3 := _NOT_CLEAR.search(text):
            aux = m3["aux"]
            q = f"{aux.capitalize()} {m3['subj']} {m3['rest'].strip()}?"
            notes.append(
                _entry(
                    _slug(f"{m3['subj']} {m3['rest']}", taken),
                    "Not in the article",
                    q,
                    [
                        q.lower().rstrip("?"),
                        f"will {m3['subj']} {m3['rest']}",
                        f"is it known whether {m3['subj']} {aux} {m3['rest']}",
                        f"what will {m3['subj']} do",
                        f"{' '.join(m3['rest'].split()[:6])}",
                    ],
                    "The article says it is not clear.",
                    [quote],
                    kind="not_covered",
                )
            )
        if (m4 := _DECLINED.search(text)) and (np := _last_noun_phrase(text[: m4.start()])):
            notes.append(
                _entry(
                    _slug(f"what {np}", taken),
                    "Not in the article",
                    f"What is in the {np}?",
                    [
                        f"what is in the {np}",
                        f"details of the {np}",
                        f"what does the {np} say",
                        f"what is the {np}",
                        f"{np} details",
                    ],
                    f"The article doesn't describe the {np}: its source declined to.",
                    [quote],
                    kind="not_covered",
                )
            )
    return notes


KEYWORDS = 40  # a sentence's rarest content words counted as asked for (all of a long sentence's, in practice)


def _speaker_person(claim: Claim) -> Person | None:
    return next((p for p in claim.people if p.kind == "person" and p.name == claim.speaker), None)


def _named_in(person: Person, text: str) -> bool:
    return person.name in text or re.search(rf"(?<![\w’']){re.escape(person.short)}\b", text) is not None


def _naming_quote(claim: Claim, by_sentence: dict[tuple[int, int], Claim]) -> list[dict[str, str]]:
    """ "“…,” he said.": the sentence that names him goes with it (its whole text, verbatim), so
    "who said that?" shows who he is."""
    person = _speaker_person(claim)
    named = person.role_sentence or person.first if person else None
    if person is None or named is None or named is claim.sentence or _named_in(person, claim.sentence.text):
        return []
    out = []
    here = claim.sentence
    for index in range(here.index - 1, -1, -1):  # “Nobody came to look.”: the sentence before says “…,” Vetch said
        before = by_sentence.get((here.paragraph, index))
        if before is None or before.speaker != claim.speaker:
            break
        if _named_in(person, before.sentence.text):
            if before.sentence is not named:
                out.append(_quote(before.sentence, before.attribution, before.speaker))
            break
    source = by_sentence.get((named.paragraph, named.index))
    if source is not None:
        return [*out, _quote(named, source.attribution, source.speaker)]
    return [*out, _quote(named, "the article", "The article")]


def _named_answer(claim: Claim) -> str:
    """The short answer, saying who speaks where the sentence has only "he said"."""
    answer = short_answer(claim)
    person = _speaker_person(claim)
    if person is None or _named_in(person, answer):
        return answer
    said = re.sub(
        rf"(”,?\s+|,\s+)(?:he|she|they)\s+({_SPEECH})\b", lambda m: f"{m[1]}{person.short} {m[2]}", answer, count=1
    )
    if said == answer:  # "He said agency midwives…" -> "Varga said agency midwives…"
        said = re.sub(
            rf"^(?:He|She|They)\s+({_SPEECH}|declined|refused)\b", lambda m: f"{person.short} {m[1]}", answer, count=1
        )
    return said if said != answer else f"{person.name}: {answer}"


_ASKABLE = ("who", "when", "where", "why", "how_many")


def _lacks(claim: Claim) -> list[str]:
    """The question kinds a sentence cannot answer: a "how many" put to a sentence with no number
    is a question about a detail the article does not give, not a reason to show this sentence."""
    kinds = _kinds(claim)
    lacks = [k for k in _ASKABLE if k not in kinds]
    for gap in _GAP.finditer(claim.sentence.text):  # "Varga declined to say how much…": it does not say
        word = gap["what"].split()[0].casefold()
        asked = "how_many" if re.match(r"how (?:much|many)\b", gap["what"]) else word
        if asked in _ASKABLE and asked not in lacks:
            lacks.append(asked)
    if (
        claim.speech == "article"
        and _UNNAMED_GROUP.search(claim.sentence.text)
        and not any(p.kind == "person" for p in claim.people)  # a named speaker is a "who"
    ):
        lacks.append("who")
    return lacks


def _claim_entries(claims_: list[Claim], vocab: _Vocabulary, taken: set[str]) -> list[dict[str, Any]]:
    entries = []
    by_sentence = {(c.sentence.paragraph, c.sentence.index): c for c in claims_}
    for claim in claims_:
        sentence = claim.sentence
        if len(sentence.text.split()) < (3 if claim.speech == "quote" else 5):  # “Nobody came to look.” is a quote
            continue
        key = vocab.key(_DATELINE.sub("", sentence.text), 4, claim.speaker.split())
        names = [p.name for p in claim.people]
        previous = by_sentence.get((sentence.paragraph, sentence.index - 1))
        if previous is not None and re.match(r"(?:It|Its|They|Their|He|His|She|Her)\b", sentence.text):
            # "Its report described a crack…": whose report the sentence before says
            names += [p.name for p in previous.people if p.kind in ("org", "person") and p.name not in names]
        lacks = _lacks(claim)
        reason = by_sentence.get((sentence.paragraph, sentence.index + 1))
        explained = (
            claim.speech == "reported"
            and reason is not None
            and reason.speech == "quote"
            and reason.speaker == claim.speaker
        )  # "Renwick said a single unit would be safer. “The mothers we have to plan for…,” he said.": his why
        if explained and reason is not None:
            lacks = [k for k in lacks if k != "why"]
        # a phrasing asking what the sentence lacks would undo the lack ("how many marks did Varga decline")
        phrasings = [p for p in claim_phrasings(claim, vocab) if question_kind(normalize(p)) not in lacks]
        entries.append(
            _entry(
                _slug(" ".join(key), taken),
                f"Paragraph {sentence.paragraph}",
                claim_question(claim),
                phrasings,
                _named_answer(claim),
                [
                    _quote(sentence, claim.attribution, claim.speaker),
                    *_naming_quote(claim, by_sentence),
                    *([_quote(reason.sentence, reason.attribution, reason.speaker)] if explained and reason else []),
                ],
                keywords=[
                    *names,
                    *(c for _, c in _counted(sentence.text) if c),
                    *vocab.key(sentence.text, KEYWORDS),
                    *_everyday_words(sentence.text),
                    *(w for p in claim.people[:1] if p.name == claim.speaker for w in _colloquial(p)),
                ],
                about=names,
                kinds=[k for k in [*_kinds(claim), *(["why"] if explained else [])] if k not in lacks],
                lacks=lacks,
            )
        )
        entries[-1]["_sentence"] = (sentence.paragraph, sentence.index)
    return entries


_WHO_WORDS = ("job", "role", "title", "position", "name", "who")


def _colloquial(person: Person) -> tuple[str, ...]:
    """How readers refer to a person in passing ("the union guy", "the mediator lady"), by the
    gender the article's pronouns give them."""
    if person.kind != "person":
        return ()
    words = {"m": ("guy", "man"), "f": ("lady", "woman")}.get(person.gender, ("person", "guy"))
    leads = {w for r in person.roles for w in r.casefold().split()} & (_LEADING | {"manager", "officer", "director"})
    return (*words, "boss") if leads else words  # "the rail company boss" for its chief operating officer


def _everyday_words(text: str) -> list[str]:
    """The everyday words for a sentence's own (thesaurus groups it uses, in the group's sense), as
    its entry's keywords: a reader asking about "the watchdog" reaches the sentence about "the regulator"."""
    from bot import thesaurus

    folded = f" {normalize(text)} "
    out: list[str] = []
    for group in thesaurus.GROUPS:
        if f" {normalize(group[0])} " not in folded:  # the group's own word: "new" alone is not "revised"
            continue
        sense = thesaurus.SENSES.get(group)
        if sense is not None and not re.search(sense, text):
            continue
        out += [w for w in group if f" {normalize(w)} " not in folded]
    return list(dict.fromkeys(out))


def synonyms_for(paragraphs: Sequence[str], title: str) -> dict[str, list[str]]:
    """The thesaurus groups this article can use: keyed by the one word of a group it uses, with
    the variants it never uses (nor anything they stem to). A group with a sense pattern
    (``thesaurus.SENSES``) is used only where the article's text matches it: "fight the commission"
    proposes no "brawl"."""
    from bot import curation, thesaurus
    from bot.text import english_stem

    raw = " ".join([title, *paragraphs])
    text = " " + normalize(raw) + " "
    words = set(text.split())
    stems = {english_stem(w) for w in words}

    def used(phrase: str) -> bool:
        folded = normalize(phrase)
        if " " in folded:
            return f" {folded} " in text
        return folded in words or english_stem(folded) in stems

    def literal(phrase: str) -> bool:  # the key itself, as the article writes it ("meet" is not "meeting")
        return f" {normalize(phrase)} " in text

    table: dict[str, list[str]] = {}
    taken: set[str] = set()
    for group in thesaurus.GROUPS:
        present = [w for w in group if used(w)]
        if not present or not literal(present[0]):
            continue
        sense = thesaurus.SENSES.get(group)
        if sense is not None and not re.search(sense, raw):
            continue
        key = normalize(present[0])
        variants = [v for v in group if not used(v) and normalize(v) not in taken and normalize(v) != key]
        if variants:
            table.setdefault(key, [])
            table[key] += [v for v in variants if v not in table[key]]
            taken.update(normalize(v) for v in variants)
    # never a variant that check would flag as an ordinary word turned into another
    probe = curation.synonym_variant_problems(table)
    return {
        k: [v for v in vs if (k, v) not in probe] for k, vs in table.items() if any((k, v) not in probe for v in vs)
    }


# ---------------------------------------------------------------------------
# Pruning: the draft must pass `check`


def _link(entries: list[dict[str, Any]]) -> None:
    """Related: the next and previous sentence of the same paragraph, and who-is entries of the people named."""
    by_sentence = {e["_sentence"]: e["id"] for e in entries if "_sentence" in e}
    who = {name: e["id"] for e in entries if e.get("_who") for name in e.get("about", [])}
    ids = {e["id"] for e in entries}
    for entry in entries:
        related: list[str] = []
        if "_sentence" in entry:
            p, i = entry["_sentence"]
            same = sorted((k for k in by_sentence if k[0] == p and k != (p, i)), key=lambda k: abs(k[1] - i))
            related += [by_sentence[k] for k in [*same, (p + 1, 0)] if k in by_sentence]
        related += [who[n] for n in entry.get("about", []) if n in who]
        if entry.get("_who"):  # a person's entry points to what they said or did: no rival to it
            related += [e["id"] for e in entries if "_sentence" in e and set(entry["about"]) & set(e.get("about", []))]
        entry["related"] = [r for r in dict.fromkeys(related) if r != entry["id"] and r in ids][:6]


def _dedupe(entries: list[dict[str, Any]]) -> None:
    """Drop a phrasing near-identical to another entry's (``lint`` would flag both)."""
    owners: list[tuple[int, str]] = []
    for n, entry in enumerate(entries):
        keep = []
        for text in [entry["question"], *entry["phrasings"]]:
            folded = normalize(text)
            hit = process.extractOne(folded, [t for _, t in owners], scorer=fuzz.ratio, score_cutoff=NEAR_IDENTICAL - 1)
            if hit is not None and owners[hit[2]][0] != n:
                continue
            owners.append((n, folded))
            keep.append(text)
        entry["phrasings"] = [p for p in keep if p != entry["question"]]


def _strip(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in e.items() if not k.startswith("_")} for e in entries]


def prune(data: dict[str, Any], rounds: int = 6) -> tuple[dict[str, Any], list[str]]:
    """Keep only phrasings that reach their own entry; drop entries left with too few or whose
    question misses. Repeated, since dropping a phrasing changes what the others reach."""
    dropped: list[str] = []
    for _ in range(rounds):
        kb, problems = knowledge.parse({**data, "entries": _strip(data["entries"])}, "draft")
        if kb is None:
            raise ValueError("; ".join(map(str, problems[:3])))
        matcher = Matcher(kb)
        changed = False
        keep = []
        for raw, entry in zip(data["entries"], kb.entries, strict=True):
            good = [p for p in entry.phrasings if matcher.match(p).entry is entry]
            if len(good) != len(entry.phrasings):
                changed = True
                raw["phrasings"] = good
            if matcher.match(entry.question).entry is not entry and len(good) > MIN_PHRASINGS:
                # the question itself misses: a phrasing that reaches the entry takes its place
                # (the one saying most in at most 12 words: "Who said nobody came to look?", not
                # "What happened with nobody?")
                best = max(good, key=lambda p: (len(p.split()) <= 12, len(_Vocabulary.words(p)), -good.index(p)))
                raw["question"] = best[0].upper() + best[1:] + "?"
                raw["phrasings"] = [p for p in good if p is not best]
                changed = True
            if len(raw["phrasings"]) < MIN_PHRASINGS or (matcher.match(entry.question).entry is not entry and not good):
                dropped.append(entry.id)
                changed = True
                continue
            keep.append(raw)
        data["entries"] = keep
        ids = {e["id"] for e in keep}
        for e in keep:
            e["related"] = [r for r in e["related"] if r in ids]
        data["starters"] = [s for s in data.get("starters", []) if s in ids]
        if not changed:
            break
    return data, dropped


def _final_check(data: dict[str, Any]) -> list[str]:
    from bot import curation
    from bot.matcher import lint

    kb, problems = knowledge.parse(data, "draft")
    if kb is None:
        return [str(p) for p in problems]
    matcher = Matcher(kb)
    return [str(p) for p in [*lint(kb, matcher), *curation.check(data, kb, matcher)]]


def _fix_lint(data: dict[str, Any], rounds: int = 4) -> list[str]:
    """Whatever `check` still reports after pruning: drop the phrasings it names, or the entry."""
    problems: list[str] = []
    for _ in range(rounds):
        problems = _final_check(data)
        if not problems:
            return []
        named = re.compile(
            r"entry '([^']+)': field '(phrasings(?:\[(\d+)\])?|question)': (?:'(.*?)' is near-identical)?"
        )
        by_id = {e["id"]: e for e in data["entries"]}
        for line in problems:
            m = named.search(line)
            if not m or m[1] not in by_id:
                continue
            entry = by_id[m[1]]
            if m[3] is not None and int(m[3]) < len(entry["phrasings"]):
                entry["phrasings"][int(m[3])] = ""
            elif m[4]:
                entry["phrasings"] = [p for p in entry["phrasings"] if normalize(p) != m[4]]
            elif m[2] == "question":
                entry["_drop"] = True
        for entry in data["entries"]:
            entry["phrasings"] = [p for p in entry["phrasings"] if p]
        data["entries"] = [e for e in data["entries"] if not e.get("_drop") and len(e["phrasings"]) >= MIN_PHRASINGS]
        ids = {e["id"] for e in data["entries"]}
        for e in data["entries"]:
            e["related"] = [r for r in e["related"] if r in ids]
        data["starters"] = [s for s in data["starters"] if s in ids]
    return problems


# ---------------------------------------------------------------------------
# The draft


def draft(page: Page, *, title: str | None = None, date: str | None = None, section: str | None = None) -> Draft:
    """A knowledge base for the page, and a report of what was guessed (for stderr)."""
    report = list(page.notes)
    title = title or page.title
    if not title:
        raise ValueError("no title found on the page: pass --title")
    if date:
        date_value = dt.date.fromisoformat(date)
    elif page.date:
        date_value = page.date
    else:
        raise ValueError("no date found on the page: pass --date YYYY-MM-DD")
    section = section or page.section
    if not section:
        section = "News"
        report.append("no section found: using 'News' (pass --section)")
    if not page.paragraphs:
        raise ValueError("no article body found on the page")
    date_line = (
        page.date_line
        if page.date_line and page.date == date_value
        else f"{date_value:%B} {date_value.day}, {date_value.year}"
    )
    header = list(dict.fromkeys([*page.header, title, section, date_line]))
    all_sentences = sentences(page.paragraphs)
    people = find_people(all_sentences)
    claims_ = claims(all_sentences, people)
    vocab = _Vocabulary(s.text for s in all_sentences)
    taken = {"overview", "headline", "publish-date", "section", "author"}
    lead = all_sentences[0] if all_sentences else None
    entries = [
        *_article_entries(page, title, section, date_line, lead),
        *_claim_entries(claims_, vocab, taken),
        *_who_entries(people, taken),
        *_note_entries(claims_, taken),
        *_unnamed_role_notes(claims_, people, taken),
    ]
    _dedupe(entries)
    entries = [e for e in entries if len(e["phrasings"]) >= MIN_PHRASINGS]  # too alike to tell apart
    _link(entries)
    source_note = (
        f"The page credits {page.author}." if page.author else "The page names no outlet and no author"
    ) + f"; it carries the title, the section ({section}) and the date ({date_line})."
    data: dict[str, Any] = {
        "$schema": SCHEMA_REF,
        "article": {
            "title": title,
            "date": date_value.isoformat(),
            "section": section,
            "source_note": source_note,
            "header": header,
            "paragraphs": page.paragraphs,
        },
        "starters": [e["id"] for e in entries[:1]] + [e["id"] for e in entries if "_sentence" in e][:2],
        "synonyms": synonyms_for(page.paragraphs, title),
        "entries": entries,
    }
    data, dropped = prune(data)
    data["entries"] = _strip(data["entries"])
    left = _fix_lint(data)
    speakers = Counter(c.speech for c in claims_)
    report.append(
        f"body: {len(page.paragraphs)} paragraphs, {len(all_sentences)} sentences; "
        f"{speakers['quote']} quoted, {speakers['reported']} reported, {speakers['article']} in the article's own voice"
    )
    for claim in claims_:
        if claim.speech != "article":
            report.append(f"  ¶{claim.sentence.paragraph}: {claim.attribution}{' (unnamed)' if claim.unnamed else ''}")
    named = [f"{p.name} ({p.kind}{': ' + p.roles[0] if p.roles else ''})" for p in people.values()]
    report.append(f"named: {', '.join(named) or 'nobody'}")
    kinds = Counter(e.get("kind", "answer") for e in data["entries"])
    report.append(
        f"entries: {kinds['answer']} answers, {kinds['not_covered']} not-covered notes, "
        f"{sum(len(e['phrasings']) for e in data['entries'])} phrasings"
        + (f"; dropped (no phrasing reached them): {', '.join(dropped)}" if dropped else "")
    )
    if left:
        report.append(f"check still reports {len(left)} problem(s): {left[0]}")
    return Draft(data, report)
