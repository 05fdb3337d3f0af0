"""Readers' questions for a sentence, in whole words: about its topic, its clauses asked back, its
speaker by name and role, its numbers by their unit; the entry's main question and its short answer.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot import knowledge
from bot.draft.attribution import Claim, _named_in, _speaker_person, _unquoted
from bot.draft.grammar import (
    _CLOSED,
    _DURATION,
    _FOUND_CAUSE,
    _MONTHS,
    _UNIT_WORDS,
    _WHY_WORDS,
    _clauses,
    _common_start,
    _counted,
    _invert,
    _kinds,
    _plain,
    _plural,
    _said_content,
    _sentence_case,
    _topic,
    _verbish,
    _Vocabulary,
    _without_source,
    _words,
    base_verb,
    subject_verb_object,
)
from bot.draft.names import _DATELINE, _SPEECH_RE, Person, _role_head
from bot.draft.words import EN
from bot.text import ENGLISH, english_stem

MIN_PHRASINGS = knowledge.MIN_PHRASINGS


def question_forms(text: str, kinds: Sequence[str]) -> list[str]:
    """Readers' questions a sentence answers, from its subject, verb and object."""
    svo = subject_verb_object(text)
    if svo is None:
        return []
    subject, verb, obj = svo
    main = verb.split()[-1]
    if main in EN.not_verbs or (len(verb.split()) == 1 and main in EN.auxiliaries):  # "is due", "was about": no action
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
    base = base_verb(main)
    # "what did the viaduct open": only a verb with an object is asked what
    out = [*([f"what did {subject} {base}"] if obj else []), f"what did {subject} do", f"who {verb} {obj}".strip()]
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


def claim_phrasings(claim: Claim, vocab: _Vocabulary, referent: str = "") -> list[str]:
    """Readers' questions a sentence answers, in whole words: about its subject; its clauses asked
    back as yes/no and when/where/why/how many questions where the sentence can tell; who said it.
    ``referent`` is whom the pronoun it opens on stands for ("It is also starting a recruitment drive"
    after "… the trust will pay for taxis": "is the trust also starting a recruitment drive")."""
    own = text = _DATELINE.sub("", claim.sentence.text)
    if referent:  # the clauses asked back with it; the topic stays the sentence's own ("combining management")
        text = re.sub(r"^(?:It|He|She)\b", lambda _: referent, text, count=1)
    person = next((p for p in claim.people if p.kind == "person" and p.name == claim.speaker), None)
    kinds = _kinds(claim)
    topic = _topic(own, claim.speaker if claim.speech != "article" else "", speech=claim.speech != "article")
    # Not also "tell me about X", "what do we know about X" for every sentence: they made the first
    # sentence about X the answer to any question that names X (a short sentence still gets them below).
    # never "what happened with", "what did X say about"; nor of a topic every other sentence shares
    # ("what happened with St Edra's": any question naming the hospital would reach this sentence)
    common = bool(topic) and all(vocab.df(w) >= 3 for w in _Vocabulary.words(topic) or ["-"])
    out = [f"what happened with {topic}"] if topic and not common else []
    said = _said_content(text) if claim.speech != "article" else None
    body = _without_apposition(said[1] if said else text)
    relative = _relative_aside(body)
    if relative is not None:  # "Freight services, which carry timber…, have also been halted": each asked apart
        body = f"{relative[0]} {relative[3]}"
        out += _aside_questions(relative)
    # "11 midwives had left … and that starting pay … was 14 percent lower": two things said, asked apart
    parts = [p for c in _clauses(body) for p in re.split(r"\s+and\s+that\s+", c) if len(p.split()) >= 4]
    clauses = [c for c in parts if any(_verbish(w) for w in c.split())] or [body]
    wh = [k for k in ("when", "where", "why") if k in kinds]
    for clause in clauses[:3]:
        # "when the plane does not come", "if one engine fails": a condition, no statement to ask back
        inverted = None if _SUBORDINATE.match(_plain(clause)) else _invert(clause)
        if inverted is None:
            if not _FRAGMENT.match(_plain(clause)):  # "is it true that though she acknowledged…": no one asks
                out.append(f"is it true that {_words(_plain(clause), 14)}")
            continue
        aux, rest = inverted
        rest = _words(rest, 14)
        out.append(f"{aux} {rest}")
        core = _core(rest)  # "has Skerrow Air grounded nine of its 22 turboprop aircraft" (no "after one of…")
        if core != rest:
            out.append(f"{aux} {core}")
        # a when/why question without its answer: "why has X grounded nine aircraft", not "… after one lost power"
        answerless = {"when": _untimed(core), "where": _unplaced(core)}
        out += [f"{k} {aux} {answerless.get(k, core)}" for k in wh]
        if any(how == "how much" for how, _ in _counted(clause)) and (asked := _before_amount(rest)):
            out.append(f"how much {aux} {asked}")
    svo = subject_verb_object(text)
    for how, counted in _counted(_DATELINE.sub("", _without_source(claim))):
        if how == "how many" and counted:
            out += _count_questions(text, counted, svo)
            if all(vocab.df(w) <= 1 for w in _Vocabulary.words(counted)):  # "how many people" alone is too vague
                out.append(f"how many {counted}")
    if claim.speech == "article":
        out += question_forms(body, kinds)
    else:
        short = person.short if person else _sentence_case(claim.speaker)
        does = "do" if claim.unnamed and _plural(short) else "does"  # "what do two officials think"
        out += [f"what did {short} say about {topic}", f"what {does} {short} think about {topic}"] if topic else []
        if re.search(r"\b(?:declined|refused) to (?:say|comment|discuss|describe|give)\b", text):
            out += [f"what did {short} decline to say", f"what did {short} refuse to say", f"what won't {short} say"]
        out += _medium_questions(text, short)
        responds = _RESPONSE.search(_unquoted(text)) is not None  # "Quillan denied that": how did Quillan react
        if responds:
            out += [p.format(short=short) for p in EN.reader["response"]]
        if said:
            verb, what = said
            content = _words(_plain(what), 12)
            out += [f"who said {content}", f"who {verb} {content}", f"did {short} say {content}"]
            # and each later clause of it, as a reader reports it: "…, but we want to see every one of
            # those reports" -> "who said they want to see every one of those reports"
            for part in _clauses(_plain(what))[1:3]:
                part = re.sub(r"^(?:but|and|so|yet)\s+", "", part)
                out += list(dict.fromkeys([f"who said {_words(part, 12)}", f"who said {_reported(_words(part, 12))}"]))
            if (reported := _reported(content)) != content:
                out.append(f"who said {reported}")
        for role in person.roles if person else []:
            head = _role_head(role)
            if head and not role.startswith("who "):
                out += [f"what did the {head} say about {topic}", f"what did the {head} say"]
                out += [p.format(short=f"the {head}") for p in EN.reader["response"][:2]] if responds else []
    out += _reader_forms(claim, text, kinds, vocab)
    out += [q for q in _situation_questions(text) if not _borrows(q, text, vocab)]
    out = [p for p in out if not _MALFORMED.search(p)]
    # "what happened with engineers", "… with the review ends": asked of whatever names its topic, the
    # sentence would answer questions other sentences answer; only a sentence with few other ways to ask it keeps it
    happened = f"what happened with {topic}"
    if len(set(out) - {happened}) >= MIN_PHRASINGS:
        out = [p for p in out if p != happened]
    if len(set(out)) <= MIN_PHRASINGS and topic:  # a short sentence: the plain ways to ask about its topic
        out += [f"tell me about {topic}", f"what do we know about {topic}", f"what does the article say about {topic}"]
    return out


# a subject, the aside that describes it between commas, and the verb it goes on with: "A strike by about
# 3,400 dockworkers at Port Alder, Caldria’s third-largest container port, entered its 11th day…"
_NO_COMMA = r"(?:[^,“”]|(?<=\d),(?=\d))"  # "3,400" is one number, not a clause break
_APPOSITION = re.compile(
    rf"^(?P<subject>{_NO_COMMA}{{6,90}}?),\s+(?P<aside>{_NO_COMMA}{{3,90}}),\s+(?P<verb>[\w’'-]+)\b"
)


def _without_apposition(text: str) -> str:
    """The sentence without the aside after its subject, so its clauses can be asked back whole ("did a
    strike by about 3,400 dockworkers at Port Alder enter its 11th day"); as it is when no verb follows
    the aside, or the aside opens a clause of its own ("…, which runs both hospitals, announced…" stays:
    who runs what is a statement too, and the attribution reads it)."""
    m = _APPOSITION.match(text)
    if m is None or not _verbish(m["verb"]) or m["verb"].casefold() in EN.auxiliaries - {"has", "have", "had"}:
        return text
    aside = m["aside"].split()
    if aside[0].casefold() in EN.aside_openers or any(_verbish(w) for w in [*aside, *m["subject"].split()]):
        return text  # "automation, not wages, has become…": the aside is the point; a subject with a verb is a clause
    return f"{m['subject']} {text[m.start('verb') :]}"


def _relative_aside(text: str) -> tuple[str, str, str, str] | None:
    """(subject, "which"/"who", the aside's own words, the rest from the verb on) of a sentence whose
    subject is described by a clause of its own: "The viaduct, which carries the line 40 metres above the
    River Brenn, opened in 1894" -> ("The viaduct", "which", "carries the line 40 metres above the River
    Brenn", "opened in 1894"). None for any other sentence."""
    m = _APPOSITION.match(text)
    if m is None or not _verbish(m["verb"]):
        return None
    opener, _, aside = m["aside"].partition(" ")
    if opener.casefold() not in EN.relative_openers or not aside or any(_verbish(w) for w in m["subject"].split()):
        return None
    return m["subject"], opener.casefold(), aside, text[m.start("verb") :]


def _present_base(verb: str) -> str | None:
    """The base of a present third-person verb ("carries" -> "carry", "runs" -> "run", "chairs" -> "chair"),
    or None for any other word ("was", "has", "spoke")."""
    w = verb.casefold()
    if w in EN.auxiliaries or w in {"does", "is", "was"} or not w.endswith("s") or w.endswith("ss") or len(w) < 4:
        return None
    if w.endswith("ies"):
        return w[:-3] + "y"
    if w.endswith(("ches", "shes", "xes", "sses", "zes")):
        return w[:-2]
    return w[:-1]


def _aside_questions(relative: tuple[str, str, str, str]) -> list[str]:
    """The aside about a subject asked about it: "…, which carries the line 40 metres above the River
    Brenn," -> "what does the viaduct carry", "does the viaduct carry the line 40 metres above the River
    Brenn"; "…, which takes 41 minutes by train," -> "how long does a trip from X to Y take"; "Jonas
    Elberg, who chairs the Ostmarran Aviators’ Union," -> "who chairs the Ostmarran Aviators’ Union"."""
    subject, opener, aside, _ = relative
    verb, _, rest = aside.partition(" ")
    low = verb.casefold()
    # "Freight services, which carry timber…": a plural's present verb is its base
    plural = _plural(subject) and not low.endswith("s") and not _verbish(low) and ENGLISH.is_word(low)
    base = verb.casefold() if plural else _present_base(verb)
    if base is None or not rest:
        return []
    if _common_start(subject.split()):
        subject = subject[0].lower() + subject[1:]
    does = "do" if plural else "does"
    out = [f"what {does} {subject} {base}", f"{does} {subject} {base} {_words(rest, 12)}"]
    if opener == "who":
        out.insert(0, f"who {verb} {_words(rest, 12)}")
    if any(_UNIT_WORDS.get(w.casefold().strip(",.")) == "how long" for w in rest.split()):  # "takes 41 minutes"
        out.append(f"how long {does} {subject} {base}")
    return out


# where a clause's own statement ends and what explains or times it begins ("… after one of its planes lost power")
_CORE_END = re.compile(
    r"\s+(?:after|before|because|when|while|since|until|amid|following|despite|although|though|unless|so that)\s+"
)
# a time the clause ends on ("… on Friday", "… last week", "… in March"): what a "when" question asks
_TIME_END = re.compile(
    rf"\s+(?:(?:on|in|by|from|since|until|this|last|next|early|late)\s+)+(?:(?:the|a|an|{'|'.join(sorted(EN.time_words))}|"
    r"\d{1,4}(?:st|nd|rd|th)?|end|start|beginning|middle|of)\s*)+$",
    re.IGNORECASE,
)


def _core(rest: str) -> str:
    """A clause without the subordinate clause that explains or times it, when at least three words are left."""
    core = _CORE_END.split(rest, maxsplit=1)[0].rstrip(" ,;")
    return core if len(core.split()) >= 3 else rest


# a day or date inside a clause ("raise its wage offer on Monday to 8.5 percent")
_WEEKDAYS = "|".join(sorted(ENGLISH.calendar_words - set(_MONTHS.split("|"))))  # the language's weekdays
_TIME_IN = re.compile(
    rf"\s+(?:on|last|this|next)\s+(?:{_WEEKDAYS}"
    rf"|(?:{_MONTHS})\s+\d{{1,2}}|week|weekend|month|year)\b(?=[\s,.;]|$)",
    re.IGNORECASE,
)


# the place a clause names ("… give birth at St Edra’s", "… overnight at St Edra's Hospital in the market town")
_PLACE_IN = re.compile(r"\s+(?:at|in|to|from|near|outside|inside)\s+(?:the\s+)?[A-Z][\w’'-]*(?:\s+[\w’'-]+){0,6}$")


def _unplaced(rest: str) -> str:
    """A clause without the place it names at its end: what a "where" question asks."""
    unplaced = _PLACE_IN.sub("", rest)
    return unplaced if len(unplaced.split()) >= 3 else rest


def _untimed(rest: str) -> str:
    """A clause without the time it ends on or names ("suspend all services … on Friday" -> "… services …",
    "raise its wage offer on Monday to 8.5 percent" -> "raise its wage offer to 8.5 percent")."""
    untimed = _TIME_IN.sub("", _TIME_END.sub("", rest))
    return untimed if len(untimed.split()) >= 3 else rest


_SUBORDINATE = re.compile(r"(?:when|if|unless|because|although|though|while|whereas|once|until|before|after)\b", re.I)


# A clause that opens on a subordinator, a preposition or a modifier has no plain statement to ask
# back: "though she acknowledged…", "if one of them is tired", "on Tuesday, leaving…", "an option that…"
_FRAGMENT = re.compile(
    r"(?:though|although|while|if|unless|because|as|since|when|whereas|on|in|at|after|before|hours|days|"
    r"leaving|saying|adding|an? \w+ that|which|who|that|over|up|only|both|to|for|with|from|by|i|we|you|"
    r"has|have|had|is|are|was|were)\b|(?:[\w’'-]+ ){0,10}?on \w+ that\b",  # "…a rally of 300 people on Saturday that…"
    re.IGNORECASE,
)

# A drafted phrasing that no reader would type: "what happened with in a statement", "did in a radio
# interview that…", "is it true that announced the merger", "how many takes"
_MALFORMED = re.compile(
    r"\b(?:with|about|of)\s+(?:in|on|at|to|that|which|by|for|how|what)\b|"
    r"^(?:(?:when|where|why|how much)\s+)?(?:did|does|do|would|will|had|has|have|is|was|are|were)\s+"
    r"(?:in|on|at|to|that|which|by|for|how|what|who|whether|if|where|when|why)\b|"  # "was where her son born"
    r"^is it true that (?:(?:has|have|had|is|was|would|will|did)\s+)?\w+ed\b|"
    r"\b(?:the|a|an)\s*$|\b(?:did|does)\s+\w+\s+\w+ed\b(?<!need)|"
    r"^(?:\w+\s+)?did (?:have|has|had|be|been|is|was|are|were)\b|"  # "did have also been halt"
    r"^who \w+ing\b|"  # "who saying in a statement…"
    # a question opens on a subject: not on a verb, an adverb or a participle ("is it true that built by
    # Halvard Propulsion", "… that fell 6.3 percent", "… that even if it is…", "did according to a notice")
    r"^is it true that (?:how|what|which|who|whom|whether|when|where|why)\b|"  # "… that how much it would cost"
    rf"^is it true that (?:[a-z]+ly|even|only|just|also|still|not|{'|'.join(sorted(EN.past_forms))})\b|"
    r"^(?:(?:when|where|why|how much)\s+)?(?:did|does|do|would|will|had|has|have|is|was|are|were)\s+[a-z]+ing\b|"
    # a clause with no verb of its own: "is it true that a process she expected…", "did our crews
    # exactly what they were trained to do", "how many several times"
    r"^is it true that an? [a-z]+(?: [a-z]+)? (?:he|she|they|we|i|it)\b|"
    r"^(?:(?:when|where|why|how much)\s+)?(?:did|does|do)\s+(?:[\w’'-]+\s+){1,4}[a-z]+ly\s+"
    r"(?:what|how|where|why|who)\b|"
    r"^how many (?:several|some|many|few|a few)\b|"
    # "who said had asked the authority…": the words said have lost their subject; "what have the
    # airline’s pilots also": the question stops before its verb
    rf"^who (?:{'|'.join(EN.speech_verbs)}) (?:had|has|have|was|were|is|are|would|will|could|did)\b|"
    r"\b(?:also|still|already|even|not|between|than|into|of)\s*$|"  # "how much could a repair cost between"
    # a quote's own "we" asked back: "did we tell them in October…", "will we not put a single passenger…"
    r"^(?:(?:when|where|why|how much|how many)\s+)?(?:did|do|does|will|would|is|are|was|were|had|have|has|can|could)"
    r"\s+(?:we|i|us)\b"
)


_FIRST_PERSON = {"we": "they", "us": "them", "our": "their", "ours": "theirs", "i": "they", "me": "them", "my": "their"}


def _reported(words: str) -> str:
    """Quoted words as a reader reports them: "we want to see our reports" -> "they want to see their reports"."""
    return re.sub(
        r"\b(?:we|us|our|ours|i|me|my|I)\b", lambda m: _FIRST_PERSON[m.group().casefold()], words, flags=re.IGNORECASE
    )


def _aliases(person: Person) -> list[str]:
    """How readers name a person: by surname and by what they are ("the mediator", "the chief executive")."""
    out = [person.short]
    for role in person.roles:
        if role.startswith("who "):
            continue
        head = _role_head(role)
        if head and head.split()[-1] in EN.role_words | {"executive", "officer", "minister"}:
            out.append(f"the {head}")
    return list(dict.fromkeys(out))


def _reader_forms(claim: Claim, text: str, kinds: Sequence[str], vocab: _Vocabulary) -> list[str]:
    """Questions as readers put them: the speaker by role ("what did the mediator say"), the sentence's
    action asked with its subject named the way readers name it, and its numbers asked by their unit
    ("how far", "how long", "how much", "what share")."""
    out: list[str] = []
    speaker = _speaker_person(claim)
    if speaker is not None:
        for alias in _aliases(speaker):
            out += [f"what did {alias} say"]
    said = _said_content(text) if claim.speech != "article" else None
    body = _plain(said[1]) if said else text
    body = re.sub(r"^that\s+", "", body)
    svo = subject_verb_object(body)
    if svo is not None:
        subject, verb, obj = svo
        people_here = [p for p in claim.people if p.kind == "person" and _named_in(p, subject)]
        subjects = [subject] + [a for p in people_here for a in _aliases(p)]
        main = verb.split()[-1]
        if main not in EN.not_verbs and not (len(verb.split()) == 1 and main in EN.auxiliaries):
            aux, action = (verb.split()[0], main) if len(verb.split()) > 1 else ("did", base_verb(main))
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


# "…the same model of engine, the HP-400, built by Halvard Propulsion": a thing and its doer, in passing
MADE_BY = re.compile(
    r"(?P<np>\b(?:the|a|an|its|their) (?:[\w’'-]+ ){0,3}?[\w’'-]+),\s+(?P<v>[a-z]+(?:ed|en|lt|wn|de|ld|ght))"
    r"\s+by\s+[A-Z]"
)


def _present(base: str) -> str:
    """The third person of a base verb: "build" -> "builds", "carry" -> "carries", "fix" -> "fixes"."""
    if re.search(r"[^aeiou]y$", base):
        return base[:-1] + "ies"
    return base + ("es" if base.endswith(("s", "sh", "ch", "x", "z")) else "s")


def _made_by_questions(text: str) -> list[str]:
    """A thing named with its maker or owner in passing asked about its doer: "…the same model of
    engine, the HP-400, built by Halvard Propulsion" -> "who built the HP-400", "which company builds
    the engine"."""
    out: list[str] = []
    for m in MADE_BY.finditer(text):
        verb = m["v"]
        base = base_verb(verb)
        if base == verb or not (len(base) < 4 or ENGLISH.is_word(base)):  # the dictionary starts at 4 letters
            continue
        things = [m["np"]]
        if head := re.search(r"\b(?:the|a|an) (?:[\w’'-]+ ){0,4}?(?P<head>[a-z][\w’'-]+),\s+$", text[: m.start()]):
            things.append(f"the {head['head']}")
        for thing in things:
            out += [f"who {verb} {thing}", f"which company {verb} {thing}", f"who {_present(base)} {thing}"]
    return out


def _passive_questions(text: str) -> list[str]:
    """A passive sentence asked about its doer: "The inspection was carried out by Tarrant & Lyle" ->
    "who carried out the inspection", "by whom was the inspection carried out"; a thing named with
    its maker in passing too (``_made_by_questions``)."""
    made = _made_by_questions(_plain(_DATELINE.sub("", text)))
    m = _PASSIVE.match(_plain(_DATELINE.sub("", text)))
    if not m:
        return made
    subject, verb, particle = m["s"], m["v"], m["p"] or ""
    if _common_start(subject.split()):
        subject = subject[0].lower() + subject[1:]
    be = "were" if m["be"] in ("were", "are", "have been") else "was"
    return [
        f"who {verb}{particle} {subject}",
        f"by whom {be} {subject} {verb}{particle}",
        f"who {be} {subject} {verb}{particle} by",
        *made,
    ]


_NUM = (
    r"(?:\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|a hundred)"
)


_APPROX = (
    r"(?:(?:about|some|at least|more than|up to|nearly|almost|roughly|around|over|under|well over|"
    r"a minimum of|a maximum of|only|just)\s+)*"
)


_FRACTION = re.compile(
    r"\b(?:a|one|two|three|four)\s+(?:half|third|thirds|quarter|quarters|fifth|fifths|tenth|tenths)\s+of\s+"
    r"(?:the\s+|its\s+|their\s+)?(?P<what>[\w’'-]+)"
)


_PROPER = r"[A-Z][\w’'-]*(?: [A-Z][\w’'-]*)*"


def _measure_questions(text: str) -> list[str]:
    """Each measured number asked the way readers ask for it, in whole clauses: "the review would take at
    least 10 weeks" -> "how long would the review take"; "a crack about 3.5 metres long" -> "how long is
    the crack"; "the 132-year-old Sallow Viaduct" -> "how old is the Sallow Viaduct"; "to Kestridge General,
    about 38 kilometres down the valley" -> "how far is Kestridge General"; "about 40 percent of shifts" ->
    "what share of shifts"."""
    out = []
    plain = _plain(text)
    if re.search(rf"\b{_NUM}\s+(?:metres|meters|feet|foot|m)\s+(?:above|high|tall|up)\b", plain) and (
        svo := subject_verb_object(text)
    ):  # "The viaduct, which carries the line 40 metres above the river, opened…": "how high is the viaduct"
        out += [f"how high is {svo[0]}", f"how tall is {svo[0]}"]
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
    for m in _FRACTION.finditer(plain):  # "1,180 babies last year, roughly a third of them at night"
        what = m["what"]
        if what.casefold() in {"them", "those", "these"}:
            counted = [c for how, c in _counted(plain[: m.start()]) if how == "how many" and c]
            what = counted[-1] if counted else ""
        if what:
            out += [f"what share of {what}", f"what proportion of {what}", f"what fraction of {what}"]
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
        negated = inverted is not None and " not " in f" {inverted[1]} "  # "how long will trains not run": no one asks
        if inverted is not None and len(inverted[1].split()) <= 12 and not negated:
            out.append(f"{how} {inverted[0]} {inverted[1]}".strip())
    return out


def _names_a_thing(topic: str) -> bool:
    """Whether a topic reads as a thing something happened with: a name or a determiner's noun phrase ("the
    review", "a rally", "Norvane Regional Rail"), not a count ("1,900 objections", "forty minutes"), an
    action ("working closely", "two crews covering") or a bare word ("engineers", "known")."""
    words = topic.split()
    if not words or any(re.search(r"\d", w) or w.casefold() in EN.number_words for w in words):
        return False
    if re.search(r"(?:ing|ly)$", words[-1]):
        return False
    return words[0].casefold() in EN.determiners or words[0][:1].isupper()


def claim_question(claim: Claim, asked: Sequence[str] = ()) -> str:
    """The entry's main question, as a reader asks it: "What did Hollis Varga say about the trust?",
    "What do two US officials say about talks?", "What happened with the Tollbridge unit?"; where the
    topic names no thing ("What happened with forty minutes?"), the first of its ``asked`` phrasings that
    asks the sentence back ("Will eight midwives from St Edra’s move to night shifts in Kellsport?")."""
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
        if not topic or topic.casefold() in EN.vague_topics or len(topic) < 4:
            return f"What else {verb} {who} say?"
        return f"What {verb} {who} say about {topic}?"
    # the sentence asked back, whole enough to hold its topic ("would surgery and maternity care save…" lost
    # "combining management" to a comma: no question for it)
    topical = {english_stem(w) for w in _Vocabulary.words(topic) if w.isalpha()}
    back = [
        p
        for p in asked
        if p.split()[0] in EN.auxiliaries | {"did", "does", "do"}
        and " it true that " not in p
        and topical <= {english_stem(w) for w in _Vocabulary.words(p)}
    ]
    if topic and not _names_a_thing(topic) and back:
        aux, _, rest = min(back, key=lambda p: len(p.split())).partition(" ")  # the shortest: no clause cut off
        if rest[:1].isupper() and _common_start(rest.split()):  # "will Eight midwives…" -> "Will eight midwives…"
            rest = rest[0].lower() + rest[1:]
        return f"{aux.capitalize()} {rest}?"
    return f"What happened with {topic}?" if topic else "What does the article report?"


ANSWER_WORDS = 50  # a short answer's most words: a long news sentence is still one Telegram line or three


def short_answer(claim: Claim) -> str:
    """A readable answer from the sentence (its quote stays the whole sentence, verbatim): no
    dateline, no role of the speaker (the attribution shows it), no ", which …," aside. A news
    sentence's last clause often holds its key fact ("…and were not necessarily a sign of imminent
    collapse", "…built before 1900"), so only a sentence over ``ANSWER_WORDS`` words is cut, where a
    clause ends."""
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
        if " and " not in m.group() and (
            _SPEECH_RE.fullmatch(verb) or verb.endswith("ed") or verb in EN.past_forms | EN.auxiliaries
        ):
            text = text[: m.start()] + " " + text[m.start("next") :]  # "The trust, which runs both, announced"
        break
    words = text.split()
    if len(words) > ANSWER_WORDS:
        cut = " ".join(words[:ANSWER_WORDS])
        at = max(cut.rfind(", "), cut.rfind("; "))
        text = (cut[:at] if at > len(cut) // 2 else cut).rstrip(" ,;") + " …"
        if text.count("“") > text.count("”"):
            text = text[:-2] + "…”"
    return text[0].upper() + text[1:] if text else claim.sentence.text


_AMOUNT = re.compile(
    rf"(?:\s+(?:to|by|of|at|for|from|with))?\s+{_APPROX}(?:\d[\d,.]*|{'|'.join(sorted(EN.number_words))})\b.*$",
    re.IGNORECASE,
)


def _before_amount(rest: str) -> str | None:
    """A clause asked "how much" without the amount it gives: "the authority raise its wage offer on
    Monday to 8.5 percent" -> "the authority raise its wage offer on Monday"; None when what is left
    is no question ("the company say passengers would receive", too short)."""
    asked = _AMOUNT.sub("", rest).strip(" ,;")
    words = asked.split()
    if len(words) < 3 or any(_SPEECH_RE.fullmatch(w.casefold()) for w in words):
        return None
    return asked


def _count_questions(text: str, counted: str, svo: tuple[str, str, str] | None) -> list[str]:
    """ "How many X" asked about what the sentence says of X itself, never about its other clauses:
    "38 replacement buses would run between the line’s nine stations" -> "how many replacement buses
    would run between the line’s nine stations"; "leaving about 6,200 daily passengers to rely on
    replacement buses" -> "how many daily passengers rely on replacement buses"; "the unit delivered
    612 babies" -> "how many babies did the unit deliver" (X is the verb's object). Nothing is made
    of a sentence's main verb that does not count X ("how many stone piers did the operator suspend")
    or of a speech verb ("how many carriers did the sources say")."""
    plain = _plain(text)
    numbers = "|".join(sorted(EN.number_words))
    out: list[str] = []
    owned: list[str] = []
    for m in re.finditer(rf"(?<![\w’']){re.escape(counted)}\b", plain, re.IGNORECASE):
        before = plain[max(0, m.start() - 40) : m.start()]
        if not re.search(rf"(?:\d|\b(?:{numbers}))\s+(?:of\s+(?:its|their|the|his|her)\s+)?(?:\w+\s+)?$", before):
            continue
        if owner := re.search(rf"\b(?P<owner>the (?:[\w-]+ ){{0,2}}?[\w-]+)[’']s {_APPROX}\S+ (?:\w+ )?$", before):
            # "the line’s nine stations": "how many stations does the line have"
            owned += [f"how many {counted} does {owner['owner']} have", f"how many {counted} are on {owner['owner']}"]
        clause = re.split(
            r"[,;.:“”]|\s+(?:though|although|while|because|after|before|when|but|and)\s+", plain[m.end() :]
        )
        words = clause[0].split()[:8]
        if words and words[0].casefold() == "to" and len(words) > 1:  # "…passengers to rely on buses"
            words = words[1:]
        elif words and words[0].casefold().endswith("ly") and len(words) > 1:  # "…pupils normally travel in"
            pass
        elif not words or not (
            words[0].casefold() in EN.auxiliaries | EN.past_forms or (words[0].endswith("ed") and len(words[0]) > 3)
        ):
            words = []
        while words and words[-1].casefold() in ENGLISH.stopwords:
            words.pop()
        if len(words) >= 2:
            out.append(f"how many {counted} {' '.join(words)}")
            break
    infinitive = re.search(
        rf"\b(?P<aux>to|will|would|must)\s+(?P<verb>[a-z]{{3,}})\s+{_APPROX}(?:\d[\d,.]*|{numbers})\s+"
        rf"(?:[\w-]+\s+)?{re.escape(counted)}\b",
        plain,
        re.IGNORECASE,
    )
    if not out and svo is not None and infinitive and infinitive["verb"] not in ENGLISH.stopwords:
        # "…, forcing it to cancel about 140 flights": "how many flights will Skerrow Air cancel"
        aux = "will" if infinitive["aux"].casefold() in {"to", "will"} else infinitive["aux"].casefold()
        out.append(f"how many {counted} {aux} {svo[0]} {infinitive['verb']}")
    has = re.search(
        rf"\b(?P<v>has|have|had)\s+{_APPROX}(?:\d[\d,.]*|{numbers})\s+(?:[\w-]+\s+)?{re.escape(counted)}\b", plain
    )
    if svo is not None and has and not re.match(r"(?:been|got)\b", plain[has.end() :].strip()):
        # "The unit is supposed to have 46 full-time midwives": "how many full-time midwives does the unit have"
        does = "did" if has["v"] == "had" else "does"
        for noun in dict.fromkeys([counted, counted.split()[-1]]):
            owned.append(f"how many {noun} {does} {svo[0]} have")
    if not out and svo is not None:
        subject, verb, obj = svo
        main = verb.split()[-1]
        if counted.casefold() in obj.casefold() and not _SPEECH_RE.fullmatch(main) and main not in EN.not_verbs:
            aux, action = (verb.split()[0], main) if len(verb.split()) > 1 else ("did", base_verb(main))
            out.append(f"how many {counted} {aux} {subject} {action}")
    return out + owned


PAY_FOR = re.compile(
    r"\b(?:would|will|is to|are to|agreed to|has agreed to|have agreed to|promised to|pledged to|offered to) "
    r"pay for (?P<what>(?:the |a |an |all )?[^,.;“”]+?)(?=,| and | but |\.|;|$)"
)


def _situation_questions(text: str) -> list[str]:
    """What readers ask of a situation, when the sentence answers it: a closure with its length or end
    ("will not run for at least three months") is asked "when will it reopen"; a sentence on safety or
    collapse "is it safe"; an event with its cause ("suspended … after an inspection found fractures")
    "what caused the closure"; "the government would pay for the buses" "who is paying for the buses"."""
    out: list[str] = []
    if _CLOSED.search(text) and _DURATION.search(text):
        out += EN.reader["reopen"]
    if re.search(r"\b(?:is|are|was|were|be|been|remains?|not) (?:yet |still )?(?:safe|unsafe)\b|\bsafety\b", text):
        out += EN.reader["safe"]
    if re.search(r"\bcollaps\w*", text, re.IGNORECASE):
        out += EN.reader["collapse"]
    cause = _WHY_WORDS.search(text) or _FOUND_CAUSE.search(text)
    if cause:  # what happened is before its cause: not "what caused the cracks"
        effect = (
            f" {text[: cause.start()].casefold()} "  # what happened, before its cause: not "what caused the cracks"
        )
        events = [e for e in EN.event_nouns if re.search(rf"\b{e}\b", effect)]
        for event in events[:1]:
            out += [p.format(event=event) for p in EN.reader["cause"]]
        if verb := re.search(rf"\b(?:{'|'.join(sorted(EN.closure_words))})\b", effect):
            out += [p.format(verb=verb.group()) for p in EN.reader["cause_verb"]]
    for m in PAY_FOR.finditer(text):
        what = " ".join(m["what"].split()[:6])
        out += [p.format(what=what) for p in EN.reader["pays"]]
    return out


def _borrows(question: str, text: str, vocab: _Vocabulary) -> bool:
    """Whether a reader's question for a sentence uses a word of another sentence that this one lacks:
    "when will it open again" on "will not run for months" would make the entry explain "opened" in
    "when was the viaduct opened?". Readers' words the article never writes are free."""
    own = {english_stem(w) for w in _Vocabulary.words(text)}
    article = vocab.stems()
    return any(english_stem(w) in article and english_stem(w) not in own for w in _Vocabulary.words(question))


# "In a letter to the trust dated March 13, the commission said…": what it said in, to whom, when
_MEDIUM = re.compile(
    r"^In (?:a|an|its|their|his|her) (?P<medium>letter|statement|report|interview|email|memo|submission|filing)"
    r"(?: to (?P<to>(?:the |a )?[\w’' -]+?))?(?: (?:dated|on|sent on|published on) (?P<date>[\w ]+?))?,"
)


# a speaker answering what others said: "Quillan denied that", "the company did not directly address that claim"
_RESPONSE = re.compile(rf"\b(?:{'|'.join(sorted(EN.response_verbs, key=len, reverse=True))})\b")


def pronoun_referent(text: str, previous: Claim | None) -> str:
    """Whom an article's sentence opening on "It", "He" or "She" means, from the sentence before: its
    subject for "It" ("The Brennock Valley Health Trust … announced the merger" / "It says combining…"),
    the person of that gender it names for "He"/"She"; "" for an "it" that stands for nothing ("It
    was not clear whether…", "It remains unclear…") or when the sentence before does not tell."""
    m = re.match(r"(?P<pronoun>It|He|She)\s+(?P<verb>[\w’']+)\s+(?P<next>[\w’']+)", text)
    if m is None or previous is None:
        return ""
    if m["pronoun"] != "It":
        gender = "f" if m["pronoun"] == "She" else "m"
        named = [p for p in previous.people if p.kind == "person" and p.gender == gender]
        return named[0].short if len(named) == 1 else ""
    verb, after = m["verb"].casefold(), m["next"].casefold()
    if verb in EN.linking_verbs or (verb in EN.auxiliaries and not after.endswith("ing") and after != "also"):
        return ""  # "It was not clear…", "It remains unclear…"; "It is also starting…" has a subject
    svo = subject_verb_object(_DATELINE.sub("", previous.sentence.text))
    subject = svo[0] if svo else ""
    if not subject or subject.split()[0].casefold() in EN.subject_pronouns | {"it", "they", "this", "that"}:
        return ""
    return subject[0].lower() + subject[1:] if subject.split()[0] in {"The", "A", "An"} else subject


def _medium_questions(text: str, speaker: str) -> list[str]:
    """What readers ask of words said in a letter or statement: "what did the commission say in its
    letter", "what was in the letter", "when did the commission write to the trust", "when was the
    letter dated" (the last two only where the sentence names whom it went to, or its date)."""
    m = _MEDIUM.match(text)
    if not m:
        return []
    medium = m["medium"]
    out = [f"what did {speaker} say in the {medium}", f"what was in the {medium}", f"what did the {medium} say"]
    if m["to"] and medium in {"letter", "email", "memo", "submission"}:
        out += [f"when did {speaker} write to {m['to']}", f"what did {speaker} write to {m['to']}"]
    if m["date"]:
        out += [f"when was the {medium} dated", f"what date was the {medium}", f"when was the {medium} sent"]
    return out
