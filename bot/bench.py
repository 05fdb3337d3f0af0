"""Benchmarks: the core in process (``run``), and a cold ``ask`` in fresh processes
(``cold``). Prints figures, asserts nothing."""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bot import conversation, index_cache, knowledge
from bot.index import Index
from bot.matcher import Match, Matcher


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
    matcher = Matcher(kb)  # the index from the cache beside the knowledge base (written if missing)
    indexed = time.perf_counter()
    Index(kb)
    built = time.perf_counter()
    index_cache.index(kb)
    cached = time.perf_counter()
    pool = _questions(questions_path, kb)
    # Vary the pool (case, typos by dropped letters) so caches in the scorer do not flatter us.
    variants = [q.upper() if i % 3 == 0 else q[:-1] if i % 3 == 1 else q for i, q in enumerate(pool)]
    latencies = []
    cpu = []  # the thread's own time: what preemption on a busy machine does not inflate
    for i in range(count):
        question = variants[i % len(variants)]
        t0, c0 = time.perf_counter(), time.thread_time()
        matcher.match(question)
        latencies.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.thread_time() - c0) * 1000)
    total_s = sum(latencies) / 1000
    latencies.sort()
    cpu.sort()
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    return "\n".join(
        [
            f"knowledge base      {faq_path} ({len(kb.entries)} entries, "
            f"{sum(len(e.all_questions) for e in kb.entries)} phrasings)",
            f"load + validate     {(loaded - started) * 1000:.1f} ms",
            f"matcher             {(indexed - loaded) * 1000:.1f} ms (index and vectors from their caches, "
            f"or built and cached)",
            f"  index built       {(built - indexed) * 1000:.1f} ms, from its cache {(cached - built) * 1000:.1f} ms",
            f"load total          {(indexed - started) * 1000:.1f} ms",
            f"questions timed     {count} ({len(pool)} distinct sources)",
            f"latency p50         {statistics.median(latencies):.3f} ms",
            f"latency p99         {p99:.3f} ms",
            f"latency max         {latencies[-1]:.3f} ms",
            f"  CPU p50 / p99     {statistics.median(cpu):.3f} / {cpu[min(len(cpu) - 1, int(len(cpu) * 0.99))]:.3f} ms "
            "(the matcher's own time, without a busy machine's waits)",
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
    rematched = _rematched(kb, matcher, pool, state)
    return [
        f"with context        {len(pool)} first-turn questions resolved against an earlier answer",
        f"  no follow-up cue  {len(cue_free)} ({len(cue_free) / len(pool):.0%}), extra mean "
        f"{statistics.fmean(cue_free):.3f} ms",
        f"  matched again     {rematched} ({rematched / len(pool):.1%}) read in context too (a rewrite costs a match)",
        f"  all, extra        p50 {statistics.median(extra):.3f} ms, mean {statistics.fmean(extra):.3f} ms, "
        f"p99 {extra[min(len(extra) - 1, int(len(extra) * 0.99))]:.3f} ms",
    ]


def _rematched(
    kb: knowledge.KnowledgeBase, matcher: Matcher, pool: list[str], state: conversation.ConversationState
) -> int:
    """How many of the pool's questions the resolver matches more than once (their rewrites): above
    1 % of them, the p99 of the extra cost is a whole match."""
    calls = 0
    match = matcher.match

    def counting(question: str) -> Match:
        nonlocal calls
        calls += 1
        return match(question)

    rematched = 0
    setattr(matcher, "match", counting)  # noqa: B010 - an instance attribute over the method, removed below
    try:
        for question in pool:
            calls = 0
            conversation.resolve(question, state, kb, matcher, now=1.0)
            rematched += calls > 1
    finally:
        delattr(matcher, "match")
    return rematched


def cold(faq_path: Path, question: str, runs: int) -> str:
    """``python -m bot ask QUESTION`` in ``runs`` fresh processes against ``python -c pass``,
    interleaved, after one unmeasured run of each (it writes the caches and warms the disk).
    The figure is the difference of the medians: what starting the bot costs over Python itself.

    The runs log no questions (QUESTION_LOG=off) and may write bytecode, as an installed
    package has it (PYTHONDONTWRITEBYTECODE would make each run compile every module again)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["QUESTION_LOG"] = "off"
    bare = [sys.executable, "-c", "pass"]
    ask = [sys.executable, "-m", "bot", "--faq", str(faq_path), "ask", question]
    _child(bare, env)
    _child(ask, env)
    timed: dict[str, list[tuple[float, float, float]]] = {"bare": [], "ask": []}
    for _ in range(runs):
        timed["bare"].append(_child(bare, env))
        timed["ask"].append(_child(ask, env))
    wall = {name: statistics.median(t[0] for t in ts) for name, ts in timed.items()}
    cpu = {name: statistics.median(t[1] for t in ts) for name, ts in timed.items()}
    rss = statistics.median(t[2] for t in timed["ask"])
    fastest = min(t[0] for t in timed["ask"]) - min(t[0] for t in timed["bare"])
    return "\n".join(
        [
            f"knowledge base      {faq_path}",
            f"question            {question!r}",
            f"runs                {runs} of each, interleaved (after one unmeasured run of each)",
            f"python -c pass      {wall['bare'] * 1000:.0f} ms wall, {cpu['bare'] * 1000:.0f} ms CPU (median)",
            f"python -m bot ask   {wall['ask'] * 1000:.0f} ms wall, {cpu['ask'] * 1000:.0f} ms CPU (median)",
            f"cold start          {(wall['ask'] - wall['bare']) * 1000:.0f} ms over bare Python "
            f"({(cpu['ask'] - cpu['bare']) * 1000:.0f} ms CPU; fastest runs {fastest * 1000:.0f} ms)",
            f"ask peak RSS        {rss:.1f} MB (median)",
        ]
    )


def _child(command: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """One run: wall seconds, CPU seconds (user + system) and peak RSS in MB of the process."""
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    error = process.stderr.read() if process.stderr is not None else b""
    if process.stderr is not None:
        process.stderr.close()
    if process.returncode != 0:
        raise BenchError(
            f"{' '.join(command[1:])} exited {process.returncode}: {error.decode(errors='replace')[-300:]}"
        )
    peak = usage.ru_maxrss / (1024 * 1024) if sys.platform == "darwin" else usage.ru_maxrss / 1024
    return wall, usage.ru_utime + usage.ru_stime, peak


def states(faq_path: Path, questions_path: Path, chats: int) -> str:
    """The memory conversation state costs, as the process's RSS grows: ``chats`` private chats,
    each holding its last answer as PTB's chat_data holds it; then groups (one per 100 chats) at
    their ``MAX_ANSWERS`` replies-to answers each; then the store's copies and one save, as the bot
    makes every ``SAVE_SECONDS``, and one prune once they have all expired. Each chat's question
    is a string of its own, as users type them."""
    import asyncio
    import dataclasses
    import gc
    import tempfile

    from bot import telegram_conversation as chat_store_module

    kb = knowledge.load(faq_path)
    lexicon = conversation.lexicon(kb)
    pool = _questions(questions_path, kb)
    answered = [lexicon.state(kb.entries[i % len(kb.entries)], q, 0.0) for i, q in enumerate(pool)]
    now = time.time()
    groups = max(1, chats // 100)

    def state_for(i: int) -> tuple[object, ...]:
        state = answered[i % len(answered)]
        own_words = "".join([state.question, " "])  # a new string per chat, not the pool's
        return dataclasses.replace(state, question=own_words, at=now - i % 600).dump()

    gc.collect()
    start = _current_rss_mb()
    held: dict[int, dict[str, object]] = {i: {} for i in range(chats)}  # what PTB holds for any chat
    gc.collect()
    empty = _current_rss_mb()
    for chat_id, chat_data in held.items():
        chat_data[chat_store_module.CONVERSATION] = state_for(chat_id)
    gc.collect()
    private = _current_rss_mb()
    for group in range(groups):
        answers = {m: state_for(group * 64 + m) for m in range(chat_store_module.MAX_ANSWERS)}
        held[-1 - group] = {chat_store_module.ANSWERS: answers}
    gc.collect()
    grouped = _current_rss_mb()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "conversations.pickle"
        chat_store = chat_store_module.ChatStore(path)

        async def hand_over_and_save() -> tuple[float, float]:
            for chat_id, data in held.items():  # what PTB does with each changed chat's data
                await chat_store.update_chat_data(chat_id, data)
            handed = _current_rss_mb()
            t0 = time.perf_counter()
            await chat_store.save()
            return handed, time.perf_counter() - t0

        handed, saved = asyncio.run(hand_over_and_save())
        size = path.stat().st_size
    gc.collect()
    after_save = _current_rss_mb()
    t0 = time.perf_counter()
    emptied = sum(chat_store_module.prune(data, now + conversation.PRIVATE_TTL + 1) for data in held.values())
    pruned = time.perf_counter() - t0
    mb = 1024 * 1024
    return "\n".join(
        [
            f"knowledge base      {faq_path} ({len(answered)} distinct answers to remember)",
            f"private chats       {chats:,}, each with its last answer: RSS +{private - start:.1f} MB "
            f"({(private - start) * mb / chats:.0f} bytes a chat; PTB's empty chat_data alone "
            f"+{empty - start:.1f} MB)",
            f"groups              {groups:,} with {chat_store_module.MAX_ANSWERS} answers each: RSS "
            f"+{grouped - private:.1f} MB",
            f"store's copies      RSS +{handed - grouped:.1f} MB (a private chat's copy is its state itself)",
            f"save (worker)       {saved * 1000:.0f} ms, file {size / mb:.1f} MB, "
            f"RSS +{after_save - handed:.1f} MB after",
            f"prune, all expired  {pruned * 1000:.0f} ms ({emptied:,} chats left empty and dropped)",
            f"RSS growth, total   {after_save - start:.1f} MB ({start:.1f} -> {after_save:.1f} MB)",
        ]
    )


def _current_rss_mb() -> float:
    """The process's resident memory now (Linux /proc; the peak elsewhere)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, ValueError, IndexError):
        return _peak_rss_mb()
    return pages * os.sysconf("SC_PAGE_SIZE") / (1024 * 1024)


class BenchError(Exception):
    """A benchmarked command failed; the message is one line."""
