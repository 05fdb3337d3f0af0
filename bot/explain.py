"""Why a question got its outcome, for curators and maintainers (``ask --explain``).

Pure: turns an :class:`~bot.matcher.Explanation` into a table of the top candidates with
every named contribution, the cutoffs, and the decision's reason.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

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
