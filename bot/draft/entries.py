"""The entries a draft proposes: about the article itself, one per claim-bearing sentence, "who is X?"
per named person or organisation, and the thesaurus synonyms the article can use.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from bot.draft.attribution import Claim, _named_in, _speaker_person
from bot.draft.grammar import _FOUND_CAUSE, _WHY_WORDS, _counted, _kinds, _Vocabulary, base_verb
from bot.draft.names import _DATELINE, _SPEECH, Person, _distance, _role_head
from bot.draft.notes import _GAP, _UNNAMED_GROUP
from bot.draft.phrasing import MADE_BY, PAY_FOR, claim_phrasings, claim_question, pronoun_referent, short_answer
from bot.draft.record import _entry, _note, _quote, _slug
from bot.draft.words import EN
from bot.matcher import normalize, question_kind
from bot.page import Page, Sentence, sentences
from bot.text import ENGLISH, span_marks


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
                EN.reader["overview"],
                f"{title}: {lead.text}",
                [header(title), _quote(lead, "the article", "The article")],
            )
        )
    dateline = _DATELINE.match(lead.text) if lead is not None else None
    if lead is not None and dateline is not None:  # "PORT ALDER, Caldria — A strike…": where it was filed
        place = re.sub(r"\s+[—–-]\s+$", "", dateline.group())
        entries.append(
            _entry(
                "dateline",
                "About the article",
                "Where is the article datelined?",
                EN.reader["dateline"],
                f"The article is datelined {place}.",
                [_quote(lead, "the article", "The article")],
            )
        )
    entries += [
        _entry(
            "headline",
            "About the article",
            "What is the headline?",
            EN.reader["headline"],
            f"The headline is “{title}”.",
            [header(title)],
        ),
        _entry(
            "publish-date",
            "About the article",
            "When was the article published?",
            EN.reader["publish_date"],
            f"The page is dated {date_line}.",
            [header(date_line)],
        ),
        _entry(
            "section",
            "About the article",
            "Which section is the article in?",
            EN.reader["section"],
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
                EN.reader["author"],
                f"The page credits {page.author}.",
                [header(next(h for h in page.header if page.author in h))],
            )
        )
    else:
        entries.append(
            _note(
                "author",
                "Who wrote the article?",
                EN.reader["author_unknown"],
                "The page names no author and no outlet.",
                [],
            )
        )
    return entries


def _who_entries(people: dict[str, Person], taken: set[str], claims_: Sequence[Claim] = ()) -> list[dict[str, Any]]:
    """ "Who is X?" for each named person or organisation the article gives a role or description,
    and a note on a person's details the article does not give (never one it states: an age, a
    husband in their own words)."""
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
            phrasings = [p.format(name=name, short=short) for p in EN.reader["who_person"]]
            for role in titles:
                phrasings += _role_questions(role)
            if person.age:  # the article gives it: "how old is Lindqvist" is this entry's
                phrasings += [f"how old is {short}", f"how old is {name}", f"{short} age"]
            topic = "Who's who"
        else:
            question = f"What is {'the ' if person.kind in ('org', 'law') else ''}{name}?"
            phrasings = [p.format(name=name) for p in EN.reader["who_thing"]]
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
        answer = _describe(person) + _owners_named(person, people)
        aged = bool(person.age or re.search(r"\b(?:aged|years old|\d+-year-old)\b", sentence.text))
        theirs = set(
            normalize(
                " ".join(c.sentence.text for c in claims_ if c.speaker == person.name or person in c.people)
                or sentence.text
            ).split()
        )  # what the article says of them, and what they say
        married = bool(theirs & EN.spouse_words)
        if person.kind == "person" and aged and theirs & EN.child_words:
            # "who is expecting her second child…, where her first son was born": never their names
            entries.append(
                _note(
                    _slug(f"{short} children", taken),
                    f"What are the names of {name}'s children?",
                    [p.format(short=short) for p in EN.reader["person_children"]],
                    f"The article doesn't name {name}'s children, only this: {_describe(person)}",
                    [_quote(sentence, "the article", "The article")],
                    about=[name],
                )
            )
        if person.kind == "person" and not aged:  # (a note beside a stated age was measured: fifth abstention -2.8)
            entries.append(
                _note(
                    _slug(f"{short} personal details", taken),
                    f"What is {name}'s background?" if aged else f"How old is {name}, and what is their background?",
                    [
                        *([] if aged else (p.format(short=short) for p in EN.reader["person_age"])),
                        *(p.format(short=short) for p in EN.reader["person_details"]),
                        *([] if married else (p.format(short=short) for p in EN.reader["person_married"])),
                        *(p.format(short=short) for p in EN.reader["person_children"]),
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
                            [
                                f"how long has {short} been in the job",
                                *(f"how long has {short} been the {h}" for h in heads[:2]),
                                *(f"how long has {name} been {h}" for h in heads[:1]),
                            ]
                            if not re.search(r"\bfor \w+ (?:years|months)\b|\bsince\b", _describe(person))
                            else []
                        ),
                    ],
                    f"The article doesn't give {name}'s {'' if aged else 'age or '}background, only this: "
                    f"{_describe(person)}",
                    [_quote(sentence, "the article", "The article")],
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
                keywords=[
                    name,
                    short,
                    *heads,
                    *_colloquial(person),
                    *(EN.who_keywords if person.kind == "person" else ()),
                ],
                about=[name],
                kinds=["who", "what"]
                if person.kind == "person"
                else ["what", "where", *(["how", "how_many"] if re.search(r"\d", " ".join(person.roles)) else [])],
                # "how long has X been chief executive?", "when was X founded?": a role is not a history
                lacks=["when", "why", *([] if person.age else ["how"]), "how_many"]
                if person.kind == "person" or not re.search(r"\d", " ".join(person.roles))
                else ["when", "why"],  # "about 38 kilometres down the valley" says how far
            )
        )
        entries[-1]["_who"] = True
    return entries


def _owners_named(person: Person, people: Mapping[str, Person]) -> str:
    """The organisation a role speaks of by its common noun, named ("a spokesperson for the service" ->
    " The service is the Westerlund Ambulance Service."): the one organisation the article names whose
    name ends on that noun, so "what is the name of the ambulance service spokesperson?" finds the name."""
    out = []
    for noun in dict.fromkeys(
        m.casefold() for r in person.roles for m in re.findall(r"\bthe ([a-z]+)(?:’s|'s)?(?![\w’'])", r)
    ):
        orgs = [p for p in people.values() if p.kind == "org" and p.name.split()[-1].casefold() == noun]
        if len(orgs) == 1 and orgs[0].name not in " ".join(person.roles):
            out.append(f" The {noun} is the {orgs[0].name}.")
    return "".join(out)


def _describe(person: Person) -> str:
    """ "Nessa Brannagh is a midwife.", "Agathe Lindqvist represents Tollbridge…", "Pieter Oduya: Health Minister."."""
    first, *rest = [person.details.get(r, r) for r in person.roles]
    if person.age and first.startswith("who "):  # "Sofie Lindqvist, 29, is expecting her second child…"
        text = f"{person.name}, {person.age}, {first.split(maxsplit=1)[1]}"
    elif person.age:
        text = f"{person.name}, {person.age}, is {first}"
    elif person.kind == "place" and _distance(first):
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
        # "the mayor of Tessaly Point" but "the chief executive of the authority", "… of the Varnholt Institute"
        proper = owner[:1].isupper() and not any(w.casefold() in EN.org_words for w in owner.split())
        out += [f"who is the {title} of {'' if proper else 'the '}{owner}", f"{owner} {title}"]
    elif len(bare.split()) >= 2 and bare.split()[-1].casefold() in EN.leading_roles:  # "Union president"
        owner = " ".join(bare.split()[:-1])
    if owner and head.split()[-1] in EN.leading_roles:
        out += [f"who runs the {owner}", f"who leads the {owner}", f"who heads the {owner}", f"{owner} leader"]
        out += [f"who is in charge of the {owner}", f"who is the boss of the {owner}"]
    if m2 := re.fullmatch(r"(?P<field>[A-Z][a-z]+(?: and [A-Z][a-z]+)?) Minister", bare):  # "Health Minister"
        field = m2["field"].casefold()
        out += [f"who is the minister for {field}", f"who is the minister in charge of {field}", f"{field} minister"]
    return out


def _bare(role: str) -> str:
    return re.sub(r"^(?:a|an|the)\s+", "", role)


KEYWORDS = 40  # a sentence's rarest content words counted as asked for (all of a long sentence's, in practice)


def _naming_quote(claim: Claim, by_sentence: dict[tuple[int, int], Claim]) -> list[dict[str, str]]:
    """ "“…,” he said.": the sentence that names him goes with it (its whole text, verbatim), so
    "who said that?" shows who he is."""
    person = _speaker_person(claim)
    named = person.role_sentence or person.first if person else None
    if person is None or named is None or named is claim.sentence or person.name in claim.sentence.text:
        return []  # "…,” Fane said: the sentence that says who Fane is goes with it
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
    if PAY_FOR.search(claim.sentence.text) or MADE_BY.search(claim.sentence.text):
        kinds.append("who")  # "the trust will pay for taxis", "the HP-400, built by Halvard": who pays, who made it
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


def _claim_entries(
    claims_: list[Claim], vocab: _Vocabulary, taken: set[str], people: Mapping[str, Person] | None = None
) -> list[dict[str, Any]]:
    entries = []
    by_sentence = {(c.sentence.paragraph, c.sentence.index): c for c in claims_}
    # "Brannock General will add six beds": the hospital named by its short form (a keyword, never a speaker)
    short_forms = [p for p in (people or {}).values() if p.kind != "person" and " " in p.short and p.short != p.name]
    for claim in claims_:
        sentence = claim.sentence
        if len(sentence.text.split()) < (3 if claim.speech == "quote" else 5):  # “Nobody came to look.” is a quote
            continue
        key = vocab.key(_DATELINE.sub("", sentence.text), 4, claim.speaker.split())
        names = [p.name for p in claim.people]
        names += [p.name for p in short_forms if p.name not in names and p.short in sentence.text]
        previous = by_sentence.get((sentence.paragraph, sentence.index - 1))
        if previous is not None and re.match(
            rf"(?:It|Its|They|Their|He|His|She|Her|The (?:{'|'.join(sorted(EN.org_words))}))\b", sentence.text
        ):
            # "Its report described a crack…": whose report the sentence before says
            names += [p.name for p in previous.people if p.kind in ("org", "person") and p.name not in names]
        lacks = _lacks(claim)
        reason = by_sentence.get((sentence.paragraph, sentence.index + 1))
        explained = (
            # reported speech, or a sentence quoting a few of its words ("said pilots had reported vibration
            # “several times” since the summer"): the speaker's own quote after it says more
            (claim.speech == "reported" or (claim.speech == "quote" and not sentence.text.startswith("“")))
            and reason is not None
            and reason.speech == "quote"
            and reason.speaker == claim.speaker
        )  # "Renwick said a single unit would be safer. “The mothers we have to plan for…,” he said.": his why
        if claim.speech == "article" and sentence.paragraph == 1 and sentence.index == 0 and reason is None:
            # the lead's why is often the next paragraph's opening ("A strike … entered its 11th day…" /
            # "Members … walked off the job on September 29 … over pay and the plan to install cranes")
            after = by_sentence.get((2, 0))
            # (a lead's "after a mediator said…" is a weak cause: the next paragraph's "over pay" is the why)
            own = _WHY_WORDS.search(sentence.text) or _FOUND_CAUSE.search(sentence.text)
            if not own and after is not None and after.speech == "article" and _WHY_WORDS.search(after.sentence.text):
                reason, explained = after, True
        if explained and reason is not None:
            lacks = [k for k in lacks if k != "why"]
        # a span of time or length ("for at least ten days", "about 34 kilometres away") answers "how long"
        # and "how far": the measure's question word is the entry's own, and so is its kind
        spans = [m.split()[-1] for m in span_marks([sentence.text])]
        measures = [
            how.split()[-1] for how, units in EN.units.items() if how != "how much" and any(u in units for u in spans)
        ]
        if "long" in measures:  # "takes 41 minutes … about an hour and a quarter": "how much longer", "how much time"
            lacks = [k for k in lacks if k != "how_many"]
        # a phrasing asking what the sentence lacks would undo the lack ("how many marks did Varga decline")
        referent = pronoun_referent(sentence.text, previous) if claim.speech == "article" else ""
        phrasings = [p for p in claim_phrasings(claim, vocab, referent) if question_kind(normalize(p)) not in lacks]
        kinds = [
            k
            for k in [
                *_kinds(claim),
                *(["why"] if explained else []),
                *_asked_kinds(phrasings),
                *(["how"] if measures else []),
            ]
            if k not in lacks
        ]
        entries.append(
            _entry(
                _slug(" ".join(key), taken),
                f"Paragraph {sentence.paragraph}",
                claim_question(claim, phrasings),
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
                    *measures,
                    *(w for p in claim.people if p.kind == "org" for w in org_nouns(p.name)),
                    *(w for k in [*kinds, *measures] for w in EN.kind_keywords.get(k, ())),
                ],
                about=names,
                # and the kinds its own phrasings ask ("how long is the crack" asks "how")
                kinds=kinds,
                lacks=lacks,
            )
        )
        entries[-1]["_sentence"] = (sentence.paragraph, sentence.index)
    return entries


def org_nouns(name: str) -> tuple[str, ...]:
    """What readers call an organisation by the word its name ends on (english.json org_nouns):
    "Skerrow Air" the airline or the carrier, "Norvane Regional Rail" the rail company, "the
    Westerlund Midwives' Association" the union."""
    words = name.split()
    return EN.org_nouns.get(words[-1].casefold(), ()) if words else ()


def _asked_kinds(phrasings: list[str]) -> list[str]:
    """The question kinds of the measure questions among an entry's phrasings ("how long is the crack",
    "how far is Kestridge"): the entry answers them, though its sentence names no kind word."""
    return [k for p in phrasings if p.startswith("how ") and (k := question_kind(normalize(p))) == "how"][:1]


def _colloquial(person: Person) -> tuple[str, ...]:
    """How readers refer to a person in passing ("the union guy", "the mediator lady"), by the
    gender the article's pronouns give them."""
    if person.kind != "person":
        return ()
    words = EN.colloquial.get(person.gender, EN.colloquial[""])
    leads = {w for r in person.roles for w in r.casefold().split()} & (EN.leading_roles | EN.boss_roles)
    return (*words, "boss") if leads else words  # "the rail company boss" for its chief operating officer


def _everyday_words(text: str) -> list[str]:
    """The everyday words for a sentence's own (thesaurus groups it uses, in the group's sense), as
    its entry's keywords: a reader asking about "the watchdog" reaches the sentence about "the regulator"."""
    folded = f" {normalize(text)} "
    out: list[str] = []
    for group in EN.thesaurus:
        if f" {normalize(group[0])} " not in folded:  # the group's own word: "new" alone is not "revised"
            continue
        if group[0] in EN.synonym_only:  # "stated", "claimed" on every quote tell none apart; the synonyms say "said"
            continue
        sense = EN.senses.get(group)
        if sense is not None and not re.search(sense, text):
            continue
        variants = [w for w in group if f" {normalize(w)} " not in folded]
        # a variant is a synonym too, rewritten into the article's word wherever it is written whole:
        # the words of a phrase stay the entry's own ("pull" of "pulled from service", "help" of "help out")
        out += variants + [
            word
            for v in variants
            if " " in v
            for word in normalize(v).split()
            if word not in ENGLISH.stopwords and len(word) > 3 and f" {word} " not in folded
        ]
    return list(dict.fromkeys(out))


def synonyms_for(paragraphs: Sequence[str], title: str) -> dict[str, list[str]]:
    """The thesaurus groups this article can use: keyed by the one word of a group it uses, with
    the variants it never uses (nor anything they stem to). Only a group whose own (first) word the
    article writes: its variants are readers' words for that word, not for each other ("containers"
    proposes "boxes", "freight" does not). A group with a sense pattern (``EN.senses``) is used only
    where every sentence writing its word matches it (a synonym rewrites every question): "fight the
    commission" proposes no "brawl", "the government would pay for the buses" no "salary", "two people
    familiar with the talks" no "residents"."""
    from bot import curation
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

    units = [title, *(s.text for s in sentences(list(paragraphs)))]
    for group in EN.thesaurus:
        present = [w for w in group if used(w)]
        if not present or present[0] != group[0] or not literal(group[0]):
            continue  # readers' words for the group's own word, not for one of its variants ("freight" is no "box")
        sense = EN.senses.get(group)
        if sense is not None and not all(
            re.search(sense, unit) for unit in units if f" {normalize(group[0])} " in f" {normalize(unit)} "
        ):
            continue  # the word in another sense somewhere: "pay for the buses" is no salary
        key = normalize(group[0])
        variants = [v for v in group if not used(v) and normalize(v) not in taken and normalize(v) != key]
        # a past tense's base form too, as readers ask it ("who did the union blame" for "accused": "blamed")
        variants += [
            b
            for v in variants
            if " " not in v
            and v.endswith("ed")
            and (b := base_verb(v)) != v.casefold()
            and ENGLISH.is_word(b)
            and b not in EN.noun_bases  # "figured" brings no "figure": "what is the figure" is no estimate
            and not used(b)
            and normalize(b) not in taken
            and b not in variants
        ]
        if variants:
            table.setdefault(key, [])
            table[key] += [v for v in variants if v not in table[key]]
            taken.update(normalize(v) for v in variants)
    # never a variant that check would flag as an ordinary word turned into another
    probe = curation.synonym_variant_problems(table)
    return {
        k: [v for v in vs if (k, v) not in probe] for k, vs in table.items() if any((k, v) not in probe for v in vs)
    }
