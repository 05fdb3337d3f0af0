"""The English the drafting rules read an article with, as data: ``english.json`` (word lists and the
fixed reader phrasings) and ``thesaurus.json`` (everyday words for news English), beside this file.

Generic language data, like ``bot.text.ENGLISH``: nothing in either file is about any article. The
rules (regular expressions over sentence shapes) stay in the stage modules; the words they look for
are read from here, so another language is another pair of files.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_HERE = Path(__file__).parent


@dataclass(frozen=True, slots=True)
class DraftEnglish:
    """The drafting rules' word lists. Sets are looked up; tuples keep an order that matters."""

    particles: frozenset[str]  # lower-case words inside a name ("bin", "van")
    titles: frozenset[str]  # words of a title written before a name ("Mayor", "Health Minister")
    honorifics: frozenset[str]  # titles that are no role ("Dr", "Ms"): never "X is the Dr"
    role_words: frozenset[str]  # nouns that say what a person is ("midwife", "chief")
    role_modifiers: frozenset[str]  # words before a role ("retired", "deputy")
    org_words: frozenset[str]  # last words that make a capitalised run an organisation
    place_words: frozenset[str]  # ... a place
    law_words: frozenset[str]  # ... a law
    speech_verbs: tuple[str, ...]  # "said", "told": the regular expression's alternation, in order
    pronouns: frozenset[str]  # subject pronouns a speaker can be ("he said")
    time_words: frozenset[str]
    past_forms: frozenset[str]  # irregular past tenses ("met", "held")
    auxiliaries: frozenset[str]
    source_nouns: frozenset[str]  # nouns of an unnamed source ("officials", "diplomats")
    speech_adverbs: frozenset[str]  # "also", "later": dropped from who said it
    male_words: frozenset[str]
    female_words: frozenset[str]
    number_words: frozenset[str]
    money_words: frozenset[str]
    irregular_plurals: frozenset[str]
    object_stops: frozenset[str]  # prepositions that end a verb's object
    opener_skips: frozenset[str]  # a sentence's leading clause, skipped to find its subject
    not_verbs: frozenset[str]  # "due", "set": a copula's complement, no action to ask about
    units: Mapping[str, frozenset[str]]  # "how far" -> kilometres, miles...
    determiners: frozenset[str]
    generic_heads: frozenset[str]  # "one", "way": no noun phrase's head
    noun_phrase_stops: frozenset[str]  # words that end the noun phrase a clause opens on
    subject_pronouns: frozenset[str]
    vague_topics: frozenset[str]  # "nobody", "this": no topic to ask about
    leading_roles: frozenset[str]  # roles that run something ("president", "chief")
    who_keywords: tuple[str, ...]  # words a "who is X?" question uses ("job", "role")
    where_nouns: frozenset[str]  # places an unnamed thing can be ("hotel")
    unnamed_group_nouns: frozenset[str]  # "at least two carriers", "other airlines": a group readers ask the names of
    unnamed_one_nouns: frozenset[str]  # "a charter operator", "a supplier": one thing readers ask the name of
    role_holders: frozenset[str]  # roles readers ask the holder's name of ("mayor")
    child_words: frozenset[str]  # the article says a person has children ("her first son was born")
    spouse_words: frozenset[str]  # the article says whether a person is married ("my husband works nights")
    colloquial: Mapping[str, tuple[str, ...]]  # how readers refer to a person in passing, by gender
    boss_roles: frozenset[str]  # roles besides the leading ones that make a person "the boss"
    name_keywords: tuple[str, ...]  # a note about a missing name: the words readers ask it with
    role_name_keywords: tuple[str, ...]  # ... the name of a role's holder
    outcome_keywords: tuple[str, ...]  # a note about an outcome still to come
    closure_words: frozenset[str]  # a service or place closed ("suspended", "shut")
    event_nouns: tuple[str, ...]  # what readers ask the cause of ("closure", "strike")
    incident_words: frozenset[str]  # an incident readers ask whether anyone was hurt in
    harm_words: frozenset[str]  # the article says whether anyone was hurt
    project_nouns: tuple[str, ...]  # what readers ask the cost of ("merger", "repair"), first found first
    structure_words: frozenset[str]  # a named structure readers ask the size of ("viaduct")
    countable_nouns: frozenset[str]  # readers ask how many there are ("midwives", "trains")
    linking_verbs: frozenset[str]  # "It remains unclear…": an "it" that stands for nothing named
    aside_openers: frozenset[str]  # ", which runs both hospitals,": an aside that is a clause of its own
    relative_openers: frozenset[str]  # ", which carries the line…,", ", who chairs the union,": an aside asked apart
    synonym_only: frozenset[str]  # "said": a group's own word whose variants are synonyms only, no sentence's keywords
    participles: frozenset[str]  # "has become", "have run": a past participle no "-ed" or irregular table shows
    noun_bases: frozenset[str]  # "figure", "record": a past tense's base form readers use as a noun first
    response_verbs: tuple[str, ...]  # a speaker answers what others said ("denied", "did not address")
    org_nouns: Mapping[str, tuple[str, ...]]  # a name's last word -> what readers call it ("Skerrow Air": airline)
    kind_keywords: Mapping[str, tuple[str, ...]]  # an entry of a question kind: the words readers ask it with
    reader: Mapping[str, tuple[str, ...]]  # fixed reader phrasings; "{name}", "{short}" filled in
    thesaurus: tuple[tuple[str, ...], ...]  # groups: the article's word first, then readers' words
    senses: Mapping[tuple[str, ...], str]  # a group -> the pattern the article must match for its sense


def _load(words: Mapping[str, Any], groups: list[Any]) -> DraftEnglish:
    """The typed value from the two files' JSON."""
    values: dict[str, Any] = {}
    for name, kind in DraftEnglish.__annotations__.items():
        if name in ("thesaurus", "senses"):
            continue
        raw = words[name]
        if kind.startswith("frozenset"):
            values[name] = frozenset(raw)
        elif kind.startswith("tuple"):
            values[name] = tuple(raw)
        elif name == "units":
            values[name] = {k: frozenset(v) for k, v in raw.items()}
        else:
            values[name] = {k: tuple(v) for k, v in raw.items()}
    thesaurus = tuple(tuple(g["words"] if isinstance(g, dict) else g) for g in groups)
    senses = {tuple(g["words"]): g["sense"] for g in groups if isinstance(g, dict)}
    return DraftEnglish(**values, thesaurus=thesaurus, senses=senses)


EN = _load(
    json.loads((_HERE / "english.json").read_text(encoding="utf-8")),
    json.loads((_HERE / "thesaurus.json").read_text(encoding="utf-8"))["groups"],
)
