"""In-process benchmark of the core: prints figures, asserts nothing."""

from __future__ import annotations

import json
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bot import conversation, knowledge
from bot.matcher import Matcher


def _questions(path: Path, kb: knowledge.KnowledgeBase) -> list[str]:
    questions: list[str] = []
    if path.is_file():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                questions.append(json.loads(line)["question"])
    questions += [q for e in kb.entries for q in e.all_questions]
    return questions


def _peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def run(faq_path: Path, questions_path: Path, count: int) -> str:
    started = time.perf_counter()
    kb = knowledge.load(faq_path)
    loaded = time.perf_counter()
    matcher = Matcher(kb)
    indexed = time.perf_counter()
    pool = _questions(questions_path, kb)
    # Vary the pool (case, typos by dropped letters) so caches in the scorer do not flatter us.
    variants = [q.upper() if i % 3 == 0 else q[:-1] if i % 3 == 1 else q for i, q in enumerate(pool)]
    latencies = []
    for i in range(count):
        question = variants[i % len(variants)]
        t0 = time.perf_counter()
        matcher.match(question)
        latencies.append((time.perf_counter() - t0) * 1000)
    total_s = sum(latencies) / 1000
    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    return "\n".join(
        [
            f"knowledge base      {faq_path} ({len(kb.entries)} entries, "
            f"{sum(len(e.all_questions) for e in kb.entries)} phrasings)",
            f"load + validate     {(loaded - started) * 1000:.1f} ms",
            f"build index         {(indexed - loaded) * 1000:.1f} ms",
            f"load total          {(indexed - started) * 1000:.1f} ms",
            f"questions timed     {count} ({len(pool)} distinct sources)",
            f"latency p50         {statistics.median(latencies):.3f} ms",
            f"latency p99         {p99:.3f} ms",
            f"latency max         {latencies[-1]:.3f} ms",
            f"throughput          {count / total_s:,.0f} questions/s",
            *conversation_cost(kb, matcher, pool),
            f"peak RSS            {_peak_rss_mb():.1f} MB",
        ]
    )


def _best_of(repeats: int, call: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        call()
        best = min(best, time.perf_counter() - t0)
    return best * 1000


def conversation_cost(kb: knowledge.KnowledgeBase, matcher: Matcher, pool: list[str]) -> list[str]:
    """What a live conversation adds to a message that is not a follow-up: each question of the pool
    (first-turn questions) resolved against the context of an earlier answer, against matching it alone."""
    first = kb.starter_entries()[0] if kb.starter_entries() else kb.entries[0]
    state = conversation.lexicon(kb).state(first, first.question, 0.0)
    extra: list[float] = []
    cue_free: list[float] = []
    for question in pool:
        alone = _best_of(3, lambda q=question: matcher.match(q))  # type: ignore[misc]
        read = _best_of(3, lambda q=question: conversation.resolve(q, state, kb, matcher, now=1.0))  # type: ignore[misc]
        extra.append(read - alone)
        if conversation.cue(question) is None:
            cue_free.append(read - alone)
    extra.sort()
    return [
        f"with context        {len(pool)} first-turn questions resolved against an earlier answer",
        f"  no follow-up cue  {len(cue_free)} ({len(cue_free) / len(pool):.0%}), extra mean "
        f"{statistics.fmean(cue_free):.3f} ms",
        f"  all, extra        p50 {statistics.median(extra):.3f} ms, mean {statistics.fmean(extra):.3f} ms, "
        f"p99 {extra[min(len(extra) - 1, int(len(extra) * 0.99))]:.3f} ms",
    ]
