"""Rendering: HTML for Telegram, plain text for the terminal, JSON for scripts."""

from __future__ import annotations

import json
from dataclasses import replace
from html.parser import HTMLParser

import pytest

from bot import callbacks, knowledge, render
from bot.matcher import Match, Matcher

ALLOWED_TAGS = {"b", "i", "u", "s", "a", "code", "pre", "blockquote", "tg-spoiler"}


class _TelegramHTML(HTMLParser):
    """Just enough of Telegram's rules to catch unescaped text and stray tags."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.stack: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        assert tag in ALLOWED_TAGS, tag
        assert not (tag == "blockquote" and "blockquote" in self.stack), "nested blockquote"
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack.pop() == tag, f"unbalanced </{tag}>"

    def handle_data(self, data: str) -> None:
        assert "<" not in data and ">" not in data and "&" not in data, data
        self.text.append(data)

    def handle_entityref(self, name: str) -> None:
        assert name in {"lt", "gt", "amp", "quot"}, name
        self.text.append("&")


def assert_valid_html(html: str) -> str:
    parser = _TelegramHTML()
    parser.feed(html)
    parser.close()
    assert not parser.stack, f"unclosed {parser.stack}"
    text = "".join(parser.text)
    assert 0 < len(text) <= render.MAX_MESSAGE_CHARS and len(html) <= render.MAX_MESSAGE_CHARS
    return text


def _all_replies(kb: knowledge.KnowledgeBase) -> list[render.Reply]:
    replies = [render.entry_reply(kb, e) for e in kb.entries]
    replies += [render.read_reply(kb, n) for n in range(1, len(kb.article.paragraphs) + 1)]
    replies += [
        render.topics_reply(kb),
        render.speakers_reply(kb),
        render.source_reply(kb),
        render.start_reply(kb),
    ]
    replies += [r for n in range(len(kb.topics())) if (r := render.topic_reply(kb, n))]
    replies += [r for n in range(len(kb.speakers())) if (r := render.speaker_reply(kb, n))]
    replies += [r for e in kb.entries for i in range(len(e.quotes)) if (r := render.context_reply(kb, e, i))]
    return replies


@pytest.mark.parametrize("which", ["shipped", "synthetic"])
def test_every_reply_is_valid_telegram_html_with_small_callback_data(
    which: str, kb: knowledge.KnowledgeBase, synthetic_kb: knowledge.KnowledgeBase
) -> None:
    base = kb if which == "shipped" else synthetic_kb
    for reply in _all_replies(base):
        for part in reply.parts:
            assert_valid_html(part)
        for row in reply.buttons:
            for button in row:
                assert 1 <= len(button.data.encode()) <= 64
                assert render.button_reply(base, *callbacks.decode(button.data)) is not None, button
    assert_valid_html(render.help_reply(base, "article_qa_bot"))


def test_quote_with_markup_characters_is_escaped_once(synthetic_kb: knowledge.KnowledgeBase) -> None:
    entry = synthetic_kb.get("budget-criticism")
    assert entry is not None
    (html,) = render.entry_reply(synthetic_kb, entry).parts
    assert "“far over budget” &amp; the council" in html
    assert "&amp;amp;" not in html
    text = assert_valid_html(html)
    assert entry.quotes[0].text in text  # verbatim after Telegram parses the entities


def test_answer_shows_quote_attribution_paragraph_and_date(synthetic_kb: knowledge.KnowledgeBase) -> None:
    entry = synthetic_kb.get("mayor-defence")
    assert entry is not None
    (html,) = render.entry_reply(synthetic_kb, entry).parts
    assert "<blockquote>The mayor, Helen Ortiz, said the final cost" in html
    assert "Helen Ortiz, the mayor" in html and "¶5 of 5" in html
    assert "as reported on September 14, 2023" in html


def test_user_text_in_replies_is_escaped(synthetic_matcher: Matcher, synthetic_kb: knowledge.KnowledgeBase) -> None:
    for question in ["<script>alert(1)</script>", "a & b", "</b>"]:
        reply = render.match_reply(synthetic_matcher.match(question), synthetic_kb)
        for part in reply.parts:
            assert_valid_html(part)


def test_no_match_reply_offers_three_questions(
    synthetic_matcher: Matcher, synthetic_kb: knowledge.KnowledgeBase
) -> None:
    reply = render.match_reply(synthetic_matcher.match("what is the capital of france"), synthetic_kb)
    assert "couldn't find that" in reply.parts[0] and "doesn't say" not in reply.parts[0]
    assert len(reply.buttons) == 3


def test_only_a_curated_note_says_the_article_does_not_say(
    synthetic_matcher: Matcher, synthetic_kb: knowledge.KnowledgeBase
) -> None:
    """Not finding something is not the article lacking it: the three renderers say which it is."""
    unmatched = synthetic_matcher.match("what did the mayor say about the stadium")
    assert unmatched.status == "no_match" and unmatched.entry is None
    note = synthetic_matcher.match("who wrote this article")
    assert note.entry is not None and not note.entry.covered
    for text in (
        render.to_plain(unmatched, synthetic_kb),
        render.to_json(unmatched, synthetic_kb)["answer"],
        "".join(render.match_reply(unmatched, synthetic_kb).parts),
    ):
        assert "couldn't find that" in text and "doesn't say" not in text, text
    assert note.entry.answer in render.to_plain(note, synthetic_kb)
    # a curated note is itself what the article lacks: headed so, straight over it
    assert render.to_plain(note, synthetic_kb).startswith(f"{render.NOT_COVERED}\n{note.entry.answer}")
    assert render.NOT_ASKED not in "".join(render.match_reply(note, synthetic_kb).parts)


def test_an_unmatched_question_suggests_the_entries_nearest_to_it(
    matcher: Matcher, kb: knowledge.KnowledgeBase
) -> None:
    """Not the same starters every time: two unmatched questions about different things get different
    suggestions, each sharing a word with its question."""
    first = render.to_json(matcher.match("what colour were the rockets painted"), kb)
    second = render.to_json(matcher.match("what did burns eat for breakfast"), kb)
    assert first["note_id"] is None and second["note_id"] is None
    assert first["suggestions"] != second["suggestions"]
    assert all("rocket" in s.casefold() for s in first["suggestions"]), first
    assert any("burns" in s.casefold() for s in second["suggestions"]), second


def test_json_shape_is_the_public_interface(synthetic_matcher: Matcher, synthetic_kb: knowledge.KnowledgeBase) -> None:
    data = render.to_json(synthetic_matcher.match("opening hours?"), synthetic_kb)
    assert set(data) >= {"question", "status", "score", "faq_id", "answer", "quotes", "suggestions"}
    assert data["status"] == "answered" and data["faq_id"] == "hours"
    assert data["quotes"] == [
        {"text": "Opening hours will be extended to 9 p.m. on weekdays.", "attribution": "the article", "paragraph": 3}
    ]
    assert data["suggestions"] == []
    title = "Millbrook Library Reopens After Renovation"  # the synthetic article's, not the code's
    assert data["source"] == {"title": title, "date": "2023-09-14", "section": "Local"}
    json.dumps(data)


def test_json_for_a_note_is_a_no_match_with_the_helpful_text(
    synthetic_matcher: Matcher, synthetic_kb: knowledge.KnowledgeBase
) -> None:
    data = render.to_json(synthetic_matcher.match("who is the author?"), synthetic_kb)
    assert data["status"] == "no_match" and data["faq_id"] is None
    assert "names no outlet and no author" in data["answer"]
    assert len(data["suggestions"]) == 3


def test_plain_text_has_quotes_verbatim(synthetic_matcher: Matcher, synthetic_kb: knowledge.KnowledgeBase) -> None:
    text = render.to_plain(synthetic_matcher.match("what did raj patel say"), synthetic_kb)
    assert "Councillor Raj Patel said the project ran “far over budget” & the council" in text
    assert "— Raj Patel, councillor (¶4 of 5)" in text


def test_pack_splits_only_between_blocks() -> None:
    blocks = ["a" * 3000, "b" * 3000, "c" * 10]
    parts = render.pack(blocks)
    assert parts == ("a" * 3000, "b" * 3000 + "\n\n" + "c" * 10)
    with pytest.raises(ValueError):
        render.pack(["<b>" + "x" * 5000 + "</b>"])  # never cut markup in half


@pytest.mark.parametrize(
    "data", ["", "a", "a:", "a:ghost", "c:reopening:9", "c:reopening:x", "t:99", "s:-1", "r:0", "r:99", "zz:1", "a:1:2"]
)
def test_forged_callback_data_gets_no_reply(synthetic_kb: knowledge.KnowledgeBase, data: str) -> None:
    assert render.button_reply(synthetic_kb, *callbacks.decode(data)) is None


def test_read_pages_have_neighbours(synthetic_kb: knowledge.KnowledgeBase) -> None:
    first = render.read_reply(synthetic_kb, 1)
    assert [b.label for b in first.buttons[0]] == ["▶"]
    middle = render.read_reply(synthetic_kb, 3)
    assert [b.data for b in middle.buttons[0]] == ["r:2", "r:4"]
    assert synthetic_kb.article.paragraphs[2].replace("’", "’") in middle.parts[0]


def test_context_marks_the_quote_in_bold(synthetic_kb: knowledge.KnowledgeBase) -> None:
    entry = synthetic_kb.get("hours")
    assert entry is not None
    reply = render.context_reply(synthetic_kb, entry, 0)
    assert reply is not None
    assert "<b>Opening hours will be extended to 9 p.m. on weekdays.</b>" in reply.parts[0]
    assert "<blockquote expandable>The renovated building adds" in reply.parts[0]


@pytest.mark.parametrize("text", ["hi", "hello bot", "😀", "   "])
def test_greetings_and_empty_input_get_an_invitation_not_a_refusal(
    text: str, synthetic_matcher: Matcher, synthetic_kb: knowledge.KnowledgeBase
) -> None:
    match = synthetic_matcher.match(text)
    assert match.status == "no_match" and match.no_question and not match.unclear
    (html,) = render.match_reply(match, synthetic_kb).parts
    assert "Ask me anything" in html and "doesn't say" not in html
    assert render.to_json(match, synthetic_kb)["answer"].startswith("Ask me anything")


@pytest.mark.parametrize("text", ["who is he?", "why?", "what about them", "him?", "and where?", "huh?", "eh?"])
def test_a_question_of_nobody_with_nothing_before_it_asks_who_is_meant_instead_of_greeting(
    text: str, synthetic_matcher: Matcher, synthetic_kb: knowledge.KnowledgeBase
) -> None:
    """Issue 15's complaint: "who is he?" got "Hi! Ask me anything". With no answer to read it
    against, the bot says it cannot tell what is meant; never that the article lacks it."""
    match = synthetic_matcher.match(text)
    assert match.status == "no_match" and match.no_question and match.unclear
    (html,) = render.match_reply(match, synthetic_kb).parts
    assert html.startswith("I&#x27;m not sure what that refers to")
    assert "Hi!" not in html and "doesn't say" not in html
    assert render.to_json(match, synthetic_kb)["answer"].startswith("I'm not sure what that refers to")
    assert render.suggestions_for(match, synthetic_kb)  # with questions it could ask instead


@pytest.mark.parametrize(
    "text", ["thanks!", "ok thx", "Thank you so much", "ty", "cheers bot", "great, thank you", "cool", "ok got it"]
)
def test_thanks_is_acknowledged_without_pushing_more_questions(
    text: str, synthetic_matcher: Matcher, synthetic_kb: knowledge.KnowledgeBase
) -> None:
    match = synthetic_matcher.match(text)
    assert match.status == "no_match" and match.no_question and match.thanked
    reply = render.match_reply(match, synthetic_kb)
    assert reply.parts[0].startswith("Glad to help!") and "Ask me anything else" in reply.parts[0]
    assert render.suggestions_for(match, synthetic_kb) == ()
    assert render.to_json(match, synthetic_kb)["answer"].startswith("Glad to help!")


@pytest.mark.parametrize(
    "text", ["hi", "thanks, when does the library reopen?", "cool, why?", "great library", "tell me something cool"]
)
def test_only_a_message_of_thanks_alone_is_a_thank_you(text: str, synthetic_matcher: Matcher) -> None:
    assert not synthetic_matcher.match(text).thanked


def test_a_real_question_the_article_cannot_answer_is_not_mistaken_for_a_greeting(
    synthetic_matcher: Matcher,
) -> None:
    assert not synthetic_matcher.match("what is the capital of france").no_question


def test_ask_usage_suggests_a_question_from_the_loaded_article(synthetic_kb: knowledge.KnowledgeBase) -> None:
    usage = render.ask_usage(synthetic_kb)
    assert "<code>/ask When does the library reopen?</code>" in usage
    assert "ceasefire" not in usage and "talks" not in usage


@pytest.mark.parametrize("text", ["Почему библиотека закрыта?", "למה הספרייה סגורה?", "图书馆什么时候开放？"])
def test_a_question_in_another_alphabet_is_not_told_the_article_does_not_say(
    text: str, synthetic_matcher: Matcher, synthetic_kb: knowledge.KnowledgeBase
) -> None:
    match = synthetic_matcher.match(text)
    assert match.status == "no_match" and match.other_script
    (html,) = render.match_reply(match, synthetic_kb).parts
    assert "can only read questions in the language" in html and "doesn't say" not in html
    assert render.to_json(match, synthetic_kb)["answer"].startswith(render.CANNOT_READ)


def test_an_english_question_with_a_foreign_name_is_still_read(synthetic_matcher: Matcher) -> None:
    assert not synthetic_matcher.match("what did Владимир say about the library").other_script
    assert not synthetic_matcher.match("what is the capital of france").other_script
    # fullwidth and "fancy font" Latin letters are read as the Latin they are
    assert not synthetic_matcher.match("ｗｈａｔ ｉｓ ｔｈｅ ｃａｐｉｔａｌ ｏｆ ｆｒａｎｃｅ").other_script
    assert not synthetic_matcher.match("𝐰𝐡𝐚𝐭 𝐢𝐬 𝐭𝐡𝐞 𝐜𝐚𝐩𝐢𝐭𝐚𝐥 𝐨𝐟 𝐟𝐫𝐚𝐧𝐜𝐞").other_script


def test_an_answer_asked_for_what_it_says_is_missing_is_shown_as_not_in_the_article(
    synthetic_kb: knowledge.KnowledgeBase,
) -> None:
    entry = synthetic_kb.get("cost")
    assert entry is not None
    match = Match("why did it cost so much", "no_match", 80.0, entry, ())
    plain = render.to_plain(match, synthetic_kb)
    # what is missing is what was asked; the answer below it is the nearest thing, named as such (the heading
    # "Not in the article:" straight over the answer read as if the answer were what is missing)
    assert plain.startswith(f"{render.NOT_COVERED} {render.NOT_ASKED}\n{render.NEAREST_ANSWER} “{entry.question}”:")
    assert render.NEAREST_QUOTES not in plain and entry.answer in plain
    reply = render.match_reply(match, synthetic_kb, feedback=True)
    assert reply.parts[0].startswith(f"<b>{render.NOT_COVERED}</b> {render.NOT_ASKED}\n{render.NEAREST_ANSWER}")
    assert not any("👍" in button.label for row in reply.buttons for button in row)  # no vote on a non-answer
    data = render.to_json(match, synthetic_kb)
    # an ordinary answer shown as the nearest thing is no note: note_id holds only a note's id
    assert data["status"] == "no_match" and data["faq_id"] is None and data["note_id"] is None
    # the same entry, answered, is an answer
    answered = render.match_reply(replace(match, status="answered"), synthetic_kb, feedback=True)
    assert not answered.parts[0].startswith(f"<b>{render.NOT_COVERED}</b>")


def test_note_id_is_a_notes_id(synthetic_kb: knowledge.KnowledgeBase) -> None:
    note = synthetic_kb.get("no-author")
    assert note is not None and not note.covered
    data = render.to_json(Match("who wrote it", "no_match", 80.0, note, ()), synthetic_kb)
    assert data["note_id"] == "no-author" and data["faq_id"] is None


def _button_questions(reply: render.Reply) -> list[str]:
    return [b.label for row in reply.buttons for b in row if b.data.startswith(callbacks.ANSWER + ":")]


@pytest.mark.parametrize("entry_id", ["no-author", "cost"])
def test_a_notes_follow_ups_are_the_same_everywhere(synthetic_kb: knowledge.KnowledgeBase, entry_id: str) -> None:
    """Telegram, the terminal and JSON offer the same next questions after "not in the article":
    the entry's answerable related entries, then the starters."""
    entry = synthetic_kb.get(entry_id)
    assert entry is not None
    match = Match("q", "no_match", 80.0, entry, ())
    expected = [e.question for e in render.note_follow_ups(synthetic_kb, entry)]
    related = [synthetic_kb.get(r) for r in entry.related]
    assert expected[: len(related)] == [e.question for e in related if e is not None and e.covered][:3]
    assert render.to_json(match, synthetic_kb)["suggestions"] == expected
    plain = render.to_plain(match, synthetic_kb)
    assert [line.removeprefix("  • ") for line in plain.splitlines() if line.startswith("  • ")] == expected
    assert _button_questions(render.match_reply(match, synthetic_kb)) == [render.shorten(q, 60) for q in expected]


def test_a_note_with_related_entries_points_to_them_not_to_the_starters_alone(
    synthetic_kb: knowledge.KnowledgeBase,
) -> None:
    cost = synthetic_kb.get("cost")
    assert cost is not None and cost.related == ("budget-criticism",)
    note = replace(cost, kind="not_covered", id="cost-note")
    match = Match("q", "no_match", 80.0, note, ())
    suggestions = render.to_json(match, synthetic_kb)["suggestions"]
    assert suggestions[0] == synthetic_kb.get("budget-criticism").question  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("The library will reopen.", "“The library will reopen.”"),
        ("“We wanted a building,” she said.", "“We wanted a building,” she said."),
        ("describing the situation as a “crisis.”", "describing the situation as a “crisis.”"),
    ],
)
def test_a_quote_in_the_terminal_never_shows_a_doubled_quotation_mark(text: str, shown: str) -> None:
    assert render.plain_quote(text) == shown
    assert "””" not in render.plain_quote(text) and "““" not in render.plain_quote(text)


def test_the_terminal_shows_a_quote_ending_in_a_closing_mark_once(kb: knowledge.KnowledgeBase) -> None:
    entry = next(e for e in kb.entries for q in e.quotes if q.text.endswith("”") and not q.text.startswith("“"))
    plain = render.to_plain(Match(entry.question, "answered", 90.0, entry, ()), kb)
    assert "””" not in plain


@pytest.mark.parametrize("question", ["what's bitcoin at?", "When was Hamas founded?"])
def test_an_unmatched_question_in_the_terminal_leads_into_its_suggestions_once(
    question: str, matcher: Matcher, kb: knowledge.KnowledgeBase
) -> None:
    text = render.to_plain(matcher.match(question), kb)
    assert text.startswith(render.NOT_FOUND)
    assert text.count("You could ask:") + text.count("The nearest questions it answers:") == 1
    assert text.count("  • ") == 3


@pytest.mark.parametrize(
    ("attributions", "expected"),
    [
        pytest.param([("the article", 3)], "The article states it itself, without citing anyone for it.", id="own"),
        pytest.param(
            [("the article", 3), ("Mousa Abu Marzouk, a senior Hamas official", 4), ("Netanyahu, as reported", 8)],
            "The article attributes it to Mousa Abu Marzouk, a senior Hamas official (¶4), and to Netanyahu, "
            "whose position it reports in its own words (¶8). ¶3 is the article's own account, citing no one.",
            id="mixed",
        ),
        pytest.param(
            [("two US officials", 9), ("two US officials", 0), ("the article, citing reports", 10)],
            "The article attributes it to two US officials (¶9 and the page header). "
            "¶10 is the article's own account, citing reports.",
            id="same-source-twice",
        ),
        pytest.param(
            [("Netanyahu and the US, as reported by the article", 8), ("Netanyahu, as reported by the article", 8)],
            "The article attributes it to Netanyahu and the US, whose position it reports in its own words (¶8).",
            id="a-source-within-another",
        ),
    ],
)
def test_who_said_that_names_each_source_once_in_plain_words(
    attributions: list[tuple[str, int]], expected: str
) -> None:
    quotes = [knowledge.Quote(f"quote {n}", who, "", paragraph) for n, (who, paragraph) in enumerate(attributions)]
    assert render.attribution_text(quotes) == expected


def test_is_that_true_names_each_source_once_with_its_hedges() -> None:
    quotes = [
        knowledge.Quote("a", "two US officials", "", 7),
        knowledge.Quote("b", "the article", "", 3),
        knowledge.Quote("c", "the article", "", 11),
    ]
    assert render.confidence_text(quotes, [("suggested",), (), ("may",)]) == (
        "The article cites two US officials, with hedging words (¶7: “suggested”); it states it itself, with hedging "
        "words (¶3 and ¶11: “may”). It offers no other confirmation: this is a single news report."
    )


def test_is_that_true_reads_plainly_for_the_articles_own_account_and_what_it_cites() -> None:
    own = [knowledge.Quote("a", "the article", "", 6)]
    assert render.confidence_text(own, [()]) == (
        "The article states it itself as fact (¶6). It offers no other confirmation: this is a single news report."
    )
    reports = [knowledge.Quote("a", "the article, citing reports", "", 12)]
    assert render.confidence_text(reports, [("may",)]).startswith("The article cites reports, with hedging words")


def test_is_that_true_names_a_source_within_another_once_and_never_as_reported() -> None:
    quotes = [
        knowledge.Quote("a", "Netanyahu and the US, as reported by the article", "", 8),
        knowledge.Quote("b", "Netanyahu, as reported by the article", "", 8),
    ]
    assert render.confidence_text(quotes, [("claims",), ("suggested",)]) == (
        "The article cites Netanyahu and the US, with hedging words (¶8: “claims”, “suggested”). "
        "It offers no other confirmation: this is a single news report."
    )
