"""Text analysis (bot/text.py): pure functions, the language as data."""

from __future__ import annotations

import dataclasses

import pytest

from bot.text import (
    CLOCK,
    DAY,
    ENGLISH,
    NAME,
    NUMBER,
    SPAN,
    TIME,
    age_marks,
    answer_demand,
    asked_focus,
    asking_clauses,
    asks_age,
    asks_others,
    chat_to_words,
    content_words,
    count_marks,
    normalize,
    prepare,
    question_kind,
    said_asked,
    speaker_asked,
    split_questions,
    written_as_names,
)


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("who fired the rockets", "who"),
        ("how many soldiers died", "how_many"),
        ("how much did it cost", "how_many"),
        ("how did hamas react", "how"),
        ("so when do the talks resume", "when"),
        ("did any soldiers die", "yes_no"),  # an auxiliary opens it and no question word follows
        # "which"/"what" are read by the noun they ask about (rule head_nouns)
        ("which two us officials said it", "who"),
        ("what the name of the official", "who"),  # "what's" normalised
        ("what was the name of the hotel", "who"),
        ("what time do the talks start", "when"),
        ("which city is it in", "where"),
        ("what percentage did they offer", "how_many"),
        ("what did the minister say", None),  # a verb, not a noun: "what" of no kind
        ("what will the hamas leaders do", None),  # an auxiliary ends the search for the noun
        ("which demands did israel soften", "what"),  # a detail (rule which_detail)
        ("which of them said it", None),
        ("what is the reason why they left", "why"),  # a later question word still counts
        # ...but not inside "what did X do/say…": it opens the clause the question is about
        ("what did the doctor say about why it is unsafe", None),
        ("what word did the official use to describe where things stand", None),
        ("what can't management guarantee about how the port will look", None),
        ("did the israeli airstrikes on the launch sites kill anyone", "yes_no"),
        ("so and did israel strike back", "yes_no"),  # lead words before the auxiliary
        ("didn't hamas leave", "yes_no"),
        ("did hamas say why they left", "why"),  # a question word after the auxiliary asks its kind
        ("was anyone hurt when hamas fired the rockets", "when"),
        ("hamas left cairo", None),  # no auxiliary opens it: no kind
        ("should israel accept the deal", "opinion"),
        ("do you think hamas will return", "opinion"),
        ("is it fair to blame hamas", "opinion"),
        ("was netanyahu right to reject it", "opinion"),
        ("in your opinion who won", "opinion"),
        ("when should they return", "when"),  # "should" after a question word is no judgement asked
    ],
)
def test_question_kind(question: str, kind: str | None) -> None:
    assert question_kind(question) == kind


def test_chat_spellings_are_written_out() -> None:
    assert chat_to_words("wat did ppl say b4 the govt vote") == "what did people say before the government vote"
    assert chat_to_words("wat", dataclasses.replace(ENGLISH, chat_forms={})) == "wat"


def test_chat_phrases_are_written_out() -> None:
    """ "happen a lot" is "happen often"; "a lot of rockets" and "thanks a lot" keep their "a lot"."""
    assert chat_to_words("does that happen a lot") == "does that happen often"
    assert chat_to_words("did they fire a lot of rockets") == "did they fire a lot of rockets"
    assert chat_to_words("thanks a lot") == "thanks a lot"


def test_without_head_nouns_which_and_what_ask_no_kind() -> None:
    plain = dataclasses.replace(ENGLISH, head_kinds={}, name_words=frozenset())
    assert question_kind("which two us officials said it", plain) == "what"  # still a detail
    plain = dataclasses.replace(plain, detail_words=frozenset())
    assert question_kind("which two us officials said it", plain) is None
    assert question_kind("what was the name of the hotel", plain) is None
    assert answer_demand("what was the name of the hotel", plain) is None


@pytest.mark.parametrize(
    ("question", "speaker"),
    [
        ("what did bill burns say after the meeting", {"bill", "burns"}),
        ("what has israel said", {"israel"}),
        ("what did the qatari prime minister tell them", {"qatari", "prime", "minister"}),
        ("what did they say", set()),  # nobody named
        ("what does the article say about rafah", set()),  # the article's own words
        ("who is the minister mentioned in the story", set()),  # asks who, not for their words
        ("how did netanyahu respond", set()),  # a response may be an act
    ],
)
def test_speaker_asked(question: str, speaker: set[str]) -> None:
    assert speaker_asked(question) == speaker


@pytest.mark.parametrize(
    ("question", "demand"),
    [
        ("how many soldiers died", NUMBER),
        ("how old is he", NUMBER),
        ("when did she retire", TIME),
        ("what day does it reopen", DAY),  # a day: a weekday, a date, "today"
        ("what time do the talks start on friday", CLOCK),  # a time of day: "Friday" does not give it
        ("what time frame is israel open to", None),  # a compound: a span, not a time of day
        ("at what hour did it happen", CLOCK),
        ("what was the official's name", NAME),
        ("who was the israeli official that called it a crisis", NAME),
        ("which two us officials said it", NAME),
        ("who is bill burns", None),  # asks about a name already given
        ("who fired the rockets", None),  # "Hamas" or "the union" answer it: no name needed
        ("why did they leave", None),
        ("how did hamas react", None),
        ("how long has the strike lasted", SPAN),  # a length of time: "on Thursday" does not give it
        ("how long is the drive between the hospitals", SPAN),
    ],
)
def test_answer_demand(question: str, demand: str | None) -> None:
    assert answer_demand(question) == demand


@pytest.mark.parametrize(
    ("question", "focus", "which"),
    [
        ("what the name of the hotel in harlow where the mediator met them", ("hotel",), False),
        ("which two shipping companies started diverting ships", ("shipping", "companies"), True),
        ("which routes will the three leased jets fly", ("routes",), True),
        ("who was the israeli official who called it a crisis", ("israeli", "official"), False),
        ("who were the two us officials", ("us", "officials"), False),  # counted: whose identities
        ("who are the strikers", (), False),  # a group may be answered by what it is
        ("who is running the union", (), False),  # no determiner: no noun asked about
        ("which day did they leave", (), False),  # a time: answer_demand's
        ("which percentage did they offer", (), False),  # a number: answer_demand's
        ("which of them said it", (), False),
        ("what did the minister say", (), False),
        ("why did they leave", (), False),
    ],
)
def test_asked_focus(question: str, focus: tuple[str, ...], which: bool) -> None:
    """The thing a question asks the identity of (rule unnamed), the noun last."""
    assert asked_focus(question) == (focus, which)


def test_only_the_clauses_that_ask_stand_in_for_a_long_message() -> None:
    message = "I read that the talks in Cairo stalled, but who walked out? and the rockets, how many were fired"
    assert asking_clauses(message) == ["but who walked out", "how many were fired"]


@pytest.mark.parametrize(
    ("message", "questions"),
    [
        pytest.param(
            "Who is the mediator and when are the parties due back?",
            ["Who is the mediator", "when are the parties due back?"],
            id="and-when",
        ),
        pytest.param("who is bill burns and what is rafah?", ["who is bill burns", "what is rafah?"], id="and-what"),
        pytest.param(
            "who is bill burns and what about rafah?", ["who is bill burns", "what about rafah?"], id="and-what-about"
        ),
        pytest.param(
            "How many passengers were on board, and did the plane land safely?",
            ["How many passengers were on board", "did the plane land safely?"],
            id="comma-and-auxiliary",
        ),
        pytest.param(
            "who is bill burns and didn't he meet al thani?",
            ["who is bill burns", "didn't he meet al thani?"],
            id="and-negated-auxiliary",
        ),
        pytest.param(
            "What hours does the pause cover? And how far away is the hospital?",
            ["What hours does the pause cover", "how far away is the hospital?"],
            id="question-mark-then-more",
        ),
        pytest.param("Who is the mediator; when are they due back", ["Who is the mediator", "when are they due back"]),
        pytest.param("who is bill burns also who is al thani", ["who is bill burns", "who is al thani"], id="also"),
        pytest.param("so who is burns and, also, what's rafah?", ["so who is burns", "what's rafah?"], id="and-also"),
    ],
)
def test_a_message_asking_two_questions_splits_into_them(message: str, questions: list[str]) -> None:
    assert split_questions(message) == questions


@pytest.mark.parametrize(
    "message",
    [
        pytest.param("who are Hamas and Israel", id="and-a-name"),
        pytest.param("what did Burns and Al Thani agree?", id="and-a-name-then-verb"),
        pytest.param("what did the mayor and the labour minister each say?", id="and-the"),
        pytest.param("how many people were killed and were injured", id="auxiliary-without-a-subject"),
        pytest.param("where and when did it happen?", id="bare-question-word"),
        pytest.param("What is rafah? I heard it was bombed", id="an-aside-after-the-question"),
        pytest.param("who is burns? thanks", id="thanks-after-the-question"),
        pytest.param("is the merger off now, and since when?", id="since-is-no-question-word"),
        pytest.param("Who is Bill Burns?!", id="marks-at-the-end"),
    ],
)
def test_a_message_asking_one_question_does_not_split(message: str) -> None:
    assert len(split_questions(message)) < 2


def test_the_split_words_are_language_data() -> None:
    """Another language's joiners are another Language value: "plus" joins two questions in this one."""
    plus = dataclasses.replace(ENGLISH, question_joiners=("plus",))
    assert split_questions("who is burns plus what is rafah", plus) == ["who is burns", "what is rafah"]
    assert len(split_questions("who is burns and what is rafah", plus)) == 1
    assert len(split_questions("who is burns plus what is rafah")) == 1


def test_porter2_stems_meet_and_irregular_verbs_meet_their_base() -> None:
    assert content_words("negotiations negotiating") == ["negoti"]
    assert content_words("fired firing fire") == ["fire"]
    assert content_words("met meet meeting") == ["meet"]


def test_an_irregular_form_is_stemmed_as_its_base_is() -> None:
    """An irregular form meets its base's other forms ("left", "leaving", "leaves"): the base is stemmed too."""
    assert content_words("left leaving leaves leave") == ["leav"]
    assert content_words("chose choosing") == ["choos"]
    assert content_words("flew flying") == ["fli"]


def test_the_language_is_data() -> None:
    """Another language is another Language value: no code in the stages changes."""
    toy = dataclasses.replace(ENGLISH, name="toy", stopwords=ENGLISH.stopwords | {"rockets"}, irregular={})
    assert content_words("who fired the rockets", toy) == ["fire"]
    assert content_words("met", toy) == ["met"]
    assert content_words("who fired the rockets") == ["fire", "rocket"]


@pytest.mark.parametrize(
    ("raw", "prepared"),
    [
        ("@article_qa_bot who launched the rockets", "who launched the rockets"),
        ("hey bot, what are the Americans saying?", "what are the Americans saying?"),
        ("Hello there, who is Burns? thanks", "who is Burns?"),
        ("ok so... pls", ""),
        ("who is the bot?", "who is the bot?"),  # "bot" inside a question is content
        ("ｈｅｙ ｂｏｔ who", "who"),  # NFKC first, so fullwidth addressing goes too
    ],
)
def test_prepare_drops_addressing(raw: str, prepared: str) -> None:
    assert prepare(raw) == prepared


@pytest.mark.parametrize(
    ("raw", "prepared"),
    [
        ("even w/o a deal??", "even without a deal??"),
        ("talks W/ hamas", "talks with hamas"),
        ("w/hamas?", "with hamas?"),
        ("b/c of rafah", "because of rafah"),
        ("and/or 1/2", "and/or 1/2"),  # no chat form: the slash stays
    ],
)
def test_prepare_writes_out_slashed_chat_forms(raw: str, prepared: str) -> None:
    """Normalising splits "w/o" at the slash ("w o"): written out first."""
    assert prepare(raw) == prepared


def test_normalize_after_prepare_is_what_the_index_reads() -> None:
    assert (
        normalize(prepare("yo pls, WHO’S Netanyahu’s envoy?")) == "who netanyahu envoy"
    )  # possessives go, as in the index


def test_each_stopword_is_listed_once() -> None:
    from bot.text import _ENGLISH_STOPWORD_LIST

    repeated = sorted({w for w in _ENGLISH_STOPWORD_LIST if _ENGLISH_STOPWORD_LIST.count(w) > 1})
    assert repeated == []
    assert frozenset(_ENGLISH_STOPWORD_LIST) == ENGLISH.stopwords


@pytest.mark.parametrize(
    ("question", "content"),
    [
        pytest.param("Which parts keep going regardless of the inquiry?", ["part", "inquiri"], id="regardless"),
        pytest.param(
            "Where does Port Alder rank among the nation's ports?", ["port", "alder", "rank", "nation"], id="among"
        ),
        pytest.param("are ships going somewhere else?", ["ship", "els"], id="somewhere-but-else"),
        pytest.param("who else is involved besides israel", ["els", "involv", "besid", "israel"], id="besides"),
        pytest.param("has the crossing been closed since the attack", ["cross", "close", "sinc", "attack"], id="since"),
        pytest.param(
            "what promise regarding rafah did hamas want", ["promis", "rafah", "hama", "want"], id="regarding"
        ),
        # the forms of the light verbs already listed ("take", "give", "keep"): "taking", "giving", "kept"
        pytest.param("what attitude is hamas taking, are they giving up", ["attitud", "hama"], id="taking-giving"),
        pytest.param("has israel kept its promise", ["israel", "promis"], id="kept"),
        # a reader's words about the text or the bot itself, and sentence adverbs of emphasis
        pytest.param("who is the minister mentioned in the story", ["minist"], id="mentioned"),
        pytest.param("bot, what is the vague stuff hamas keeps mentioning", ["vagu", "hama"], id="bot-mentioning"),
        pytest.param("how are people in gaza doing per the article", ["peopl", "gaza"], id="per"),
        pytest.param("what specifically did they obviously want", ["want"], id="specifically-obviously"),
    ],
)
def test_prepositions_and_sentence_adverbs_are_no_content(question: str, content: list[str]) -> None:
    """A reader's own "among", "regardless", "somewhere" name no topic; the words that set the asked thing
    apart from what an entry says ("else", "besides") and "since" (a time) stay content."""
    assert content_words(normalize(question)) == content


def test_words_written_as_names() -> None:
    assert written_as_names("did Egypt help? Qatar did.") == frozenset({"egypt"})  # "Qatar" opens a sentence
    assert written_as_names("what did the Qatari PM and Al-Thani say") == frozenset({"qatari", "pm", "al", "thani"})
    assert written_as_names("did egypt help") == frozenset()


@pytest.mark.parametrize(
    ("question", "named", "asks"),
    [
        ("how old is he", set(), True),
        ("how old was she when she retired", set(), True),
        ("how old is bill burns", {"bill", "burns"}, True),
        ("how old is the article", set(), False),  # a thing: its date may answer
        ("how old is the bridge", set(), False),
        ("how old is bill burns", set(), False),  # not written as a name: nothing says it is a person
        ("how long has he led israel", set(), False),  # a span, not an age
        ("how many did he meet", set(), False),
    ],
)
def test_asks_age(question: str, named: set[str], asks: bool) -> None:
    assert asks_age(question, frozenset(named)) is asks


def test_age_marks() -> None:
    assert age_marks(
        [
            "the 132-year-old Sallow Viaduct, aged 64 at the time",
            "Sofie Lindqvist, 29, said she was born in Tornvik; a man in his late sixties",
        ]
    ) == {"132-year-old", "aged 64", "Lindqvist, 29,", "born", "his late sixties"}
    # a date, a count or a list of parties gives no one's age
    assert age_marks(["On Sunday, May 19, 2024, 12 delegates met.", "their parties agreed for 19 years"]) == set()


def test_phrasal_verbs_whose_words_say_nothing_apart_are_written_as_one() -> None:
    """ "take place" is "happen" and "turn up" is "come" (stopwords both): neither "place" nor "turn"
    is a word of the question's content the article must use."""
    assert chat_to_words("when did the protest rally take place") == "when did the protest rally happen"
    assert chat_to_words("how many people turned up at the rally") == "how many people came at the rally"
    assert chat_to_words("where is the place they took") == "where is the place they took"


@pytest.mark.parametrize(
    ("question", "said"),
    [
        ("who said forty minutes in an ambulance is everything", "forty minutes in an ambulance is everything"),
        ("who warned that some customers will not come back", "some customers will not come back"),
        ("who was quoted as saying the journey can take over an hour", "the journey can take over an hour"),
        ("who is the mediator", ""),  # asks who someone is, not who spoke
        ("what did the mayor say", ""),
    ],
)
def test_who_said_asks_who_spoke_the_words_after_the_verb(question: str, said: str) -> None:
    assert said_asked(question) == said


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("The council asked for a written plan before sending one.", set()),  # "one": the plan
        ("Safety is one of the aims.", set()),
        ("One crane and 12 trucks stood idle.", {"one", "12"}),
        ("Three ferries ran, none of them full.", {"three", "none"}),
    ],
)
def test_count_marks_are_the_numbers_a_text_gives_not_one_standing_for_a_thing(text: str, numbers: set[str]) -> None:
    assert count_marks([text]) == numbers


@pytest.mark.parametrize(
    ("question", "others"),
    [
        ("what other strikes are happening right now", True),
        ("have any other hospitals stopped overnight births", True),
        ("have other airlines reported similar problems", True),
        ("how far is it to the other hospital", False),  # one of two
        ("did they blame each other", False),
        ("what strikes are happening", False),
    ],
)
def test_a_question_asking_for_others_than_one(question: str, others: bool) -> None:
    assert asks_others(question) is others
