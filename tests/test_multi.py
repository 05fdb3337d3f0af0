"""A message asking two questions at once (bot/multi.py): when it is answered in parts, how the
conversation reads it, how it is rendered and how eval counts it."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest

from bot import conversation, evaluate, explain, knowledge, multi, render, telegram_conversation
from bot.conversation import ConversationState, Resolution, resolve, shown_texts
from bot.matcher import Match, Matcher
from tests.conftest import ROOT
from tests.test_cli import bot
from tests.test_render import assert_valid_html

T0 = 1_700_000_000.0
TWO = "who is bill burns and what is rafah?"
PORT_ALDER = ROOT / "tests" / "data" / "port-alder" / "faq.json"
PA_TWO = "Who is the mediator and when was the port built?"


@pytest.fixture(scope="module")
def pa_kb() -> knowledge.KnowledgeBase:
    return knowledge.load(PORT_ALDER)


@pytest.fixture(scope="module")
def pa_matcher(pa_kb: knowledge.KnowledgeBase) -> Matcher:
    return Matcher(pa_kb)


def ids(resolution: Resolution) -> list[str | None]:
    assert resolution.split is not None
    return [p.match.entry.id if p.match.entry else None for p in resolution.split.parts]


# ---------------------------------------------------------------------------
# When a message is answered in parts


def test_two_questions_answered_by_different_entries_are_both_answered_in_order(
    kb: knowledge.KnowledgeBase, matcher: Matcher
) -> None:
    read = resolve(TWO, None, kb, matcher, now=T0)
    assert read.split is not None and read.split.rule == "two_answers"
    assert ids(read) == ["who-is-bill-burns", "what-is-rafah"]
    assert read.match.entry is not None and read.match.entry.id == "who-is-bill-burns", "the first part is the main"
    assert read.match.query == TWO and read.answered
    shown = shown_texts(read, kb)  # both answers' quotes, from the article
    assert any("CIA Director Bill Burns" in t for t in shown) and any(
        "the southernmost town in Gaza" in t for t in shown
    )


def test_one_part_found_when_the_whole_finds_nothing_is_answered_and_the_rest_named(
    pa_kb: knowledge.KnowledgeBase, pa_matcher: Matcher
) -> None:
    assert pa_matcher.match(PA_TWO).entry is None, "today: I couldn't find that"
    read = resolve(PA_TWO, None, pa_kb, pa_matcher, now=T0)
    assert read.split is not None and read.split.rule == "one_of_them"
    assert [p.question for p in read.split.answered] == ["Who is the mediator"]
    assert [p.question for p in read.split.missing] == ["when was the port built?"]
    assert any("Eleanor Voss" in t for t in shown_texts(read, pa_kb))


@pytest.mark.parametrize(
    "message",
    [
        pytest.param("who is bill burns and did he visit iran?", id="whole-answered-second-part-not"),
        pytest.param("who are Hamas and Israel", id="no-question-word-after-and"),
        pytest.param("what did Burns and Al Thani discuss?", id="what-did-x-and-y"),
        pytest.param("who is bill burns", id="one-question"),
    ],
)
def test_otherwise_the_message_is_read_as_one_question_exactly_as_before(
    kb: knowledge.KnowledgeBase, matcher: Matcher, message: str
) -> None:
    read = resolve(message, None, kb, matcher, now=T0)
    assert read.split is None
    assert read.match == matcher.match(message)


@pytest.mark.parametrize(
    "message", ["who is netanyahu and what does he want?", "who are the mediators and what do they want?"]
)
def test_a_part_pointing_back_at_an_earlier_one_is_never_answered_alone(
    kb: knowledge.KnowledgeBase, matcher: Matcher, message: str
) -> None:
    """ "what does he want?" is asked of nobody alone: read alone it answered what Hamas wants. The
    message is read whole, as before replies in parts."""
    later = multi.parts_of(message, matcher)[-1]
    assert later.question.startswith("what do") and later.match.entry is None
    read = resolve(message, None, kb, matcher, now=T0)
    assert read.split is None and read.match == matcher.match(message)


def test_a_part_that_is_a_curated_note_says_so(kb: knowledge.KnowledgeBase, matcher: Matcher) -> None:
    read = resolve(f"{TWO.rstrip('?')} and how many hostages are still held?", None, kb, matcher, now=T0)
    assert read.split is not None
    note = read.split.parts[-1]
    assert note.noted and note.match.entry is not None and not note.match.entry.covered
    text = render.resolution_plain(kb, read)
    assert text.count(render.NOT_COVERED) == 1 and "The article doesn’t say how many hostages" in text


def test_a_follow_up_after_two_answers_is_about_the_last_one(kb: knowledge.KnowledgeBase, matcher: Matcher) -> None:
    first = resolve(TWO, None, kb, matcher, now=T0)
    assert first.state is not None and first.state.entry_id == "what-is-rafah"
    follow_up = resolve("who threatened it?", first.state, kb, matcher, now=T0 + 30)
    assert follow_up.context is not None and follow_up.context.entry_id == "what-is-rafah"
    assert "rafah" in follow_up.understood_as.lower()


def test_a_follow_up_after_two_answers_is_read_against_the_part_it_refers_to(
    kb: knowledge.KnowledgeBase, matcher: Matcher
) -> None:
    """ "who did he meet?" after Burns and Rafah: "he" is Burns, the part whose question names a
    person, not Netanyahu, whom the last part's answer (Rafah) only mentions; "it" stays Rafah."""
    first = resolve(TWO, None, kb, matcher, now=T0)
    assert first.state is not None and first.state.parts == (("who-is-bill-burns", "who is bill burns"),)
    met = resolve("who did he meet?", first.state, kb, matcher, now=T0 + 30)
    assert met.answered and any("Al Thani" in text for text in shown_texts(met, kb)), met.understood_as
    assert met.state is not None and met.state.entry_id != "what-is-rafah" and not met.state.parts
    # the message's own name picks the part too; a bare "why?" is about the last part, as before
    assert conversation._part_referred_to("and what did burns say?", first.state, kb).entry_id == "who-is-bill-burns"
    assert conversation._part_referred_to("why?", first.state, kb) is first.state
    assert conversation._part_referred_to("who threatened it?", first.state, kb) is first.state


def test_a_state_after_a_reply_in_parts_survives_a_restart_and_old_states_still_load(
    kb: knowledge.KnowledgeBase, matcher: Matcher
) -> None:
    state = resolve(TWO, None, kb, matcher, now=T0).state
    assert state is not None and len(state.dump()) == 7
    assert ConversationState.load(pickle.loads(pickle.dumps(state.dump()))) == state
    single = resolve("who is bill burns", None, kb, matcher, now=T0).state
    assert single is not None and len(single.dump()) == 6, "one answer stores what it always did"
    assert telegram_conversation._at(state.dump()) == T0


def test_a_follow_up_cue_in_a_live_context_is_left_to_the_follow_up_readings(
    kb: knowledge.KnowledgeBase, matcher: Matcher
) -> None:
    state = resolve("who is bill burns", None, kb, matcher, now=T0).state
    assert resolve("who is he and what is rafah?", state, kb, matcher, now=T0 + 30).split is None
    assert resolve(TWO, state, kb, matcher, now=T0 + 30).split is not None, "no cue: a new two-part question"


def test_a_topic_change_asking_two_questions_is_answered_in_parts(
    kb: knowledge.KnowledgeBase, matcher: Matcher
) -> None:
    state = resolve("who said we were very close", None, kb, matcher, now=T0).state
    read = resolve(f"ok unrelated: {TWO}", state, kb, matcher, now=T0 + 30)
    assert read.context is None and ids(read) == ["who-is-bill-burns", "what-is-rafah"]
    assert read.message == f"ok unrelated: {TWO}" and read.understood_as == TWO


def _part(kb: knowledge.KnowledgeBase, question: str, status: str, entry_id: str | None) -> multi.Part:
    entry = kb.get(entry_id) if entry_id else None
    return multi.Part(question, Match(question, status, 80.0 if entry else 20.0, entry, ()))  # type: ignore[arg-type]


def test_the_rules_one_at_a_time(kb: knowledge.KnowledgeBase) -> None:
    burns = _part(kb, "who is bill burns", "answered", "who-is-bill-burns")
    rafah = _part(kb, "what is rafah", "answered", "what-is-rafah")
    missing = _part(kb, "when is it", "no_match", None)
    note = _part(kb, "how many hostages", "no_match", "hostage-count")
    nothing = Match("x", "no_match", 20.0, None, ())
    answered = Match("x", "answered", 80.0, burns.match.entry, ())
    noted = Match("x", "no_match", 80.0, note.match.entry, ())
    assert multi.two_answers((burns, rafah), answered) and not multi.two_answers((burns, missing), nothing)
    assert multi.one_of_them((burns, missing), nothing)
    assert not multi.one_of_them((burns, missing), answered), "the whole is answered: as before"
    assert not multi.one_of_them((burns, missing), noted), "the whole is a curated note: as before"
    assert not multi.one_of_them((burns, note), nothing), "a part the article is known not to answer"


# ---------------------------------------------------------------------------
# Rendering


def test_plain_text_answers_each_part_in_order_with_the_source_once(
    kb: knowledge.KnowledgeBase, matcher: Matcher
) -> None:
    text = render.resolution_plain(kb, resolve(TWO, None, kb, matcher, now=T0))
    assert text.index("CIA Director") < text.index("southernmost town in Gaza")
    assert text.count("— the article (¶11 of 12)") == 1 and text.count("(¶3 of 12)") == 1
    assert text.count("as reported on May 19, 2024") == 1 and text.rstrip().endswith("May 19, 2024.")


def test_plain_text_names_the_part_it_could_not_find(pa_kb: knowledge.KnowledgeBase, pa_matcher: Matcher) -> None:
    text = render.resolution_plain(pa_kb, resolve(PA_TWO, None, pa_kb, pa_matcher, now=T0))
    assert "Eleanor Voss" in text
    assert "I couldn't find the rest in the article: “when was the port built?”" in text
    assert render.NOT_FOUND not in text, "not 'I couldn't find that': one part is answered"


def test_json_keeps_the_main_answer_fields_and_adds_the_parts(
    pa_kb: knowledge.KnowledgeBase, pa_matcher: Matcher
) -> None:
    data = render.resolution_json(pa_kb, resolve(PA_TWO, None, pa_kb, pa_matcher, now=T0))
    assert (data["question"], data["status"], data["faq_id"]) == (PA_TWO, "answered", "mediator")
    assert any("Eleanor Voss" in q["text"] for q in data["quotes"])
    assert [(p["question"], p["status"], p["faq_id"]) for p in data["parts"]] == [
        ("Who is the mediator", "answered", "mediator"),
        ("when was the port built?", "no_match", None),
    ]
    assert data["parts"][1]["answer"] == render.NOT_FOUND and data["parts"][1]["quotes"] == []
    json.dumps(data)


def test_json_of_one_question_has_no_parts(kb: knowledge.KnowledgeBase, matcher: Matcher) -> None:
    assert "parts" not in render.resolution_json(kb, resolve("who is bill burns", None, kb, matcher, now=T0))


def test_html_answers_each_part_escapes_the_asked_words_and_has_no_feedback(kb: knowledge.KnowledgeBase) -> None:
    burns = _part(kb, "who is bill burns", "answered", "who-is-bill-burns")
    odd = _part(kb, "is <b>A&B</b> due?", "no_match", None)
    reply = render.split_reply(multi.Split((burns, odd), "one_of_them"), kb)
    (html,) = reply.parts
    text = assert_valid_html(html)
    assert "CIA Director" in text and "“is &lt;b&gt;A&amp;B&lt;/b&gt; due?”" in html and "<b>A&" not in html
    assert text.count("as reported on May 19, 2024") == 1
    labels = [b.label for row in reply.buttons for b in row]
    assert "👍" not in labels and labels[0].startswith("📖"), labels


UNSURE = "where did the qatari team go and were there casualties?"


def test_a_part_that_could_mean_several_entries_keeps_its_did_you_mean(
    kb: knowledge.KnowledgeBase, matcher: Matcher
) -> None:
    """ "were there casualties?" could be the airstrikes' damage or the war's death toll: in a reply in
    parts it gets the same did-you-mean it gets alone (review leftover), not "I couldn't find that"."""
    read = resolve(UNSURE, None, kb, matcher, now=T0)
    assert read.split is not None
    (part,) = read.split.unsure
    alone = matcher.match(part.question)
    assert alone.status == "ambiguous" and part.match.suggestions == alone.suggestions
    assert not read.split.missing and not part.missing
    candidates = [e.question for e in alone.suggestions[:3]]
    text = render.resolution_plain(kb, read)
    assert render.NOT_FOUND_REST not in text and f"“were there casualties?” {render.UNSURE_PART}" in text
    assert all(f"  • {q}" in text for q in candidates)
    reply = render.split_reply(read.split, kb)
    labels = [b.label for row in reply.buttons for b in row]
    assert all(render.shorten(q, render.MAX_BUTTON_LABEL) in labels for q in candidates), labels
    assert render.UNSURE_PART in assert_valid_html("\n".join(reply.parts))
    data = render.resolution_json(kb, read)
    assert [p["suggestions"] for p in data["parts"]] == [[], candidates]


def test_html_of_many_long_parts_is_split_into_messages_within_the_limit(kb: knowledge.KnowledgeBase) -> None:
    entries = [e for e in kb.entries if e.covered]
    split = multi.Split(tuple(_part(kb, e.question, "answered", e.id) for e in entries), "two_answers")
    reply = render.split_reply(split, kb)
    assert len(reply.parts) > 1
    for html in reply.parts:
        assert_valid_html(html)
    joined = "\n".join(reply.parts)
    for entry in entries:  # every answer, and every quote verbatim, in its order
        assert render.escape(entry.question) in joined
        for quote in entry.quotes:
            assert render.escape(quote.text) in joined
    positions = [joined.index(f"<b>{render.escape(e.question)}</b>") for e in entries]
    assert positions == sorted(positions)


def test_explain_says_the_message_was_split_and_shows_each_parts_candidates(
    pa_kb: knowledge.KnowledgeBase, pa_matcher: Matcher
) -> None:
    read = resolve(PA_TWO, None, pa_kb, pa_matcher, now=T0)
    assert read.split is not None
    text = explain.split_text(read.split, pa_matcher.explain(PA_TWO), pa_matcher)
    assert text.startswith("split      into 2 questions") and "(one_of_them)" in text
    assert "part 1: 'Who is the mediator'" in text and "part 2: 'when was the port built?'" in text
    assert text.count("outcome    ") == 3  # the whole message, then each part
    data = explain.split_json(read.split, pa_matcher.explain(PA_TWO), pa_matcher)
    assert [p["question"] for p in data["split"]["parts"]] == ["Who is the mediator", "when was the port built?"]


# ---------------------------------------------------------------------------
# eval


def test_eval_counts_a_reply_in_parts_right_when_any_part_is(kb: knowledge.KnowledgeBase, matcher: Matcher) -> None:
    second = evaluate.Case(TWO, "multi", "answer", evidence="the southernmost town in Gaza")
    first = evaluate.Case(TWO, "multi", "answer", faq_id="who-is-bill-burns")
    elsewhere = evaluate.Case(TWO, "multi", "answer", faq_id="us-role")
    trap = evaluate.Case(TWO, "trap", "no_match")
    (o2, o1, o3, o4) = evaluate.run(matcher, [second, first, elsewhere, trap])
    assert o2.split is not None and o2.correct and not o2.confident_wrong, "the evidence is in the second part"
    assert o1.correct
    assert not o3.correct and o3.confident_wrong
    assert not o4.correct and o4.confident_wrong, "any part answered is confidently wrong for a no_match case"
    assert not evaluate.run(matcher, [second], in_parts=False)[0].correct, "today: only Bill Burns"


def test_eval_of_a_message_read_whole_is_unchanged(kb: knowledge.KnowledgeBase, matcher: Matcher) -> None:
    cases = [evaluate.Case("who is bill burns", "fact", "answer", faq_id="who-is-bill-burns")]
    assert evaluate.run(matcher, cases) == evaluate.run(matcher, cases, in_parts=False)


def test_eval_ablate_reads_every_message_whole_as_its_in_parts_row(matcher: Matcher) -> None:
    cases = [evaluate.Case(TWO, "multi", "answer", evidence="the southernmost town in Gaza")]
    results = dict(evaluate.ablate(matcher, cases))
    assert results["all rules"].in_scope == 1.0 and results["in_parts"].in_scope == 0.0


def test_eval_verbose_shows_each_parts_entry(tmp_path: Path) -> None:
    cases = tmp_path / "cases.jsonl"
    cases.write_text(json.dumps({"question": TWO, "kind": "multi", "expect": "no_match"}) + "\n", encoding="utf-8")
    result = bot("eval", "--verbose", str(cases))
    assert "in parts (two_answers): who-is-bill-burns + what-is-rafah" in result.stdout, result.stdout
    assert "confident-wrong     100.0%" in result.stdout
