"""The curator's report: clusters, counts, confusions and feedback, in three formats."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.matcher import Match, Matcher
from bot.questionlog import QuestionStore, Source, source_of
from bot.report import Report, build_report, to_json, to_markdown, to_text


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


START = datetime(2024, 5, 1, 9, tzinfo=UTC)


@pytest.fixture
def report(tmp_path: Path, synthetic_matcher: Matcher) -> Report:
    kb = synthetic_matcher.kb
    clock = Clock(START)
    with QuestionStore(tmp_path / "q.db", clock=clock) as log:
        log.record(Match("an old question about parking", "no_match", 0.0, None, ()), "private")  # before `since`
        clock.now += timedelta(days=2)
        for question in ("who won the match", "Who won the match?", "who wins the match"):
            log.record(synthetic_matcher.match(question), "private")
        log.record(Match("opening hours on sunday", "no_match", 40.0, None, ()), "group")  # fixed, not tuned
        for _ in range(4):
            log.record(synthetic_matcher.match("When does the library reopen?"), "private")
        log.record(synthetic_matcher.match("How much did the renovation cost?"), "inline")
        # Ambiguous outcomes as the matcher reports them; built by hand so a retuned matcher can't move them.
        both = (kb.get("hours"), kb.get("reopening"))
        log.record(Match("when does it open", "ambiguous", 58.0, None, both), "private")  # type: ignore[arg-type]
        log.record(Match("when is it open", "ambiguous", 57.0, None, both[::-1]), "group")  # type: ignore[arg-type]
        three = (kb.get("cost"), kb.get("mayor-defence"), kb.get("budget-criticism"))
        log.record(Match("what about the money", "ambiguous", 50.0, None, three), "private")  # type: ignore[arg-type]
        for vote in (-1, -1, 1):
            log.feedback("cost", vote)
        log.feedback("reopening", 1)
    return build_report(tmp_path / "q.db", synthetic_matcher, since=START + timedelta(days=1))


def test_similar_wordings_form_one_cluster(report: Report) -> None:
    top = report.unanswered[0]
    assert top.count == 3
    assert top.example == "who won the match"
    assert set(top.wordings) == {"who won the match", "who wins the match"}
    assert [c.example for c in report.unanswered] == ["who won the match", "opening hours on sunday"]


def test_clusters_name_the_nearest_entry(report: Report, synthetic_matcher: Matcher) -> None:
    sunday = report.unanswered[1]
    expected = synthetic_matcher.match(sunday.example)
    nearest = expected.entry or expected.suggestions[0]  # fails loudly if the matcher has nothing near
    assert (sunday.nearest_id, sunday.nearest_question) == (nearest.id, nearest.question)
    assert sunday.nearest_score == expected.score > 0
    assert report.unanswered[0].nearest_id is None  # nothing in a library story is near football
    when = next(c for c in report.ambiguous if c.example.startswith("when"))
    assert when.count == 2 and when.nearest_id in {"hours", "reopening"}


def test_totals_and_period(report: Report) -> None:
    assert report.questions == 12  # the question before `since` is left out
    assert report.answered == 5
    assert report.answered_share == pytest.approx(5 / 12)
    assert report.first == "2024-05-03T09:00:00+00:00" == report.last
    assert report.note is None


def test_most_asked_entries(report: Report) -> None:
    assert [(e.entry_id, e.count) for e in report.top_entries] == [("reopening", 4), ("cost", 1)]
    assert report.top_entries[0].question == "When does the library reopen?"


def test_confused_pairs_are_unordered_and_counted(report: Report) -> None:
    pairs = {(p.first, p.second): p.count for p in report.confused}
    assert pairs == {
        ("hours", "reopening"): 2,
        ("cost", "mayor-defence"): 1,
        ("budget-criticism", "cost"): 1,
        ("budget-criticism", "mayor-defence"): 1,
    }
    assert report.confused[0].count == 2


def test_feedback_counts(report: Report) -> None:
    assert [(v.entry_id, v.down, v.up) for v in report.votes] == [("cost", 2, 1), ("reopening", 0, 1)]


def test_renderers_include_the_figures(report: Report) -> None:
    text = to_text(report)
    for needle in ("Questions: 12, answered 5 (42%)", "3×  who won the match", "who wins the match",
                   "hours ↔ reopening", "👎    2  👍    1  cost", "4×  reopening"):  # fmt: skip
        assert needle in text, needle
    markdown = to_markdown(report)
    for needle in ("answered **5**", "| 3 | who won the match |", "| 2 | 1 | cost |", "| 4 | reopening |",
                   "| 2 | hours ↔ reopening |"):  # fmt: skip
        assert needle in markdown, needle
    data = json.loads(json.dumps(to_json(report)))
    assert data["questions"] == 12 and data["answered_share"] == pytest.approx(0.4167)
    assert data["unanswered"][0]["count"] == 3 and data["unanswered"][0]["example"] == "who won the match"
    assert data["confused"][0] == {"first": "hours", "second": "reopening", "count": 2}
    assert data["votes"][0] == {"entry_id": "cost", "question": "How much did the renovation cost?", "up": 1, "down": 2}
    assert data["since"] == "2024-05-02T09:00:00+00:00"


def test_missing_database_gives_an_empty_report(tmp_path: Path, synthetic_matcher: Matcher) -> None:
    report = build_report(tmp_path / "nothing.db", synthetic_matcher, since=None)
    assert report.questions == 0 and report.unanswered == () and report.confused == ()
    assert report.note and "no question log" in report.note
    assert "no question log" in to_text(report) and "no question log" in to_markdown(report)
    assert to_json(report)["note"] == report.note
    assert not (tmp_path / "nothing.db").exists()  # reading never creates the file


def test_unreadable_database_gives_a_note(tmp_path: Path, synthetic_matcher: Matcher) -> None:
    bogus = tmp_path / "q.db"
    bogus.write_bytes(b"not a database at all" * 100)
    report = build_report(bogus, synthetic_matcher)
    assert report.questions == 0 and report.note and "cannot" in report.note


def test_report_never_writes(tmp_path: Path, synthetic_matcher: Matcher) -> None:
    path = tmp_path / "q.db"
    with QuestionStore(path) as log:
        log.record(Match("who won the match", "no_match", 0.0, None, ()), "private")
    before = path.read_bytes()
    assert build_report(path, synthetic_matcher).questions == 1
    assert path.read_bytes() == before


def test_the_report_counts_this_knowledge_base_and_its_versions_unless_all(
    tmp_path: Path, synthetic_matcher: Matcher
) -> None:
    path = tmp_path / "q.db"
    current = source_of(synthetic_matcher.kb)
    older = Source(current.title, "0123456789ab")  # the same article before an edit
    other = Source("Another article", "ba9876543210")
    with QuestionStore(path) as log:
        log.record(Match("who won the match", "no_match", 0.0, None, ()), "private", current)
        log.record(Match("who won the match", "no_match", 0.0, None, ()), "private", older)
        log.record(Match("what did the port official say", "no_match", 0.0, None, ()), "private", other)
        log.feedback("cost", -1, other)
    mine = build_report(path, synthetic_matcher)
    assert mine.questions == 2 and [c.example for c in mine.unanswered] == ["who won the match"]
    assert mine.votes == ()
    assert {(k.title, k.hash, k.questions) for k in mine.knowledge_bases} == {
        (current.title, current.hash, 1),
        (current.title, "0123456789ab", 1),
    }
    every = build_report(path, synthetic_matcher, every_kb=True)
    assert every.questions == 3 and len(every.unanswered) == 2 and len(every.votes) == 1
    assert "Another article" in to_text(every) and "--all" in to_text(mine)


def test_inline_queries_stay_out_of_the_unanswered_list_unless_asked_for(
    tmp_path: Path, synthetic_matcher: Matcher
) -> None:
    path = tmp_path / "q.db"
    with QuestionStore(path) as log:
        for prefix in ("wh", "who", "who i"):  # what a client sends while someone types
            log.record(Match(prefix, "no_match", 0.0, None, ()), "inline")
        log.record(Match("who won the match", "no_match", 0.0, None, ()), "private")
    assert [c.example for c in build_report(path, synthetic_matcher).unanswered] == ["who won the match"]
    assert len(build_report(path, synthetic_matcher, inline=True).unanswered) > 1


def test_a_version_1_file_is_reported_without_being_changed(tmp_path: Path, synthetic_matcher: Matcher) -> None:
    import sqlite3
    from contextlib import closing

    path = tmp_path / "q.db"
    with closing(sqlite3.connect(path)) as old:
        old.executescript(
            "CREATE TABLE questions (id INTEGER PRIMARY KEY, ts TEXT NOT NULL, question TEXT NOT NULL,"
            " status TEXT NOT NULL, score REAL NOT NULL, entry_id TEXT, candidates TEXT, channel TEXT NOT NULL);"
            "CREATE TABLE feedback (id INTEGER PRIMARY KEY, ts TEXT NOT NULL, entry_id TEXT NOT NULL,"
            " vote INTEGER NOT NULL);"
            "INSERT INTO questions VALUES (1, '2024-05-01T09:00:00+00:00', 'who won', 'no_match', 0, NULL, NULL,"
            " 'private');"
        )
    before = path.read_bytes()
    report = build_report(path, synthetic_matcher)
    assert report.note is None and report.questions == 1
    assert path.read_bytes() == before
