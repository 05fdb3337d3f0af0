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
