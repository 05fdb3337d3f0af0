"""The curator's side: the question log, live reload of faq.json, admin commands."""

from __future__ import annotations

import json
import signal
from collections.abc import Iterator

import pytest
from conftest import Harness, poll_until, validate_faq

ADMIN_ID = 4242
BOT_ENV = {"ADMIN_USER_IDS": f"{ADMIN_ID}, 4343"}
ENTRY = "who-is-bill-burns"
QUESTION = "who is bill burns"


def set_answer(harness: Harness, entry_id: str, answer: str) -> None:
    """Rewrite the bot's copy of faq.json with one entry's answer changed (a curator's edit)."""
    data = json.loads(harness.faq_path.read_text(encoding="utf-8"))
    entry = next(e for e in data["entries"] if e["id"] == entry_id)
    entry["answer"] = answer
    harness.faq_path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


def current_answer(harness: Harness, entry_id: str) -> str:
    data = json.loads(harness.faq_path.read_text(encoding="utf-8"))
    return next(e["answer"] for e in data["entries"] if e["id"] == entry_id)


def reloads(harness: Harness) -> int:
    return len(harness.log_lines("INFO bot: reloaded"))


def refusals(harness: Harness) -> int:
    return len(harness.log_lines("reload refused"))


@pytest.fixture(scope="module", autouse=True)
def faq_passes_the_check(harness: Harness) -> None:
    """Reloads are validated like `bot check`: a FAQ that fails it can never be reloaded."""
    problems = validate_faq(harness.faq_path)
    if problems:
        detail = "\n".join(problems[:5])
        pytest.fail(f"faq.json does not pass `python -m bot check`, so no reload can succeed:\n{detail}")


@pytest.fixture
def admin(harness: Harness) -> dict:
    return harness.api.make_user("Curator", user_id=ADMIN_ID)


@pytest.fixture
def restore_faq(harness: Harness) -> Iterator[None]:
    """Put the original faq.json back after a test that edits it, and wait until it is live again."""
    original = harness.faq_path.read_bytes()
    yield
    if harness.faq_path.read_bytes() != original:
        count = reloads(harness)
        harness.faq_path.write_bytes(original)
        harness.wait_log("INFO bot: reloaded", count=count + 1)


# ---------------------------------------------------------------------------
# The question log


def test_questions_are_logged_per_channel_without_user_ids(harness: Harness, admin: dict) -> None:
    user = harness.user("Logged")
    chat = harness.api.private_chat(user)
    group = harness.supergroup()
    harness.ask(chat, "who is bill burns?")
    harness.ask(group, "/ask who said we were very close?", from_user=user)
    query_id = harness.api.push_inline_query("what is kerem shalom?", user)
    harness.api.wait_for(lambda: harness.api.inline_answer(query_id))
    harness.ask(chat, "What did Netanyahu say about Iran?")

    # The log is written in the background; /stats commits what is queued before it counts.
    harness.ask(harness.api.private_chat(admin), "/stats")
    # An inline query is logged once the user has stopped typing (bot/inline_log.py).
    poll_until(lambda: harness.db_rows("SELECT 1 FROM questions WHERE channel = 'inline'"), 15, "the inline row")
    rows = harness.db_rows("SELECT question, status, entry_id, channel FROM questions")
    by_question = {question: (status, entry_id, channel) for question, status, entry_id, channel in rows}
    assert by_question["who is bill burns"][::2] == ("answered", "private")
    assert by_question["who said we were very close"][::2] == ("answered", "group")
    assert by_question["what is kerem shalom"][2] == "inline"
    assert by_question["what did netanyahu say about iran"][0] == "no_match"

    columns = {name for (name,) in harness.db_rows("SELECT name FROM pragma_table_info('questions')")}
    assert not {c for c in columns if "user" in c or "chat" in c or "name" in c}, columns
    dump = "\n".join(repr(row) for row in harness.db_rows("SELECT * FROM questions"))
    for identifier in (user["id"], group["id"], "Logged"):
        assert str(identifier) not in dump


def test_stats_for_admins_only(harness: Harness, admin: dict) -> None:
    chat = harness.api.private_chat(admin)
    harness.ask(chat, "what is the weather on mars")
    stats = harness.ask(chat, "/stats")
    assert "Questions:" in stats["plain_text"] and "Answered:" in stats["plain_text"]
    assert "what is the weather on mars" in stats["plain_text"]
    refused = harness.ask(harness.private_chat(), "/stats")
    assert "admins" in refused["plain_text"] and "Questions:" not in refused["plain_text"]


# ---------------------------------------------------------------------------
# Live reload


def test_edited_faq_is_answered_from_within_seconds(harness: Harness, restore_faq: None) -> None:
    count = reloads(harness)
    new_answer = current_answer(harness, ENTRY) + " (Edited by the curator.)"
    set_answer(harness, ENTRY, new_answer)
    harness.wait_log("INFO bot: reloaded .*faq\\.json", count=count + 1, timeout=5)
    reply = harness.ask(harness.private_chat(), QUESTION)
    assert "(Edited by the curator.)" in reply["plain_text"] and "CIA Director" in reply["plain_text"]


@pytest.mark.allow_bot_errors
def test_truncated_faq_is_refused_and_the_old_one_kept(harness: Harness, restore_faq: None) -> None:
    before = refusals(harness)
    text = harness.faq_path.read_text(encoding="utf-8")
    harness.faq_path.write_text(text[: len(text) // 2], encoding="utf-8")
    harness.wait_log("reload refused", count=before + 1, timeout=5)

    reply = harness.ask(harness.private_chat(), QUESTION)
    assert "CIA Director" in reply["plain_text"]
    new_refusals = harness.log_lines("reload refused")[before:]
    assert len(new_refusals) == 1, new_refusals
    assert "faq.json" in new_refusals[0] and " ERROR " in new_refusals[0]
    assert "Traceback" not in harness.bot.stderr()


@pytest.mark.allow_bot_errors
def test_faq_that_fails_the_check_is_refused(harness: Harness, restore_faq: None) -> None:
    """Valid JSON, but a quote that is not in the article: exactly what `bot check` rejects."""
    data = json.loads(harness.faq_path.read_text(encoding="utf-8"))
    entry = next(e for e in data["entries"] if e["id"] == ENTRY)
    entry["quotes"][0]["text"] = "Bill Burns said something the article never says."
    entry["answer"] = "(This answer must never be shown.)"
    before = refusals(harness)
    broken = harness.faq_path.with_name("broken.json")
    broken.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert validate_faq(broken), "the edit was meant to fail the check"
    broken.replace(harness.faq_path)  # atomic, as an editor saving the file would
    harness.wait_log("reload refused", count=before + 1, timeout=5)
    assert "never be shown" not in harness.ask(harness.private_chat(), QUESTION)["plain_text"]


def test_sighup_reloads(harness: Harness) -> None:
    count = reloads(harness)
    harness.bot.signal(signal.SIGHUP)
    harness.wait_log("INFO bot: reloaded", count=count + 1)
    assert "CIA Director" in harness.ask(harness.private_chat(), QUESTION)["plain_text"]
    assert harness.bot.running


def test_reload_command_for_admins_only(harness: Harness, admin: dict) -> None:
    count = reloads(harness)
    refused = harness.ask(harness.private_chat(), "/reload")
    assert "admins" in refused["plain_text"]
    done = harness.ask(harness.api.private_chat(admin), "/reload")
    assert "Reloaded faq.json" in done["plain_text"] and "entries" in done["plain_text"]
    assert reloads(harness) == count + 1, "only the admin's /reload reloaded"


@pytest.mark.allow_bot_errors
def test_reload_command_reports_a_refusal(harness: Harness, admin: dict, restore_faq: None) -> None:
    before = refusals(harness)
    harness.faq_path.write_text('{"article": <oops>', encoding="utf-8")
    harness.wait_log("reload refused", count=before + 1, timeout=5)  # the watcher saw it first
    reply = harness.ask(harness.api.private_chat(admin), "/reload")
    assert reply["plain_text"].startswith("Reload refused") and "faq.json" in reply["plain_text"]
    assert "CIA Director" in harness.ask(harness.private_chat(), QUESTION)["plain_text"]
