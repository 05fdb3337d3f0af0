"""Score the conversation resolver on dialogues (JSON Lines), turn by turn.

Each line: {"id", "mode": "private"|"group", "turns": [{"say", "role", "expect": "answer"|"no_match",
"evidence"?}]}. A turn expecting an answer is right when the reply is an answer and, if the turn
gives evidence, shows that article text; a turn expecting no match is right when the reply
answers nothing. In group mode every turn after the first replies to the bot's latest answer.
A topic change answered by reading it against the old context is a leak.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.conversation import GROUP_USER_TTL, PRIVATE_TTL, REPLY_TTL, ConversationState, Resolution, resolve, shown_texts
from bot.evaluate import read_json_lines
from bot.knowledge import KnowledgeBase
from bot.matcher import Matcher

MODES = ("private", "group")
TURN_GAP_SECONDS = 40.0  # simulated time between two turns
TARGETS = {"first": 0.90, "follow_up": 0.85}


class DialogueFileError(Exception):
    """The dialogue set cannot be read; the message is one line."""


@dataclass(frozen=True, slots=True)
class Turn:
    """One message of a dialogue and what the bot should do with it."""

    say: str
    role: str
    expect: str
    evidence: str | None = None


@dataclass(frozen=True, slots=True)
class Dialogue:
    """Turns said one after another in one chat."""

    id: str
    mode: str
    turns: tuple[Turn, ...]


@dataclass(frozen=True, slots=True)
class TurnOutcome:
    """How the bot answered one turn, and whether that was right."""

    dialogue: Dialogue
    turn: Turn
    resolution: Resolution
    correct: bool
    leak: bool  # a topic change answered with the old context


def read_dialogues(path: Path) -> list[Dialogue]:
    """The dialogues of a JSON Lines file; ``DialogueFileError`` (one line) for anything unreadable."""

    def parse(number: int, raw: Any) -> Dialogue:
        turns = tuple(Turn(t["say"], t.get("role", "unlabelled"), t["expect"], t.get("evidence")) for t in raw["turns"])
        dialogue = Dialogue(str(raw.get("id", number)), raw.get("mode", "private"), turns)
        if dialogue.mode not in MODES or not turns or any(t.expect not in ("answer", "no_match") for t in turns):
            raise DialogueFileError(f"{path}: line {number}: mode must be private or group, expect answer or no_match")
        return dialogue

    return read_json_lines(path, DialogueFileError, "dialogue", parse)


def judge(turn: Turn, resolution: Resolution, kb: KnowledgeBase) -> bool:
    """Whether the bot's reply to one turn is what the turn expects (see the module docstring)."""
    if turn.expect == "no_match":
        return not resolution.answered
    if not resolution.answered:
        return False
    return turn.evidence is None or any(turn.evidence in text for text in shown_texts(resolution, kb))


def run(kb: KnowledgeBase, matcher: Matcher, dialogues: list[Dialogue], *, context: bool = True) -> list[TurnOutcome]:
    """Play every dialogue; ``context=False`` answers each turn on its own (today's bot, for comparison)."""
    outcomes = []
    for dialogue in dialogues:
        state: ConversationState | None = None
        now = 1_000_000.0
        ttl = PRIVATE_TTL if dialogue.mode == "private" else REPLY_TTL
        for turn in dialogue.turns:
            now += TURN_GAP_SECONDS
            resolution = resolve(turn.say, state if context else None, kb, matcher, now=now, ttl=ttl)
            if resolution.state is not None:
                state = resolution.state  # private: the chat's last answer; group: the answer replied to next
            correct = judge(turn, resolution, kb)
            leak = turn.role == "topic-change" and resolution.context is not None and resolution.answered
            outcomes.append(TurnOutcome(dialogue, turn, resolution, correct, leak))
    return outcomes


@dataclass(frozen=True, slots=True)
class DialogueSummary:
    """The counts ``python -m bot eval --dialogues`` prints and judges against ``TARGETS``."""

    per_role: dict[tuple[str, str], tuple[int, int]]  # (mode, role) -> (right, total)
    first: tuple[int, int]
    follow_up: dict[str, tuple[int, int]]  # mode -> (right, total), every turn after the first
    leaks: tuple[int, int]  # (leaks, topic changes)

    @property
    def passed(self) -> bool:
        first_ok = _rate(self.first) >= TARGETS["first"]
        return first_ok and all(_rate(c) >= TARGETS["follow_up"] for c in self.follow_up.values()) and not self.leaks[0]


def _rate(counts: tuple[int, int]) -> float:
    right, total = counts
    return right / total if total else 1.0


def _add(table: dict[str, tuple[int, int]], key: str, correct: bool) -> None:
    right, total = table.get(key, (0, 0))
    table[key] = (right + correct, total + 1)


def summarize(outcomes: list[TurnOutcome]) -> DialogueSummary:
    """Right/total counts per (mode, role), for first turns and follow-ups, and the leaks."""
    per_role: dict[tuple[str, str], tuple[int, int]] = {}
    follow: dict[str, tuple[int, int]] = {}
    first = [0, 0]
    leaks = [0, 0]
    for o in outcomes:
        key = (o.dialogue.mode, o.turn.role)
        right, total = per_role.get(key, (0, 0))
        per_role[key] = (right + o.correct, total + 1)
        if o.turn is o.dialogue.turns[0]:
            first[0] += o.correct
            first[1] += 1
        else:
            _add(follow, o.dialogue.mode, o.correct)
        if o.turn.role == "topic-change":
            leaks[0] += o.leak
            leaks[1] += 1
    return DialogueSummary(dict(sorted(per_role.items())), (first[0], first[1]), follow, (leaks[0], leaks[1]))


def report(summary: DialogueSummary) -> list[str]:
    """The table ``python -m bot eval --dialogues`` prints."""
    lines = [f"{'mode':<9}{'role':<15}{'right':>7}{'total':>7}{'accuracy':>10}"]
    for (mode, role), (right, total) in summary.per_role.items():
        lines.append(f"{mode:<9}{role:<15}{right:>7}{total:>7}{right / total:>10.1%}")
    lines.append(f"first turns          {_share(summary.first)}  (target >= {TARGETS['first']:.0%})")
    for mode in MODES:
        if mode in summary.follow_up:
            counts = summary.follow_up[mode]
            lines.append(f"follow-ups, {mode:<8} {_share(counts)}  (target >= {TARGETS['follow_up']:.0%})")
    lines.append(f"topic-change leaks   {summary.leaks[0]} of {summary.leaks[1]} topic changes  (target 0)")
    return lines


def _share(counts: tuple[int, int]) -> str:
    right, total = counts
    return f"{right / total:.1%} ({right}/{total})" if total else "n/a"


__all__ = ["GROUP_USER_TTL", "read_dialogues", "report", "run", "summarize"]
