"""Who and what the article names: capitalised runs read as people, organisations, places and laws,
with the roles the article gives them ("Union president Dara Quillan", "…, a midwife who…").
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.draft.words import EN
from bot.page import Sentence
from bot.text import ENGLISH

_WORD = re.compile(r"[A-Za-z][\w’'-]*|\d[\d,.]*\d[a-z]*|\d[a-z]*")


_SPEECH = "|".join(EN.speech_verbs)  # a regular expression's alternation


_SPEECH_RE = re.compile(rf"\b(?:{_SPEECH})\b")


_DATELINE = re.compile(r"^[A-Z][A-Z .’'-]+,\s+[A-Z][\w]+\s+[—–-]\s+")


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
    age: str = ""  # the age the article gives ("Sofie Lindqvist, 29,")

    @property
    def label(self) -> str:
        """How an attribution names them: "Mayor Tomas Reyna", "Simon Achterberg, the authority’s chief executive"."""
        role = self.roles[0] if self.roles else ""
        if not role or self.kind != "person":
            return self.name
        return f"{role} {self.name}" if role in self.titles else f"{self.name}, {role}"


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
                if _is_cap(w) or (w.casefold() in EN.particles and j + 1 < len(toks) and _is_cap(toks[j + 1].group())):
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
            if between.strip() in ("of", "and", "of the", "for") and any(w.casefold() in EN.org_words for w in joined):
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
        rest[0].casefold() in EN.titles or rest[0].isupper() or _nationality(rest[0]) or rest[0].casefold() == "the"
    ):
        titles.append(rest.pop(0))
    last_title = max((n for n, w in enumerate(rest[:-2]) if w.casefold() in EN.titles), default=-1)
    if last_title >= 0 and all(_is_cap(w) for w in rest[: last_title + 1]):  # "Infrastructure Minister Hanne Korr"
        titles += rest[: last_title + 1]
        rest = rest[last_title + 1 :]
    rest_folded = [_base(w).casefold() for w in rest]
    plain_name = not any(w in EN.org_words | EN.place_words | EN.law_words for w in rest_folded)
    if titles[:1] == ["The"] and len(rest) >= 2 and plain_name:
        # "The Mineral Resources Regulator": nobody's name opens with "The"; a body (a place if it says so)
        return ("place" if rest_folded[-1] in EN.place_words else "org"), [], rest
    if titles and len(rest) >= 2 and plain_name:  # "CIA Director Bill Burns", "Mayor Tomas Reyna"
        return "name", titles, rest
    if folded[-1] in EN.law_words and len(words) >= 2:
        return "law", [], words
    if len(words) >= 2 and (
        folded[-1] in EN.org_words or ("of" in folded and folded[folded.index("of") - 1] in EN.org_words)
    ):
        return "org", [], words
    if folded[-1] in EN.place_words or folded[0] in EN.place_words:
        return "place", [], words
    if any(w in EN.org_words for w in folded) and len(words) >= 2:
        return "org", [], words
    return "name", titles, rest


def _nationality(word: str) -> bool:
    """ "Israeli", "Qatari", "Caldrian", "American": an adjective before a title, not a first name."""
    return bool(re.fullmatch(r"[A-Z][a-z]{3,}(?:ian|ean|ican|nese|ish)|[A-Z][a-z]{4,}i", word))


# "residents of Low Moor", "the quarry at Low Moor": a capitalised run after these is a place or a thing
_PLACE_BEFORE = re.compile(r"\b(?:of|in|at|near|outside|across|around|into|from)\s+$")


_APPOSED = r"(?:[^,.;“”()]|(?<=\d)[,.](?=\d))"  # an appositive's characters: "19,000" does not end it


# ", 29," after a name: its age, which only a person has
_AGE_AFTER = re.compile(r",\s+(?:aged\s+)?(\d{1,3})(?=,)")


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
    lowercase_ok = first in EN.role_words or first in EN.role_modifiers or first in {"about", "some", "roughly"}
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
            and lw not in EN.past_forms | EN.auxiliaries
            and role[-1].casefold() in EN.role_words
        )  # "regional assembly member Agathe Lindqvist"
        capital = bool(role) and _is_cap(w) and lw not in {"the", "a", "an"} and not modified
        if lw in EN.role_words or lw in EN.role_modifiers or modifier or capital:
            role.insert(0, w)
            words.pop()
            modified = modified or modifier
        else:
            break
    if not role or not any(w.casefold() in EN.role_words for w in role):
        return None
    return " ".join(role)


def _apposed_noun_before(text: str, start: int) -> str | None:
    """ "The mediator, retired labour court judge Eleanor Voss": the noun before the comma."""
    m = re.search(r"(?:^|\s)(?:The|the)\s+(?P<noun>[a-z]+(?:\s[a-z]+)?),\s+[^,]*$", text[:start])
    return m["noun"] if m and m["noun"].split()[-1] in EN.role_words | {"mediator"} else None


def find_people(all_sentences: Sequence[Sentence]) -> dict[str, Person]:
    """Named people, organisations, places and laws, by name, with the roles the article gives them."""
    found: dict[str, Person] = {}
    unnamed: set[str] = set()  # names read somewhere as no person's: "St Edra", "the Keep St Edra"
    singles = Counter(_base(t.group()) for s in all_sentences for t in _tokens(s.text) if _is_cap(t.group()))
    for sentence in all_sentences:
        text = _DATELINE.sub(lambda m: " " * len(m.group()), sentence.text)
        for start, end, words in _runs(text):
            kind, titles, name_words = _classify(words)
            if kind == "name":
                if len(name_words) < 2:
                    continue
                if name_words[0].casefold() in ENGLISH.stopwords and re.search(r"(?:^|[.!?“”]\s*)$", text[:start]):
                    continue  # "In January, on the valley road…" inside a quote: a sentence's first word
                # "Dr", "Ms": how a person is addressed, no role ("Petra Ansell is the Dr")
                title_text = " ".join(t for t in titles if t.casefold().rstrip(".") not in EN.honorifics)
                name_start = start + (text[start:].find(name_words[0]) if titles else 0)
                role_before = _role_before(text, name_start)
                aged = _AGE_AFTER.match(text, end)  # "Sofie Lindqvist, 29, who is expecting…": a person's age
                after = _appositive_after(text, aged.end() if aged else end)
                surname = _surname(name_words)
                speaks = bool(
                    (re.match(rf"\s+(?:{_SPEECH})\b", text[end:]) and not _PLACE_BEFORE.search(text[:start]))
                    or re.search(rf"\b(?:{_SPEECH})\s+$", text[:start])
                )  # "said Nessa Brannagh", "Nessa Brannagh told"; not "Residents of Low Moor said"
                person_like = bool(titles or role_before or after or speaks or aged) or singles[surname] > 1
                if not person_like:
                    continue
                if not (titles or role_before or after or speaks) and _PLACE_BEFORE.search(text[:start]):
                    # only named again, never titled, described or speaking, and here "at/of/in Low Moor":
                    # a place or a thing, no person
                    continue
                if not (titles or role_before or after or aged) and _not_a_persons_name(text, start, name_words):
                    unnamed.add(" ".join(_base(w) for w in name_words))
                    continue
                if after and after.split()[0] == "which":  # "…, which runs the quarry": a thing, not a person
                    kind = "org"
                    thing = found.setdefault(" ".join(name_words), Person(" ".join(name_words), kind, first=sentence))
                    thing.short = thing.short or thing.name
                    if after not in thing.roles:
                        thing.roles.append(after)
                        thing.role_sentence = thing.role_sentence or sentence
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
                if aged and not person.age:
                    person.age = aged[1]
                    person.role_sentence = person.role_sentence or sentence
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
            if m["role"].split()[-1] in EN.role_words:
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
            if word.casefold() in EN.time_words or word.casefold() in ENGLISH.stopwords:
                continue
            role = _appositive_after(sentence.text, tok.end())
            if role and not any(word in p.name.split() for p in found.values()):
                found[word] = Person(word, "place", [role], sentence, sentence, word)
    for name in unnamed:
        held = found.get(name)
        if held is not None and held.kind == "person" and not held.roles + held.titles:
            del found[name]  # "St Edra’s delivered 1,180 babies": the hospital named at first, no person
    return _merge_short_forms(found)


# "St Edra’s", "Saint Brigid": a saint's name is a church's, a hospital's or a place's, not a person's
_SAINT = {"st", "st.", "saint"}


def _not_a_persons_name(text: str, start: int, words: list[str]) -> bool:
    """Whether a capitalised run reads as no person's name where it stands: after "the/a/an" ("the Keep
    St Edra’s Births campaign"), a saint's ("St Edra’s"), or the start of a longer organisation's or
    place's name in the same sentence ("Mill Lane" of "Mill Lane Primary School")."""
    if re.search(r"\b(?:the|a|an)\s+$", text[:start]) or words[0].casefold() in _SAINT:
        return True
    name = " ".join(_base(w) for w in words)
    bodies = "|".join(w.capitalize() for w in sorted(EN.org_words | EN.place_words))
    return re.search(rf"\b{re.escape(name)}(?:’s|'s)?\s+(?:[A-Z][\w’'-]+\s+){{0,3}}?(?:{bodies})\b", text) is not None


def _merge_short_forms(found: dict[str, Person]) -> dict[str, Person]:
    """ "Kestridge General" after "Kestridge General Hospital": the organisation's short form, not a
    place of its own, nor a person ("General" is also a title) unless the article says what they are."""
    for name, entry in list(found.items()):
        if entry.kind == "person" and (entry.roles or entry.titles or entry.age):
            continue  # "Brannock General will add six beds" after "Brannock General Hospital": no person
        longer = next(
            (
                p
                for p in found.values()
                if p is not entry
                and p.kind == "org"
                and p.name.startswith(name + " ")
                and p.name[len(name) + 1 :].casefold() in EN.org_words  # "… Hospital", not "… Health Trust"
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
        if w.casefold() in EN.particles:
            return " ".join(_base(x) for x in words[n:])
    return _base(words[-1])


def _role_head(role: str) -> str:
    """The noun a reader would use for a role: "the authority’s chief executive" -> "chief executive"."""
    role = re.split(r"\s+(?:at|of|for|in|from|with)\s+", role)[0]
    words = [w for w in role.split() if w.casefold() not in {"a", "an", "the"} and not w.endswith(("’s", "'s"))]
    return " ".join(words[-2:]).casefold()
