"""Burst benchmark: the real bot process against the fake Bot API, many chats at once.

    python tests/e2e/burst.py [--questions 500] [--chats 50] [--rate 0] [--log both|on|off] [--runs 1]

Pushes ``--questions`` questions (the labelled mix of tests/data/eval.jsonl: in-scope and
out-of-scope, shuffled with a fixed seed) from ``--chats`` private chats. With ``--rate 0``
(default) they go in waves, one question per chat, the next wave as soon as the last one is
answered; with ``--rate N`` they are pushed at N per second regardless of answers. Then it
prints what happened: answered exactly once (duplicates, missing), latency from update pushed
to reply received, messages per second, the bot's CPU time per message (from /proc), its RSS
after start-up and after the burst, and the start-up time (spawn to first getUpdates).

The fake API and this driver are Python too and cost about half as much CPU per message as the bot.
In production Telegram's servers are elsewhere; here they share the machine. So by default the
driver and the fake keep to one CPU (where there are two or more) and the bot, unpinned, may
use them all; ``--share-cpus`` lets the driver and the fake run anywhere, taking turns with
the bot on every CPU.

By default it runs twice, with the question log on (a SQLite file in a temporary folder) and
off, to show what logging costs. ``--runs N`` repeats that N times, the settings interleaved so
they meet the same noise, and ends with the median and range of each figure: on a shared
virtual machine the same code can cost a third more CPU from one minute to the next. It prints
figures and asserts nothing; not a pytest test.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))

from fakeapi import FakeTelegramServer  # noqa: E402

TOKEN = "123456:BURST-token-abcdefghijklmnop"
QUESTIONS_FILE = REPO_ROOT / "tests" / "data" / "eval.jsonl"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def question_mix(count: int, seed: int = 7) -> list[str]:
    rows = [json.loads(line) for line in QUESTIONS_FILE.read_text(encoding="utf-8").splitlines() if line.strip()]
    questions = [row["question"] for row in rows]
    rng = random.Random(seed)
    picked: list[str] = []
    while len(picked) < count:
        rng.shuffle(questions)
        picked.extend(questions)
    return picked[:count]


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process, from /proc/<pid>/stat."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # fields 14 and 15, counted after "pid (comm)"


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * p / 100
    low, high = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


@dataclass
class Result:
    label: str
    startup_s: float
    pushed: int
    answered_once: int
    duplicates: int
    missing: int
    latencies_ms: list[float]
    wall_s: float
    cpu_ms_per_message: float
    rss_start_mib: float
    rss_end_mib: float
    errors_in_log: int


def confine_load_generator() -> set[int] | None:
    """Keep this process's threads (the driver, and the fake's, started later) to one CPU.

    Returns every CPU the bot may use, or None when there is only one (nothing to keep apart)."""
    if not hasattr(os, "sched_setaffinity"):
        return None
    cpus = os.sched_getaffinity(0)
    if len(cpus) < 2:
        return None
    os.sched_setaffinity(0, {min(cpus)})  # threads started from now on inherit it
    return cpus


def run(
    label: str,
    questions: list[str],
    chats: int,
    rate: float,
    question_log: str,
    timeout: float,
    bot_cpus: set[int] | None,
) -> Result:
    api = FakeTelegramServer(TOKEN).start()
    work = Path(tempfile.mkdtemp(prefix="bot-burst-"))
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_URL": api.url,
        "QUESTION_LOG": question_log if question_log == "off" else str(work / "questions.sqlite3"),
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }
    stderr_path = work / "bot.stderr.log"
    spawned = time.monotonic()
    with stderr_path.open("wb") as stderr:
        proc = subprocess.Popen(
            [sys.executable, "-m", "bot"], cwd=REPO_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=stderr
        )
    if bot_cpus is not None:
        os.sched_setaffinity(proc.pid, bot_cpus)  # the child inherited the driver's single CPU
    try:
        api.add_abort_check(lambda: None if proc.poll() is None else f"bot exited with {proc.returncode}")
        api.wait_until_polling(timeout=60)
        startup = (api.first_get_updates_at or time.monotonic()) - spawned
        rss_start = rss_mib(proc.pid)
        users = [api.private_chat(api.make_user(f"U{n}")) for n in range(chats)]
        pushed: dict[tuple[int, int], int] = {}  # (chat id, message id) -> update id

        def push(n: int) -> None:
            chat = users[n % chats]
            update_id = api.push_message(chat, questions[n])
            message = api.update_record(update_id).update["message"]
            pushed[(chat["id"], message["message_id"])] = update_id

        cpu_before, started = cpu_seconds(proc.pid), time.monotonic()
        if rate > 0:
            for n in range(len(questions)):
                due = started + n / rate
                if (wait := due - time.monotonic()) > 0:
                    time.sleep(wait)  # pacing the load generator, not waiting on the bot
                push(n)
            api.wait_for_sent_count(len(questions), timeout=timeout)
        else:
            for wave in range(0, len(questions), chats):
                for n in range(wave, min(wave + chats, len(questions))):
                    push(n)
                api.wait_for_sent_count(min(wave + chats, len(questions)), timeout=timeout)
        wall = time.monotonic() - started
        # Let anything late (a duplicate) arrive: one more exchange after everything was answered.
        sentinel = api.private_chat(api.make_user("Sentinel"))
        api.wait_for_reply(api.push_message(sentinel, "who is bill burns"), timeout=timeout)
        cpu_after = cpu_seconds(proc.pid)
        rss_end = rss_mib(proc.pid)

        replies = Counter()
        pushed_at = {r.update_id: r.pushed_at for r in api.updates()}
        latencies = []
        for sent in api.sent_messages():
            target = (sent["chat_id"], (sent.get("reply_parameters") or {}).get("message_id"))
            update_id = pushed.get(target)
            if update_id is None:
                continue
            replies[update_id] += 1
            if replies[update_id] == 1:
                latencies.append((sent["received_at"] - pushed_at[update_id]) * 1000)
        once = sum(1 for u in pushed.values() if replies[u] == 1)
        duplicates = sum(replies[u] - 1 for u in pushed.values() if replies[u] > 1)
        missing = sum(1 for u in pushed.values() if replies[u] == 0)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        api.stop()
    errors = sum(" ERROR " in line for line in stderr_path.read_text(errors="replace").splitlines())
    return Result(
        label,
        startup,
        len(questions),
        once,
        duplicates,
        missing,
        latencies,
        wall,
        (cpu_after - cpu_before) * 1000 / len(questions),
        rss_start,
        rss_end,
        errors,
    )


def report(result: Result) -> str:
    lat = result.latencies_ms
    return "\n".join(
        [
            f"== question log {result.label}",
            f"start-up (spawn to first getUpdates): {result.startup_s * 1000:.0f} ms",
            f"questions pushed: {result.pushed}; answered exactly once: {result.answered_once}; "
            f"duplicates: {result.duplicates}; missing: {result.missing}; ERROR lines in the bot's log: "
            f"{result.errors_in_log}",
            f"latency push->reply: p50 {percentile(lat, 50):.1f} ms, p95 {percentile(lat, 95):.1f} ms, "
            f"p99 {percentile(lat, 99):.1f} ms, max {max(lat, default=float('nan')):.1f} ms, "
            f"mean {statistics.fmean(lat) if lat else float('nan'):.1f} ms",
            f"throughput: {result.pushed / result.wall_s:.0f} messages/s ({result.wall_s:.2f} s for the burst)",
            f"bot CPU: {result.cpu_ms_per_message:.2f} ms per message",
            f"bot RSS: {result.rss_start_mib:.1f} MiB after start-up, {result.rss_end_mib:.1f} MiB after the burst",
        ]
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--questions", type=int, default=500)
    parser.add_argument("--chats", type=int, default=50)
    parser.add_argument("--rate", type=float, default=0.0, help="questions per second; 0: waves, as fast as answered")
    parser.add_argument("--log", choices=("both", "on", "off"), default="both", help="question log setting(s) to run")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for a wave (or for all answers)")
    parser.add_argument(
        "--share-cpus",
        action="store_true",
        help="let the fake API and this driver run on every CPU, competing with the bot",
    )
    parser.add_argument(
        "--runs", type=int, default=1, help="repeat, log settings interleaved, and summarise (a shared host is noisy)"
    )
    args = parser.parse_args()
    bot_cpus = None if args.share_cpus else confine_load_generator()

    questions = question_mix(args.questions)
    mode = f"paced at {args.rate:g}/s" if args.rate > 0 else f"in waves of {args.chats}"
    print(f"{args.questions} questions from {args.chats} private chats, {mode} (mix: {QUESTIONS_FILE.name})")
    if bot_cpus is None:
        print("the fake API and the driver share every CPU with the bot")
    else:
        print(f"the fake API and the driver keep to CPU {min(bot_cpus)}; the bot may use CPUs {sorted(bot_cpus)}")
    settings = {"both": ("on", "off"), "on": ("on",), "off": ("off",)}[args.log]
    results: dict[str, list[Result]] = {setting: [] for setting in settings}
    for _ in range(args.runs):
        for setting in settings:
            result = run(setting, questions, args.chats, args.rate, setting, args.timeout, bot_cpus)
            results[setting].append(result)
            print(report(result), flush=True)
    if args.runs > 1:
        print(f"== over {args.runs} runs: median (min-max)")
        for setting, runs in results.items():
            print(summary(setting, runs))
    return 0


def summary(setting: str, runs: list[Result]) -> str:
    def spread(values: list[float], digits: int) -> str:
        return f"{statistics.median(values):.{digits}f} ({min(values):.{digits}f}-{max(values):.{digits}f})"

    once = sum(r.answered_once for r in runs)
    return (
        f"question log {setting}: p50 {spread([percentile(r.latencies_ms, 50) for r in runs], 1)} ms, "
        f"p99 {spread([percentile(r.latencies_ms, 99) for r in runs], 1)} ms, "
        f"CPU {spread([r.cpu_ms_per_message for r in runs], 2)} ms per message; "
        f"answered exactly once: {once} of {sum(r.pushed for r in runs)}"
    )


if __name__ == "__main__":
    raise SystemExit(main())
