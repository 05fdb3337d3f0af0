"""Groups over the wire: repeats under real concurrency, and forum-topic links Telegram accepts.

Who is addressed, quiet mode, forum topics and repeat links are tested fast in
tests/test_telegram_groups.py."""

from __future__ import annotations

from conftest import BOT_USERNAME, Harness


def mention(text: str) -> str:
    return f"@{BOT_USERNAME} {text}"


def internal_id(chat: dict) -> str:
    return str(chat["id"]).removeprefix("-100")


# ---------------------------------------------------------------------------
# Etiquette: the same answer twice in a few minutes is a link, not a copy


def test_simultaneous_repeats_get_one_full_answer(harness: Harness) -> None:
    group = harness.supergroup()
    asked = [harness.push(group, mention("who is bill burns"), from_user=harness.user(f"U{n}"))[1] for n in range(4)]
    replies = [harness.wait_reply(group, message_id) for message_id in asked]
    full = [r for r in replies if "<blockquote>" in r["text"]]
    assert len(full) == 1, [r["plain_text"][:60] for r in replies]
    link = f"https://t.me/c/{internal_id(group)}/{full[0]['message_id']}"
    assert all(link in r["text"] for r in replies if r is not full[0])


def test_repeats_are_counted_per_forum_topic(harness: Harness) -> None:
    forum = harness.supergroup(is_forum=True)
    talks, rockets = (harness.api.create_forum_topic(forum, name) for name in ("Talks", "Rockets"))
    first = harness.ask(forum, mention("who is bill burns"), thread_id=talks)
    assert "<blockquote>" in harness.ask(forum, mention("who is bill burns"), thread_id=rockets)["text"]
    repeat = harness.ask(forum, mention("who is bill burns"), thread_id=talks)
    assert f"https://t.me/c/{internal_id(forum)}/{talks}/{first['message_id']}" in repeat["text"]
    assert repeat["message_thread_id"] == talks
    assert any(e["type"] == "text_link" for e in repeat["entities"]) and "<blockquote>" not in repeat["text"]
