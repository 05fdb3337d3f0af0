""" "Not in the article" notes where the text itself says a detail is missing: an unnamed source or
group, a role nobody named holds, "did not say who…", an outcome still to come.
"""

from __future__ import annotations

import re
from typing import Any

from bot.draft.attribution import Claim, _unquoted
from bot.draft.grammar import (
    _invert,
    _last_noun_phrase,
    _plural,
    _sentence_case,
    _verbish,
    _Vocabulary,
    base_verb,
    subject_verb_object,
)
from bot.draft.names import _DATELINE, Person, _role_head
from bot.draft.record import _note, _quote, _slug
from bot.draft.words import EN
from bot.matcher import normalize
from bot.text import english_stem

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


# "at least two carriers", "four people", "neither company", "other airlines": people or firms it does not name
_UNNAMED_GROUP = re.compile(
    r"(?<![\d,.])\b(?:\d[\d,]*|two|three|four|five|six|several|some|many|neither|both|other)\s+(?:\w+\s+)?"
    rf"(?:{'|'.join(sorted(EN.unnamed_group_nouns))})\b",
    re.IGNORECASE,
)


# "a hotel in the capital", "a security guard", "a charter operator": one thing the sentence does not name
_UNNAMED_ONE = re.compile(rf"\ba (?:\w+ )?(?:{'|'.join(sorted(EN.unnamed_one_nouns))})\b", re.IGNORECASE)


_DECLINED = re.compile(r", but declined to (?:describe|detail|discuss) it")


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


def _which_questions(text: str, mention: re.Match[str], noun: str) -> list[str]:
    """The question a reader asks of an unnamed group or thing, in the sentence's own words: "At least
    two carriers have begun diverting vessels to Ostmere" -> "which two carriers have begun diverting
    vessels to Ostmere"; "…met the delegations at a hotel in the capital" -> "what is the name of the
    hotel where the mediator met the delegations"."""
    group = re.sub(r"^(?:a|an)\s+", "", mention.group(0).casefold())
    rest = re.split(r"[,;.]|\s+(?:after|because|while|when|but)\s+", text[mention.end() :])[0].strip()
    out = []
    if rest and (rest.split()[0].casefold() in EN.auxiliaries | EN.past_forms or _verbish(rest.split()[0])):
        out += [f"which {group} {rest}", f"who are the {group} that {rest}", f"name the {noun} that {rest}"]
    if noun in EN.where_nouns and (svo := subject_verb_object(text)) is not None:
        subject, verb, obj = svo
        place = (
            f"the {noun} {rest}".strip() if rest and rest.split()[0] in {"in", "at", "near", "on"} else f"the {noun}"
        )
        out += [
            f"what is the name of {place} where {subject} {verb} {obj}".strip(),
            f"which {noun} did {subject} {base_verb(verb.split()[-1])} {obj} at".strip(),
            f"what is the name of {place}",
        ]
    return out


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
    article = " ".join(c.sentence.text for c in claims_)
    for claim in claims_:
        text = _unquoted(claim.sentence.text)
        for m in re.finditer(
            r"\b(?:the|a|an|its|their)\s+(?P<role>(?:[a-z][\w-]*\s+)?(?P<head>[a-z]+))(?:’s|'s)?\b", text
        ):
            head, role = m["head"], m["role"]
            if head not in EN.role_holders or role in held or head in held or role in seen:
                continue
            if re.match(r",?\s+[A-Z][a-z]+\s+[A-Z]", text[m.end() :]) or re.search(
                r"[A-Z][a-z]+\s+$", text[: m.start()]
            ):
                continue  # "the mayor, Helen Ortiz," / "Mayor Ortiz": named
            if _named_elsewhere(role, article):
                continue  # "the harbour master, Ines Duarte," in another paragraph: the article gives the name
            seen.add(role)
            notes.append(
                _note(
                    _slug(f"who {role}", taken),
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
                    keywords=list(EN.role_name_keywords),
                )
            )
    return notes


def _named_elsewhere(noun: str, article: str) -> bool:
    """Whether the article names who or what ``noun`` is somewhere: "the contractor, Bramwell Ltd,",
    "the harbour master, Ines Duarte", "Harbour Master Ines Duarte", "Bramwell Contractors"."""
    words = noun.split()
    apposed = rf"\b(?:[Tt]he|[Ii]ts|[Tt]heir)\s+{re.escape(noun)},\s+[A-Z][\w’'-]+(?:\s+[A-Z&][\w’'-]*)+"
    titled = r"\b" + r"\s+".join(re.escape(w.capitalize()) for w in words) + r"\s+[A-Z][a-z]+\s+[A-Z][a-z]+"
    plural = re.escape(words[-1].capitalize()) + "s?"
    in_a_name = rf"\b[A-Z][\w’'-]+\s+(?:[A-Z][\w’'-]+\s+)?{plural}\b"
    return any(re.search(p, article) for p in (apposed, titled)) or (
        len(words) == 1 and re.search(in_a_name, article) is not None
    )


def _org_of(text: str) -> str:
    """The first organisation-like capitalised run of a text, if any."""
    m = re.search(
        r"\b(?:[A-Z][\w’'-]+\s){1,4}(?:" + "|".join(w.capitalize() for w in sorted(EN.org_words)) + r")\b", text
    )
    return m.group() if m else ""


def _note_entries(claims_: list[Claim], taken: set[str]) -> list[dict[str, Any]]:
    notes = []
    seen: set[str] = set()
    article = " ".join(c.sentence.text for c in claims_)
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
                _note(
                    _slug(f"who {who}", taken),
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
                    keywords=list(EN.name_keywords),
                )
            )
        for m in _GAP.finditer(text):
            for what in _WH_SPLIT.split(m["what"].strip()):  # "who would… or whether its findings…": two gaps
                if _NOT_CLEAR.search(text) and what.startswith("whether"):
                    continue  # the not-clear note below asks it
                asked = _gap_questions(what)
                notes.append(
                    _note(
                        _slug(what, taken),
                        asked[0][0].upper() + asked[0][1:] + "?",
                        [*asked[1:], f"do we know {what}", f"does the article say {what}", f"tell me {what}"],
                        f"The article doesn't say {what}.",
                        [quote],
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
                _note(
                    _slug(f"outcome {subj} {m6['verb']}", taken),
                    f"What did {subj} decide?",
                    outcome[1:],
                    f"The article does not report an outcome: {subj} had still to {m6['verb']}{asked_when}.",
                    [quote],
                    keywords=list(EN.outcome_keywords),
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
            if not _plural(noun) and _named_elsewhere(noun, article):
                continue  # "a contractor" here, "the contractor, Bramwell Ltd," there: named after all
            count = group.split()[0].replace(",", "")
            if count.isdigit() and int(count) > 99:  # "210,000 people" are a population, not people to name
                continue
            around = text[m5.end() : m5.end() + 60]  # "four people were arrested after a scuffle"
            detail = " ".join([w for w in _Vocabulary.words(around) if w not in normalize(group).split()][:2])
            notes.append(
                _note(
                    _slug(f"names {group} {detail}", taken),
                    f"What are the names of the {re.sub(r'^(?:a|an|the) ', '', group)}?"
                    if not re.match(r"^(?:a|an) ", group)
                    else f"What is the name of the {group.split(maxsplit=1)[1]}?",
                    [  # whole questions, not "which operator cover busiest": the words after the noun
                        # are only the slug's ("four people were arrested": the words readers ask with)
                        f"names of the {noun}" if _plural(noun) else f"name of the {noun}",
                        f"which {noun}",
                        f"what is the name of the {noun}",
                        f"identify the {noun}",
                        f"who are the {noun}" if _plural(noun) else f"which {noun} is it",
                        f"name the {noun}",
                        *_which_questions(text, m5, noun),
                    ],
                    f"The article does not name the {re.sub(r'^(?:a|an|the) ', '', group)}.",
                    [quote],
                    keywords=[*EN.name_keywords, "which"],
                )
            )
        if m2 := _NOT_PUBLIC.search(text):
            owner = m2["who"].split()[-1]
            what = re.sub(r"\b(?:its|their)\b", f"the {owner}’s", m2["what"])
            notes.append(
                _note(
                    _slug(what, taken),
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
                )
            )
        if m3 := _NOT_CLEAR.search(text):
            aux = m3["aux"]
            q = f"{aux.capitalize()} {m3['subj']} {m3['rest'].strip()}?"
            notes.append(
                _note(
                    _slug(f"{m3['subj']} {m3['rest']}", taken),
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
                )
            )
        if (m4 := _DECLINED.search(text)) and (np := _last_noun_phrase(text[: m4.start()])):
            notes.append(
                _note(
                    _slug(f"what {np}", taken),
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
                )
            )
    return notes


_WILL_COST = re.compile(
    r"\b(?P<thing>(?:[Aa]|[Aa]n|[Tt]he) (?:[\w-]+ ){0,2}?[\w-]+) "
    r"(?:could|would|will|might|may|is expected to|is estimated to) cost\b"
)


def _article_notes(claims_: list[Claim], taken: set[str]) -> list[dict[str, Any]]:
    """Notes for what readers ask of the whole story that the text can be seen not to give: whether
    anyone was hurt in an incident it never says hurt anyone; how many there are of people or things it
    names but never counts ("midwives"); who pays for what it says something will cost, when it
    says who pays for something else only."""
    text = " ".join(c.sentence.text for c in claims_)
    words = set(normalize(text).split())
    notes: list[dict[str, Any]] = []
    if words & EN.incident_words and not words & EN.harm_words:
        notes.append(
            _note(
                _slug("anyone hurt", taken),
                "Was anyone hurt?",
                EN.reader["injuries"],
                "The article does not say that anyone was hurt.",
                [],
            )
        )
    counted = {w for c in claims_ for w in _numbered(c.sentence.text)}
    # the word right after a number, by its stem: "four crew" counts the "crews" of another sentence
    # ("41 minutes by train" counts minutes, not trains)
    heads = {english_stem(w) for c in claims_ for w in _numbered(c.sentence.text, span=1)}
    uncounted = (
        n
        for n in words & EN.countable_nouns
        if english_stem(n) not in heads and not any(w.endswith(n) for w in counted)
    )
    for noun in sorted(uncounted):
        # the places and bodies it names them with: "how many midwives work at Tollbridge?" is this note's
        where = [
            name
            for c in claims_
            if f" {noun} " in f" {normalize(c.sentence.text)} "
            for name in re.findall(r"\b(?:at|in|of|from) ([A-Z][\w’'-]+(?: [A-Z][\w’'-]+)*)", c.sentence.text)
        ]
        notes.append(
            _note(
                _slug(f"how many {noun}", taken),
                f"How many {noun} are there?",
                [p.format(noun=noun) for p in EN.reader["not_counted"]],
                f"The article does not give the number of {noun}.",
                [],
                keywords=list(dict.fromkeys(where))[:4],
            )
        )
    structures = "|".join(w.capitalize() for w in sorted(EN.structure_words))
    sized = r"\d[\d,.]*\s*(?:metres|meters|m|km|kilometres|kilometers|miles|feet|ft)\s+(?:long|wide|high|tall)"
    for name in dict.fromkeys(re.findall(rf"\b(?:[A-Z][\w’'-]+ )+(?:{structures})\b", text)):
        if re.search(rf"{re.escape(name)}[^.]*{sized}|{sized}[^.]*{re.escape(name)}", text):
            continue
        notes.append(
            _note(
                _slug(f"size {name}", taken),
                f"How long is the {name}?",
                [p.format(name=name) for p in EN.reader["structure_size"]],
                f"The article does not give the size of the {name}.",
                [],
            )
        )
    if not re.search(r"\bcost", text, re.IGNORECASE):  # "how much will the merger cost?": no cost is given
        for noun in [n for n in EN.project_nouns if n in words][:1]:
            notes.append(
                _note(
                    _slug(f"cost {noun}", taken),
                    f"How much will the {noun} cost?",
                    [p.format(noun=noun) for p in EN.reader["cost_note"]],
                    f"The article does not say what the {noun} will cost.",
                    [],
                )
            )
    paid = " ".join(m["what"] for c in claims_ for m in re.finditer(r"\bpay for (?P<what>[^,.;]+)", c.sentence.text))
    for claim in claims_:
        if not (m := _WILL_COST.search(claim.sentence.text)):
            continue
        thing = re.sub(r"^(?:a|an|the) ", "", m["thing"], flags=re.IGNORECASE)
        if thing.split()[-1] in paid:
            continue
        notes.append(
            _note(
                _slug(f"who pays {thing}", taken),
                f"Who will pay for the {thing}?",
                [p.format(thing=thing) for p in EN.reader["who_pays_note"]],
                f"The article does not say who will pay for the {thing}.",
                [_quote(claim.sentence, claim.attribution, claim.speaker)],
            )
        )
    return notes


def _numbered(text: str, span: int = 3) -> set[str]:
    """The words within ``span`` of a number, "both" or "dozens of": what the sentence counts, however
    ("the two hospitals", "all 46 stone railway bridges", "3,400 dockworkers" counts workers too)."""
    words = normalize(text).split()
    numbers = EN.number_words | {"both", "dozens", "hundreds", "thousands", "single"}
    out: set[str] = set()
    for n, word in enumerate(words):
        if word[0].isdigit() or word in numbers:
            out.update(words[n + 1 : n + 1 + span])
    return out
