"""Who says each sentence: quoted and reported speech, "he/she said" resolved to a person named
before it, unnamed sources ("two US officials"), or the article's own voice.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.draft.names import _DATELINE, _SPEECH, _SPEECH_RE, Person, _role_head
from bot.draft.words import EN
from bot.page import Sentence
from bot.text import ENGLISH


@dataclass(slots=True)
class Claim:
    """One article sentence with who it is attributed to and how (quoted, reported or the article's own)."""

    sentence: Sentence
    speaker: str  # as /speakers groups it
    attribution: str  # as shown under the quote
    speech: str  # quote | reported | article
    unnamed: str | None = None  # an unnamed source ("two US officials")
    people: list[Person] = field(default_factory=list)


_PRONOUN_RE = re.compile(r"\b(?:he|him|his|himself|she|her|hers|herself)\b", re.IGNORECASE)


def _gender_of(pronoun: str) -> str:
    low = pronoun.casefold().rstrip(".")
    return "m" if low in EN.male_words else "f" if low in EN.female_words else ""


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
    if who.casefold() in EN.pronouns:
        return ctx.pronoun(who, named_before) if ctx is not None else None
    for person in people.values():
        if person.kind == "person" and (person.name in who or who == person.short or who.endswith(person.short)):
            return person
    if ctx is not None and (m := re.fullmatch(r"(?:[Tt]he|[Ii]ts|[Tt]heir)\s+(?P<role>[a-z][\w’' -]+)", who)):
        # "the chief executive said": the nearest person the article gave that role
        role = m["role"].casefold()

        def holds(person: Person) -> bool:
            return any(role in {_role_head(r), *_role_head(r).split()[-1:]} for r in person.roles)

        for _, person in reversed([*ctx.earlier, *((ctx.paragraph, p) for p in named_before)]):
            if holds(person):
                return person
        later = [p for p in people.values() if p.kind == "person" and holds(p)]
        if len(later) == 1:  # "…, its director said." before the director is named: the only one
            return later[0]
    return None


def _clean_who(who: str) -> str:
    words = [w for w in who.strip(" ,").split() if w.casefold() not in EN.speech_adverbs]
    while words and words[0].casefold() in {"and", "but", "while", "as", "with"}:
        words.pop(0)
    return " ".join(words)


def _is_unnamed(who: str) -> bool:
    """ "two US officials", "a port official who asked not to be named": a source with no name
    (the caller has already tried to resolve the phrase to a named person)."""
    words = [w.casefold().strip(",") for w in who.split()]
    return bool(words) and any(w in EN.source_nouns for w in words) and words[0] not in {"he", "she", "they"}


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
            if who and who[0].isupper() and who.casefold() not in EN.pronouns and len(who.split()) <= 6:
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
        if person is not None and (n == 0 or person.short in who or who.casefold() in EN.pronouns or subordinate):
            return claim(person, speech_kind)
        org = _org(who, people)
        orgs_before = [
            *(ctx.previous.people if ctx.previous is not None else []),
            *sorted(
                (p for p in people.values() if p.kind == "org" and p.name in text[: offsets[n]]),
                key=lambda p: text.rfind(p.name, 0, offsets[n]),
            ),
        ]
        if org is None and (same := _same_org(who, orgs_before)):
            # "Skerrow Air has grounded…, the regional airline said", "The company said…" after it is named
            return Claim(sentence, same.name, f"{same.name}, as reported", "reported", None, [same])
        if _is_unnamed(who) or ((n == 0 or org) and who[0].isupper() | bool(org) and len(who.split()) <= 6):
            if org is not None and re.match(rf"(?:[Tt]he\s+)?{re.escape(org.name)},", who):
                who = org.name  # "Westmark Aggregates, which runs the quarry, said": the organisation, not its aside
            speaker = who[0].upper() + who[1:]
            unnamed = who if _is_unnamed(who) else None  # "an official at the Ambulance Service" has no name
            shown = who[0].lower() + who[1:] if _common_words(who) else who  # "the regional airline"; a name stays
            if (other := _second_speaker(text[offsets[n] + said.end() :])) and other.casefold() not in shown.casefold():
                shown = f"{shown} and {other}"  # "Shopkeepers said…, and the town’s school said…": both, not one
            return Claim(sentence, speaker, f"{shown}, as reported", "reported", unnamed)
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
        at = m.start("who")
        here = [p for p in people.values() if p.kind == "org" and p.name in text[:at]]
        if same := _same_org(who, sorted(here, key=lambda p: text.rfind(p.name, 0, at))):
            return Claim(sentence, same.name, f"{same.name}, as reported", "reported", None, [same])
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


def _common_words(phrase: str) -> bool:
    """Whether a phrase's capital is only the sentence's: "The regional airline", "Shipping industry
    sources", "Two officials"; not "Skerrow Air" (no dictionary word) or "Norvane Regional Rail"."""
    words = phrase.split()
    first = words[0].casefold()
    if len(words) > 1 and words[1][:1].isupper() and first not in {"the", "a", "an", "its", "their"}:
        return False
    return first in ENGLISH.stopwords or first in EN.number_words or ENGLISH.is_word(first)


# what an article calls an organisation it has named: "the company", "the regional airline", "the carrier"
_ORG_NOUNS = EN.org_words | {"carrier", "firm", "manufacturer", "maker", "operator", "owner", "insurer", "lender"}


def _same_org(who: str, named: Sequence[Person]) -> Person | None:
    """ "the company", "the regional airline": the organisation named last before it in the paragraph."""
    m = re.fullmatch(r"(?:[Tt]he|[Ii]ts)\s+(?:[a-z]+\s+)?(?P<noun>[a-z]+)", who)
    if not m or m["noun"] not in _ORG_NOUNS:
        return None
    return next((p for p in reversed(named) if p.kind == "org"), None)


def _second_speaker(rest: str) -> str | None:
    """Who speaks in a second clause of a sentence ("…, and the town’s secondary school said about 300 of
    its pupils…"): a sentence that reports two sources is credited to both."""
    m = re.search(
        rf",\s+(?:and|while|but)\s+(?P<who>(?:the|a|an|its|their)\s+[\w’'-]+(?:\s+[\w’'-]+){{0,4}}?|"
        rf"[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){{0,3}})\s+(?:{_SPEECH})\b",
        rest,
    )
    return m["who"] if m else None


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


def _speaker_person(claim: Claim) -> Person | None:
    return next((p for p in claim.people if p.kind == "person" and p.name == claim.speaker), None)


def _named_in(person: Person, text: str) -> bool:
    return person.name in text or re.search(rf"(?<![\w’']){re.escape(person.short)}\b", text) is not None
