"""The calibrated decision: the fitted file, and the fit itself on a small corpus."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from bot import calibrate, evaluate, fitted, knowledge
from bot.decide import Cutoffs
from bot.matcher import DEFAULT_CUTOFFS, DEFAULT_WEIGHTS
from bot.scoring import Limits, Params, Weights

ROOT = Path(__file__).resolve().parent.parent
SYNTHETIC = ROOT / "tests" / "data" / "synthetic" / "faq.json"


def test_the_fitted_file_when_there_is_one_is_what_the_matcher_uses() -> None:
    loaded = fitted.load()
    assert loaded.weights == DEFAULT_WEIGHTS
    assert loaded.cutoffs == DEFAULT_CUTOFFS
    if not fitted.FITTED_PATH.is_file():
        return
    raw = json.loads(fitted.FITTED_PATH.read_text(encoding="utf-8"))
    for name, cls in fitted.SECTIONS.items():
        stale = set(raw.get(name, {})) - {f.name for f in dataclasses.fields(cls)}
        assert not stale, f"bot/fitted.json names {name} the code no longer has: re-run python -m bot calibrate"


def test_the_fitted_file_is_current_with_the_rules_and_the_sets() -> None:
    """bot/fitted.json records what its numbers scored on the own sets it was fitted on. A rule changed
    since (text, index, scoring, decide), or a labelled set edited, changes that: the numbers were fitted
    for other rules. Re-run `python -m bot calibrate` (about 7 minutes) and commit the file with the change."""
    if not fitted.FITTED_PATH.is_file():
        pytest.skip("no fitted file shipped")
    raw = json.loads(fitted.FITTED_PATH.read_text(encoding="utf-8"))
    corpora = calibrate.read_corpora(calibrate.default_spec(ROOT), phrasings=True)
    assert raw["fitted_on"] == {c.name: len(c.cases) for c in corpora}, "the labelled sets changed: re-run calibrate"
    now = {name: calibrate._rates(f) for name, f in calibrate.measure(corpora).items()}
    assert now == raw["figures"], "the rules changed since the fit: re-run python -m bot calibrate"


def test_the_positive_weights_sum_to_one_so_a_score_stays_0_to_100() -> None:
    w = fitted.load().weights
    assert sum(getattr(w, name) for name in calibrate.POSITIVE) == pytest.approx(1.0)
    assert all(getattr(w, name) >= 0 for name in calibrate.POSITIVE)
    changed = calibrate._with(fitted.Fitted(), "weights.coverage", 0.4)
    assert sum(getattr(changed.weights, name) for name in calibrate.POSITIVE) == pytest.approx(1.0)
    # the semantic weights add evidence on top: fitting one leaves the lexical ones alone
    added = calibrate._with(fitted.Fitted(), "weights.semantic", 0.2)
    assert (added.weights.fuzzy, added.weights.coverage) == (Weights().fuzzy, Weights().coverage)


def test_a_missing_file_means_the_defaults(tmp_path: Path) -> None:
    assert fitted.load(tmp_path / "none.json") == fitted.Fitted(Weights(), Params(), Limits(), Cutoffs())


def test_only_fitted_numbers_are_read_and_a_retired_one_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "fitted.json"
    path.write_text('{"weights": {"kind": 7, "retired": 1}, "limits": {"semantic_candidates": 4}}', encoding="utf-8")
    loaded = fitted.load(path)
    assert loaded.weights == dataclasses.replace(Weights(), kind=7.0)
    assert loaded.limits.semantic_candidates == 4 and isinstance(loaded.limits.semantic_candidates, int)
    assert loaded.cutoffs == Cutoffs()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{", "cannot read"),
        ("[]", "expected an object"),
        ('{"cutoffs": {"answer": "high"}}', "cutoffs.answer: expected a number"),
    ],
)
def test_a_broken_file_is_one_line_naming_the_problem(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "fitted.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(fitted.FittedFileError, match=message.replace("(", r"\(").replace(")", r"\)")):
        fitted.load(path)


def test_frozen_sets_are_refused() -> None:
    frozen = ROOT / "tests" / "data" / "frozen" / "main.jsonl"
    with pytest.raises(calibrate.CalibrationError, match="frozen sets are for measuring only"):
        calibrate.read_corpora([("main", ROOT / "faq.json", [frozen])])


def test_the_fit_runs_on_a_small_corpus_and_writes_one_file(tmp_path: Path) -> None:
    kb = knowledge.load(SYNTHETIC)
    cases = [
        evaluate.Case(question=e.question, kind="own", expect="answer", faq_id=e.id) for e in kb.entries if e.covered
    ]
    cases.append(evaluate.Case(question="What does the city zoo cost to visit?", kind="trap", expect="no_match"))
    corpus = calibrate.Corpus("synthetic", kb, tuple(cases))
    lines: list[str] = []
    result = calibrate.fit([corpus], 0.02, passes=1, log=lines.append, grid={"weights.kind": (10.0, 15.0)})
    assert lines[0].startswith("floors synthetic in-scope >=") and lines[1].startswith("start")
    assert result.figures["synthetic"].in_scope >= 0.9
    out = tmp_path / "fitted.json"
    calibrate.write(result, [corpus], 0.02, out)
    assert fitted.load(out) == result.fitted
    assert json.loads(out.read_text(encoding="utf-8"))["fitted_on"] == {"synthetic": len(cases)}


def test_every_value_of_the_grid_is_one_step_from_the_code_defaults() -> None:
    # The coordinate search changes one number at a time from the code's defaults: a value that is
    # an invalid pair with a default (familiar at or below unfamiliar) could never be tried, which
    # kept the semantic foreign check switched off in every fit until unfamiliar's default moved.
    start = fitted.Fitted()
    unreachable = [
        f"{name}={value:g}"
        for name, values in calibrate.GRID.items()
        for value in values
        if not calibrate._valid(calibrate._with(start, name, value))
    ]
    assert not unreachable
