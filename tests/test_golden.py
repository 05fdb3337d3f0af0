"""The matcher's whole output on every own question set, as recorded by tests/record_golden.py.

A refactor must leave it byte-identical; a behaviour change re-records it (``python -m tests.record_golden``)
and the diff of tests/data/golden/ shows exactly which answers moved.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from bot import knowledge, multi, render
from bot.matcher import Matcher
from tests.record_golden import GOLDEN, question_sets, questions


@pytest.mark.parametrize("path", question_sets(), ids=lambda p: p.name)
def test_ask_json_output_matches_the_golden_file(path: Path, kb: knowledge.KnowledgeBase, matcher: Matcher) -> None:
    recorded = (GOLDEN / path.name).read_text(encoding="utf-8").splitlines()
    asked = questions(path)
    assert len(recorded) == len(asked)
    changed = [
        (question, line)
        for question, line in zip(asked, recorded, strict=True)
        if _reply(question.replace("\n", " "), kb, matcher) != _matcher_fields(line)
    ]
    assert changed == [], f"{len(changed)} answers moved; first: {changed[0][0]!r}"


def _reply(question: str, kb: knowledge.KnowledgeBase, matcher: Matcher) -> dict[str, object]:
    """``ask --json`` of one question read on its own: the match, or the message answered in parts
    (bot/multi.py), its first part answered as the main answer."""
    match = matcher.match(question)
    split = multi.read(question, match, matcher)
    if split is None:
        return render.to_json(match, kb)
    data = render.to_json(replace(split.first.match, query=question), kb)
    data["parts"] = [render.part_json(part, kb) for part in split.parts]
    return data


def _matcher_fields(line: str) -> dict[str, object]:
    """A recorded answer without what the conversation adds (``context``, ``understood_as``): a single
    question is read on its own, so those say nothing about the matcher."""
    data: dict[str, object] = json.loads(line)
    data.pop("context", None)
    data.pop("understood_as", None)
    return data
