"""The eval sets measure generalisation only while the knowledge base has not copied them."""

from __future__ import annotations

import pytest
from rapidfuzz import fuzz, process

from bot import evaluate, knowledge
from bot.matcher import Matcher, normalize
from tests.conftest import ROOT

EVAL_FILES = [ROOT / "tests" / "data" / "eval.jsonl", ROOT / "tests" / "data" / "holdout.jsonl"]


def _questions() -> list[str]:
    return [case.question for path in EVAL_FILES for case in evaluate.read_cases(path)]


def test_no_curated_phrasing_is_an_eval_question(kb: knowledge.KnowledgeBase) -> None:
    eval_questions = [normalize(q) for q in _questions()]
    copied = [
        (entry.id, phrasing)
        for entry in kb.entries
        for phrasing in entry.phrasings
        if process.extractOne(normalize(phrasing), eval_questions, scorer=fuzz.ratio, score_cutoff=92)
    ]
    assert copied == []


@pytest.mark.parametrize("path", EVAL_FILES, ids=lambda p: p.name)
def test_eval_sets_are_well_formed_and_grounded(path, kb: knowledge.KnowledgeBase) -> None:
    cases = evaluate.read_cases(path)
    body = kb.article.paragraphs
    for case in cases:
        if case.evidence is not None:
            assert sum(case.evidence in p for p in body) == 1, case.question
    out_of_scope = [c for c in cases if c.expect == "no_match"]
    assert len(out_of_scope) >= 25 and len(cases) >= 70


def test_eval_outcomes_are_judged_correctly(matcher: Matcher) -> None:
    right = evaluate.Case("who is bill burns", "fact", "answer", evidence="CIA Director Bill Burns")
    wrong = evaluate.Case("who is bill burns", "fact", "answer", evidence="approximately ten rockets")
    abstain = evaluate.Case("who is bill burns", "fact", "no_match")
    match = matcher.match("who is bill burns")
    assert evaluate.judge(right, match).correct
    assert not evaluate.judge(wrong, match).correct and evaluate.judge(wrong, match).confident_wrong
    assert evaluate.judge(abstain, match).confident_wrong


@pytest.mark.parametrize("path", EVAL_FILES, ids=lambda p: p.name)
def test_quality_floor(path, matcher: Matcher) -> None:
    """A regression guard a little below today's measured figures (the issue's targets are higher:
    see `python -m bot eval`). Abstaining wrongly is cheap; answering wrongly is not."""
    summary = evaluate.summarize(evaluate.run(matcher, evaluate.read_cases(path)))
    assert summary.in_scope >= 0.90
    assert summary.abstention >= 0.94
    assert summary.confident_wrong <= 0.02


def states_a_gap(entry: knowledge.Entry) -> bool:
    """The answer declares what the article leaves out about its subject (faq.json "lacks", the
    same data the matcher reads), so answering it cannot invent the missing detail."""
    return bool(entry.lacks)


@pytest.mark.parametrize(
    ("name", "in_scope_floor"),
    [
        # probes 1 and 2 (187 questions), then used to curate faq.json
        pytest.param("blind_probes.jsonl", 0.95, id="probes-1-2"),
        # probe 3 (100 questions): 84 % in-scope before it was used, 92 % with the patches it inspired,
        # 86 % since the rules that pay nothing on the frozen sets went (question-word repair, note yield;
        # issue 14); what it misses are thin paraphrases ("what word did the official use") and slang yes/no
        pytest.param("blind_probes_3.jsonl", 0.85, id="probe-3"),
        # 40 long, rambling messages ("ok so I keep hearing about X, what was Y?"): 15 % in-scope
        # before the clauses that ask were matched on their own, 75 % after
        # (one of them, "...what did they actually agree on in that meeting", was answered with the main
        # obstacle from the Porter2 stemmer until the 'unexplained' contribution: 'agree' is no word of it)
        pytest.param("blind_probes_long.jsonl", 0.75, id="long-messages"),
    ],
)
def test_blind_probes_are_answered_and_details_the_article_lacks_are_not_invented(
    matcher: Matcher, name: str, in_scope_floor: float
) -> None:
    """Questions written from the article alone, by someone who never saw faq.json; half of them
    ask for what it never gives (names it withholds, what someone said, casualties, reasons).
    They were used to curate faq.json, so they guard against regressions rather than measure
    generalisation. Where the matcher still picks an answer for such a question, that answer
    must say what is missing."""
    cases = evaluate.read_cases(ROOT / "tests" / "data" / name)
    summary = evaluate.summarize(evaluate.run(matcher, cases))
    assert summary.in_scope >= in_scope_floor
    invented = [
        (case.question, match.entry.id)
        for case in cases
        if case.expect == "no_match"
        and (match := matcher.match(case.question)).status == "answered"
        and match.entry is not None
        and not states_a_gap(match.entry)
    ]
    assert invented == []


@pytest.mark.parametrize(
    "message",
    [
        # from a code review: an aside restating the article, then a question about what it lacks
        "the article says Hamas fired rockets from Rafah and killed soldiers at Kerem Shalom, "
        "but what is the total death toll in Gaza so far?",
        "Hamas wants guarantees that the war ends, but how does the ICJ ruling at the UN affect the negotiations?",
        "ok so Netanyahu refused a full withdrawal from Gaza, and what about the West Bank settlements, "
        "what is happening there?",
        "everyone says the talks are stuck over the length of the ceasefire, so how many hostages are "
        "still being held in Gaza right now?",
    ],
)
def test_an_aside_in_the_article_own_words_does_not_answer_the_question_after_it(
    matcher: Matcher, message: str
) -> None:
    match = matcher.match(message)
    assert match.status != "answered" or (match.entry is not None and states_a_gap(match.entry))


@pytest.mark.parametrize(
    "name",
    [
        "blind_probes.jsonl",
        "blind_probes_3.jsonl",
        "blind_probes_4.jsonl",
        "blind_probes_5.jsonl",
        "blind_probes_long.jsonl",
    ],
)
def test_blind_probe_evidence_is_article_text(name: str, kb: knowledge.KnowledgeBase) -> None:
    """An answer case is judged by its evidence: it must be article text, found in one paragraph; a
    question about the page itself (headline, date) by text of the page's header."""
    for case in evaluate.read_cases(ROOT / "tests" / "data" / name):
        if case.expect == "answer" and case.evidence is None:
            assert case.answer_contains is not None, case.question
            assert any(case.answer_contains in h for h in kb.article.header_texts), case.question
        elif case.expect == "answer":
            assert sum(case.evidence in p for p in kb.article.paragraphs) == 1, case.question
