"""Reading a news sentence by rules, not a parser: its subject, verb and object, its clauses turned
into question word order, its noun phrases and topic, what it counts, and the kinds of question it can answer.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence

from bot.draft.attribution import Claim
from bot.draft.names import (
    _DATELINE,
    _SPEECH,
    _SPEECH_RE,
    _tokens,
)
from bot.draft.words import EN
from bot.matcher import normalize
from bot.text import ENGLISH, english_stem

_WHY_WORDS = re.compile(
    r"\b(?:because|due to|prompted|leading to|in order to|so that|needed to|to keep|blamed?|blames|"
    r"reason|caus(?:e|ed|ing)|once(?= the)|over (?!the (?:weekend|past|last|next)\b)(?:the |its |their |a )?\w+)\b",
    re.IGNORECASE,
)


_CLOSED = re.compile(
    rf"\b(?:will not (?:run|open|operate|sail|fly|reopen)|{'|'.join(sorted(EN.closure_words))})\b", re.IGNORECASE
)
# how long a closure lasts, or when it ends: "for at least three months", "a minimum of 12 weeks", "a reopening date"
_DURATION = re.compile(
    r"\b(?:for (?:at least |more than |about |up to |a minimum of )?(?:\w+ )?(?:days?|weeks?|months?|years?)\b|"
    r"a minimum of \w+ (?:days|weeks|months)|until\b|reopen\w*|more than a year)",
    re.IGNORECASE,
)
# "…hours after a routine inspection found fractures": what was found is why
_FOUND_CAUSE = re.compile(r"\b(?:after|following)\b[^,.;]{0,60}?\b(?:found|discovered|revealed|showed|detected)\b")
# "…grounded nine planes after one of them lost power", "…turned back when the crew reported a drop",
# "…amid a pay dispute", "…, forcing it to cancel flights": a cause the sentence states in a clause of its
# own (a subject and a past verb after "after"/"when"), not a time ("11 minutes after departure")
_PAST = "|".join(sorted(EN.past_forms))
_CAUSE_CLAUSE = re.compile(
    rf"\b(?:after|when|once)\s+(?!(?:about |some |nearly )?\w+ (?:minutes?|hours?|days?|weeks?|months?|years?)\b)"
    rf"(?:[\w’'-]+,?\s+){{1,8}}?(?:\w{{3,}}ed|{_PAST})\b|"
    r"\b(?:amid|in the wake of|in response to|as a result of|forcing|forced|prompting)\b|"
    r"^(?:After|Following)\b|, following\b",
)
_PLACE_PREP = re.compile(r"\b(?:in|at|near|from|outside|to|into|across)\s+(?:the\s+)?([A-Z][\w’'-]+)")


# "in a radio interview", "at a hotel", "outside the hospital": where something was said or done, uncapitalised
_SETTING = re.compile(
    r"\b(?:at|outside|inside|near|in|on)\s+(?:a|an|the|its|their)\s+(?:[\w’'-]+\s+){0,2}?(?:interview|conference|"
    r"rally|meeting|hotel|hospital|station|court|office|gates?|building|site|port|street|square|hall|school|"
    r"statement|briefing|programme|program|broadcast|radio|television|line|picket|border|terminal|road|"
    r"assembly|parliament|council|senate|chamber|capital|city|town|village|region|country)\b"
)


class _Vocabulary:
    """How rare each word is among the article's sentences: rare words tell entries apart."""

    def __init__(self, texts: Iterable[str]) -> None:
        docs = [set(self.words(t)) for t in texts]
        self.counts = Counter(w for d in docs for w in d)
        self.idf = {w: math.log((1 + len(docs)) / (1 + n)) + 1 for w, n in self.counts.items()}

    def stems(self) -> frozenset[str]:
        """The stems of every word the article's sentences use."""
        return frozenset(english_stem(w) for w in self.counts)

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


def _plural_noun(word: str) -> bool:
    return word.endswith("s") or word in EN.irregular_plurals


def _counted(text: str) -> list[tuple[str, str]]:
    """(how many|how much, the counted words) for each number in a text."""
    toks = [t.group() for t in _tokens(text)]
    out = []
    for n, tok in enumerate(toks):
        low = tok.casefold()
        if not (re.fullmatch(r"\d[\d.,]*", tok) or low in EN.number_words) or re.fullmatch(r"\d{4}", tok):
            continue  # "Merlin 70s", "HP-400": a name, not a count
        following = [w.casefold() for w in toks[n + 1 : n + 5]]
        if following[:1] == ["of"] and len(following) > 2:  # "about 300 of its pupils"
            following = following[2:] if following[1] in {"its", "their", "the", "his", "her"} else following[1:]
        if following and following[0] in EN.number_words | {"million", "billion", "thousand"}:
            following = following[1:]
        if not following:
            continue
        costs = any(w.casefold() in {"cost", "costs", "costing", "spend", "spent"} for w in toks[max(0, n - 4) : n])
        if following[0] in EN.money_words or costs:  # "would cost it about 4.5 million dalers": an amount
            rest = [w for w in following[1:] if w not in ENGLISH.stopwords][:1]
            out.append(("how much", " ".join(rest)))
        elif following[0] in EN.time_words or low.endswith(("th", "st", "nd", "rd")):
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
    if words & EN.time_words or re.search(r"\b1[5-9]\d\d\b|\b20\d\d\b", text):
        kinds.append("when")
    if _PLACE_PREP.search(text) or _SETTING.search(text) or any(p.kind == "place" for p in claim.people):
        kinds.append("where")
    if states_cause(text):
        kinds.append("why")
    if "when" not in kinds and _CLOSED.search(text) and _DURATION.search(text):
        kinds.append("when")  # "will not run for at least three months": when it reopens
    counted = {how for how, _ in _counted(_without_source(claim))}
    if counted & {"how many", "how much"}:
        kinds.append("how_many")
    if claim.speech != "article":
        kinds.append("opinion")
    return kinds


def _without_source(claim: Claim) -> str:
    """The sentence without its unnamed source's own words: "Two people familiar with the planning said
    board members had discussed…" counts no people a reader asks about ("how many board members…")."""
    text = claim.sentence.text
    if not claim.unnamed or claim.speech == "article":
        return text
    return re.sub(re.escape(claim.unnamed), " ", text, count=1, flags=re.IGNORECASE)


def states_cause(text: str) -> bool:
    """Whether a sentence says why what it reports happened: "because", "over pay", "after an
    inspection found…", or a cause clause of its own ("after one of its planes lost power")."""
    return bool(_WHY_WORDS.search(text) or _FOUND_CAUSE.search(text) or _CAUSE_CLAUSE.search(text))


def _last_noun_phrase(text: str) -> str | None:
    """The last "a/an/the …" phrase of a clause, up to "for": what "declined to describe it" refers to."""
    m = list(re.finditer(r"\b(?:a|an|the) ((?:[\w’'-]+ ){0,5}?[\w’'-]+?)(?= for |$)", text.rstrip(" ,")))
    return m[-1].group(1) if m else None


def _clauses(text: str) -> list[str]:
    parts = [p.strip() for p in re.split(r",\s+(?:and|but|while|with|as|leading|saying|adding)\b|;\s+|,\s+", text)]
    return [p for p in parts if len(p.split()) >= 4]


def base_verb(word: str) -> str:
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
    if w in EN.past_forms:
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
    if first.casefold() in ENGLISH.stopwords or first.casefold() in EN.number_words:
        return not (len(words) > 1 and words[1][:1].isupper() and first.casefold() not in {"the", "a", "an"})
    nxt = words[1] if len(words) > 1 else ""
    common = ENGLISH.is_word(first.casefold()) or (len(first) < 4 and first.isalpha())  # the list starts at 4 letters
    return common and not nxt[:1].isupper()


_SUBJECT_PREPS = frozenset({"from"})  # "a flight from Varnholt to…": where it came from is no part of what it is
_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
_DATE_OPENER = re.compile(
    rf"^(?:(?:{_MONTHS})\s+\d{{1,2}}|\d{{1,2}}\s+(?:{_MONTHS}))(?:,?\s+\d{{4}})?,\s+", re.IGNORECASE
)


def subject_verb_object(text: str) -> tuple[str, str, str] | None:
    """(subject, past verb, object) of a simple news sentence, or None. Rules, not a parser: the
    verb is the first past-tense word after the subject; the object runs to a preposition or comma."""
    text = _DATELINE.sub("", text)
    appositive = re.match(r"^(?P<subject>[^,“”]{2,60}?),\s[^,“”]{3,90},\s(?P<next>[\w’'-]+)", text)
    if appositive:  # "The mediator, retired labour court judge Eleanor Voss, met …": the verb is "met"
        nxt = appositive["next"].casefold()
        if nxt in EN.past_forms | EN.auxiliaries or _SPEECH_RE.fullmatch(nxt) or (nxt.endswith("ed") and len(nxt) > 4):
            text = appositive["subject"] + " " + text[appositive.start("next") :]
    words = text.split()
    first = words[0].casefold().strip(",") if words else ""
    if first in EN.opener_skips and "," in " ".join(words[:14]):
        head = " ".join(words).split(",", 1)
        words = head[1].split() if len(head) > 1 else words
        # "On Friday, November 20, a flight…": the date the weekday opens on is the opener's too
        words = _DATE_OPENER.sub("", " ".join(words), count=1).split() or words
    for n, raw in enumerate(words[1:], start=1):
        w = raw.strip(",.;:”“").casefold()
        before = words[n - 1].casefold()
        if w in EN.auxiliaries or (
            (w in EN.past_forms or (w.endswith("ed") and len(w) > 3)) and before not in {"the", "a", "an", "its"}
        ):
            subject = re.sub(r",[^,]*,", "", " ".join(words[:n])).strip(" ,")  # "X, the chief executive, said"
            if re.search(r"\d{3}\b", subject) and re.search(r"[a-z]\d", subject):
                return None  # "…district, home to about 4,000 people": an appositive cut at its number
            if len(subject.split()) > 8 and "," not in subject:  # "a flight from Varnholt to the island town of…"
                cut = next((k for k, x in enumerate(subject.split()[2:], 2) if x.casefold() in _SUBJECT_PREPS), 0)
                subject = " ".join(subject.split()[:cut]) if cut else subject
            if "," in subject or len(subject.split()) > 8 or "“" in subject:
                return None
            if {x.casefold() for x in subject.split()} & {"not", "did", "does", "do", "who", "that", "which"}:
                return None  # "the commission did not say who": no subject of "would carry"
            verb_words = [w]
            rest = words[n + 1 :]
            if w in EN.auxiliaries and rest:
                verb_words.append(rest[0].strip(",.").casefold())
                rest = rest[1:]
            obj: list[str] = []
            for r in rest:
                lw = r.casefold().strip(",.;:”“")
                if lw in EN.object_stops or not lw:
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
    trailing = _TRAILING_SAID.match(text)
    if trailing and any(_verbish(w) for w in trailing["what"].split()):
        what = trailing["what"]  # "Trains will not run…, the operator said on Tuesday, …"
        if _common_start(what.split()):
            what = what[0].lower() + what[1:]
        return trailing["verb"], what
    m = re.search(rf"\b(?P<verb>{_SPEECH})\s+(?P<what>[^;]+)", text)
    if not m:
        return None
    what = re.sub(r"^(?:on \w+,? |in a \w+,? )?(?:that\s+)?", "", m["what"])
    told = re.match(r"^(?:[\w’'-]+\s+){1,5}?(?:on \w+\s+)?that\s+(?P<rest>.+)$", what)
    if m["verb"] == "told" and told:  # "told parliament on Monday that the government would…"
        what = told["rest"]
    return m["verb"], what


# "…, the line’s operator said on Tuesday, leaving…": the speaker after what was said
_TRAILING_SAID = re.compile(
    rf"^(?P<what>[^“”]{{20,}}?),\s+(?P<who>(?:the|its|their)\s+[^,“”]{{2,60}}?|[A-Z][\w’'-]+(?:\s[A-Z][\w’'-]+){{0,3}})"
    rf"\s+(?P<verb>{_SPEECH})(?:\s+on\s+\w+)?(?=[,.;]|$)"
)


_DANGLING = frozenset(
    "a an the and or but that to up of in on at by for from with its their his her our after before as than into"
    " about over between".split()
)


def _words(text: str, n: int) -> str:
    """The first n words of a text; cut short, never ending on a function word ("…could take up to")."""
    words = text.split()
    kept = words[:n]
    if len(words) > n:
        while len(kept) > 3 and kept[-1].strip(",;:").casefold() in _DANGLING:
            kept.pop()
    return " ".join(kept).rstrip(",;:")


_UNIT_WORDS = {unit: how for how, units in EN.units.items() for unit in units}


def _sentence_case(phrase: str) -> str:
    """A phrase from the start of a sentence, as it reads mid-sentence: "Two US officials" -> "two US
    officials", "An Israeli official" -> "an Israeli official", "Shipping industry sources" unchanged."""
    first, _, rest = phrase.partition(" ")
    low = first.casefold()
    if low in ENGLISH.stopwords or low in EN.number_words or low in EN.role_modifiers:
        return f"{low} {rest}".strip()
    return phrase


def _plural(phrase: str) -> bool:
    words = re.sub(r"\s+(?:who|familiar|with|from|at|of)\b.*$", "", phrase).split()
    return bool(words) and (words[-1].endswith("s") or words[-1] in {"people", "police"} or " and " in phrase)


_DETERMINERS = EN.determiners | EN.number_words


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
            if not bare or bare in ENGLISH.stopwords or _verbish(bare) or bare in EN.pronouns:
                break
            phrase.append(nxt.rstrip(",.;:!?"))
            if nxt != nxt.rstrip(",.;:!?"):
                break
        content = [w for w in phrase[1:] if len(w) > 2]
        if content and phrase[-1].casefold() not in EN.generic_heads:
            out.append(" ".join(phrase))
    return out


_MEDIUM = re.compile(
    r"(?:(?:in|on|to)\s+)?(?:an?|the|its|their|his|her)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:statement|interview|post|letter|email|briefing)(?:\s+on\s+\w+)?",
    re.I,
)


def _topic(text: str, speaker: str = "", *, speech: bool = True) -> str:
    """What a sentence is about, as a reader would name it: its subject (or, when the subject is a
    speaker, the subject of what they said), at most six words; else its first content words."""
    text = _DATELINE.sub("", text)
    said = re.search(rf"\b(?:{_SPEECH})\s+(?:that\s+)?(?P<rest>[^“”]+)", text) if speech else None
    if speech and (trailing := _TRAILING_SAID.match(text)):  # "X has grounded nine…, the airline said, forcing…"
        said = re.match(r"(?P<rest>.+)", trailing["what"])
    svo = subject_verb_object(said["rest"] if said else text) or subject_verb_object(text)
    topic = svo[0] if svo else ""
    skip = {w.casefold() for w in speaker.split()} - ENGLISH.stopwords  # "The company": not "the"
    if (
        not topic
        or topic.casefold() in EN.pronouns | {"it", "they", "we", "i", "this", "that", "who", "what", "which"}
        or skip & {w.casefold() for w in topic.split()}
    ):
        opens_on_quote = text.startswith("“") and bool(_quoted(text))  # "“…,” said X, a Y": the quote's topic
        rest = said["rest"] if said and said["rest"].strip(" .,") and not opens_on_quote else ""
        spoken = _MEDIUM.sub("", re.sub(r"[“”]", "", rest or _quoted(text) or text))  # "in a statement": no topic
        phrases = [np for np in _noun_phrases(spoken) if not skip & {w.casefold() for w in np.split()}]
        topic = phrases[0] if phrases and speech else _noun_phrase(spoken, skip)
    if len(topic.split()) < 1 or topic.casefold() in ENGLISH.stopwords:  # the content words it opens on
        words = [
            w
            for w in re.findall(r"[\w’'-]+", _MEDIUM.sub("", text))
            if w.casefold() not in ENGLISH.stopwords | skip and not _SPEECH_RE.fullmatch(w.casefold())
        ]
        topic = " ".join(words[:2])  # two words read as a phrase ("pouring concrete"), four as keywords
    kept = topic.split()[:8]
    while kept and kept[0].casefold() in {"but", "and", "yet", "so", "also", "though", "although", "while"}:
        kept.pop(0)
    if kept and re.fullmatch(r"[a-z]+ly", kept[0]) and kept[0] not in {"early", "family", "only"}:
        # "did not directly address that claim": not "directly address" but what it did not address
        after = re.search(
            rf"\b{re.escape(kept[0])}\s+[a-z]+\s+(?P<np>(?:the|that|this|these|those|its|their|a|an)\s+[\w’'-]+)", text
        )
        return after["np"] if after else ""

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
        w in EN.past_forms | EN.auxiliaries | {"cannot", "can’t", "can't", "must", "should", "do", "does"}
        or bool(_SPEECH_RE.fullmatch(w))
        or (w.endswith("ed") and len(w) > 3)  # "died" too
    )


_PRESENT_VERBS = frozenset(ENGLISH.irregular.values())


def _noun_phrase(text: str, skip: set[str]) -> str:
    """The words a clause opens on, up to its verb: "combining management, surgery and maternity care"."""
    words: list[str] = []
    for raw in text.split():
        w = raw.strip(",.;:")
        # "The cancellations fall hardest on…": a present verb after a plural noun ends the phrase
        present = bool(words) and w.casefold() in _PRESENT_VERBS and re.search(r"[^s]s$", words[-1].casefold())
        if _verbish(w) or present or w.casefold() in skip or w.casefold() in EN.noun_phrase_stops:
            if words:
                break
            continue
        words.append(raw)
        if raw.endswith((",", ";", ":", ".")) and len(words) >= 2 and not raw.endswith(","):
            break
    while words and words[-1].strip(",").casefold() in ENGLISH.stopwords:
        words.pop()
    while words and words[0].casefold() in EN.pronouns | {"it", "they", "we", "i", "what"}:
        words.pop(0)
    return " ".join(words[:6]).rstrip(",;:")


def _participle(word: str) -> bool:
    """A past participle that shows no "-ed": "become", "taken", "gone" ("has become the main sticking point"
    asks "has X become…", never "does X have become…")."""
    w = word.casefold().strip(",.;:")
    return w in EN.participles or w in ENGLISH.irregular


_BEFORE_ADJECTIVE = frozenset(
    {"the", "a", "an", "on", "of", "in", "for", "with", "from", "its", "their", "his", "her", "our"}
)


def _invert(clause: str) -> tuple[str, str] | None:
    """(auxiliary, rest) of a clause turned into a question's word order: "births would move from X"
    -> ("would", "births move from X"); "the trust announced the merger" -> ("did", "the trust announce the
    merger"). None where the clause has no plain subject before its verb."""
    words = _plain(clause).split()
    for n, raw in enumerate(words[:10]):
        w = raw.casefold().strip(",")
        if raw.endswith(",") and w not in EN.auxiliaries:  # "Under the plan, births…": no plain subject
            return None
        if n == 0:
            continue
        if (w in EN.auxiliaries or w in EN.past_forms or w.endswith("ed")) and (
            any(x.casefold().strip(",") in EN.subject_pronouns | {"us", "them", "me", "that"} for x in words[1:n])
            or words[0].casefold() in EN.time_words  # "hours after a routine inspection found…": no subject
        ):
            return None  # "they keep telling us it is…", "the mothers we have to plan for…": no plain subject
        if w in EN.auxiliaries or w in {
            "did",
            "does",
            "do",
        }:  # "the commission did not say…" -> "did the commission not say…"
            subject = " ".join(words[:n])
            after = words[n + 1].casefold() if n + 1 < len(words) else ""
            if w in {"has", "have", "had"} and not (
                _verbish(after) or _participle(after) or after in {"not", "yet", "already", "also"}
            ):
                # "the service usually had two crews": "had" is the verb -> "did the service usually have two crews"
                return ("did" if w == "had" else "does" if w == "has" else "do"), " ".join(
                    [subject, "have", *words[n + 1 :]]
                )
            return w, " ".join([subject, *words[n + 1 :]])
        if w in EN.past_forms or (
            w.endswith("ed") and len(w) > 3 and words[n - 1].casefold() not in _BEFORE_ADJECTIVE
        ):  # "passengers on cancelled flights can rebook": "cancelled" describes, "can" is the verb
            return "did", " ".join([*words[:n], base_verb(w), *words[n + 1 :]])
    return None
