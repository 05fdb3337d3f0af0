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

The stages, one module each: ``names`` (who the article names), ``attribution`` (who says each
sentence), ``grammar`` (reading a sentence by rules), ``phrasing`` (readers' questions and the short
answer), ``entries`` and ``notes`` (what is proposed), ``prune`` (what survives ``check``). The page
itself is read by ``bot.page``; the English the rules read it with is data, in ``english.json`` and
``thesaurus.json`` (``words``).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from bot.draft.attribution import Claim, claims
from bot.draft.entries import _article_entries, _claim_entries, _who_entries, synonyms_for
from bot.draft.grammar import _Vocabulary, subject_verb_object
from bot.draft.names import Person, find_people
from bot.draft.notes import _article_notes, _note_entries, _unnamed_role_notes
from bot.draft.phrasing import MIN_PHRASINGS, claim_phrasings, claim_question, question_forms, short_answer
from bot.draft.prune import _dedupe, _fix_lint, _link, _strip, _top_up, prune
from bot.page import Page, sentences

__all__ = [
    "SCHEMA_REF",
    "Claim",
    "Draft",
    "Person",
    "claim_phrasings",
    "claim_question",
    "claims",
    "draft",
    "find_people",
    "prune",
    "question_forms",
    "short_answer",
    "subject_verb_object",
    "synonyms_for",
]

SCHEMA_REF = "faq.schema.json"


@dataclass(slots=True)
class Draft:
    """A drafted faq.json and the report lines saying what was guessed."""

    data: dict[str, Any]
    report: list[str]


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
        *_claim_entries(claims_, vocab, taken, people),
        *_who_entries(people, taken, claims_),
        *_note_entries(claims_, taken),
        *_unnamed_role_notes(claims_, people, taken),
        *_article_notes(claims_, taken),
    ]
    _dedupe(entries)
    for entry in entries:
        if len(entry["phrasings"]) < MIN_PHRASINGS:
            _top_up(entry)  # a sentence's fact stays, asked by its own key words
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
