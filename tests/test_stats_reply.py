"""/stats is packed like every reply: whatever people asked, each message fits Telegram's 4096."""

from __future__ import annotations

from bot import render


def test_stats_fit_one_message_whatever_the_questions_hold() -> None:
    worst = "'&<>\"" * 100  # every character escaped to five or six
    stats = {
        "questions": 10**9,
        "answered_share": 0.5,
        "inline": 7,
        "waiting": 3,
        "status": "question log off since 14:07 UTC: " + worst,
        "error": worst,
        "top_unanswered": [(worst + str(n), 10**6) for n in range(50)],
    }
    reply = render.stats_reply(stats)
    assert reply.parts and all(len(part) <= render.MAX_MESSAGE_CHARS for part in reply.parts)
    text = "\n".join(reply.parts)
    assert "Inline queries (not counted above): 7" in text and "Not yet written, so not counted: 3" in text
    assert "question log off since 14:07 UTC" in text
    assert text.count("×") == 5  # the top five only


def test_a_reload_note_is_bounded() -> None:
    assert len(render.note_html("Reload refused: " + "&" * 100_000)) <= 6 * render.MAX_NOTE_CHARS < 4096
