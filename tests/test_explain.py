"""--explain and --ablate: every contribution visible, every rule switchable by name."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from bot import evaluate, explain
from bot.matcher import RULES, Matcher
from bot.scoring import CONTRIBUTIONS
from tests.conftest import ROOT
from tests.test_cli import bot

HOLDOUT = ROOT / "tests" / "data" / "holdout.jsonl"


def test_the_parts_of_a_score_add_up_to_it(matcher: Matcher) -> None:
    explanation = matcher.explain("who fired the rockets from rafah")
    assert explanation.scored
    for scored in explanation.scored:
        assert math.isclose(sum(scored.parts.values()), scored.total, abs_tol=1e-9)
        assert set(CONTRIBUTIONS) <= set(scored.parts)


def test_explain_text_shows_candidates_cutoffs_and_the_reason(matcher: Matcher) -> None:
    explanation = matcher.explain("who fired the rockets from rafah")
    text = explain.to_text(explanation)
    best = explanation.scored[0]
    assert best.entry.id in text and "cutoffs" in text and f"answer {matcher.cutoffs.answer:g}" in text
    assert all(name in text for name in CONTRIBUTIONS)
    assert explanation.decision.reason in text and "because" in text


def test_a_switched_off_rule_contributes_nothing(kb, matcher: Matcher) -> None:
    question = "when did the hamas delegation leave cairo"
    without = matcher.without("kind").explain(question)
    assert all("kind" not in s.parts for s in without.scored)
    assert any(s.parts["kind"] != 0 for s in matcher.explain(question).scored)


def test_an_unknown_rule_name_is_refused(kb) -> None:
    with pytest.raises(ValueError, match="unknown rule"):
        Matcher(kb, disabled=frozenset({"no-such-rule"}))


def test_ablation_lists_every_rule(matcher: Matcher) -> None:
    cases = [
        evaluate.Case("who fired the rockets", "fact", "answer", evidence="approximately ten rockets"),
        evaluate.Case("what is the capital of france", "trap", "no_match"),
    ]
    results = evaluate.ablate(matcher, cases)
    assert [name for name, _ in results] == ["all rules", *RULES, "in_parts"]
    table = evaluate.ablation_table(results)
    assert all(rule in table for rule in RULES)


def test_ask_explain_and_eval_ablate_from_the_command_line(tmp_path: Path) -> None:
    explained = bot("ask", "--explain", "who fired the rockets")
    assert explained.returncode == 0, explained.stderr
    assert "because" in explained.stdout and "total" in explained.stdout
    # two of holdout.jsonl's cases: the table's rows do not depend on how many cases there are
    cases = tmp_path / "cases.jsonl"
    cases.write_text("".join(HOLDOUT.read_text(encoding="utf-8").splitlines(keepends=True)[:2]), encoding="utf-8")
    ablated = bot("eval", "--ablate", str(cases))
    assert ablated.returncode == 0, ablated.stderr
    assert "all rules" in ablated.stdout and all(rule in ablated.stdout for rule in RULES)


def test_explain_shows_the_conversations_reading_and_its_reply() -> None:
    """ask --explain showed only the matcher's outcome for the question understood ("and Israel?":
    hamas-left-talks), not what the conversation answered (why there was no Israeli delegation) nor
    which reading decided; a first "is it true?" showed the match it was overruled from."""
    result = bot("ask", "--conversation", "--explain", stdin="why did the hamas delegation leave cairo?\nand Israel?\n")
    assert result.returncode == 0
    follow_up = result.stdout.split("you>")[-1] if "you>" in result.stdout else result.stdout
    assert "reading    rewritten: read as a follow-up (ellipsis)" in follow_up
    assert "understood 'why did the israel delegation leave cairo?'" in follow_up
    assert "context    'why did the hamas delegation leave cairo?' (hamas-left-talks)" in follow_up
    assert "reply      answered why-no-israeli-delegation" in follow_up
    first = bot("ask", "--json", "--explain", "is it true?")
    data = json.loads(first.stdout)
    assert data["explain"]["conversation"]["reading"] == "of_no_answer"
    assert data["explain"]["conversation"]["reply"]["status"] == "no_match"
    alone = json.loads(bot("ask", "--json", "--explain", "who is bill burns?").stdout)
    assert "conversation" not in alone["explain"]  # read on its own: the table is the whole story
