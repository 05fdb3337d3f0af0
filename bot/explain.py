"""Why a question got its outcome, for curators and maintainers (``ask --explain``).

Pure: turns an :class:`~bot.matcher.Explanation` into a table of the top candidates with
every named contribution, the cutoffs, and the decision's reason.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from bot.conversation import Resolution
from bot.matcher import Explanation, Matcher
from bot.multi import Split
from bot.scoring import CONTRIBUTIONS

TOP = 5  # candidates shown


def _columns(explanation: Explanation, top: int) -> list[str]:
    seen = {name for s in explanation.scored[:top] for name in s.parts}
    order = [*CONTRIBUTIONS, "verbatim"]
    return [name for name in order if name in seen] + sorted(seen - set(order))


def to_text(explanation: Explanation, top: int = TOP) -> str:
    """A fixed-width table: one row per candidate, one column per contribution."""
    query, match = explanation.query, explanation.match
    cutoffs = "  ".join(f"{k} {v:g}" for k, v in asdict(explanation.cutoffs).items())
    lines = [
        f"read as    {query.probe!r}",
        f"stems      {', '.join(sorted(query.stems)) or '(none)'}   kind: {query.kind or '(none)'}",
        f"cutoffs    {cutoffs}",
    ]
    columns = _columns(explanation, top)
    if explanation.scored:
        widths = [max(len(c), 7) for c in columns]
        head = "".join(f"{c:>{w + 1}}" for c, w in zip(columns, widths, strict=True))
        lines.append(f"{'':3}{'total':>7}{head}  entry")
        for n, s in enumerate(explanation.scored[:top], start=1):
            cells = "".join(
                f"{s.parts[c] + 0.0:>{w + 1}.1f}" if c in s.parts else f"{'':>{w + 1}}"
                for c, w in zip(columns, widths, strict=True)
            )
            what = "answer" if s.entry.covered else "note"
            lines.append(f"{n:<3}{s.total:>7.1f}{cells}  {s.entry.id} ({what})")
        if len(explanation.scored) > top:
            lines.append(f"   … {len(explanation.scored) - top} more candidate(s)")
    else:
        lines.append("no candidates")
    got = match.entry.id if match.entry is not None else ", ".join(e.id for e in match.suggestions) or "-"
    flags = "".join(f" [{f}]" for f in ("no_question", "other_script") if getattr(match, f))
    lines.append(f"outcome    {match.status} {got} (score {match.score:g}){flags}")
    lines.append(f"because    {explanation.decision.reason}")
    return "\n".join(lines)


def to_json(explanation: Explanation, top: int = TOP) -> dict[str, Any]:
    """The same, as JSON (added under "explain" by ``ask --json --explain``)."""
    query = explanation.query
    return {
        "probe": query.probe,
        "stems": sorted(query.stems),
        "kind": query.kind,
        "cutoffs": asdict(explanation.cutoffs),
        "candidates": [
            {"entry": s.entry.id, "total": round(s.total, 2), "parts": {k: round(v, 2) for k, v in s.parts.items()}}
            for s in explanation.scored[:top]
        ],
        "reason": explanation.decision.reason,
    }


SPLIT_REASONS = {
    "two_answers": "two or more of its questions are answered, by different entries",
    "one_of_them": "the whole message finds nothing, one of its questions is answered and none is a note",
}


def split_text(split: Split, whole: Explanation, matcher: Matcher, top: int = TOP) -> str:
    """Why a message was answered in parts: the rule, the whole message's reading (not used), then
    each part's candidates."""
    lines = [
        f"split      into {len(split.parts)} questions: {SPLIT_REASONS.get(split.rule, split.rule)} ({split.rule})",
        "",
        "the whole message (not used):",
        to_text(whole, top),
    ]
    for n, part in enumerate(split.parts, start=1):
        lines += ["", f"part {n}: {part.question!r}", to_text(matcher.explain(part.question), top)]
    return "\n".join(lines)


def split_json(split: Split, whole: Explanation, matcher: Matcher, top: int = TOP) -> dict[str, Any]:
    """The same, as JSON: the whole message's explanation plus ``split`` (the rule, each part's)."""
    data = to_json(whole, top)
    data["split"] = {
        "rule": split.rule,
        "parts": [{"question": p.question, **to_json(matcher.explain(p.question), top)} for p in split.parts],
    }
    return data


def shows_conversation(resolution: Resolution) -> bool:
    """Whether the conversation layer had a say: a context was read, or a reading other than the
    message alone decided (a first "is it true?" is not understood, whatever it matched alone)."""
    return resolution.context is not None or resolution.reading not in ("", "alone")


def _reply(resolution: Resolution) -> tuple[str, str]:
    """The reply the conversation gave: its status and what it shows (the aside's kind, the entry)."""
    aside, match = resolution.aside, resolution.match
    if aside is not None:
        return ("answered" if aside.found else "no_match"), f"{aside.kind} aside on {aside.entry.id}"
    got = match.entry.id if match.entry is not None else ", ".join(e.id for e in match.suggestions) or "-"
    flags = "".join(f" [{f}]" for f in ("unclear", "no_question") if getattr(match, f))
    return match.status, f"{got}{flags}"


def conversation_text(resolution: Resolution, explanation: Explanation) -> str:
    """How the conversation read the message, before the matcher's table: the reading that decided, the
    question as understood, the context, and the reply where it is not the table's outcome."""
    context = resolution.context
    how = "on its own" if resolution.how == "new" else f"as a follow-up ({resolution.how})"
    lines = [
        f"reading    {resolution.reading or 'alone'}: read {how}",
        f"understood {resolution.understood_as!r}",
    ]
    if context is not None:
        lines.append(f"context    {context.question!r} ({context.entry_id})")
    status, got = _reply(resolution)
    match = explanation.match
    table = (match.status, match.entry.id if match.entry is not None else None)
    if resolution.aside is not None or (status, resolution.match.entry and resolution.match.entry.id) != table:
        lines.append(
            f"reply      {status} {got} (the conversation's; the table is the matcher's for the question understood)"
        )
    return "\n".join(lines)


def conversation_json(resolution: Resolution) -> dict[str, Any]:
    """The same, as JSON (``explain.conversation``)."""
    context = resolution.context
    status, got = _reply(resolution)
    return {
        "reading": resolution.reading or "alone",
        "how": resolution.how,
        "understood_as": resolution.understood_as,
        "context": None if context is None else {"entry_id": context.entry_id, "question": context.question},
        "reply": {"status": status, "shows": got},
    }
