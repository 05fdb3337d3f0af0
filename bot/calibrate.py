"""Fit the matcher's weights and cutoffs on labelled questions (``python -m bot calibrate``).

The score is ``Σ weight × contribution``; the positive contributions (fuzzy, coverage,
semantic, semantic_evidence) are each 0-100 and their weights sum to 1, so a total keeps its
0-100 meaning (100: alike on every signal) and the cutoffs stay in those units. The
penalties, the semantic parameters and the cutoffs are free.

The fit is a coordinate search over a small grid per number, on the real matcher (clauses,
rivals, notes and all): for each weighting every question is scored once, and every pair of
answer cutoff and margin is tried on those scores with the real decision. The objective is
the mean over the knowledge bases of (in-scope + abstention) / 2, with confident-wrong held
at or under the target on each; one set of numbers serves every knowledge base. Only own
sets are read, never tests/data/frozen/ (the command refuses them).
"""

from __future__ import annotations

import dataclasses
import json
import random
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from bot import evaluate, knowledge
from bot.decide import Cutoffs, decide
from bot.fitted import FITTED_PATH, Fitted
from bot.matcher import Matcher
from bot.scoring import Limits, Params, Query, Scored, Weights
from bot.semantic import build as build_semantic

POSITIVE = ("fuzzy", "coverage", "semantic", "semantic_evidence", "semantic_lead")  # weights that sum to 1
SUGGEST_BELOW_ANSWER = 10.0  # did-you-mean starts this far below the answer cutoff
CW_PENALTY = 1.0  # headline lost per unit of confident-wrong over the target: one costs about two misses
IN_SCOPE_SLACK = 0.02  # in-scope may fall this far below the uncalibrated matcher's, and no further...
IN_SCOPE_PENALTY = 2.0  # ...without this cost per unit: fewer wrong answers must not mean fewer answers
ANSWER_CUTOFFS = tuple(x / 2 for x in range(50, 181, 5))  # 25 ... 90
MARGINS = (1.0, 2.0, 3.0, 4.0, 6.0)

# The numbers searched, and the values tried for each (coordinate search, a few passes).
GRID: dict[str, tuple[float, ...]] = {
    "weights.semantic": (0.0, 0.1, 0.2, 0.3, 0.4),
    "weights.semantic_lead": (0.0, 0.05, 0.1, 0.2, 0.3, 0.4),
    "params.lead_span": (0.03, 0.06, 0.1, 0.15),
    "params.familiar": (0.45, 0.5, 0.6, 0.7, 2.0),
    "params.unfamiliar": (0.15, 0.2, 0.25, 0.3, 0.35),
    "weights.foreign": (4.0, 8.0, 12.0, 18.0, 24.0, 30.0),
    "weights.coverage": (0.1, 0.2, 0.3, 0.4),
    "weights.semantic_evidence": (0.0, 0.05, 0.1, 0.2),
    "params.semantic_floor": (0.0, 0.2, 0.3, 0.4, 0.5),
    "limits.semantic_candidates": (0, 4, 8, 16),
    "weights.kind": (5.0, 10.0, 15.0, 20.0),
    "weights.note_penalty": (0.0, 5.0, 10.0, 15.0),
}


class CalibrationError(Exception):
    """The labelled sets cannot be used; the message is one line."""


@dataclass(frozen=True, slots=True)
class Corpus:
    """One knowledge base and its labelled own questions."""

    name: str
    kb: knowledge.KnowledgeBase
    cases: tuple[evaluate.Case, ...]


@dataclass(frozen=True, slots=True)
class Figures:
    """One corpus's rates under a trial's numbers."""

    in_scope: float
    abstention: float
    confident_wrong: float

    @property
    def mean(self) -> float:
        return (self.in_scope + self.abstention) / 2


@dataclass(frozen=True, slots=True)
class Result:
    """The best numbers a calibration found, their objective and each corpus's figures."""

    fitted: Fitted
    objective: float
    figures: dict[str, Figures]


def read_corpora(spec: Sequence[tuple[str, Path, Sequence[Path]]]) -> list[Corpus]:
    """Knowledge bases (named) and their question files; a frozen set is refused."""
    corpora = []
    for name, faq, files in spec:
        for f in files:
            if "frozen" in f.resolve().parts:
                raise CalibrationError(f"{f}: frozen sets are for measuring only, never for fitting")
        try:
            kb = knowledge.load(faq)
            cases = tuple(c for f in files for c in evaluate.read_cases(f))
        except (knowledge.KnowledgeError, evaluate.EvalFileError) as exc:
            raise CalibrationError(str(exc)) from None
        corpora.append(Corpus(name, kb, cases))
    return corpora


def _with(fitted: Fitted, name: str, value: float) -> Fitted:
    """The fitted numbers with one changed; a positive weight's change is taken from fuzzy."""
    section, field = name.split(".")
    if section == "weights" and field in POSITIVE:
        weights = replace(fitted.weights, **{field: value})
        others = sum(getattr(weights, f) for f in POSITIVE if f != "fuzzy")
        return replace(fitted, weights=replace(weights, fuzzy=round(1.0 - others, 4)))
    return replace(fitted, **{section: replace(getattr(fitted, section), **{field: value})})


def _valid(fitted: Fitted) -> bool:
    return fitted.weights.fuzzy >= 0.1 and fitted.params.unfamiliar < fitted.params.familiar


class _Trial:
    """One weighting scored on every corpus once; cutoffs are then tried on the scores."""

    def __init__(self, corpora: Sequence[Corpus], fitted: Fitted, matchers: dict[str, Matcher]) -> None:
        self.rows: list[tuple[Corpus, list[tuple[evaluate.Case, Matcher, str, Query, list[Scored]]]]] = []
        for corpus in corpora:
            base = matchers[corpus.name]
            m = Matcher(
                corpus.kb,
                weights=fitted.weights,
                params=fitted.params,
                limits=fitted.limits,
                cutoffs=fitted.cutoffs,
                index=base.index,
                semantic=base.semantic,
            )
            scored = []
            for case in corpus.cases:
                text = m._prepare(case.question)
                query, ranked = m._scored(text)
                scored.append((case, m, text, query, ranked))
            self.rows.append((corpus, scored))

    def figures(self, cutoffs: Cutoffs) -> dict[str, Figures]:
        out = {}
        for corpus, scored in self.rows:
            outcomes = []
            for case, m, text, query, ranked in scored:
                d = decide(case.question, query, ranked, m.index, cutoffs, m.disabled, text, m.limits)
                outcomes.append(evaluate.judge(case, d.match))
            s = evaluate.summarize(outcomes)
            out[corpus.name] = Figures(s.in_scope, s.abstention, s.confident_wrong)
        return out


def objective(figures: dict[str, Figures], target: float, floors: dict[str, float] | None = None) -> float:
    """Mean over the corpora of the headline less a penalty for confident-wrong over the target,
    and one for in-scope under its floor."""
    total = 0.0
    for name, f in figures.items():
        total += f.mean - CW_PENALTY * max(0.0, f.confident_wrong - target)
        if floors is not None:
            total -= IN_SCOPE_PENALTY * max(0.0, floors[name] - f.in_scope)
    return total / len(figures)


def _best_cutoffs(
    trial: _Trial, fitted: Fitted, target: float, floors: dict[str, float] | None = None
) -> tuple[float, Cutoffs, dict[str, Figures]]:
    best: tuple[float, Cutoffs, dict[str, Figures]] | None = None
    for answer in ANSWER_CUTOFFS:
        for margin in MARGINS:
            cutoffs = replace(fitted.cutoffs, answer=answer, margin=margin, suggest=answer - SUGGEST_BELOW_ANSWER)
            figures = trial.figures(cutoffs)
            value = objective(figures, target, floors)
            if best is None or value > best[0] + 1e-9:
                best = (value, cutoffs, figures)
    assert best is not None
    return best


def fit(
    corpora: Sequence[Corpus],
    target: float,
    start: Fitted | None = None,
    passes: int = 2,
    log: Callable[[str], None] = print,
    grid: dict[str, tuple[float, ...]] | None = None,
    explore: int = 0,
    seed: int = 14,
) -> Result:
    """``explore`` random points of the grid (seeded: the fit is reproducible), then coordinate
    search from the best of them and ``start`` (the defaults): each number in turn takes the
    grid value that scores best with its best cutoffs; stop when a pass changes nothing."""
    grid = GRID if grid is None else grid
    fitted = start or Fitted()
    matchers = {}
    for c in corpora:
        plain = Matcher(c.kb, semantic=False)
        matchers[c.name] = Matcher(c.kb, index=plain.index, semantic=build_semantic(plain.index))
    # The floors: the in-scope of the matcher as the code has it (no fitted file), less the slack.
    uncalibrated = _Trial(corpora, Fitted(), matchers).figures(Cutoffs())
    floors = {name: f.in_scope - IN_SCOPE_SLACK for name, f in uncalibrated.items()}
    log(f"floors {', '.join(f'{n} in-scope >= {v:.3f}' for n, v in floors.items())}")
    trial = _Trial(corpora, fitted, matchers)
    value, cutoffs, figures = _best_cutoffs(trial, fitted, target, floors)
    fitted = replace(fitted, cutoffs=cutoffs)
    log(f"start  objective {value:.4f}  {_describe(figures)}")
    rng = random.Random(seed)
    for n in range(explore):
        candidate = fitted
        for name, values in grid.items():
            candidate = _with(candidate, name, rng.choice(values))
        if not _valid(candidate):
            continue
        trial = _Trial(corpora, candidate, matchers)
        cand_value, cand_cutoffs, cand_figures = _best_cutoffs(trial, candidate, target, floors)
        if cand_value > value + 1e-6:
            value, fitted, figures = cand_value, replace(candidate, cutoffs=cand_cutoffs), cand_figures
            log(f"explore {n + 1}  objective {value:.4f}  {_describe(figures)}")
    for n in range(passes):
        changed = False
        for name, values in grid.items():
            for v in values:
                candidate = _with(fitted, name, v)
                if candidate == fitted or not _valid(candidate):
                    continue
                t0 = time.perf_counter()
                trial = _Trial(corpora, candidate, matchers)
                cand_value, cand_cutoffs, cand_figures = _best_cutoffs(trial, candidate, target, floors)
                if cand_value > value + 1e-6:
                    value, fitted, figures, changed = (
                        cand_value,
                        replace(candidate, cutoffs=cand_cutoffs),
                        cand_figures,
                        True,
                    )
                    took = time.perf_counter() - t0
                    log(f"pass {n + 1} {name}={v:g}  objective {value:.4f}  {_describe(figures)}  ({took:.1f} s)")
        if not changed:
            break
    return Result(fitted, value, figures)


def _describe(figures: dict[str, Figures]) -> str:
    return "  ".join(
        f"{name}: {f.in_scope:.3f}/{f.abstention:.3f}/cw {100 * f.confident_wrong:.1f}%" for name, f in figures.items()
    )


def fitted_numbers(fitted: Fitted, grid: dict[str, tuple[float, ...]] | None = None) -> dict[str, dict[str, float]]:
    """Only the numbers the fit sets (the grid's, the positive weights, the cutoffs it picks):
    every other number stays the code's default, so the file never pins what it did not fit."""
    names = {*(GRID if grid is None else grid), *(f"weights.{w}" for w in POSITIVE)}
    names |= {"cutoffs.answer", "cutoffs.suggest", "cutoffs.margin"}
    out: dict[str, dict[str, float]] = {}
    for name in sorted(names):
        section, field = name.split(".")
        out.setdefault(section, {})[field] = getattr(getattr(fitted, section), field)
    return out


def write(result: Result, corpora: Iterable[Corpus], target: float, path: Path = FITTED_PATH) -> None:
    """The fitted numbers, and what they were fitted on and scored there, as one JSON file."""
    data = {
        "about": "Fitted by `python -m bot calibrate` (bot/calibrate.py) on the own labelled sets below; "
        "do not edit by hand. Generic across knowledge bases: no fact about any article.",
        "fitted_on": {c.name: len(c.cases) for c in corpora},
        "target_confident_wrong": target,
        "figures": {name: dataclasses.asdict(f) for name, f in result.figures.items()},
        **fitted_numbers(result.fitted),
    }
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


def default_spec(root: Path) -> list[tuple[str, Path, list[Path]]]:
    """The own labelled sets: the main article's and Port Alder's dev set (never the frozen ones)."""
    data = root / "tests" / "data"
    main = [data / "eval.jsonl", data / "holdout.jsonl", *sorted(data.glob("blind_probes*.jsonl"))]
    return [
        ("main", root / "faq.json", main),
        ("port-alder", data / "port-alder" / "faq.json", [data / "port-alder" / "dev.jsonl"]),
    ]


__all__ = ["CalibrationError", "Corpus", "Result", "default_spec", "fit", "objective", "read_corpora", "write"]
_ = (Limits, Params, Weights)  # the sections a grid name addresses
