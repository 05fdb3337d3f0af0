"""Score the matcher on a labelled question set (JSON Lines).

Each line: {"question", "kind", "expect": "answer"|"no_match"} plus, for answers,
one label: "faq_id" (the entry), "evidence" (article text one of the quotes must
contain) or "answer_contains" (text the answer must contain, for questions about
the article itself).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from bot import multi
from bot.matcher import RULES, Match, Matcher

T = TypeVar("T")

TARGETS = {"in_scope": 0.95, "abstention": 0.95}
MAX_CONFIDENT_WRONG = 0.02


class EvalFileError(Exception):
    """The question set cannot be read; the message is one line."""


@dataclass(frozen=True, slots=True)
class Case:
    question: str
    kind: str
    expect: str
    faq_id: str | None = None
    evidence: str | None = None
    answer_contains: str | None = None


@dataclass(frozen=True, slots=True)
class Outcome:
    case: Case
    match: Match
    correct: bool
    confident_wrong: bool
    split: multi.Split | None = None  # the message answered in parts (``match``: the first part answered)


def read_json_lines(path: Path, error: type[Exception], what: str, parse: Callable[[int, Any], T]) -> list[T]:
    """``parse(line number, object)`` of every non-blank line; ``error`` (one line) for a file that cannot
    be read or a line ``parse`` cannot take, which ``parse`` may also raise itself."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise error(f"{path}: cannot read ({exc.__class__.__name__})") from None
    parsed = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            parsed.append(parse(number, json.loads(line)))
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise error(f"{path}: line {number}: not a valid {what} ({exc.__class__.__name__})") from None
    return parsed


def read_cases(path: Path) -> list[Case]:
    """The cases of a JSON Lines question set; ``EvalFileError`` (one line) for anything unreadable."""

    def parse(number: int, raw: Any) -> Case:
        case = Case(
            question=raw["question"],
            kind=raw.get("kind", "unlabelled"),
            expect=raw["expect"],
            faq_id=raw.get("faq_id"),
            evidence=raw.get("evidence"),
            answer_contains=raw.get("answer_contains"),
        )
        if case.expect not in ("answer", "no_match"):
            raise EvalFileError(f"{path}: line {number}: expect must be 'answer' or 'no_match'")
        if case.expect == "answer" and not (case.faq_id or case.evidence or case.answer_contains):
            raise EvalFileError(f"{path}: line {number}: an answer case needs faq_id, evidence or answer_contains")
        return case

    return read_json_lines(path, EvalFileError, "case", parse)


def is_right_answer(case: Case, match: Match) -> bool:
    entry = match.entry
    if match.status != "answered" or entry is None:
        return False
    if case.faq_id is not None:
        return entry.id == case.faq_id
    if case.evidence is not None:
        return any(case.evidence in q.text for q in entry.quotes)
    return case.answer_contains is not None and case.answer_contains.casefold() in entry.answer.casefold()


def judge(case: Case, match: Match, split: multi.Split | None = None) -> Outcome:
    """Right or wrong, and confidently wrong. A reply in parts is right for an answer case when any
    part answered is, and confidently wrong for a no_match case when any part is answered."""
    if split is not None:
        answers = [p.match for p in split.answered]
        if case.expect == "no_match":
            return Outcome(case, split.first.match, False, True, split)
        correct = any(is_right_answer(case, m) for m in answers)
        return Outcome(case, split.first.match, correct, not correct, split)
    if case.expect == "no_match":
        correct = match.status == "no_match"
        return Outcome(case, match, correct, match.status == "answered")
    correct = is_right_answer(case, match)
    return Outcome(case, match, correct, match.status == "answered" and not correct)


def run(matcher: Matcher, cases: Iterable[Case], *, in_parts: bool = True) -> list[Outcome]:
    """Each case judged on the reply the bot gives it: one answer, or answers in parts (bot/multi.py;
    ``in_parts=False``: the matcher's one answer to the whole message, as calibration fits it)."""
    outcomes = []
    for case in cases:
        match = matcher.match(case.question)
        split = multi.read(case.question, match, matcher) if in_parts else None
        outcomes.append(judge(case, match, split))
    return outcomes


@dataclass(frozen=True, slots=True)
class Summary:
    per_kind: dict[str, tuple[int, int]]  # kind -> (correct, total)
    in_scope_counts: tuple[int, int]  # (correct, total) of the questions the article answers
    abstention_counts: tuple[int, int]  # (correct, total) of those it does not
    confident_wrong: float

    @property
    def in_scope(self) -> float:
        return _rate(self.in_scope_counts)

    @property
    def abstention(self) -> float:
        return _rate(self.abstention_counts)

    @property
    def mean(self) -> float:
        """Of the two accuracies, leaving out a side the set has no questions for."""
        rates = [_rate(counts) for counts in (self.in_scope_counts, self.abstention_counts) if counts[1]]
        return sum(rates) / len(rates) if rates else 1.0

    @property
    def passed(self) -> bool:
        return (
            self.in_scope >= TARGETS["in_scope"]
            and self.abstention >= TARGETS["abstention"]
            and self.confident_wrong <= MAX_CONFIDENT_WRONG
        )


def _rate(counts: tuple[int, int]) -> float:
    """1.0 when there is nothing to get wrong: see the counts."""
    right, total = counts
    return right / total if total else 1.0


def summarize(outcomes: list[Outcome]) -> Summary:
    per_kind: dict[str, tuple[int, int]] = {}
    for o in outcomes:
        right, total = per_kind.get(o.case.kind, (0, 0))
        per_kind[o.case.kind] = (right + o.correct, total + 1)
    answerable = [o for o in outcomes if o.case.expect == "answer"]
    unanswerable = [o for o in outcomes if o.case.expect == "no_match"]
    wrong = sum(o.confident_wrong for o in outcomes) / len(outcomes) if outcomes else 0.0
    return Summary(dict(sorted(per_kind.items())), _counts(answerable), _counts(unanswerable), wrong)


def _counts(outcomes: list[Outcome]) -> tuple[int, int]:
    return sum(o.correct for o in outcomes), len(outcomes)


# ---------------------------------------------------------------------------
# Ablation: does each rule pay?


def ablate(matcher: Matcher, cases: list[Case]) -> list[tuple[str, Summary]]:
    """The summary with every rule on ("all rules"), then with each named rule off in turn."""
    results = [("all rules", summarize(run(matcher, cases)))]
    for rule in RULES:
        if rule not in matcher.disabled:
            results.append((rule, summarize(run(matcher.without(rule), cases))))
    # a message asking two questions read whole, as one (bot/multi.py off)
    results.append(("in_parts", summarize(run(matcher, cases, in_parts=False))))
    return results


def ablation_table(results: list[tuple[str, Summary]]) -> str:
    """One line per rule: the figures without it, and the change from all rules on (points).
    A rule pays when switching it off makes the headline (mean of in-scope and abstention) drop."""
    base = results[0][1]
    lines = [
        f"{'rule switched off':<22}{'in-scope':>10}{'abstain':>10}{'conf-wrong':>12}{'headline':>10}  change",
    ]
    for name, s in results:
        change = (
            ""
            if s is base
            else f"in {100 * (s.in_scope - base.in_scope):+5.1f}  ab {100 * (s.abstention - base.abstention):+5.1f}"
            f"  cw {100 * (s.confident_wrong - base.confident_wrong):+5.1f}  head {100 * (s.mean - base.mean):+5.1f}"
        )
        lines.append(
            f"{name:<22}{s.in_scope:>10.1%}{s.abstention:>10.1%}{s.confident_wrong:>12.1%}{s.mean:>10.1%}  {change}"
        )
    return "\n".join(lines)
