"""In-process benchmark of the core: prints figures, asserts nothing."""

from __future__ import annotations

import json
import resource
import statistics
import sys
import time
from pathlib import Path

from bot import knowledge
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
            f"peak RSS            {_peak_rss_mb():.1f} MB",
        ]
    )
