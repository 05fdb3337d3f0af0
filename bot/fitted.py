"""The fitted numbers of the matcher: weights, parameters, limits and cutoffs from one file.

``bot/fitted.json`` is written by ``python -m bot calibrate`` (bot/calibrate.py), never by
hand; it holds only the numbers that were fitted (every other keeps its dataclass default),
generic across knowledge bases, fitted on the labelled own question sets of more than one
article. Without it the dataclass defaults apply.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any, TypeVar

from bot.decide import Cutoffs
from bot.scoring import Limits, Params, Weights

FITTED_PATH = Path(__file__).with_name("fitted.json")
SECTIONS: dict[str, type[Any]] = {"weights": Weights, "params": Params, "limits": Limits, "cutoffs": Cutoffs}

T = TypeVar("T")


class FittedFileError(Exception):
    """The fitted numbers cannot be used; the message is one line."""


@dataclasses.dataclass(frozen=True, slots=True)
class Fitted:
    """The numbers ``python -m bot calibrate`` fits, with the code's defaults for any not fitted."""

    weights: Weights = dataclasses.field(default_factory=Weights)
    params: Params = dataclasses.field(default_factory=Params)
    limits: Limits = dataclasses.field(default_factory=Limits)
    cutoffs: Cutoffs = dataclasses.field(default_factory=Cutoffs)

    def to_json(self) -> dict[str, dict[str, float]]:
        return {name: dataclasses.asdict(getattr(self, name)) for name in SECTIONS}


def _section(cls: type[T], values: object, where: str) -> T:
    if not isinstance(values, dict):
        raise FittedFileError(f"{where}: expected an object")
    known = {f.name: f for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    for name, value in values.items():
        if not isinstance(value, int | float) or isinstance(value, bool):
            raise FittedFileError(f"{where}.{name}: expected a number")
    # A number the code no longer has is ignored (a refactor must not break loading); the
    # test suite says when the file is out of date (tests/test_calibrate.py).
    kept = {k: v for k, v in values.items() if k in known}
    return cls(**{k: (int(v) if known[k].type in (int, "int") else float(v)) for k, v in kept.items()})


def load(path: Path = FITTED_PATH) -> Fitted:
    """The fitted numbers (the defaults where the file, or a field of it, is missing)."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Fitted()
    except (OSError, ValueError) as exc:
        raise FittedFileError(f"{path}: cannot read ({exc.__class__.__name__})") from None
    if not isinstance(raw, dict):
        raise FittedFileError(f"{path}: expected an object")
    return Fitted(**{name: _section(cls, raw.get(name, {}), f"{path}: {name}") for name, cls in SECTIONS.items()})
