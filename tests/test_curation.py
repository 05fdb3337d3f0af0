"""`check` beyond loading: misspelt fields, phrasings that reach another entry, quotes that are
almost verbatim, synonyms that rewrite ordinary words; the schema; quotes from the page header."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from bot import curation, knowledge, render
from bot.matcher import Match, Matcher
from tests.conftest import ROOT, SHIPPED_FAQ, SYNTHETIC_FAQ
from tests.test_cli import bot

PORT_ALDER_FAQ = ROOT / "tests" / "data" / "port-alder" / "faq.json"
SCHEMA = json.loads((ROOT / "faq.schema.json").read_text(encoding="utf-8"))
SHIPPED = [SHIPPED_FAQ, SYNTHETIC_FAQ, PORT_ALDER_FAQ]


def _check(raw: dict, tmp_path: Path) -> list[str]:
    path = tmp_path / "faq.json"
    path.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    result = bot("check", "--faq", str(path))
    assert "Traceback" not in result.stderr
    assert (result.returncode == 0) == (not result.stdout.strip() or "OK" in result.stdout), result.stdout
    return result.stdout.splitlines() if result.returncode else []


def _entry(raw: dict, entry_id: str) -> dict:
    return next(e for e in raw["entries"] if e["id"] == entry_id)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.parent.name)
def test_the_shipped_files_validate_against_the_schema_and_name_it(path: Path) -> None:
    raw = json.loads(path.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    jsonschema.validate(raw, SCHEMA)
    assert (path.parent / raw["$schema"]).resolve() == (ROOT / "faq.schema.json").resolve()


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.parent.name)
def test_check_is_clean_on_every_shipped_file(path: Path) -> None:
    result = bot("check", "--faq", str(path))
    assert result.returncode == 0, result.stdout


def test_the_schema_and_check_know_the_same_fields() -> None:
    defs = SCHEMA["$defs"]
    assert set(SCHEMA["properties"]) == curation.TOP_FIELDS
    assert set(defs["article"]["properties"]) == curation.ARTICLE_FIELDS
    assert set(defs["entry"]["properties"]) == curation.ENTRY_FIELDS
    assert set(defs["quote"]["properties"]) == curation.QUOTE_FIELDS
    assert tuple(defs["questionKind"]["enum"]) == curation.QUESTION_KINDS


def test_a_schema_reference_is_accepted_and_ignored(synthetic_raw: dict) -> None:
    synthetic_raw["$schema"] = "https://example.org/faq.schema.json"
    kb, problems = knowledge.parse(synthetic_raw)
    assert kb is not None and not problems
    assert curation.field_problems(synthetic_raw, "faq.json") == []


def test_misspelt_field_names_are_named_with_the_nearest_valid_one(synthetic_raw: dict, tmp_path: Path) -> None:
    entry = _entry(synthetic_raw, "hours")
    entry["keyword"] = entry.pop("keywords", ["hours"])
    entry["releated"] = entry.pop("related")
    entry["quotes"][0]["speakr"] = "Someone"
    synthetic_raw["article"]["titel"] = "x"
    synthetic_raw["_comment"] = "comments are fine"
    entry["_note"] = "so is this"
    lines = _check(synthetic_raw, tmp_path)
    assert len(lines) == 4, lines
    assert any("top level: field 'article.titel': unknown field: did you mean `title`?" in line for line in lines)
    assert any("entry 'hours': field 'keyword': unknown field: did you mean `keywords`?" in line for line in lines)
    assert any("entry 'hours': field 'releated': unknown field: did you mean `related`?" in line for line in lines)
    assert any("entry 'hours': field 'quotes[0].speakr': unknown field: did you mean `speaker`?" in x for x in lines)
    assert all(line.startswith(str(tmp_path / "faq.json")) for line in lines)


def test_question_kind_fields_take_known_kinds_only(synthetic_raw: dict) -> None:
    entry = _entry(synthetic_raw, "cost")
    entry["kinds"] = ["how_many", "what"]
    entry["lacks"] = ["how many", "wen"]
    entry["about"] = ["Helen Ortiz"]
    problems = [str(p) for p in curation.field_problems(synthetic_raw, "faq.json")]
    assert problems == [
        "faq.json: entry 'cost': field 'lacks': unknown question kind 'how many': did you mean `how_many`?",
        "faq.json: entry 'cost': field 'lacks': unknown question kind 'wen': did you mean `when`?",
    ]


class _SendsTo:
    """A matcher stand-in that answers every question with one entry, or with a choice of two."""

    def __init__(self, kb: knowledge.KnowledgeBase, *ids: str) -> None:
        self.entries = tuple(e for i in ids if (e := kb.get(i)) is not None)

    def match(self, question: str) -> Match:
        if len(self.entries) == 1:
            return Match(question, "answered", 90.0, self.entries[0], ())
        return Match(question, "ambiguous", 50.0, None, self.entries)


def test_every_phrasing_that_misses_its_entry_is_named_with_the_entry_it_reaches(
    synthetic_kb: knowledge.KnowledgeBase,
) -> None:
    problems = curation.phrasing_problems(synthetic_kb, _SendsTo(synthetic_kb, "hours"))  # type: ignore[arg-type]
    phrasings = sum(len(e.phrasings) for e in synthetic_kb.entries if e.id != "hours")
    assert len(problems) == phrasings  # every phrasing, not only each entry's first
    first = synthetic_kb.entries[0]
    assert str(problems[0]) == (
        f"{synthetic_kb.path}: entry '{first.id}': field 'phrasings[0]': {first.phrasings[0]!r} reaches 'hours' instead"
    )
    ambiguous = curation.phrasing_problems(synthetic_kb, _SendsTo(synthetic_kb, "cost", "hours"))  # type: ignore[arg-type]
    assert "is ambiguous between 'cost', 'hours'" in str(ambiguous[0])


class _TurnsAway:
    """A matcher stand-in that reaches each phrasing's own entry but says it is not in the article."""

    def __init__(self, kb: knowledge.KnowledgeBase) -> None:
        self.owner = {q: e for e in kb.entries for q in e.phrasings}

    def match(self, question: str) -> Match:
        return Match(question, "no_match", 90.0, self.owner[question], ())


def test_a_phrasing_its_answer_turns_away_is_named_but_a_notes_is_not(synthetic_kb: knowledge.KnowledgeBase) -> None:
    """The new user's "what did the rail boss say": it scored 100 on its entry, yet a reader got
    "not in the article". A note's own phrasings are meant to get that."""
    problems = curation.phrasing_problems(synthetic_kb, _TurnsAway(synthetic_kb))  # type: ignore[arg-type]
    answers = [e for e in synthetic_kb.entries if e.covered]
    assert answers and len(answers) < len(synthetic_kb.entries)  # the file has both kinds
    assert len(problems) == sum(len(e.phrasings) for e in answers)
    assert all("turned away as not in the article" in str(p) for p in problems)


def test_check_runs_every_phrasing_through_the_matcher(tmp_path: Path) -> None:
    """Phrasings that another entry wins (a note asked in the article's own words yields to the answer
    quoting the same passage) are reported, exactly those the matcher sends elsewhere."""
    raw = json.loads(SHIPPED_FAQ.read_text(encoding="utf-8"))
    for entry in raw["entries"]:
        if entry["kind"] == "not_covered" and entry["quotes"]:
            entry["phrasings"].append(entry["quotes"][0]["text"].rstrip("."))
    kb, _ = knowledge.parse(raw, str(tmp_path / "faq.json"))
    assert kb is not None
    matcher = Matcher(kb)
    expected = [(e.id, n) for e in kb.entries for n, q in enumerate(e.phrasings) if matcher.match(q).entry is not e]
    assert expected, "no note asked in the article's words yields any more: pick another way to miss"
    lines = _check(raw, tmp_path)
    reported = [line for line in lines if "field 'phrasings[" in line]
    assert len(reported) == len(expected)
    for (entry_id, n), line in zip(expected, reported, strict=True):
        assert f"entry '{entry_id}': field 'phrasings[{n}]'" in line and ("reaches" in line or "ambiguous" in line)


def test_a_quote_that_is_almost_verbatim_shows_where_it_differs(synthetic_raw: dict, tmp_path: Path) -> None:
    entry = _entry(synthetic_raw, "director-quote")
    original = entry["quotes"][0]["text"]
    assert original.startswith("“")
    entry["quotes"][0]["text"] = original.replace("“", '"', 1)
    budget = _entry(synthetic_raw, "budget-criticism")
    text = budget["quotes"][0]["text"]
    budget["quotes"][0]["text"] = text[:30] + "X" + text[31:]
    lines = _check(synthetic_raw, tmp_path)
    assert len(lines) == 2, lines
    (director,) = [line for line in lines if "director-quote" in line]
    assert "field 'quotes[0].text': not verbatim in the article body: differs at character 1:" in director
    assert "the quote has '\"' (U+0022 QUOTATION MARK) where ¶" in director
    assert "has '“' (U+201C LEFT DOUBLE QUOTATION MARK)" in director
    (budget_line,) = [line for line in lines if "budget-criticism" in line]
    assert "differs at character 31: the quote has 'X'" in budget_line
    assert f"where ¶4 has {text[30]!r}" in budget_line and text[10:30] in budget_line


def test_an_entry_without_a_usable_id_is_named_by_its_value(synthetic_raw: dict, tmp_path: Path) -> None:
    synthetic_raw["entries"][2]["id"] = "New Features!"
    lines = _check(synthetic_raw, tmp_path)
    assert any("entry #3: field 'id': 'New Features!': an id must be" in line for line in lines), lines


def test_a_synonym_that_rewrites_an_ordinary_word_is_named(synthetic_raw: dict) -> None:
    synthetic_raw["synonyms"] = {
        "deal": ["dead", "dael"],  # "dead" is a word: "who is dead?" would become "who is deal?"
        "resign": ["design"],
        "harbour": ["harbor"],  # the same word, spelt the American way
        "library": ["libary", "libraries"],  # a misspelling and an inflection
        "reopen": ["open again"],
    }
    kb, _ = knowledge.parse(synthetic_raw)
    assert kb is not None
    problems = [str(p) for p in curation.synonym_problems(kb)]
    assert len(problems) == 2, problems
    assert "field 'synonyms.deal': 'dead' is a correctly spelt word of its own" in problems[0]
    assert "field 'synonyms.resign': 'design'" in problems[1]


# ---------------------------------------------------------------------------
# Quotes from the page header


def _with_header_quote(raw: dict, text: str) -> dict:
    raw["article"]["header"] = ["Millbrook", "Thursday, September 14, 2023"]
    note = _entry(raw, "no-author")
    raw["entries"].append(
        {
            "id": "publish-date",
            "topic": "About the article",
            "question": "When was the article published?",
            "phrasings": ["what date is the article", "when was this written", "publication date", "date of story"],
            "answer": "The page is dated Thursday, September 14, 2023.",
            "quotes": [{"text": text, "attribution": "the page header", "from": "header"}],
            "related": [note["id"]],
        }
    )
    return raw


def test_an_article_entry_may_quote_the_page_header(synthetic_raw: dict) -> None:
    date = synthetic_raw["article"]["date"]
    assert date == "2023-09-14", "the synthetic article's date changed: update the header line"
    kb, problems = knowledge.parse(_with_header_quote(synthetic_raw, "Thursday, September 14, 2023"))
    assert kb is not None, problems
    entry = kb.get("publish-date")
    assert entry is not None
    (quote,) = entry.quotes
    assert quote.in_header and quote.paragraph == knowledge.HEADER_PARAGRAPH
    plain = render.to_plain(Matcher(kb).match("when was the article published"), kb)
    assert "(page header)" in plain
    context = render.context_reply(kb, entry, 0)
    assert context is not None and "Thursday, September 14, 2023" in context.parts[0]
    for reply in (render.entry_reply(kb, entry), context):
        for part in reply.parts:
            assert "¶0" not in part
    assert "Raj Patel" in json.dumps([render.speakers_reply(kb).parts])  # /speakers still reads the body


def test_a_header_quote_must_be_in_the_header(synthetic_raw: dict) -> None:
    _, problems = knowledge.parse(_with_header_quote(synthetic_raw, "Friday, September 14, 2023"))
    (problem,) = problems
    assert "entry 'publish-date': field 'quotes[0].text': not verbatim in the page header" in str(problem)
    assert "differs at character 1" in str(problem)


def test_a_quote_source_is_body_or_header(synthetic_raw: dict) -> None:
    _entry(synthetic_raw, "hours")["quotes"][0]["from"] = "footer"
    _, problems = knowledge.parse(synthetic_raw)
    assert any("field 'quotes[0].from': must be one of body, header" in str(p) for p in problems)


def test_older_files_without_header_fields_keep_loading() -> None:
    for path in SHIPPED:
        raw = json.loads(path.read_text(encoding="utf-8"))
        raw.pop("$schema")
        kb, problems = knowledge.parse(raw)
        assert kb is not None and not problems
