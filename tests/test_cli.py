"""The terminal interface: ``main(argv)`` in-process with its stdin, stdout, stderr and
environment (as asottile's tools are tested); ``python -m bot`` itself runs as a subprocess in
tests/e2e/test_bot_process.py (no token, no telegram import, hash seeds).
(`check` on the shipped files: tests/test_curation.py.)"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest

from bot import cli, knowledge
from bot.cli import main
from bot.config import Settings
from bot.matcher import Matcher
from tests.conftest import ROOT, SYNTHETIC_FAQ

PORT_ALDER_FAQ = ROOT / "tests" / "data" / "port-alder" / "faq.json"

# Empty values win over a developer's .env, so no test can reach the real Telegram API.
SAFE_ENV = {"QUESTION_LOG": "off", "TELEGRAM_BOT_TOKEN": "", "TELEGRAM_API_URL": "http://127.0.0.1:9"}


def _env(env: dict[str, str] | None) -> dict[str, str]:
    return {**{k: v for k, v in os.environ.items() if k != "FAQ_PATH"}, **SAFE_ENV, **(env or {})}


_real_load = cli._load
_loaded: dict[tuple[Path, bytes], tuple[knowledge.KnowledgeBase, Matcher]] = {}


def _shared_load(args: argparse.Namespace, settings: Settings) -> tuple[knowledge.KnowledgeBase, Matcher]:
    """cli._load, once per knowledge base file and content: building a Matcher is most of what a
    command costs, and a Matcher is never changed by answering. A file that fails to load is never
    cached, and an edited file (other bytes) is loaded again, so every error path still runs."""
    path = cli._faq_path(args, settings)
    try:
        key = (path.resolve(), path.read_bytes())
    except OSError:
        return _real_load(args, settings)
    if key not in _loaded:
        _loaded[key] = _real_load(args, settings)
    return _loaded[key]


def bot(*args: str, stdin: str | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m bot ARGS`` run in this process: its exit code and what it printed."""
    out, err = io.StringIO(), io.StringIO()
    with (
        mock.patch.object(cli, "_load", _shared_load),
        mock.patch.dict(os.environ, _env(env), clear=True),
        mock.patch.object(sys, "stdin", io.StringIO(stdin or "")),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
    ):
        try:
            code = main(list(args))
        except SystemExit as exit_:  # argparse: --help, a bad option
            code = exit_.code if isinstance(exit_.code, int) else 2
    return subprocess.CompletedProcess(["python", "-m", "bot", *args], code, out.getvalue(), err.getvalue())


def test_ask_plain_text_quotes_the_article() -> None:
    result = bot("ask", "who said we were very close?")
    assert result.returncode == 0, result.stderr
    assert "“We were very close, but Netanyahu’s narrow-mindedness aborted an agreement,”" in result.stdout
    assert "Mousa Abu Marzouk" in result.stdout
    assert "May 19, 2024" in result.stdout


def test_ask_json_is_one_object() -> None:
    result = bot("ask", "--json", "how many rockets did hamas fire")
    data = json.loads(result.stdout)
    assert data["status"] == "answered"
    assert any("approximately ten rockets" in q["text"] for q in data["quotes"])
    assert 0 <= data["score"] <= 100


def test_ask_json_reads_stdin_line_by_line_in_order() -> None:
    questions = ["who is bill burns", "what is the capital of france", "", "where did the talks take place"]
    result = bot("ask", "--json", stdin="\n".join(questions) + "\n")
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [d["question"] for d in lines] == questions
    assert lines[1]["status"] == "no_match" and lines[2]["status"] == "no_match"
    assert any("CIA Director" in q["text"] for q in lines[0]["quotes"])


def test_ask_without_a_question_explains() -> None:
    result = bot("ask")
    assert result.returncode == 2 and "give a question" in result.stderr
    assert 'ask "What is this article about?"' in result.stderr  # the shipped faq.json's first starter
    other = bot("ask", env={"FAQ_PATH": str(SYNTHETIC_FAQ)})
    assert other.returncode == 2 and 'ask "When does the library reopen?"' in other.stderr


def test_check_says_what_it_checked_on_a_clean_file() -> None:
    result = bot("--faq", str(SYNTHETIC_FAQ), "check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"OK — \d+ answers, \d+ not-covered notes, every quote verbatim in the 5-paragraph", result.stdout)


def test_check_lists_each_problem_on_one_line(tmp_path: Path) -> None:
    raw = json.loads(SYNTHETIC_FAQ.read_text(encoding="utf-8"))
    raw["entries"][2]["quotes"][0]["text"] = "a sentence the article never wrote"
    raw["entries"][3]["related"] = ["missing"]
    broken = tmp_path / "faq.json"
    broken.write_text(json.dumps(raw), encoding="utf-8")
    result = bot("check", "--faq", str(broken))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    assert "entry 'new-features': field 'quotes[0].text'" in lines[0]
    assert "entry 'hours': field 'related'" in lines[1]
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("content", ["{not json", "", '{"article": 1, "entries": []}'])
def test_broken_faq_is_one_line_and_exit_2(tmp_path: Path, content: str) -> None:
    path = tmp_path / "faq.json"
    path.write_text(content, encoding="utf-8")
    result = bot("ask", "hello there", env={"FAQ_PATH": str(path)})
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and str(path) in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_faq_is_one_line_and_exit_2(tmp_path: Path) -> None:
    result = bot("--faq", str(tmp_path / "missing.json"), "ask", "hi")
    assert result.returncode == 2
    assert "missing.json" in result.stderr and "file not found" in result.stderr


def test_faq_path_switches_the_article() -> None:
    result = bot("ask", "--json", "when does the library reopen", env={"FAQ_PATH": str(SYNTHETIC_FAQ)})
    data = json.loads(result.stdout)
    assert data["faq_id"] == "reopening" and "Saturday" in data["quotes"][0]["text"]


def test_eval_prints_the_figures() -> None:
    result = bot("eval")
    assert "in-scope accuracy" in result.stdout and "abstention accuracy" in result.stdout
    assert "confident-wrong" in result.stdout and "mean" in result.stdout
    # Exit 0 only when every target is met (test below). Since the Porter2 stemmer (issue 14 item 9) the own
    # eval set reads in-scope 94.9 % (112/118), one question under its 95 % target: the calibration
    # (item 6) fits cutoffs next; the frozen sets, not this one, decide the rules.
    assert result.returncode in (0, 1), result.stderr
    assert "/50)" in result.stdout  # out of eval.jsonl's 50 out-of-scope questions


def test_eval_below_the_targets_exits_1(tmp_path: Path) -> None:
    cases = tmp_path / "eval.jsonl"
    cases.write_text(
        '{"question": "what is the capital of france", "kind": "direct", "expect": "answer", "evidence": "Paris"}\n'
    )
    result = bot("eval", str(cases))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "in-scope accuracy   0.0% (0/1)" in result.stdout
    # no out-of-scope question in the set: no abstention figure to invent, and none in the mean
    assert "abstention accuracy n/a" in result.stdout and "mean                0.0%" in result.stdout


@pytest.mark.parametrize("how", ["flag", "env"])
def test_eval_on_another_knowledge_base_needs_its_own_labelled_set(how: str) -> None:
    """The default set labels the main article's entries: scoring another article on it means nothing."""
    args, env = (
        (("--faq", str(SYNTHETIC_FAQ), "eval"), None)
        if how == "flag"
        else (("eval",), {"FAQ_PATH": str(SYNTHETIC_FAQ)})
    )
    result = bot(*args, env=env)
    assert result.returncode == 2, result.stdout
    assert result.stdout == "" and len(result.stderr.strip().splitlines()) == 1
    assert "needs a labelled question set" in result.stderr and str(SYNTHETIC_FAQ) in result.stderr


def test_eval_on_another_knowledge_base_with_its_set_runs(tmp_path: Path) -> None:
    cases = tmp_path / "cases.jsonl"
    cases.write_text(
        '{"question": "when does the library reopen", "kind": "direct", "expect": "answer", "faq_id": "reopening"}\n'
    )
    result = bot("--faq", str(SYNTHETIC_FAQ), "eval", str(cases))
    assert "in-scope accuracy   100.0% (1/1)" in result.stdout, result.stdout + result.stderr


def test_eval_on_a_bad_file(tmp_path: Path) -> None:
    bad = tmp_path / "eval.jsonl"
    bad.write_text('{"question": "x"}\n')
    result = bot("eval", str(bad))
    assert result.returncode == 2 and "line 1" in result.stderr


def test_bench_prints_figures(tmp_path: Path) -> None:
    questions = tmp_path / "questions.jsonl"  # a small pool: bench times every question of it with context too
    questions.write_text('{"question": "when does the library reopen"}\n', encoding="utf-8")
    result = bot("--faq", str(SYNTHETIC_FAQ), "bench", "--questions", "300", "--file", str(questions))
    assert result.returncode == 0, result.stderr
    for label in ("load total", "latency p50", "latency p99", "questions/s", "peak RSS"):
        assert label in result.stdout


def test_bench_states_prints_the_memory_of_conversations_and_prunes_them_all() -> None:
    """A figure, not a limit: but every private chat's state, once expired, must be pruned away."""
    result = bot("--faq", str(SYNTHETIC_FAQ), "bench", "--states", "2000")
    assert result.returncode == 0, result.stderr
    assert re.search(r"^private chats +2,000, each with its last answer: RSS \+-?[\d.]+ MB", result.stdout, re.M)
    assert re.search(r"^save \(worker\) +\d+ ms, file [\d.]+ MB", result.stdout, re.M)
    assert "(2,000 chats left empty and dropped)" in result.stdout
    assert bot("bench", "--states", "0").returncode == 2


def test_chat_answers_and_leaves_on_end_of_input() -> None:
    result = bot("chat", stdin="who is bill burns\n")
    assert result.returncode == 0
    assert "CIA Director" in result.stdout


def test_terminal_questions_are_logged_and_reported(tmp_path: Path) -> None:
    log = tmp_path / "questions.sqlite3"
    env = {"QUESTION_LOG": str(log)}
    bot("ask", "--json", stdin="who is bill burns\nwhat is the capital of france\n", env=env)
    with sqlite3.connect(log) as db:
        rows = db.execute("SELECT question, status, channel FROM questions ORDER BY id").fetchall()
    assert rows == [
        ("who is bill burns", "answered", "terminal"),
        ("what is the capital of france", "no_match", "terminal"),
    ]
    report = bot("report", "--format", "json", env=env)
    assert report.returncode == 0, report.stderr
    data = json.loads(report.stdout)
    assert data["questions"] == 2


def test_report_with_logging_off_explains() -> None:
    result = bot("report")
    assert result.returncode == 2 and "QUESTION_LOG is off" in result.stderr


def test_readme_quick_start_output_is_what_ask_prints() -> None:
    """The README shows real output; keep it honest."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    question = "why did the ceasefire talks stall?"
    assert f'python -m bot ask "{question}"' in readme
    printed = bot("ask", question).stdout.strip()
    assert printed and printed in readme


def test_ask_conversation_reads_stdin_as_one_conversation() -> None:
    lines = ["What did Abu Marzouk say?", "who is he?", "who said that?", "ok unrelated: what's bitcoin at?"]
    result = bot("ask", "--json", "--conversation", stdin="\n".join(lines) + "\n")
    assert result.returncode == 0, result.stderr
    first, who, said, unrelated = (json.loads(line) for line in result.stdout.splitlines())
    assert first["context"] is None and first["understood_as"] == lines[0]
    assert who["context"]["entry_id"] == first["faq_id"] and "Abu Marzouk" in who["understood_as"]
    assert who["status"] == "answered" and who["question"] == "who is he?"
    assert said["status"] == "answered" and "Mousa Abu Marzouk" in said["quotes"][0]["attribution"]
    assert unrelated["context"] is None and unrelated["status"] == "no_match"


def test_ask_json_without_conversation_reads_every_line_alone() -> None:
    result = bot("ask", "--json", stdin="What did Abu Marzouk say?\nwho is he?\n")
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    assert second["context"] is None and second["status"] != "answered"
    assert set(first) >= {"question", "status", "score", "faq_id", "answer", "quotes", "suggestions", "note_id"}


def test_eval_dialogues_prints_first_turns_follow_ups_and_leaks(tmp_path: Path) -> None:
    dialogue = {
        "id": "t1",
        "mode": "group",
        "turns": [
            {"say": "how many rockets did hamas fire?", "role": "first", "expect": "answer"},
            {"say": "where does it say that?", "role": "about-answer", "expect": "answer",
             "evidence": "approximately ten rockets"},
            {"say": "what's the capital of france?", "role": "topic-change", "expect": "no_match"},
        ],
    }  # fmt: skip
    path = tmp_path / "d.jsonl"
    path.write_text(json.dumps(dialogue) + "\n", encoding="utf-8")
    result = bot("eval", "--dialogues", str(path))
    assert "first turns          100.0% (1/1)" in result.stdout
    assert "follow-ups, group    100.0% (2/2)" in result.stdout
    assert "topic-change leaks   0 of 1" in result.stdout
    assert result.returncode == 0, result.stdout


def test_eval_dialogues_bad_file_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"mode": "private"}\n', encoding="utf-8")
    result = bot("eval", "--dialogues", str(path))
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "line 1" in result.stderr


def test_report_counts_the_knowledge_base_it_is_given_and_all_of_them_with_all(tmp_path: Path) -> None:
    """Each row knows its knowledge base: the main article's questions are not the synthetic one's."""
    log = tmp_path / "questions.sqlite3"
    env = {"QUESTION_LOG": str(log)}
    bot("ask", "--json", stdin="who is bill burns\nwhat is the capital of france\n", env=env)
    bot("--faq", str(SYNTHETIC_FAQ), "ask", "--json", stdin="who won the match\n", env=env)
    with sqlite3.connect(log) as db:
        titles = db.execute("SELECT DISTINCT kb_title FROM questions").fetchall()
    assert len(titles) == 2 and all(t for (t,) in titles)

    def counted(*args: str) -> int:
        result = bot(*args, "report", "--format", "json", env=env)
        assert result.returncode == 0, result.stderr
        return int(json.loads(result.stdout)["questions"])

    assert counted() == 2
    assert counted("--faq", str(SYNTHETIC_FAQ)) == 1
    every = bot("report", "--all", env=env)
    assert every.returncode == 0 and "Questions: 3" in every.stdout and "--all" in every.stdout


def test_a_log_that_cannot_be_written_is_one_warning_and_ask_still_answers(tmp_path: Path) -> None:
    blocker = tmp_path / "afile"
    blocker.write_text("a file, so no folder can be created under it")
    result = bot("ask", "who is bill burns", env={"QUESTION_LOG": str(blocker / "q.db")})
    assert result.returncode == 0 and "Burns" in result.stdout
    assert result.stderr.count("warning: question log") == 1 and "Traceback" not in result.stderr


def test_ask_loads_neither_the_bot_shell_nor_the_network() -> None:
    """`ask` is a terminal command: the Telegram library, the HTTP clients, asyncio and (with
    the question log off) SQLite belong to the bot, and each would cost every `ask` start-up time."""
    script = (
        "import sys; from bot.cli import main; main(['ask', 'who launched the rockets']); print(*sorted(sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        env=_env(None),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    loaded = set(done.stdout.splitlines()[-1].split())
    assert "bot.matcher" in loaded
    assert not loaded & {"telegram", "httpx", "httpcore", "asyncio", "ssl", "sqlite3", "wordllama"}


def test_bench_cold_prints_the_start_up_figure_and_asserts_nothing() -> None:
    result = bot("--faq", str(SYNTHETIC_FAQ), "bench", "--cold", "--runs", "1")
    assert result.returncode == 0, result.stderr
    assert re.search(r"^cold start +-?\d+ ms over bare Python \(-?\d+ ms CPU", result.stdout, re.MULTILINE)
    assert bot("bench", "--cold", "--runs", "0").returncode == 2


def test_a_question_in_parts_logs_each_part_and_the_part_nothing_answered(tmp_path: Path) -> None:
    """The part the article answers nothing of is the gap a curator's report must see, not hidden
    behind the part that was answered."""
    log = tmp_path / "questions.sqlite3"
    env = {"QUESTION_LOG": str(log)}
    asked = "Who is the mediator and when was the port built?"
    result = bot("--faq", str(PORT_ALDER_FAQ), "ask", asked, env=env)
    assert "I couldn't find the rest in the article" in result.stdout, result.stdout
    with sqlite3.connect(log) as db:
        rows = db.execute("SELECT question, status, entry_id FROM questions ORDER BY id").fetchall()
    assert [(status, entry) for _, status, entry in rows] == [("answered", "mediator"), ("no_match", None)]
    assert "when was the port built" in rows[1][0]
