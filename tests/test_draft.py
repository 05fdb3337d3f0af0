"""`python -m bot draft`: from a page to a knowledge base that passes `check` untouched."""

from __future__ import annotations

import importlib
import json
import re
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest

from bot import draft, knowledge, page
from bot.draft import entries as draft_entries
from bot.draft import grammar, phrasing
from bot.draft import notes as draft_notes
from bot.text import english_stem, normalize
from tests.conftest import ROOT
from tests.test_cli import bot

MAIN_PAGE = ROOT / "articles" / "article-source.txt"
PORT_ALDER_PAGE = ROOT / "tests" / "data" / "port-alder" / "article-source.txt"
THIRD_PAGE = ROOT / "tests" / "data" / "third" / "article-source.txt"
TUNING_PAGES = [ROOT / "tests" / "data" / name / "article-source.txt" for name in ("fourth", "sixth", "seventh")]
SYNTHETIC_PAGE = ROOT / "tests" / "data" / "synthetic" / "article.txt"  # plain text: a title line, then the body
SCHEMA = json.loads((ROOT / "faq.schema.json").read_text(encoding="utf-8"))


Drafted = Callable[..., tuple[dict, str, Path]]


def _draft(tmp_path: Path, page_path: Path, *flags: str) -> tuple[dict, str, Path]:
    result = bot("draft", str(page_path), *flags)
    assert result.returncode == 0, result.stderr
    out = tmp_path / "faq.json"
    out.write_text(result.stdout, encoding="utf-8")
    return json.loads(result.stdout), result.stderr, out


@pytest.fixture(scope="module")
def drafted(tmp_path_factory: pytest.TempPathFactory) -> Drafted:
    """`draft PAGE FLAGS` run once per page and flags for the whole module (a draft of a page is
    most of this module's cost); each test gets its own parsed copy of the output."""
    done: dict[tuple[Path, tuple[str, ...]], tuple[str, str, Path]] = {}

    def get(page_path: Path, *flags: str) -> tuple[dict, str, Path]:
        key = (page_path, flags)
        if key not in done:
            data, report, out = _draft(tmp_path_factory.mktemp("draft"), page_path, *flags)
            done[key] = (json.dumps(data), report, out)
        text, report, out = done[key]
        return json.loads(text), report, out

    return get


@pytest.mark.parametrize(
    ("page_path", "flags"),
    [
        (MAIN_PAGE, ()),
        (PORT_ALDER_PAGE, ()),
        (THIRD_PAGE, ()),
        *((page, ()) for page in TUNING_PAGES),
        (SYNTHETIC_PAGE, ("--date", "2023-09-14", "--section", "Local")),
    ],
    ids=["main", "port-alder", "third", "fourth", "sixth", "seventh", "synthetic-plain-text"],
)
def test_a_draft_passes_check_untouched(drafted: Drafted, page_path: Path, flags: tuple[str, ...]) -> None:
    data, _, out = drafted(page_path, *flags)
    jsonschema.validate(data, SCHEMA)
    checked = bot("check", "--faq", str(out))
    assert checked.returncode == 0, checked.stdout
    kb = knowledge.load(out)
    body = "\n".join(kb.article.paragraphs)
    for entry in kb.entries:
        for quote in entry.quotes:
            assert quote.in_header or quote.text in body  # every answer quotes the article verbatim
        if entry.covered:
            assert entry.quotes
    assert len(kb.entries) >= 12


def test_the_page_chrome_is_found_and_reported(drafted: Drafted) -> None:
    data, report, _ = drafted(PORT_ALDER_PAGE)
    article = data["article"]
    assert article["title"] == "Port Alder Dock Strike Drags Into Second Week as Mediator Calls Fresh Talks"
    assert article["date"] == "2025-10-09" and article["section"] == "Business"
    assert article["paragraphs"][0].startswith("PORT ALDER, Caldria — A strike by about 3,400 dockworkers")
    assert article["paragraphs"][-1].endswith("if Friday’s talks fail.")
    assert len(article["paragraphs"]) == 12  # no weather, date, title or "Check out…" line in the body
    assert "Thursday, October 9, 2025" in article["header"]
    assert "date 2025-10-09 from the line 'Thursday, October 9, 2025'" in report
    assert "section 'Business'" in report and "skipped the weather line" in report
    assert "body ends before 'Check out our other content'" in report


def test_flags_override_a_wrong_guess(drafted: Drafted) -> None:
    data, _, out = drafted(MAIN_PAGE, "--title", "Talks Stall", "--date", "2024-05-20", "--section", "Politics")
    assert (data["article"]["title"], data["article"]["date"], data["article"]["section"]) == (
        "Talks Stall",
        "2024-05-20",
        "Politics",
    )
    assert bot("check", "--faq", str(out)).returncode == 0


def test_a_page_without_a_date_needs_the_flag() -> None:
    result = bot("draft", str(SYNTHETIC_PAGE))
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.strip().splitlines()[-1].endswith("no date found on the page: pass --date YYYY-MM-DD")
    bad = bot("draft", str(SYNTHETIC_PAGE), "--date", "14/09/2023")
    assert bad.returncode == 2 and "--date must be YYYY-MM-DD" in bad.stderr


def test_a_missing_page_is_one_line(tmp_path: Path) -> None:
    result = bot("draft", str(tmp_path / "nope.txt"))
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1


def test_the_article_itself_is_answered_from_the_header(drafted: Drafted) -> None:
    data, _, _ = drafted(MAIN_PAGE)
    by_id = {e["id"]: e for e in data["entries"]}
    assert by_id["publish-date"]["quotes"] == [
        {"text": "Sunday, May 19, 2024", "attribution": "the page header", "from": "header"}
    ]
    assert by_id["section"]["quotes"][0]["text"] == "World" and by_id["section"]["quotes"][0]["from"] == "header"
    assert by_id["author"]["kind"] == "not_covered"  # the page names no author
    assert by_id["overview"]["question"] == "What is the article about?"
    assert "overview" in data["starters"]


# ---------------------------------------------------------------------------
# The rules, one by one


def _claims(text: str) -> list[draft.Claim]:
    sentences = page.sentences([text])
    return draft.claims(sentences, draft.find_people(sentences))


def test_sentences_are_exact_slices_and_a_quote_is_not_split() -> None:
    paragraph = (
        "“Nobody here is against new equipment. We are against being written out,” Quillan told reporters on "
        "Wednesday. Mr. Smith left at 5 p.m. on Friday. It rained."
    )
    parts = page.split_sentences(paragraph)
    assert parts == [
        "“Nobody here is against new equipment. We are against being written out,” Quillan told reporters on "
        "Wednesday.",
        "Mr. Smith left at 5 p.m. on Friday.",
        "It rained.",
    ]
    assert all(p in paragraph for p in parts)


@pytest.mark.parametrize(
    ("text", "speaker", "attribution"),
    [
        (
            "“We were very close,” said Mousa Abu Marzouk, a senior Hamas official.",
            "Mousa Abu Marzouk",
            "Mousa Abu Marzouk, a senior Hamas official",
        ),
        (
            "Union president Dara Quillan denied that, saying no number had been agreed.",
            "Dara Quillan",
            "Union president Dara Quillan",
        ),
        (
            "Rowan Ketteridge, an economist at the University of Harlow, estimated that it cost a lot.",
            "Rowan Ketteridge",
            "Rowan Ketteridge, an economist at the University of Harlow",
        ),
        ("Shipping industry sources said two carriers had left.", "Shipping industry sources", None),
        ("The weather was fine on Tuesday and the ships sailed.", "The article", "the article"),
    ],
)
def test_who_says_each_sentence(text: str, speaker: str, attribution: str | None) -> None:
    (claim,) = _claims(text)
    assert claim.speaker == speaker
    if attribution is not None:
        assert claim.attribution == attribution


def test_a_pronoun_speaker_is_the_person_just_named() -> None:
    text = (
        "Simon Achterberg, the authority’s chief executive, said the cranes were needed. “Our offer is fair,” he said."
    )
    _, second = _claims(text)
    assert second.speech == "quote" and second.speaker == "Simon Achterberg"
    assert second.attribution == "Simon Achterberg, the authority’s chief executive"


@pytest.mark.parametrize(
    ("text", "unnamed"),
    [
        ("While there are claims of an impasse, two US officials suggested that talks went on.", "two US officials"),
        (
            "A port official who asked not to be named said a proposal was ready.",
            "A port official who asked not to be named",
        ),
        (
            "Talks stalled, according to senior Hamas officials and other sources.",
            "senior Hamas officials and other sources",
        ),
    ],
)
def test_unnamed_sources_are_found_and_get_a_note(text: str, unnamed: str) -> None:
    (claim,) = _claims(text)
    assert claim.unnamed == unnamed
    notes = draft_notes._note_entries([claim], set())
    assert notes and notes[0]["kind"] == "not_covered" and notes[0]["question"].startswith("Who ")
    assert notes[0]["quotes"][0]["text"] == text


def test_people_and_their_roles() -> None:
    sentences = page.sentences(
        [
            "The mediator, retired labour court judge Eleanor Voss, met the delegations. "
            "CIA Director Bill Burns met Qatari Prime Minister Mohammed bin Abdulrahman Al Thani in Doha. "
            "The mayor, Helen Ortiz, said the cost was fair. Voss said little."
        ]
    )
    people = draft.find_people(sentences)
    assert {"mediator", "retired labour court judge"} <= set(people["Eleanor Voss"].roles)
    assert people["Bill Burns"].roles == ["CIA Director"] and people["Bill Burns"].kind == "person"
    assert people["Mohammed bin Abdulrahman Al Thani"].roles == ["Qatari Prime Minister"]
    assert people["Helen Ortiz"].roles == ["the mayor"]
    assert people["Eleanor Voss"].short == "Voss"


def test_who_is_entries_name_the_role_as_the_article_states_it(drafted: Drafted) -> None:
    data, _, _ = drafted(PORT_ALDER_PAGE)
    who = {e["question"]: e for e in data["entries"] if e["question"].startswith("Who is ")}
    voss = who["Who is Eleanor Voss?"]
    assert "retired labour court judge" in voss["answer"]
    assert "Eleanor Voss" in voss["quotes"][0]["text"]


def test_details_the_text_says_it_lacks_become_notes(drafted: Drafted) -> None:
    data, _, _ = drafted(PORT_ALDER_PAGE)
    notes = [e for e in data["entries"] if e.get("kind") == "not_covered"]
    questions = " | ".join(e["question"] for e in notes)
    assert "port official" in questions  # an unnamed official's name
    assert any("union’s own figure" in e["answer"] for e in notes)  # a number it does not state
    assert "Essential Services Act" in questions  # "it was not clear whether…"
    assert "What is the name of the hotel?" in questions  # "at a hotel in the capital"
    assert "What are the names of the two carriers?" in questions  # "at least two carriers"
    assert "210,000" not in questions  # a population is not people to name


def test_synonyms_map_readers_words_onto_the_articles_own(drafted: Drafted) -> None:
    data, _, _ = drafted(PORT_ALDER_PAGE)
    body = " ".join(data["article"]["paragraphs"]).casefold()
    synonyms = data["synonyms"]
    assert "mediator" in synonyms and "conciliator" in synonyms["mediator"]
    stems = {english_stem(w) for w in normalize(body + " " + data["article"]["title"]).split()}
    assert stems
    for key, variants in synonyms.items():
        assert f" {normalize(key)} " in f" {normalize(body)} "  # the key is the article's own word
        for variant in variants:
            assert f" {variant} " not in f" {body} "  # a word the article uses means itself there


def test_question_forms_come_from_subject_verb_and_object() -> None:
    assert draft.subject_verb_object("The authority raised its wage offer on Monday to 8.5 percent.") == (
        "the authority",
        "raised",
        "its wage offer",
    )
    forms = draft.question_forms("The authority raised its wage offer on Monday to 8.5 percent.", ["what", "when"])
    assert "what did the authority raise" in forms and "when did the authority raise its wage offer" in forms
    assert "who raised its wage offer" in forms


def test_a_long_paragraph_of_alike_sentences_still_drafts_a_clean_file(tmp_path: Path) -> None:
    """Paragraphs longer than one message are split between sentences; entries too alike to tell
    apart are left out rather than failing the draft."""
    body = " ".join(f"This is sentence number {n} about the Council." for n in range(400))
    source = tmp_path / "page.txt"
    source.write_text(f"A Big Title For A Test\n\n{body}\n", encoding="utf-8")
    data, _, out = _draft(tmp_path, source, "--date", "2024-01-01", "--section", "Local")
    assert len(data["article"]["paragraphs"]) > 1
    assert all(len(p) <= knowledge.MAX_PARAGRAPH_CHARS for p in data["article"]["paragraphs"])
    assert " ".join(data["article"]["paragraphs"]) == body
    assert bot("check", "--faq", str(out)).returncode == 0


def test_a_source_named_mid_sentence_does_not_take_over_the_whole_sentence() -> None:
    """ "X happened, and an official said Y": the sentence is the article's; the official still gets a note."""
    (claim,) = _claims("Israel had softened some demands, and a top Hamas official expressed optimism about the offer.")
    assert claim.speaker == "The article" and claim.unnamed == "a top Hamas official"
    (note,) = draft_notes._note_entries([claim], set())
    assert note["question"] == "Who is the top Hamas official?"
    assert draft.claim_question(_claims("An Israeli official confirmed that talks had stalled.")[0]) == (
        "What does an Israeli official say about talks?"
    )


def test_main_questions_read_as_a_readers_and_answers_are_short() -> None:
    (varga, quote, fact) = _claims_of(
        "Hollis Varga, the trust’s chief executive, said the trust would co-operate. "
        "“We are disappointed by the timing, but we will not fight the commission on this,” he said. "
        "The Brennock Valley Health Trust, which runs both hospitals, announced the merger in November."
    )
    assert draft.claim_question(varga) == "What did Hollis Varga say about the trust?"
    assert draft.claim_question(quote).startswith("What did Hollis Varga say about ")
    assert draft.claim_question(fact) == "What happened with the Brennock Valley Health Trust?"
    for claim in (varga, quote, fact):
        assert not draft.claim_question(claim).startswith("What does the article say")
    assert draft.short_answer(varga) == "Hollis Varga said the trust would co-operate."
    assert draft.short_answer(fact) == "The Brennock Valley Health Trust announced the merger in November."
    long = _claims_of("The union said " + " ".join(["it wanted more pay, and"] * 12) + " it would strike.")[0]
    assert len(draft.short_answer(long).split()) <= phrasing.ANSWER_WORDS + 1 and draft.short_answer(long).endswith("…")
    key_fact_last = _claims_of(
        "Ines Marlow, a geologist at the University of Orrin who has studied the coast’s chalk cliffs for two decades, "
        "said falls of that size usually follow heavy rain and were not necessarily a sign of a wider collapse."
    )[0]
    assert draft.short_answer(key_fact_last).endswith("not necessarily a sign of a wider collapse.")


# ---------------------------------------------------------------------------
# Attribution and names on small pages (FEEDBACK.md, new-user test of the third article)


def _claims_of(*paragraphs: str) -> list[draft.Claim]:
    sentences = page.sentences(list(paragraphs))
    return draft.claims(sentences, draft.find_people(sentences))


def test_she_said_is_the_woman_the_paragraph_names_not_the_previous_speaker() -> None:
    claims = _claims_of(
        "Hollis Varga, the trust’s chief executive, said the trust would co-operate. “We will not fight,” he said.",
        "Nessa Brannagh, a midwife and campaigner, told a rally that the trust had ignored its staff. "
        "“Forty minutes is nothing on a map,” she said. “Nobody asked the staff.”",
        "Later the trust met the unions. “It is about staffing,” she said.",
        "“We are ready,” he said.",
    )
    by_text = {c.sentence.text: c for c in claims}
    assert by_text["“We will not fight,” he said."].speaker == "Hollis Varga"
    assert by_text[
        "Nessa Brannagh, a midwife and campaigner, told a rally that the trust had ignored its staff."
    ].speaker == ("Nessa Brannagh")
    forty = by_text["“Forty minutes is nothing on a map,” she said."]
    assert forty.speaker == "Nessa Brannagh" and forty.speech == "quote"
    assert by_text["“Nobody asked the staff.”"].speaker == "Nessa Brannagh"  # a quote standing alone continues her
    # a paragraph that names nobody: the nearest earlier person of the pronoun's gender
    assert by_text["Later the trust met the unions."].speaker == "The article"
    assert by_text["“It is about staffing,” she said."].speaker == "Nessa Brannagh"
    assert by_text["“We are ready,” he said."].speaker == "Hollis Varga"


def test_a_pronoun_never_takes_a_speaker_of_the_other_gender() -> None:
    claims = _claims_of(
        "Hollis Varga, the chief executive, said the plan would go ahead, and he would not resign.",
        "“Forty minutes is nothing on a map,” she said.",
    )
    assert claims[1].speaker != "Hollis Varga"


def test_a_quote_named_in_its_sentence_is_never_the_articles() -> None:
    (claim,) = _claims_of("“Forty minutes is nothing on a map,” said Nessa Brannagh, a midwife and campaigner.")
    assert claim.speaker == "Nessa Brannagh" and claim.speech == "quote"
    assert claim.attribution == "Nessa Brannagh, a midwife and campaigner"


def test_declined_to_say_an_inserted_he_said_and_the_role_said_are_the_persons() -> None:
    claims = _claims_of(
        "Hollis Varga, the trust’s chief executive, said work would continue. "
        "No change would be made before the review ends, he said, and the unit would stay open. "
        "Varga declined to say how much of the savings depended on the closure.",
        "The chief executive said the board would meet in March.",
    )
    assert [c.speaker for c in claims] == ["Hollis Varga"] * 4
    assert claims[2].speech == "reported"


def test_a_sentence_with_a_named_speaker_never_lacks_who() -> None:
    claims = _claims_of(
        "Nessa Brannagh, a midwife, told a rally of about 300 people that the trust had ignored its staff."
    )
    (entry,) = draft_entries._claim_entries(claims, grammar._Vocabulary([claims[0].sentence.text]), set())
    assert "who" not in entry.get("lacks", [])
    assert entry["quotes"][0]["attribution"] == "Nessa Brannagh, a midwife"


def test_every_named_person_with_a_quote_or_a_role_is_found() -> None:
    sentences = page.sentences(
        [
            "Nessa Brannagh, a midwife and campaigner, spoke first. "
            "The vote was called by regional assembly member Agathe Lindqvist on Monday. "
            "Pieter Oduya, who represents the valley in the assembly, disagreed. "
            "Marta Kell told the rally it was over. "
            "“It is over,” said Ivo Daskal."
        ]
    )
    people = draft.find_people(sentences)
    assert people["Nessa Brannagh"].roles == ["a midwife and campaigner"]
    assert people["Agathe Lindqvist"].roles == ["regional assembly member"]
    assert people["Pieter Oduya"].roles == ["who represents the valley in the assembly"]
    assert draft_entries._describe(people["Pieter Oduya"]) == "Pieter Oduya represents the valley in the assembly."
    assert {"Marta Kell", "Ivo Daskal"} <= set(people)
    assert all(people[n].kind == "person" for n in ("Nessa Brannagh", "Agathe Lindqvist", "Marta Kell", "Ivo Daskal"))


def test_a_hospitals_short_name_is_the_hospital_and_a_distance_is_not_its_role() -> None:
    sentences = page.sentences(
        [
            "The trust runs the larger Kestridge General Hospital. "
            "Births would move to Kestridge General, about 38 kilometres down the valley. "
            "Ships went to Ostmere, about 200 kilometres up the coast."
        ]
    )
    people = draft.find_people(sentences)
    assert "Kestridge General" not in people
    hospital = people["Kestridge General Hospital"]
    assert hospital.kind == "org" and hospital.short == "Kestridge General" and hospital.roles == []
    assert people["Ostmere"].kind == "place"  # a place is where the distance says


def test_synonyms_are_proposed_only_for_words_the_article_uses() -> None:
    synonyms = draft.synonyms_for(["The board is due to meet on March 26. Up to 140 posts could go."], "A Title")
    assert "meeting" not in synonyms and "police" not in synonyms and "officers" not in synonyms
    body = " meet board due march 26 140 posts could go a title "
    assert all(f" {normalize(key)} " in body for key in synonyms)


def test_a_past_tense_variant_brings_its_base_form_as_readers_ask_it() -> None:
    # "The union accused…": "blamed" is a reader's word for it, and so is "blame" ("who did they blame?")
    synonyms = draft.synonyms_for(["The union accused the contractors of provoking the clash."], "A Title")
    assert "blamed" in synonyms["accused"] and "blame" in synonyms["accused"]
    # never a base form the article itself writes: "block" stays the article's own word
    synonyms = draft.synonyms_for(["Picketers blocked the road. They will block it again."], "A Title")
    assert "obstructed" in synonyms["blocked"] and "block" not in synonyms["blocked"]


def test_a_past_tense_variant_brings_no_base_form_readers_use_as_a_noun() -> None:
    """'He estimated that a full repair could cost…': "figured" is a reader's word for it, "figure" is not
    ("what is the figure" asks no estimate); "logged" gets "recorded", never "record", "file" or "note"."""
    synonyms = draft.synonyms_for(["He estimated that a full repair could cost 18 million marks."], "A Title")
    assert "figured" in synonyms["estimated"] and "figure" not in synonyms["estimated"]
    synonyms = draft.synonyms_for(["The crew logged the vibration."], "A Title")
    assert "recorded" in synonyms["logged"]
    assert not {"record", "file", "note"} & set(synonyms["logged"])


def test_a_clause_with_an_irregular_participle_is_asked_with_its_own_auxiliary() -> None:
    """'Automation has become the main sticking point' asks "has automation become…", never "does
    automation have become…"; "has taken" alike; "had two crews" is still "did … have two crews"."""
    assert grammar._invert("Automation has become the main sticking point") == (
        "has",
        "Automation become the main sticking point",
    )
    assert grammar._invert("the review has taken longer than planned")[0] == "has"
    assert grammar._invert("the service usually had two crews") == ("did", "the service usually have two crews")


_OPENERS = (
    "what ",
    "who ",
    "whom ",
    "when ",
    "where ",
    "why ",
    "how ",
    "which ",
    "tell me ",
    "is it true ",
    "did ",
    "does ",
    "do ",
    "would ",
    "will ",
    "was ",
    "were ",
    "is ",
    "are ",
    "has ",
    "have ",
    "had ",
    "could ",
    "can ",
    "may ",
    "might ",
)


def test_a_clause_is_asked_back_in_a_questions_word_order() -> None:
    assert grammar._invert("births would move from Tollbridge to Kestridge General") == (
        "would",
        "births move from Tollbridge to Kestridge General",
    )
    assert grammar._invert("The trust announced the merger in November.") == (
        "did",
        "the trust announce the merger in November",
    )
    assert grammar._invert("Under the plan, births would move") is None


def test_sentence_phrasings_are_questions_not_keyword_strings() -> None:
    paragraphs = [
        "A plan to merge the two hospitals that serve the valley was partly put on hold on Monday after the regulator "
        "ordered a review. Under the plan, births would move from Tollbridge to Kestridge, about 38 kilometres away.",
        "Hollis Varga, the trust’s chief executive, said the trust would co-operate. "
        "“We will not fight the commission on this,” he said.",
    ]
    claims = _claims_of(*paragraphs)
    vocab = grammar._Vocabulary(c.sentence.text for c in claims)
    for claim in claims:
        for text in draft.claim_phrasings(claim, vocab):
            assert text.casefold().startswith(_OPENERS), text
    births = draft.claim_phrasings(claims[1], vocab)
    assert "where would births move from Tollbridge to Kestridge" in births
    quote = draft.claim_phrasings(claims[3], vocab)
    assert "who said we will not fight the commission on this" in quote


def test_a_he_said_quote_names_its_speaker_in_the_answer_and_quotes_the_sentence_naming_him() -> None:
    claims = _claims_of(
        "Gideon Pryce, chief executive of the Shippers’ Council, said the strike hurt exporters. "
        "“Customers are deciding right now where they will send their cargo,” he said. "
        "He said some of them would not come back."
    )
    entries = draft_entries._claim_entries(claims, grammar._Vocabulary(c.sentence.text for c in claims), set())
    quote, reported = entries[1], entries[2]
    assert quote["answer"] == "“Customers are deciding right now where they will send their cargo,” Pryce said."
    assert reported["answer"] == "Pryce said some of them would not come back."
    for entry in (quote, reported):
        assert [q["text"] for q in entry["quotes"]][1] == claims[0].sentence.text
        assert entry["quotes"][1]["speaker"] == "Gideon Pryce"


def test_who_is_gives_the_whole_appositive_and_a_dateline_does_not_hide_the_speaker() -> None:
    sentences = page.sentences(
        [
            "KESTRIDGE, Velmar — Nessa Brannagh, a midwife who has worked at Tollbridge for 19 years, said the trust "
            "had ignored its staff. Health Minister Pieter Oduya declined to comment."
        ]
    )
    people = draft.find_people(sentences)
    assert people["Nessa Brannagh"].roles == ["a midwife"]  # as an attribution names her
    assert draft_entries._describe(people["Nessa Brannagh"]) == (
        "Nessa Brannagh is a midwife who has worked at Tollbridge for 19 years."
    )
    assert draft_entries._describe(people["Pieter Oduya"]) == "Pieter Oduya is the Health Minister."
    claim = draft.claims(sentences, people)[0]
    assert claim.speaker == "Nessa Brannagh" and claim.attribution == "Nessa Brannagh, a midwife"
    notes = [e for e in draft_entries._who_entries(people, set()) if e.get("kind") == "not_covered"]
    brannagh = next(e for e in notes if "Brannagh" in e["question"])
    assert not any("how long" in p for p in brannagh["phrasings"])  # the article says: 19 years


def test_an_unnamed_official_of_a_named_organisation_is_still_unnamed() -> None:
    text = (
        "An official at the Brennock Valley Ambulance Service who asked not to be named said the service usually "
        "had two crews covering the upper valley overnight."
    )
    (claim,) = _claims_of(text)
    assert claim.speech == "reported" and claim.unnamed is not None
    assert claim.attribution.startswith("an official at the Brennock Valley Ambulance Service")
    notes = draft_notes._note_entries([claim], set())
    assert notes[0]["question"] == "Who is the official at the Brennock Valley Ambulance Service?"


def test_a_retired_persons_background_note_asks_when_they_retired() -> None:
    sentences = page.sentences(["The mediator, retired labour court judge Eleanor Voss, met the delegations."])
    who = draft_entries._who_entries(draft.find_people(sentences), set())
    notes = [e for e in who if e.get("kind") == "not_covered"]
    assert "when did Voss retire" in notes[0]["phrasings"]


def test_a_synonym_is_proposed_only_in_the_sense_the_article_uses_the_word() -> None:
    figurative = draft.synonyms_for(
        ["“We will not fight the commission on this,” he said. The date can still be met. A rally of 300 people."],
        "A Title",
    )
    assert "fight" not in figurative and "met" not in figurative
    assert "residents" not in figurative.get("people", [])
    literal = draft.synonyms_for(
        [
            "Police said four people were arrested after a fight at the gate. The mayor met the union. "
            "The city of about 210,000 people relies on the port."
        ],
        "A Title",
    )
    assert "brawl" in literal["fight"] and "spoke with" in literal["met"] and "cops" in literal["police"]
    assert "residents" not in literal.get("people", [])  # "four people were arrested": not the population
    population = draft.synonyms_for(["The city of about 210,000 people relies on the port."], "A Title")
    assert "residents" in population["people"]
    assert all("meeting" not in variants for variants in literal.values())


def test_a_sentence_lacks_the_kinds_of_detail_it_does_not_give() -> None:
    no_number, counted = _claims_of(
        "The trust announced the merger in November. The unit delivered 612 babies last year."
    )
    assert "how_many" in draft_entries._lacks(no_number) and "when" not in draft_entries._lacks(no_number)
    assert "how_many" not in draft_entries._lacks(counted)


def test_organisations_places_and_long_titles_are_told_apart() -> None:
    sentences = page.sentences(
        [
            "The inspection was carried out by Tarrant & Lyle Engineering, which checks it every year. "
            "Norvane Regional Rail suspended all services. Infrastructure Minister Hanne Korr told parliament "
            "that the state would pay. A trip from Hollin Cross takes an hour.",
            "Shopkeepers in Hollin Cross, a town of about 19,000 people, said trade fell sharply.",
        ]
    )
    people = draft.find_people(sentences)
    assert people["Tarrant & Lyle Engineering"].kind == "org" and people["Norvane Regional Rail"].kind == "org"
    assert people["Hanne Korr"].roles == ["Infrastructure Minister"]
    assert people["Hollin Cross"].kind == "place" and people["Hollin Cross"].roles == ["a town of about 19,000 people"]


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        pytest.param(
            "Trains will not run for three months after inspectors found cracks, the line’s operator said on Tuesday, "
            "leaving passengers to rely on buses.",
            "The line’s operator",
            id="a-description-said-inside-the-sentence",
        ),
        pytest.param(
            "Shopkeepers in Hollin Cross, a town of about 19,000 people, said trade fell sharply.",
            "Shopkeepers in Hollin Cross",
            id="an-appositive-with-a-number-is-not-the-speaker",
        ),
        pytest.param(
            "The Brennock Valley Health Trust runs the hospitals. But the Health and Care Workers’ Union, which "
            "represents porters, cleaners and clerks, says up to 140 posts could go.",
            "Health and Care Workers’ Union",
            id="an-organisation-says",
        ),
    ],
)
def test_descriptions_and_organisations_speak(text: str, speaker: str) -> None:
    assert _claims_of(text)[-1].speaker == speaker


def test_a_quote_standing_alone_quotes_the_sentence_that_attributes_it(tmp_path: Path) -> None:
    data = draft.draft(
        page.read_page(
            "A Title\n\nCallum Vetch, chair of the Brenn Valley Rail Users’ Association, said members had reported "
            "loose stones falling from the viaduct last autumn. “We told them in October that bits of the bridge "
            "were in the river,” Vetch said. “Nobody came to look.”\n"
        ),
        date="2026-03-17",
    ).data
    nobody = next(e for e in data["entries"] if e["quotes"] and e["quotes"][0]["text"] == "“Nobody came to look.”")
    assert any("Vetch said" in q["text"] for q in nobody["quotes"])


def test_gaps_and_outcomes_still_to_come_become_notes() -> None:
    claims = _claims_of(
        "The commission did not say who would carry out the review or whether its findings would be binding. "
        "The trust’s board is due to meet on March 26 to decide whether the July 1 date can still be met."
    )
    notes = draft_notes._note_entries(claims, set())
    questions = [n["question"] for n in notes]
    assert "Who would carry out the review?" in questions
    assert "Would its findings be binding?" in questions
    outcome = next(n for n in notes if n["question"] == "What did the trust’s board decide?")
    assert "what was decided on March 26" in outcome["phrasings"]


def test_past_verbs_meet_their_base_form_by_the_dictionary() -> None:
    assert grammar.base_verb("fired") == "fire"  # "did Hamas fire…", never "did Hamas fired…"
    assert [grammar.base_verb(w) for w in ("belonged", "changed", "stopped", "came", "signalled", "tried")] == [
        "belong",
        "change",
        "stop",
        "come",
        "signal",
        "try",
    ]


def test_numbers_are_asked_by_their_unit_in_whole_clauses() -> None:
    asked = phrasing._measure_questions
    assert asked("The commission said the review would take at least 10 weeks.") == ["how long would the review take"]
    assert "how long is the crack" in asked("Its report described a crack about 3.5 metres long in the fourth pier.")
    assert "how old is the Sallow Viaduct" in asked("It found cracks in the 132-year-old Sallow Viaduct.")
    assert "how far is Kestridge General from Tollbridge" in asked(
        "Under the plan, births would move from Tollbridge to Kestridge General, about 38 kilometres down the valley."
    )
    assert "what share of shifts" in asked("He said agency midwives had covered about 40 percent of shifts last year.")
    assert "how much could a full repair cost" in asked(
        "He estimated that a full repair could cost between 18 million and 25 million marks."
    )


def test_speakers_are_asked_by_role_and_quotes_by_what_they_name() -> None:
    claims = _claims_of(
        "The mediator, retired labour court judge Eleanor Voss, met the two delegations on Wednesday. "
        "“We are disappointed by the timing, but we will not fight the commission on this,” Voss said."
    )
    vocab = grammar._Vocabulary(c.sentence.text for c in claims)
    assert "what did the mediator say" in draft.claim_phrasings(claims[1], vocab)
    assert draft.claim_question(claims[1]) == "What did Eleanor Voss say about the timing?"
    assert grammar._invert("They keep telling us it is about staffing") is None
    assert grammar._invert("the service usually had two crews") == ("did", "the service usually have two crews")


def test_a_sentences_entry_knows_the_everyday_words_for_its_own() -> None:
    words = draft_entries._everyday_words("The regulator ordered a review of the plan.")
    assert "watchdog" in words and "inquiry" in words and "scheme" in words
    assert "brawl" not in draft_entries._everyday_words("“We will not fight the commission on this,” he said.")


def test_where_a_thing_was_said_is_a_where_and_a_share_of_a_group_is_counted() -> None:
    radio, pupils = _claims_of(
        "Health Minister Pieter Oduya said in a radio interview on Monday that the decision belonged to the trust. "
        "The town’s secondary school said about 300 of its pupils normally travel in by train."
    )
    assert "where" in grammar._kinds(radio)
    assert ("how many", "pupils") in grammar._counted(pupils.sentence.text)


def test_an_unnamed_group_or_place_is_asked_which_in_the_sentences_words() -> None:
    claims = _claims_of(
        "At least two carriers have begun diverting vessels to Ostmere. The mediator met the two delegations "
        "separately at a hotel in the capital."
    )
    notes = draft_notes._note_entries(claims, set())
    phrasings = [p for n in notes for p in n["phrasings"]]
    assert "which two carriers have begun diverting vessels to Ostmere" in phrasings
    assert (
        "what is the name of the hotel in the capital where the mediator met the two delegations separately"
        in phrasings
    )


def test_a_sentence_saying_a_detail_is_withheld_lacks_it_and_never_asks_it() -> None:
    (claim,) = _claims_of(
        "Hollis Varga, the chief executive, declined to say how much of the 22 million marks in savings depended "
        "on closing the unit."
    )
    assert "how_many" in draft_entries._lacks(claim)
    entry = next(e for e in draft_entries._claim_entries([claim], grammar._Vocabulary([claim.sentence.text]), set()))
    assert not any(p.startswith(("how many", "how much")) for p in entry["phrasings"])
    assert "how_many" not in entry["kinds"]


def test_an_organisation_is_what_its_which_clause_says() -> None:
    sentences = page.sentences(
        [
            "The Brennock Valley Health Trust, which runs both Tollbridge and the larger Kestridge General Hospital, "
            "announced the merger in November."
        ]
    )
    trust = draft.find_people(sentences)["Brennock Valley Health Trust"]
    assert trust.roles == ["which runs both Tollbridge and the larger Kestridge General Hospital"]
    assert draft_entries._describe(trust).startswith("Brennock Valley Health Trust runs both Tollbridge")
    (entry,) = draft_entries._who_entries({"trust": trust}, set())
    assert "who runs both Tollbridge and the larger Kestridge General Hospital" in entry["phrasings"]


def test_a_role_nobody_named_holds_and_an_unnamed_official_get_who_notes() -> None:
    claims = _claims_of(
        "Twenty-seven ships were waiting at anchor, according to the harbour master’s office. "
        "An official at the Brennock Valley Ambulance Service who asked not to be named said crews were short."
    )
    people = draft.find_people([c.sentence for c in claims])
    (role,) = draft_notes._unnamed_role_notes(claims, people, set())
    assert role["question"] == "Who is the harbour master?"
    official = next(n for n in draft_notes._note_entries(claims, set()) if "official" in n["question"])
    assert "who is the ambulance service official" in official["phrasings"]


def test_main_questions_name_a_topic_in_its_case_and_never_a_keyword_string() -> None:
    claims = _claims_of(
        "“We will not put a single passenger on that bridge until we are certain it is safe,” said Miriam Oduya, "
        "the operator’s chief operating officer. Season tickets will be valid on the buses. "
        "Norvane Regional Rail suspended all services. It is not yet known which option will be chosen."
    )
    questions = [draft.claim_question(c) for c in claims]
    assert questions[0] == "What did Miriam Oduya say about a single passenger?"
    assert questions[1] == "What happened with season tickets?"
    assert questions[2] == "What happened with Norvane Regional Rail?"
    assert questions[3] == "Is it known which option will be chosen?"


def test_a_passive_sentence_is_asked_about_its_doer() -> None:
    assert phrasing._passive_questions(
        "The inspection was carried out by Tarrant & Lyle Engineering, which checks it."
    ) == [
        "who carried out the inspection",
        "by whom was the inspection carried out",
        "who was the inspection carried out by",
    ]
    assert "by whom were four people arrested" in phrasing._passive_questions("Four people were arrested by police.")


def test_a_page_unlike_the_others_still_reads_right() -> None:
    claims = _claims_of(
        "It is not clear whether the contractor, Halvik Civil Works, will be fined. Two people died and dozens "
        "were injured. Another said the owners had tried for years to keep the plant open."
    )
    assert draft.claim_question(claims[0]) == "Is it known whether the contractor, Halvik Civil Works, will be fined?"
    assert "died" not in draft.claim_question(claims[1])
    assert claims[2].speaker == "The article"  # "Another said": no one to name


def test_a_view_followed_by_the_speakers_quote_answers_why_with_it() -> None:
    claims = _claims_of(
        "Dr. Tobias Renwick, head of obstetrics at Kestridge General, said a single larger unit would be safer. "
        "“The mothers we have to plan for are the ones who run into trouble at three in the morning,” he said."
    )
    entry = draft_entries._claim_entries(claims, grammar._Vocabulary(c.sentence.text for c in claims), set())[0]
    assert "why" in entry["kinds"] and "why" not in entry["lacks"]
    assert any(q["text"].startswith("“The mothers") for q in entry["quotes"])


def test_a_byline_is_the_author_and_its_director_said_is_the_director() -> None:
    parsed = page.read_page(
        "Friday, April 3, 2026\n\nMuseum Reopens After Two-Year Renovation\n\nBy Petra Lindholm\n\n"
        "The museum reopened on Thursday after a renovation, its director said.\n\n"
        "“We have doubled the space,” said Anika Stroud, the museum’s director.\n"
    )
    assert parsed.author == "Petra Lindholm" and parsed.paragraphs[0].startswith("The museum")
    claims = _claims_of(*parsed.paragraphs)
    assert claims[0].speaker == "Anika Stroud"
    assert draft.claim_question(_claims_of("Tickets cost 15 crowns, and entry is free for children.")[0]).startswith(
        "What happened with tickets"
    )


def test_declining_to_say_is_asked_as_such_and_a_role_reads_as_a_sentence() -> None:
    claims = _claims_of(
        "Governor Marit Solberg said the decision was unanimous. She declined to say whether further cuts would follow."
    )
    assert draft.claim_question(claims[1]) == "What did Marit Solberg decline to say?"
    assert draft_entries._named_answer(claims[1]).startswith("Solberg declined to say")
    ekdahl = draft.find_people(page.sentences(["Lena Ekdahl, chief economist at Nordvik Securities, said so."]))
    assert draft_entries._describe(ekdahl["Lena Ekdahl"]) == "Lena Ekdahl is chief economist at Nordvik Securities."


def test_the_schema_reference_works_from_where_the_draft_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The new user's draft, written in a folder of their own, named a schema beside it that was not there."""
    folder = tmp_path / "my-article"
    folder.mkdir()
    monkeypatch.chdir(folder)
    result = bot("draft", str(SYNTHETIC_PAGE), "--date", "2023-09-14")
    assert result.returncode == 0, result.stderr
    reference = json.loads(result.stdout)["$schema"]
    assert (folder / reference).resolve() == (ROOT / "faq.schema.json").resolve()


def test_the_drafting_english_is_data_beside_the_code() -> None:
    """STYLE.md's "the language as data": the word lists live in bot/draft/english.json and
    thesaurus.json, each set listed sorted and once, and no stage module spells a word list."""
    from pathlib import Path

    from bot.draft import words

    here = Path(words.__file__).parent
    raw = json.loads((here / "english.json").read_text(encoding="utf-8"))
    for name, kind in words.DraftEnglish.__annotations__.items():
        if kind.startswith("frozenset"):
            assert raw[name] == sorted(set(raw[name])), name
    groups = json.loads((here / "thesaurus.json").read_text(encoding="utf-8"))["groups"]
    assert len(words.EN.thesaurus) == len(groups) and all(len(set(g)) == len(g) for g in words.EN.thesaurus)
    for module in here.glob("*.py"):
        code = module.read_text(encoding="utf-8")
        assert not re.search(r'frozenset\(\s*"""|frozenset\("[a-z]+ [a-z]+', code), module.name


def test_how_many_asks_what_the_sentence_says_of_the_counted_thing_not_its_main_verb() -> None:
    claims = _claims_of(
        "Ferries on the Orrin Sound route will not sail for six weeks after divers found rust in the pier, "
        "the port said on Monday, leaving about 4,100 daily travellers to rely on a detour. "
        "Dalia Ferrante said 12 extra coaches would run between the harbour’s five terminals from Friday. "
        "The yard built 40 ferries in 2019."
    )
    vocab = grammar._Vocabulary(c.sentence.text for c in claims)
    first, coaches, built = (draft.claim_phrasings(c, vocab) for c in claims)
    assert "how many daily travellers rely on a detour" in first
    assert not [p for p in first if p.startswith("how many") and " did " in p]  # not "…did ferries … not"
    assert "how many extra coaches would run between the harbour’s five terminals" in coaches
    assert "how many terminals does the harbour have" in coaches
    assert not [p for p in coaches if p.startswith("how many") and p.endswith(" say")]  # not "…did Ferrante say"
    assert "how many ferries did the yard build" in built


def test_how_much_leaves_out_the_amount_it_asks_for() -> None:
    assert phrasing._before_amount("the council raise its grant on Monday to 8.5 percent") == (
        "the council raise its grant on Monday"
    )
    assert phrasing._before_amount("the firm say riders would get a 20 percent refund") is None  # a speech verb


def test_synonyms_only_in_the_sense_and_direction_the_article_supports() -> None:
    paragraphs = [
        "The council would pay for the extra buses, the mayor said.",
        "Freight services, which carry grain from the upper valley, have also stopped.",
        "Shopkeepers in Aldwick, a town of about 9,000 people, said trade fell.",
        "Containers were stranded on the quays.",
    ]
    table = draft.synonyms_for(paragraphs, "A title")
    assert "salary" not in table.get("pay", [])  # the verb: the money to pay for something is no salary
    assert "fund" in table["pay"] or "finance" in table["pay"]
    assert "boxes" not in table.get("freight", [])  # readers' words for containers, not for freight
    assert "boxes" in table["containers"]
    assert "city" not in table.get("town", [])
    wages = draft.synonyms_for(["Dockers want a pay rise, the union said."], "A title")
    assert "salary" in wages["pay"]


def test_readers_situation_questions_where_the_sentence_answers_them() -> None:
    claims = _claims_of(
        "Ferries on the Orrin Sound route will not sail for at least six weeks, the port said. "
        "The council closed the pier on Friday, hours after divers found rust in its piles. "
        "“We will not let anyone on the pier until it is safe,” said Dalia Ferrante, the harbour master. "
        "The government would pay for the extra coaches, a minister said. "
        "The pier opened in 1901."
    )
    vocab = grammar._Vocabulary(c.sentence.text for c in claims)
    route, closed, safe, pays, _ = (draft.claim_phrasings(c, vocab) for c in claims)
    assert "when will it reopen" in route and "how long will the closure last" not in closed
    assert "when will it open again" not in route  # "open" is the 1901 sentence's word: it would explain it
    assert "why was it closed" in closed and not [p for p in closed if "caused the rust" in p]
    assert "is it safe" in safe and "is it safe" not in route
    assert "who is paying for the extra coaches" in pays
    assert "when" in grammar._kinds(claims[0])  # "for at least six weeks" says when it reopens


def test_notes_for_what_the_whole_story_can_be_seen_not_to_give() -> None:
    claims = _claims_of(
        "Divers found cracks in the pier on Friday, and the two hospitals nearby were told. "
        "Midwives at both hospitals said they were worried. "
        "A full repair could cost 5 million marks, the council said."
    )
    questions = [n["question"] for n in draft_notes._article_notes(claims, set())]
    assert "Was anyone hurt?" in questions  # an incident, and no word of anyone hurt
    assert "How many midwives are there?" in questions  # named, never counted
    assert "How many hospitals are there?" not in questions  # "the two hospitals"
    assert "Who will pay for the full repair?" in questions
    counted = _claims_of(
        "Divers found cracks in the pier, and two divers were injured. The council will pay for the repair, "
        "which could cost 5 million marks. About 40 midwives work there."
    )
    assert draft_notes._article_notes(counted, set()) == []


def test_a_count_in_the_singular_counts_the_plural_too_and_only_the_word_after_the_number() -> None:
    """ "four crew" gives the number of "our crews" (a false "not in the article" note was drafted);
    "41 minutes by train" counts minutes, not trains."""
    claims = _claims_of(
        "The plane carried 58 passengers and four crew when the engine failed. "
        "Our crews did exactly what they were trained to do, the airline said. "
        "The journey takes 41 minutes by train, and trains will resume on Monday."
    )
    questions = [n["question"] for n in draft_notes._article_notes(claims, set())]
    assert "How many crews are there?" not in questions and "How many passengers are there?" not in questions
    assert "How many trains are there?" in questions


def test_words_said_in_a_letter_are_asked_by_the_letter() -> None:
    (letter,) = _claims_of(
        "In a letter to the council dated May 2, the Orrin Harbour Board said it had received 300 complaints."
    )
    asked = draft.claim_phrasings(letter, grammar._Vocabulary([letter.sentence.text]))
    assert "when did the Orrin Harbour Board write to the council" in asked
    assert "when was the letter dated" in asked and "what was in the letter" in asked
    (care,) = _claims_of("The board said patients could not reach safe care in time.")
    assert "is it safe" not in draft.claim_phrasings(care, grammar._Vocabulary([care.sentence.text]))


def test_a_height_is_asked_how_high_and_readers_words_reach_the_articles() -> None:
    assert "how high is the tower" in phrasing._measure_questions(
        "The tower, which lifts the cables 60 metres above the bay, opened in 1921."
    )
    table = draft.synonyms_for(["The pier could collapse, and divers found cracks in its masonry."], "A title")
    assert "fall down" in table["collapse"] and "stonework" in table["masonry"] and "splits" in table["cracks"]


def test_how_long_someone_has_held_their_role_is_their_background_note() -> None:
    sentences = page.sentences(["Hollis Varga, the trust’s chief executive, said the trust would co-operate."])
    who = draft_entries._who_entries(draft.find_people(sentences), set())
    (note,) = [e for e in who if e.get("kind") == "not_covered"]
    assert "how long has Varga been the chief executive" in note["phrasings"]


def test_phrasings_nobody_types_are_not_made() -> None:
    assert grammar._said_content(
        "Ferries on the Orrin Sound route will not sail for six weeks, the port said on Monday, leaving 900 stranded."
    ) == ("said", "ferries on the Orrin Sound route will not sail for six weeks")
    assert grammar._said_content("Dalia Ferrante told the council on Monday that the pier would reopen.") == (
        "told",
        "the pier would reopen.",
    )
    assert "what did the pier open" not in draft.question_forms("The pier opened in 1901.", ["what", "when"])
    assert phrasing._MALFORMED.search("did have also been halt") and phrasing._MALFORMED.search("who saying it")
    (unnamed,) = _claims_of("Two people familiar with the talks said the pier would reopen in May.")
    asked = draft.claim_phrasings(unnamed, grammar._Vocabulary([unnamed.sentence.text]))
    assert not [p for p in asked if p.startswith("what does two")]


def test_a_sentence_reporting_two_sources_credits_both() -> None:
    (both,) = _claims_of(
        "Shopkeepers in Aldwick said trade fell sharply, and the town’s school said about 80 of its pupils sail in."
    )
    assert both.attribution == "shopkeepers in Aldwick and the town’s school, as reported"
    (one,) = _claims_of("Shopkeepers in Aldwick said trade fell sharply over the weekend.")
    assert one.attribution == "shopkeepers in Aldwick, as reported"


def test_measure_questions_give_their_kind_and_an_unmeasured_structure_gets_a_note() -> None:
    claims = _claims_of("Its report described a crack about 3.5 metres long in the fourth pier.")
    (entry,) = draft_entries._claim_entries(claims, grammar._Vocabulary(c.sentence.text for c in claims), set())
    assert "how long is the crack" in entry["phrasings"] and "how" in entry["kinds"]
    unmeasured = _claims_of("Divers found rust under the Orrin Pier on Friday.")
    assert "How long is the Orrin Pier?" in [n["question"] for n in draft_notes._article_notes(unmeasured, set())]
    measured = _claims_of("Divers found rust under the Orrin Pier, which is 300 metres long.")
    assert "How long is the Orrin Pier?" not in [n["question"] for n in draft_notes._article_notes(measured, set())]


def test_a_speaker_is_asked_in_general_once_not_in_every_manner() -> None:
    claims = _claims_of(
        "Dalia Ferrante, the harbour master, said the pier would reopen. “We are not there yet,” Ferrante said."
    )
    vocab = grammar._Vocabulary(c.sentence.text for c in claims)
    asked = [p for c in claims for p in draft.claim_phrasings(c, vocab)]
    assert "what did Ferrante say" in asked
    assert not [p for p in asked if p.endswith(("'s view", " saying", "tell reporters"))]


def test_a_sentence_does_not_claim_its_whole_topic() -> None:
    """A sentence with ways enough to ask it is not asked 'what happened with the Orrin Harbour Board'
    (nor 'tell me about…'): that reaches it from any question naming the board; a short one keeps it."""
    claims = _claims_of(
        "The Orrin Harbour Board approved a plan on Monday to rebuild the northern pier before the winter storms begin."
        " The review is due to be finished by the end of September."
    )
    vocab = grammar._Vocabulary(c.sentence.text for c in claims)
    asked = draft.claim_phrasings(claims[0], vocab)
    assert len(asked) > phrasing.MIN_PHRASINGS
    assert "what happened with the Orrin Harbour Board" not in asked
    assert not [p for p in asked if p.startswith(("tell me about", "what do we know about"))]
    assert "what happened with the review" in draft.claim_phrasings(claims[1], vocab)


def test_is_it_true_is_not_asked_of_a_clause_fragment() -> None:
    (claim,) = _claims_of(
        "Dalia Ferrante said the pier would reopen in May, though she acknowledged that repairs could take longer."
    )
    asked = draft.claim_phrasings(claim, grammar._Vocabulary([claim.sentence.text]))
    assert not [p for p in asked if p.startswith("is it true that though")]
    assert phrasing._FRAGMENT.match("a rally of about 300 people outside the hospital on Saturday that the trust")
    assert not phrasing._FRAGMENT.match("the drive between the two takes about 40 minutes")


def test_a_project_whose_cost_is_never_given_gets_a_note() -> None:
    claims = _claims_of("The council announced a plan to merge two harbours. The merger would save 2 million marks.")
    assert "How much will the merger cost?" in [n["question"] for n in draft_notes._article_notes(claims, set())]
    costed = _claims_of("The council announced the merger, which could cost 5 million marks.")
    assert not [n for n in draft_notes._article_notes(costed, set()) if n["question"].startswith("How much")]


def test_the_leads_why_may_open_the_next_paragraph() -> None:
    claims = _claims_of(
        "A strike by about 900 ferry crews entered its fifth day on Monday.",
        "Crews of the Orrin Line walked off the job on May 2 over pay and a plan to cut night sailings.",
    )
    entries = draft_entries._claim_entries(claims, grammar._Vocabulary(c.sentence.text for c in claims), set())
    lead = entries[0]
    assert "why" not in lead.get("lacks", []) and "why" in lead["kinds"]
    assert [q["text"] for q in lead["quotes"]] == [c.sentence.text for c in claims]


def test_a_cause_stated_in_a_clause_of_its_own_answers_why_but_a_time_does_not() -> None:
    assert grammar.states_cause("The airline grounded nine planes after one of them lost power in an engine.")
    assert grammar.states_cause("The flight turned back when the crew reported a drop in oil pressure.")
    assert grammar.states_cause("Prices rose amid a shortage of parts.")
    assert not grammar.states_cause("The flight turned back 11 minutes after departure.")
    assert not grammar.states_cause("The council met on Monday after the holiday.")
    (claim,) = _claims_of("The airline grounded nine planes after one of them lost power in an engine.")
    entry = draft_entries._claim_entries([claim], grammar._Vocabulary([claim.sentence.text]), set())[0]
    assert "why" in entry["kinds"] and "why" not in entry["lacks"]


def test_a_company_named_like_a_person_is_an_organisation_and_a_point_is_a_place() -> None:
    people = draft.find_people(
        page.sentences(
            [
                "Halvard Propulsion said in a statement that it was cooperating. Halvard Propulsion built the engine.",
                "Skerrow Air said flights to Tessaly Point, a town of 7,400 people, were cancelled.",
            ]
        )
    )
    assert people["Halvard Propulsion"].kind == "org" and people["Skerrow Air"].kind == "org"
    assert people["Tessaly Point"].kind == "place"


def test_everyday_words_for_a_grounded_fleet_only_in_that_sense() -> None:
    synonyms = draft.synonyms_for(["The airline grounded nine aircraft and offered a full refund."], "Planes grounded")
    assert "taken out of service" in synonyms["grounded"] and "entire" in synonyms["full"]
    assert "grounded" not in draft.synonyms_for(["The claim was grounded in fact."], "A claim")


def test_a_thing_named_with_its_maker_in_passing_is_asked_who_made_it() -> None:
    asked = phrasing._made_by_questions(
        "The planes use the same model of engine, the HP-400, built by Halvard Propulsion."
    )
    assert {"who built the HP-400", "which company built the engine", "who builds the engine"} <= set(asked)
    assert phrasing._present("carry") == "carries" and phrasing._present("fix") == "fixes"
    assert "who owns the ferry" in phrasing._made_by_questions("They took the ferry, owned by Orrin Line, home.")
    assert phrasing._made_by_questions("They repaired the crack, found in 2024, in a week.") == []


def test_the_words_of_an_everyday_phrase_stay_the_entrys_own() -> None:
    words = draft_entries._everyday_words("The airline grounded nine aircraft on Monday.")
    assert "pulled from service" in words and "pulled" in words and "service" in words
    assert "from" not in words  # a function word says nothing of the entry
    synonyms = draft.synonyms_for(["The plan would cost about 4 million marks."], "A plan")
    assert "around" in synonyms["about"] and "roughly" in synonyms["about"]


def test_an_unnamed_operator_supplier_or_other_airlines_get_a_name_note() -> None:
    claims = _claims_of(
        "The airline is leasing three jets from a charter operator. The part came from a supplier in 2024.",
        "The company declined to say whether other airlines had reported similar problems.",
    )
    asked = [n["question"] for n in draft_notes._note_entries(claims, set())]
    assert "What is the name of the charter operator?" in asked and "What is the name of the supplier?" in asked
    assert "What are the names of the other airlines?" in asked


def test_a_quote_credited_by_surname_carries_the_sentence_that_says_who_they_are() -> None:
    claims = _claims_of(
        "Bertil Fane, the mayor of Tessaly Point, said the town depended on the flights. "
        "“When the plane does not come, the ferry is our only lifeline,” Fane said."
    )
    entries = draft_entries._claim_entries(claims, grammar._Vocabulary(c.sentence.text for c in claims), set())
    quote = next(e for e in entries if e["quotes"][0]["text"].startswith("“When"))
    assert [q["text"] for q in quote["quotes"]][1].startswith("Bertil Fane, the mayor of Tessaly Point")


def test_the_company_after_a_sentence_naming_it_is_about_that_company() -> None:
    claims = _claims_of(
        "Halvard Propulsion said in a statement that it was cooperating with investigators. "
        "The company said the fault appeared to be isolated but declined to say how many engines are in service."
    )
    entries = draft_entries._claim_entries(claims, grammar._Vocabulary(c.sentence.text for c in claims), set())
    company = next(e for e in entries if e["quotes"][0]["text"].startswith("The company"))
    assert "Halvard Propulsion" in company["about"] and "Halvard Propulsion" in company["keywords"]
    assert "widespread" in draft_entries._everyday_words(company["quotes"][0]["text"])


def test_who_said_asks_each_clause_of_the_quote_as_a_reader_reports_it() -> None:
    claims = _claims_of(
        "Jonas Elberg chairs the pilots’ union. "
        "“We are not saying anyone ignored a warning, but we want to see every one of those reports,” Elberg said."
    )
    asked = phrasing.claim_phrasings(claims[-1], grammar._Vocabulary(c.sentence.text for c in claims))
    assert "who said they want to see every one of those reports" in asked
    assert phrasing._reported("we want our money") == "they want their money"


def test_a_date_after_the_weekday_opener_and_where_a_thing_came_from_are_no_part_of_the_subject() -> None:
    svo = grammar.subject_verb_object(
        "On Friday, November 20, a Skerrow Air flight from Varnholt to the island town of Tessaly Point turned back."
    )
    assert svo is not None and svo[0] == "a Skerrow Air flight" and svo[1] == "turned"


def test_the_company_or_the_regional_airline_that_speaks_is_the_organisation_just_named() -> None:
    claims = _claims_of(
        "Skerrow Air has grounded nine of its aircraft, the regional airline said on Thursday, forcing it to cancel"
        " flights. Halvard Propulsion said in a statement that it was cooperating. The company said the fault"
        " appeared to be isolated."
    )
    assert [c.attribution for c in claims] == [
        "Skerrow Air, as reported",
        "Halvard Propulsion, as reported",
        "Halvard Propulsion, as reported",
    ]
    (shipping,) = _claims_of("Shipping industry sources said at least two carriers had begun diverting vessels.")
    assert shipping.attribution.startswith("shipping industry sources")


def test_a_condition_or_an_adjective_is_no_statement_to_ask_back() -> None:
    assert grammar._invert("passengers on cancelled flights can rebook free of charge") == (
        "can",
        "passengers on cancelled flights rebook free of charge",
    )
    claims = _claims_of("“When the plane does not come, the ferry is our only lifeline,” Bertil Fane said.")
    asked = phrasing.claim_phrasings(claims[0], grammar._Vocabulary([claims[0].sentence.text]))
    assert not [p for p in asked if "does when" in p] and "is the ferry our only lifeline" in asked


def test_how_many_asks_the_verb_a_counted_thing_is_the_object_of_in_passing() -> None:
    text = "Skerrow Air has grounded nine of its aircraft, the airline said, forcing it to cancel about 140 flights."
    svo = grammar.subject_verb_object(text)
    assert "how many flights will Skerrow Air cancel" in phrasing._count_questions(text, "flights", svo)


def test_a_topic_ends_at_a_present_verb_after_a_plural_noun() -> None:
    assert (
        grammar._topic("The cancellations fall hardest on the northern islands.", speech=False) == "the cancellations"
    )


def test_a_phrasing_cut_short_never_ends_on_a_function_word() -> None:
    assert grammar._words("the authority said its final report could take up to a year", 9) == (
        "the authority said its final report could take"
    )
    assert grammar._words("trains will run again", 14) == "trains will run again"


def test_the_topic_of_words_credited_after_them_is_in_those_words() -> None:
    text = (
        "Skerrow Air has grounded nine of its 22 aircraft, the regional airline said, forcing it to cancel 140 flights."
    )
    assert grammar._topic(text, "Skerrow Air") == "its 22 aircraft"


def test_no_wrong_sense_synonyms_for_claim_decision_report_and_no_everyday_put_or_response() -> None:
    """A refund claimed is no allegation, a hard decision no verdict, a request to report back no
    study; 'put' and 'response' are too common to pull everyday questions onto one entry."""
    everyday = draft.synonyms_for(
        [
            "Passengers can rebook free of charge or claim a full refund.",
            "“It was not a difficult decision,” the chief executive said in a statement.",
            "The ministry asked the authority to report back on the repairs. The airline estimated the cost.",
        ],
        "Planes grounded",
    )
    assert "claim" not in everyday and "decision" not in everyday and "report" not in everyday
    assert "put" not in everyday["estimated"] and "response" not in everyday.get("statement", [])
    senses = draft.synonyms_for(
        [
            "The company denied the claim that it had cut corners.",
            "The commission's decision can be appealed in court.",
            "The inspectors' final report on the crash is due in May.",
        ],
        "A title",
    )
    assert "allegation" in senses["claim"] and "ruling" in senses["decision"] and "study" in senses["report"]


def test_an_honorific_is_a_title_never_a_role() -> None:
    """'Dr', 'Prof', 'Mr', 'Ms', 'Mrs' say how a person is addressed, not what they do: no "X is the Dr"."""
    people = draft.find_people(
        page.sentences(
            [
                "Dr Petra Ansell, an aviation safety researcher at the Varnholt Institute, said failures were rare.",
                "Prof Aldo Brekke said the findings were clear. Ms Ines Varga declined to comment.",
                "Health Minister Dr Lena Holm said the review would continue.",
            ]
        )
    )
    assert people["Petra Ansell"].roles == ["an aviation safety researcher at the Varnholt Institute"]
    assert people["Aldo Brekke"].kind == "person" and not people["Aldo Brekke"].roles
    assert not people["Ines Varga"].roles
    assert people["Lena Holm"].roles == ["Health Minister"]


@pytest.mark.parametrize(
    "nobody_types",
    [
        "is it true that built by Halvard Propulsion",
        "is it true that fell 6.3 percent on the stock exchange on Thursday",
        "is it true that even if it is an expensive one",
        "is it true that a process she expected to take at least ten days",
        "did according to a preliminary notice the authority publish on Wednesday",
        "when did according to a report prepare",
        "did our crews exactly what they were trained to do",
        "how many several times",
        "who said had asked the aviation authority to report back on its findings",
        "what have the airline’s pilots also",
        "did the service usually have two crews covering the valley overnight and had not",
        "did we tell them in October that bits of the bridge were ending",
        "when were we told to be patient",
        "is it true that how much it would cost to terminate the agreement early",
        "will we not put a single passenger on that bridge",
    ],
)
def test_a_phrasing_with_no_subject_or_no_verb_is_dropped(nobody_types: str) -> None:
    """A question opens on a subject and has a verb: not on a verb, adverb or participle."""
    assert phrasing._MALFORMED.search(nobody_types)


@pytest.mark.parametrize(
    "typed",
    [
        "is it true that the mothers we have to plan for are the ones who run into trouble",
        "is it true that the airline grounded nine planes",
        "did the company say passengers would receive a 25 percent refund",
        "did the crew spot the problem early",
        "how many flights were cancelled",
        "who said the government would not step in",
        "who said they are not saying anyone ignored a warning",
        "did Vetch say we told them in October",
        "who said we want to see every one of those reports",
    ],
)
def test_a_phrasing_that_parses_as_a_question_is_kept(typed: str) -> None:
    assert not phrasing._MALFORMED.search(typed)


def test_a_name_note_asks_in_whole_questions_not_a_bag_of_the_words_after_the_noun() -> None:
    """'which operator cover busiest', 'who are the hotel capital harlow': nobody types those."""
    claims = _claims_of(
        "The airline is leasing three jets from a charter operator to cover its busiest routes.",
        "Four picketers tried to stop a truck, police said.",
    )
    notes = {n["question"]: n["phrasings"] for n in draft_notes._note_entries(claims, set())}
    operator = notes["What is the name of the charter operator?"]
    assert "which operator" in operator and "name of the operator" in operator and "which operator is it" in operator
    assert not any("busiest" in p or "cover" in p for p in operator)
    picketers = notes["What are the names of the four picketers?"]
    assert "who are the picketers" in picketers and "which picketers tried stop" not in picketers


def test_the_medium_words_are_said_in_are_no_topic() -> None:
    """'said in a statement that…', 'said in a radio interview on Monday that…': readers ask about what
    was said, not about the statement."""
    assert (
        grammar._topic(
            "Health Minister Pieter Oduya said in a radio interview on Monday that the decision belonged to the board.",
            "Pieter Oduya",
        )
        == "the decision"
    )
    topic = grammar._topic(
        "Halvard Propulsion said in a statement that it was “cooperating fully” with investigators.",
        "Halvard Propulsion",
    )
    assert topic and "statement" not in topic


def test_a_model_number_is_no_count_and_an_amount_it_costs_is_how_much() -> None:
    """'Merlin 70s “several times”' counts nothing ("how many several times"); 'would cost it about 4.5
    million dalers' is an amount in a currency the word lists do not know ("how many dalers")."""
    assert grammar._counted("Pilots had reported vibration on Merlin 70s several times since the summer.") == []
    amounts = grammar._counted("The grounding would cost it about 4.5 million dalers in lost revenue.")
    assert amounts and all(how == "how much" for how, _ in amounts)
    assert ("how many", "flights") in grammar._counted("The airline cancelled 140 flights.")
    assert phrasing._MALFORMED.search("how much could a full repair cost between")


def test_a_role_of_a_place_is_asked_without_the() -> None:
    """'who is the mayor of Tessaly Point', never '… of the Tessaly Point'; an organisation keeps it."""
    place = draft_entries._role_questions("the mayor of Tessaly Point")
    assert "who is the mayor of Tessaly Point" in place and "who is the mayor of the Tessaly Point" not in place
    org = draft_entries._role_questions("an economist at the University of Harlow")
    assert "who is the economist of the University of Harlow" in org


def test_no_phrasing_ends_on_an_empty_topic_and_a_refusal_is_asked_as_one() -> None:
    """'what happened with', 'what did the council say about': a sentence with no topic gets none of
    those; one where someone declines to say asks what they would not say."""
    claims = _claims_of("The council declined to say how much it would cost to terminate the agreement early.")
    vocab = grammar._Vocabulary(c.sentence.text for c in claims)
    for claim in claims:
        asked = draft.claim_phrasings(claim, vocab)
        assert not any(re.search(r"\b(?:with|about)$", p.strip()) for p in asked), asked
    asked = draft.claim_phrasings(claims[0], vocab)
    assert "what did the council decline to say" in asked and "what did the council refuse to say" in asked


def test_bodies_and_places_are_not_read_as_people() -> None:
    """'The Mineral Resources Regulator' (nobody's name opens with 'The'), 'Westmark Aggregates, which runs
    the quarry' ('which' is said of things) and 'residents of Low Moor said' (a place after 'of', 'at')
    are no people; a role-only 'the regulator said' still drafts."""
    paragraphs = [
        "The Mineral Resources Regulator has approved a plan to expand the quarry at Low Moor, the regulator said.",
        "Residents of Low Moor said the blasting had cracked walls. Westmark Aggregates, which runs the quarry, "
        "said it would start work in June.",
        "“We have been ignored,” said Anna Kell, who lives nearby.",
    ]
    people = draft.find_people(page.sentences(paragraphs))
    assert people["Mineral Resources Regulator"].kind == "org"
    assert people["Westmark Aggregates"].kind == "org"
    assert people["Westmark Aggregates"].roles == ["which runs the quarry"]
    assert "Low Moor" not in people or people["Low Moor"].kind != "person"
    assert people["Anna Kell"].kind == "person"
    speakers = [c.speaker for c in _claims_of(*paragraphs)]  # "the regulator said" drafts ("The" was a role)
    assert speakers[2] == "Westmark Aggregates"  # not "Westmark Aggregates, which runs the quarry"


def test_a_saints_name_a_name_after_the_and_a_quotes_first_word_are_no_people() -> None:
    """'St Edra’s Hospital' and 'St Edra’s delivered…' name a hospital; 'the Keep St Edra’s Births campaign'
    and '“…. In January, on the valley road…”' name nobody; 'Maren Dahle, a mother of two' still does."""
    people = draft.find_people(
        page.sentences(
            [
                "The trust will stop births at St Edra's Hospital. St Edra's delivered 1,180 babies last year.",
                "“It is forty minutes. In January, on the valley road, it can be an hour,” said Maren Dahle, "
                "a mother of two who founded the Keep St Edra’s Births campaign. St Edra’s will stay open.",
            ]
        )
    )
    assert "St Edra" not in people and "In January" not in people and "Keep St Edra" not in people
    assert people["Maren Dahle"].kind == "person" and people["Maren Dahle"].roles == ["a mother of two"]


def test_an_unnamed_sources_own_number_is_no_count_of_the_sentence() -> None:
    """'Two people familiar with the planning said board members had discussed…': the two are the
    sources, not something the sentence counts, so it is not asked 'how many people' and lacks how_many
    ('how many board members were there?' is not in the article); a count in what they said still counts."""
    sources, counted = _claims_of(
        "Two people familiar with the trust’s planning said board members had discussed closing the unit.",
        "Two officials said the airline would cancel 140 flights.",
    )
    assert sources.unnamed and "how_many" in draft_entries._lacks(sources)
    vocab = grammar._Vocabulary(c.sentence.text for c in (sources, counted))
    assert not any(p.startswith("how many") for p in draft.claim_phrasings(sources, vocab))
    assert "how_many" not in draft_entries._lacks(counted)
    assert any(p.startswith("how many flights") for p in draft.claim_phrasings(counted, vocab))


def test_a_topic_most_sentences_share_is_not_asked_what_happened_and_a_fraction_is_a_share() -> None:
    """'what happened with St Edra's' on one of many sentences about the hospital reaches it from any
    question naming the hospital; 'roughly a third of them' (of 1,180 babies) is asked 'what share of babies'."""
    claims = _claims_of(
        "St Edra's delivered 1,180 babies last year, roughly a third of them at night. St Edra's has 31 midwives.",
        "St Edra's will stay open by day. The trust will pay for taxis.",
    )
    vocab = grammar._Vocabulary(c.sentence.text for c in claims)
    asked = draft.claim_phrasings(claims[0], vocab)
    assert "what happened with St Edra's" not in asked
    assert "what share of babies" in asked and "what proportion of babies" in asked


def test_in_the_capital_is_a_where_and_has_n_things_is_asked_how_many_they_have() -> None:
    """'Speaking to reporters in the capital, …' says where ('in the town', 'in the region' too); 'The unit
    is supposed to have 46 full-time midwives' is asked 'how many midwives does the unit have'."""
    capital, town, has = _claims_of(
        "Speaking to reporters in the capital, Health Minister Ingrid Falk said the ministry trusted the board.",
        "Shops in the town closed early on Friday.",
        "The unit is supposed to have 46 full-time midwives but currently has 31.",
    )
    assert "where" not in draft_entries._lacks(capital) and "where" not in draft_entries._lacks(town)
    vocab = grammar._Vocabulary(c.sentence.text for c in (capital, town, has))
    asked = draft.claim_phrasings(has, vocab)
    assert "how many midwives does the unit have" in asked and "how many full-time midwives does the unit have" in asked


def test_a_persons_details_note_asks_for_their_childrens_names() -> None:
    """'a mother of two' says she has children, never their names: 'What are the names of Maren Dahle's
    children?' is the personal-details note's, not the who-is entry's."""
    people = draft.find_people(page.sentences(["“It can take an hour,” said Maren Dahle, a mother of two."]))
    notes = [e for e in draft_entries._who_entries(people, set()) if e.get("kind") == "not_covered"]
    assert any("what are the names of Dahle's children" in n["phrasings"] for n in notes)


def test_fell_short_gets_no_dropped_and_work_is_nobodys_jobs() -> None:
    """'fell short of the target' is no fall ('dropped', 'slumped' only for 'fell 6.3 percent', 'fell
    sharply'); 'work' is an everyday verb ('where does her husband work'), never read as 'jobs'."""
    short = draft.synonyms_for(["Sales fell short of the target. The plant has 300 jobs."], "A Title")
    assert "fell" not in short and "work" not in short.get("jobs", [])
    assert "employment" in short["jobs"]
    fall = draft.synonyms_for(["Shares in the company fell 6.3 percent on Thursday."], "A Title")
    assert "slumped" in fall["fell"]


def test_a_name_the_article_gives_elsewhere_gets_no_not_named_note() -> None:
    """'a contractor' in one paragraph, 'The contractor, Bramwell Ltd,' in another; 'the harbour master’s
    office' and 'Harbour Master Ines Duarte': the article names them, so no 'not in the article' note
    says it does not. A contractor nobody names still gets one."""
    named = _claims_of(
        "The council hired a contractor to repair the bridge. Ships waited, according to the harbour master’s office.",
        "The contractor, Bramwell Ltd, said work would start in May.",
        "Harbour Master Ines Duarte said the port was open.",
    )
    people = draft.find_people([c.sentence for c in named])
    assert not draft_notes._note_entries(named, set())
    assert not draft_notes._unnamed_role_notes(named, people, set())
    unnamed = _claims_of(
        "The council hired a contractor to repair the bridge. Ships waited, according to the harbour master’s office."
    )
    assert [n["question"] for n in draft_notes._note_entries(unnamed, set())] == ["What is the name of the contractor?"]
    assert draft_notes._unnamed_role_notes(unnamed, draft.find_people([c.sentence for c in unnamed]), set())


def test_a_topic_is_a_thing_not_an_adverb_and_its_verb_nor_a_subordinator() -> None:
    """'What did Norvane Regional Rail say about directly address?' -> '…about that claim?'; 'though neither
    company' -> 'neither company'."""
    assert (
        grammar._topic(
            "Norvane Regional Rail did not directly address that claim, saying in a statement only that it "
            "“follows all national inspection standards.”",
            "Norvane Regional Rail",
        )
        == "that claim"
    )
    assert (
        grammar._topic(
            "Shipping industry sources said at least two carriers had begun diverting vessels to Ostmere, though "
            "neither company has confirmed it.",
            "Shipping industry sources",
        )
        == "neither company"
    )


def test_two_things_said_with_and_that_are_asked_apart() -> None:
    """'said 11 midwives had left … and that starting pay … was 14 percent lower': no 'had 11 midwives left
    St Edra’s in the past two years and that starting pay', no 'how much had 11 midwives left…'."""
    claims = _claims_of(
        "Eirik Halvorsen, the regional representative of the midwives’ association, said 11 midwives had left "
        "St Edra’s in the past two years and that starting pay for midwives was about 14 percent lower than "
        "in the neighbouring region."
    )
    asked = draft.claim_phrasings(claims[0], grammar._Vocabulary(c.sentence.text for c in claims))
    assert "had 11 midwives left St Edra’s in the past two years" in asked
    assert not any("and that" in p or p.startswith("how much had") for p in asked)


def test_a_name_with_an_age_is_a_person_who_speaks_and_a_short_form_of_a_hospital_is_none() -> None:
    """'Sofie Lindqvist, 29, who is expecting…, told reporters…' names a person (her age says so), so
    the '“…,” she said' after it is hers, not the woman named before her; her entry says how old she is
    and a note says the article never names her children; 'Brannock General will add six beds' after
    'Brannock General Hospital' is the hospital, no person ('General' is also a title)."""
    paragraphs = [
        "Women will go to Brannock General Hospital instead. “It can take an hour,” said Maren Dahle, a mother "
        "of two. Brannock General will add six beds.",
        "Sofie Lindqvist, 29, who is expecting her second child in early January, told reporters that she had "
        "planned to give birth at St Edra’s, where her first son was born. “I should ring for a taxi,” she said.",
    ]
    sentences = page.sentences(paragraphs)
    people = draft.find_people(sentences)
    assert "Brannock General" not in people
    assert people["Sofie Lindqvist"].kind == "person" and people["Sofie Lindqvist"].age == "29"
    claims = draft.claims(sentences, people)
    assert claims[-1].speaker == "Sofie Lindqvist"
    entries = draft_entries._who_entries(people, set(), claims)
    (who,) = [e for e in entries if e["id"] == "sofie-lindqvist"]
    assert who["answer"].startswith("Sofie Lindqvist, 29, is expecting") and "how old is Lindqvist" in who["phrasings"]
    (children,) = [e for e in entries if e.get("kind") == "not_covered" and "Sofie Lindqvist" in e["about"]]
    assert "what is the name of Lindqvist's son" in children["phrasings"]
    assert not any("old" in p or "married" in p for p in children["phrasings"])  # the article gives her age
    vocab = grammar._Vocabulary(s.text for s in sentences)
    (beds,) = [e for e in draft_entries._claim_entries(claims, vocab, set(), people) if "beds" in e["answer"]]
    assert "Brannock General Hospital" in beds["keywords"]


def test_the_personal_details_note_never_asks_what_their_own_words_say() -> None:
    """'My husband works nights', in her own words: 'is Vik married' is no question the article leaves
    open; a person never said to be married is still asked it, and who pays for taxis is a 'who'."""
    sentences = page.sentences(
        [
            "“The road is long,” said Anna Vik, a campaigner. “My husband works nights at the quarry,” she said.",
            "“We will see,” said Petra Holm, a nurse. Under the plan, the trust will pay for taxis for women.",
        ]
    )
    people = draft.find_people(sentences)
    claims = draft.claims(sentences, people)
    notes = {e["about"][0]: e for e in draft_entries._who_entries(people, set(), claims) if e.get("kind")}
    assert "is Vik married" not in notes["Anna Vik"]["phrasings"]
    assert "is Holm married" in notes["Petra Holm"]["phrasings"]
    assert "who" not in draft_entries._lacks(claims[-1])


def test_a_when_or_why_question_leaves_out_the_answer_it_asks_for() -> None:
    """'Skerrow Air has grounded nine of its 22 aircraft after one of its planes lost power' is asked 'why
    has Skerrow Air grounded nine of its 22 aircraft' (the cause is the answer, not part of the question),
    and 'Norvane Rail suspended all services on Friday' 'when did Norvane Rail suspend all services'."""
    grounded, suspended = _claims_of(
        "Skerrow Air has grounded nine of its 22 aircraft after one of its planes lost power in an engine.",
        "Norvane Rail suspended all services between Kestrelford and Hollin Cross on Friday.",
    )
    vocab = grammar._Vocabulary(c.sentence.text for c in (grounded, suspended))
    asked = draft.claim_phrasings(grounded, vocab)
    assert "why has Skerrow Air grounded nine of its 22 aircraft" in asked
    assert not any(p.startswith("why") and "lost power" in p for p in asked)
    asked = draft.claim_phrasings(suspended, vocab)
    assert "when did Norvane Rail suspend all services between Kestrelford and Hollin Cross" in asked
    assert not any(p.startswith("when") and "Friday" in p for p in asked)


def test_a_not_counted_note_knows_the_places_it_names_the_things_with() -> None:
    """'He said agency midwives had covered about 40 percent of shifts at Tollbridge last year' never
    counts the midwives: the note 'How many midwives are there?' carries 'Tollbridge', so 'how many
    midwives work at Tollbridge?' is the note's, not the entry's about a share of shifts."""
    claims = _claims_of(
        "Hollis Varga said agency midwives had covered about 40 percent of shifts at Tollbridge last year.",
        "The trust runs the hospital in Kestridge.",
    )
    notes = {n["id"]: n for n in draft_notes._article_notes(claims, set())}
    assert notes["midwives"]["keywords"] == ["Tollbridge"]


def test_an_entry_whose_question_another_entry_asks_gets_a_question_of_its_own() -> None:
    """Two drafted entries asked "What did Marta Kovell say about this/the board?" (one per thing
    she said): `check` flags them as near-identical. The later one asks its first own phrasing."""
    from bot.draft.prune import _dedupe

    entries = [
        {"id": "no-choice", "question": "What did Marta Kovell say about this board?", "phrasings": ["who said it"]},
        {
            "id": "hosepipes",
            "question": "What did Marta Kovell say about the board?",
            "phrasings": ["had the board also banned the use of hosepipes", "who said hosepipes were banned"],
        },
    ]
    _dedupe(entries)
    assert entries[0]["question"] == "What did Marta Kovell say about this board?"
    assert entries[1]["question"] == "Had the board also banned the use of hosepipes?"
    assert entries[1]["phrasings"] == ["who said hosepipes were banned"]


def test_a_sentence_quoting_a_few_words_carries_the_speakers_quote_after_it() -> None:
    """'Jonas Elberg, who chairs the union, said pilots had reported vibration “several times”' is reported
    speech with two words quoted: the quote he goes on with ('“…we want to see every one of those reports,”
    he said') is shown under it too, as for plain reported speech, and says why."""
    claims = _claims_of(
        "Jonas Elberg, who chairs the Ostmarran Aviators’ Union, said pilots had reported vibration on the "
        "planes “several times” since the summer. “Each report was logged, but we want to see every one of "
        "those reports,” he said."
    )
    vocab = grammar._Vocabulary(c.sentence.text for c in claims)
    (entry, *_) = draft_entries._claim_entries(claims, vocab, set())
    assert [q["text"][:6] for q in entry["quotes"]] == ["Jonas ", "“Each "]
    assert "why" in entry["kinds"]


def test_a_where_question_leaves_out_the_place_and_no_question_opens_on_where() -> None:
    """'…she had planned to give birth at St Edra’s, where her first son was born' is asked 'where had she
    planned to give birth' (the place is the answer), and its clause 'where her first son was born' is never
    turned into 'was where her first son born'."""
    (claim,) = _claims_of(
        "Sofie Lindqvist, 29, told reporters outside the hospital that she had planned to give birth at "
        "St Edra’s, where her first son was born."
    )
    asked = draft.claim_phrasings(claim, grammar._Vocabulary([claim.sentence.text]))
    assert "where had she planned to give birth" in asked
    assert not any(p.startswith("where") and "St Edra" in p for p in asked)
    assert not any(re.match(r"(?:\w+ )?was where\b", p) for p in asked)


def test_a_span_of_time_or_length_answers_how_long_and_how_far() -> None:
    """'turned back 11 minutes after departure' answers 'how long after take-off…' and 'about 34 kilometres
    away' answers 'how far is it': the entry is asked 'how' and has the measure's word ('long', 'far'),
    which an article never writing it would otherwise make foreign; a sentence with no span gets neither."""
    claims = _claims_of(
        "The flight turned back 11 minutes after departure. "
        "Women will go instead to the hospital in Kellsport, about 34 kilometres away. "
        "The airline said passengers could rebook free of charge."
    )
    vocab = grammar._Vocabulary(c.sentence.text for c in claims)
    minutes, kilometres, rebook = draft_entries._claim_entries(claims, vocab, set())
    assert "how" in minutes["kinds"] and "long" in minutes["keywords"] and "far" not in minutes["keywords"]
    assert "how" in kilometres["kinds"] and "far" in kilometres["keywords"] and "long" not in kilometres["keywords"]
    assert "how" not in rebook.get("kinds", []) and not {"long", "far"} & set(rebook["keywords"])


def test_a_speaker_answering_others_is_asked_how_they_reacted() -> None:
    """'Union president Dara Quillan denied that, saying…' answers 'how did Quillan react?' and 'how did
    the union president respond?' (asked 'how'); a speaker only stating something is not asked so."""
    denied, stated = _claims_of(
        "Union president Dara Quillan denied that, saying no number had been agreed “in any room.” "
        "Simon Achterberg, the authority’s chief executive, said the cranes were needed to stay competitive."
    )
    vocab = grammar._Vocabulary([denied.sentence.text, stated.sentence.text])
    asked = draft.claim_phrasings(denied, vocab)
    assert {"how did Quillan react", "how did the union president respond"} <= set(asked)
    assert not any(p.startswith("how did") for p in draft.claim_phrasings(stated, vocab))


def test_a_subjects_aside_is_left_out_of_the_questions_asking_the_sentence_back() -> None:
    """'A strike by about 3,400 dockworkers at Port Alder, Caldria’s third-largest container port, entered
    its 11th day…' is asked back whole without the aside ('did a strike … at Port Alder enter its 11th day'),
    where the aside had left it no question at all; an aside that is the point ('automation, not wages,
    has become…') or a clause ('…, which runs both hospitals, announced…') stays."""
    (strike,) = _claims_of(
        "A strike by about 3,400 dockworkers at Port Alder, Caldria’s third-largest container port, entered "
        "its 11th day on Thursday after talks stopped short of a deal."
    )
    asked = draft.claim_phrasings(strike, grammar._Vocabulary([strike.sentence.text]))
    assert "did a strike by about 3,400 dockworkers at Port Alder enter its 11th day" in asked
    assert "when did a strike by about 3,400 dockworkers at Port Alder enter its 11th day" in asked
    assert phrasing._without_apposition("Automation, not wages, has become the main sticking point.").startswith(
        "Automation, not wages,"
    )
    runs = "The Health Trust, which runs both hospitals, announced the merger in November."
    assert phrasing._without_apposition(runs) == runs


def test_an_entry_left_with_too_few_phrasings_is_asked_by_its_key_words_not_dropped() -> None:
    """'The trust declined to comment on that figure.' loses 'who declined' and 'tell me about the trust' to
    entries before it: it is asked by its own key words (its id's) instead of dropped, so every sentence of
    the third page is some entry's quote ('The trust has promised that no permanent clinical jobs will be
    cut.' too, whose ambiguous question a phrasing replaces)."""
    entry = {
        "id": "trust-declined-comment-figure",
        "topic": "Paragraph 9",
        "question": "Did the trust decline to comment on that figure?",
        "phrasings": ["what did the trust do"],
    }
    draft_prune = importlib.import_module("bot.draft.prune")
    draft_prune._top_up(entry)
    assert entry["phrasings"] == [
        "what did the trust do",
        "trust declined comment figure",
        "declined comment figure",
        "trust declined comment",
    ]
    result = draft.draft(page.read_page(THIRD_PAGE.read_text(encoding="utf-8")))
    quoted = {q["text"] for e in result.data["entries"] for q in e["quotes"]}
    body = page.sentences(result.data["article"]["paragraphs"])
    assert [s.text for s in body if len(s.text.split()) >= 5 and s.text not in quoted] == []


def test_a_sentence_opening_on_a_pronoun_is_asked_with_whom_it_means() -> None:
    """'It is also starting a recruitment drive…' after '… the trust will pay for taxis…' is asked 'is the
    trust also starting a recruitment drive'; 'She declined to comment…' after Ingrid Falk's words 'did
    Falk decline to comment…'; an 'it' that stands for nothing ('It was not clear whether…') stays."""
    taxis, drive, falk, declined, unclear = _claims_of(
        "Under the plan, the trust will pay for taxis for women who have no car. It is also starting a "
        "recruitment drive that offers a bonus to midwives. Health Minister Ingrid Falk said the ministry had "
        "asked her to report every month. She declined to comment on whether the government would fund a pay "
        "rise. It was not clear whether the government would use its powers."
    )
    assert phrasing.pronoun_referent(drive.sentence.text, taxis) == "the trust"
    assert phrasing.pronoun_referent(declined.sentence.text, falk) == "Falk"
    assert phrasing.pronoun_referent(unclear.sentence.text, declined) == ""
    vocab = grammar._Vocabulary(c.sentence.text for c in (taxis, drive, falk, declined, unclear))
    entries = {
        e["question"]: e for e in draft_entries._claim_entries([taxis, drive, falk, declined, unclear], vocab, set())
    }
    asked = [p for e in entries.values() for p in e["phrasings"]]
    assert "is the trust also starting a recruitment drive" in asked
    assert any(p.startswith("did Falk decline to comment") for p in asked)
    assert not any(p.startswith(("is it also", "did she decline")) for p in asked)


def test_a_subjects_relative_aside_is_asked_apart_from_the_sentence() -> None:
    """'Freight services, which carry timber from sawmills…, have also been halted' is asked back without
    its aside ('have Freight services also been halted'), where it had only 'tell me about freight
    services', and the aside about its subject ('what do freight services carry'); 'which takes 41 minutes
    by train' asks 'how long does a trip … take'; 'which carries the line 40 metres above…' no 'how far'."""
    (freight,) = _claims_of(
        "Freight services, which carry timber from sawmills in the upper valley, have also been halted, "
        "according to the operator."
    )
    asked = draft.claim_phrasings(freight, grammar._Vocabulary([freight.sentence.text]))
    assert "have Freight services also been halted" in asked
    assert "what do freight services carry" in asked
    (trip,) = _claims_of(
        "A trip from Hollin Cross to Kestrelford, which takes 41 minutes by train, is expected to take about an "
        "hour and a quarter by road because the buses must detour over the Marl Hill pass."
    )
    asked = draft.claim_phrasings(trip, grammar._Vocabulary([trip.sentence.text]))
    assert "how long does a trip from Hollin Cross to Kestrelford take" in asked
    (viaduct,) = _claims_of("The viaduct, which carries the line 40 metres above the River Brenn, opened in 1894.")
    asked = draft.claim_phrasings(viaduct, grammar._Vocabulary([viaduct.sentence.text]))
    assert "what does the viaduct carry" in asked and "when did the viaduct open" in asked
    assert not [p for p in asked if p.startswith("how far")]
    assert phrasing._present_base("carries") == "carry" and phrasing._present_base("was") is None


def test_a_viaduct_is_a_bridge_to_readers() -> None:
    """Readers call a viaduct the bridge: a synonym where the article never writes 'bridge', and the
    sentence's keyword where it does elsewhere ('How old is the bridge?' of the 132-year-old viaduct)."""
    assert "bridge" in draft.synonyms_for(["The viaduct opened in 1894."], "A Title")["viaduct"]
    words = draft_entries._everyday_words("The viaduct opened in 1894.")
    assert "bridge" in words


def test_a_sentence_whose_topic_names_no_thing_is_asked_back_as_its_question() -> None:
    """'What happened with eight midwives from St Edra’s?' asks of a count, 'What happened with declined
    comment?' of nothing: the entry's question is the sentence asked back, shortest whole ('Will eight
    midwives from St Edra’s move to night shifts in Kellsport?'); a thing ('the review') keeps
    'What happened with…', and so does a topic no asked-back phrasing holds."""
    eight, review = _claims_of(
        "Eight midwives from St Edra’s will move to night shifts in Kellsport.",
        "The review is due to be finished by the end of September.",
    )
    vocab = grammar._Vocabulary(c.sentence.text for c in (eight, review))
    question = draft.claim_question(eight, draft.claim_phrasings(eight, vocab))
    assert question == "Will eight midwives from St Edra’s move to night shifts in Kellsport?"
    assert draft.claim_question(review, draft.claim_phrasings(review, vocab)) == "What happened with the review?"
    assert draft.claim_question(eight) == "What happened with eight midwives from St Edra’s?"
    assert not phrasing._names_a_thing("forty minutes") and phrasing._names_a_thing("the review")
    assert not phrasing._names_a_thing("working closely") and phrasing._names_a_thing("Norvane Regional Rail")


def test_a_quotes_said_brings_no_everyday_keywords_but_stays_a_synonym() -> None:
    """'stated', 'claimed' on every sentence that says 'said' tell no entry apart: no keywords
    (english.json synonym_only); a reader's 'stated' is still rewritten into 'said' by the synonyms."""
    words = draft_entries._everyday_words("The mayor said the pier would reopen in May.")
    assert not {"stated", "claimed"} & set(words)
    assert "stated" in draft.synonyms_for(["The mayor said the pier would reopen in May."], "A Title")["said"]


def test_an_entry_is_asked_by_the_words_of_its_question_kinds(drafted: Drafted) -> None:
    """A sentence's entry has the words readers ask its kinds with (english.json kind_keywords): a why
    the 'reason', a time span 'longer' and 'time' ("how much longer does the trip take"), a where the
    'place'; never the words of a kind the entry lacks."""
    data, _, _ = drafted(TUNING_PAGES[0])
    by_id = {e["id"]: e for e in data["entries"]}
    trip = next(e for e in data["entries"] if any("41 minutes by train" in q["text"] for q in e["quotes"]))
    assert {"longer", "time", "reason"} <= set(trip["keywords"])
    for entry in by_id.values():
        kinds, words = set(entry.get("kinds", ())), set(entry.get("keywords", ()))
        if "why" in entry.get("lacks", ()) and "why" not in kinds:
            assert "reason" not in words, entry["id"]
        if "where" in entry.get("lacks", ()) and "where" not in kinds:
            assert "place" not in words, entry["id"]


def test_an_organisation_is_asked_by_what_readers_call_it(drafted: Drafted) -> None:
    """A sentence naming an organisation has, as keywords, what readers call it by the word its name
    ends on (english.json org_nouns): "Skerrow Air" the airline, "Norrlake Holdings" the parent
    company; a name ending on no such word brings none."""
    assert "airline" in draft_entries.org_nouns("Skerrow Air")
    assert draft_entries.org_nouns("Tessaly Point") == ()
    data, _, _ = drafted(TUNING_PAGES[1])
    shares = next(e for e in data["entries"] if any("Norrlake Holdings, fell" in q["text"] for q in e["quotes"]))
    assert {"parent company", "airline", "carrier"} <= set(shares["keywords"])


def test_a_sentence_about_passengers_or_workers_is_asked_about_people() -> None:
    """Readers say 'people' for the passengers, workers, staff, residents, picketers or pupils a
    sentence names (thesaurus): 'how many ppl were on the plane' reaches '… carrying 58 passengers…'."""
    assert "people" in draft_entries._everyday_words("The plane, carrying 58 passengers and four crew, landed.")
    assert "people" in draft_entries._everyday_words("About 60 picketers tried to stop a convoy of trucks.")
    assert "people" not in draft_entries._everyday_words("The viaduct opened in 1894.")


def test_a_datelined_page_has_an_entry_saying_where_it_was_filed(drafted: Drafted) -> None:
    """'PORT ALDER, Caldria — A strike…': the draft says where the article is datelined, quoting the
    lead verbatim, and is asked which country the story is in; a lead with no dateline gives none."""
    data, _, _ = drafted(PORT_ALDER_PAGE)
    entry = next(e for e in data["entries"] if e["id"] == "dateline")
    assert entry["answer"] == "The article is datelined PORT ALDER, Caldria."
    assert entry["quotes"][0]["text"].startswith("PORT ALDER, Caldria — ")
    assert "what country is this in" in entry["phrasings"]
    lead = page.Sentence("A strike entered its 11th day on Thursday at the port.", 1, 0)
    undated = draft_entries._article_entries(page.Page(), "T", "News", "May 1, 2026", lead)
    assert "dateline" not in {e["id"] for e in undated}


def test_everyday_words_for_reported_national_and_left() -> None:
    """Readers ask whether people complained about what the article says they reported, about the
    country for 'national', and who quit for 'had left' (thesaurus; 'left' only in its sense of leaving)."""
    assert "complained" in draft_entries._everyday_words("Members had reported loose stones falling from it.")
    assert "country" in draft_entries._everyday_words("The stoppage was costing the national economy a lot.")
    assert "quit" in draft_entries._everyday_words("He said 11 midwives had left St Edra’s in two years.")
    assert "quit" not in draft_entries._everyday_words("Turn left at the station to reach the pier.")


def test_a_role_naming_its_organisation_by_a_common_noun_names_it(drafted: Drafted) -> None:
    """'Tomas Berg, a spokesperson for the service': his who-is answer names the one organisation the
    article names whose name ends on that noun, so 'the ambulance service spokesperson' is his."""
    data, _, _ = drafted(TUNING_PAGES[2])
    berg = next(e for e in data["entries"] if e["id"] == "tomas-berg")
    assert berg["answer"].endswith("The service is the Westerlund Ambulance Service.")
    falk = next(e for e in data["entries"] if e["id"] == "ingrid-falk")
    assert falk["answer"] == "Ingrid Falk is the Health Minister."  # no noun of an organisation in her role


def test_a_time_span_answers_how_much_longer(drafted: Drafted) -> None:
    """'…, which takes 41 minutes by train, is expected to take about an hour and a quarter by road':
    a sentence giving a span of time does not lack 'how much' ("how much longer does the trip take?",
    "how much time…"); a sentence with no number and no span still does."""
    data, _, _ = drafted(TUNING_PAGES[0])
    trip = next(e for e in data["entries"] if any("41 minutes by train" in q["text"] for q in e["quotes"]))
    assert "how_many" not in trip["lacks"]
    report = next(e for e in data["entries"] if any(q["text"].startswith("Its report, seen") for q in e["quotes"]))
    assert "how_many" in report["lacks"]


def test_everyday_words_for_sources_secrets_needs_and_pregnancy() -> None:
    """Readers' words for news English (thesaurus): 'people familiar with the talks' are insiders or
    sources, 'privately' is in secret, 'needed' necessary, 'rivals' competing, 'injuries' injured, and
    'expecting her second child' pregnant ('expecting' in that sense only)."""
    words = draft_entries._everyday_words
    assert {"insiders", "sources"} <= set(words("Two people familiar with the talks said the union would accept."))
    assert "secret" in words("Union negotiators had privately signalled they could accept a raise.")
    assert "necessary" in words("He said the cranes were needed to keep the port open.")
    assert "injured" in words("Two picketers were treated for minor injuries.")
    assert "pregnant" in words("Sofie Lindqvist, 29, who is expecting her second child, said so.")
    assert "pregnant" not in words("The union is expecting a better offer on Friday.")
