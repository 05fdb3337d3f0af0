"""The semantic signal: the tokenizer, the cache beside the knowledge base, and the similarities."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from bot import index_cache, knowledge, scoring, semantic
from bot.index import Index
from bot.matcher import Matcher, Params, Weights
from bot.scoring import analyse

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def main_index() -> Index:
    return Index(knowledge.load(ROOT / "faq.json"))


@pytest.fixture(autouse=True)
def user_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The user's cache folder, in a temporary folder (never the real ~/.cache)."""
    home = tmp_path_factory.mktemp("cache-home")
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    return home / "article-qa-bot"


@pytest.fixture
def kb_copy(tmp_path: Path) -> Path:
    path = tmp_path / "faq.json"
    shutil.copy(ROOT / "tests" / "data" / "synthetic" / "faq.json", path)
    return path


def test_tokenizer_matches_the_reference_implementation(main_index: Index) -> None:
    import tokenizers  # wordllama's own dependency: the reference must run, never skip

    path = semantic._package_dir().joinpath(*semantic._TOKENIZER)
    reference = tokenizers.Tokenizer.from_file(str(path))
    ours = semantic.Tokenizer.from_file(path)
    words = {w for t in semantic.texts_for(main_index).vocabulary for w in t.split()}
    words |= {w for t in main_index.wordings for w in t.split()}
    words |= {"naïve", "日本", "😀", "x", "z'ss", "ﬁ", "co2", "1948"}
    for word in sorted(words):
        assert ours.word(word) == tuple(reference.encode(word, add_special_tokens=False).ids), word
    # and from the arrays the cache holds
    again = semantic.Tokenizer.from_arrays(ours.arrays())
    assert [again.word(w) for w in sorted(words)] == [ours.word(w) for w in sorted(words)]


def test_a_cached_tokenizer_reads_its_tables_only_for_a_word_it_does_not_know(main_index: Index) -> None:
    path = semantic._package_dir().joinpath(*semantic._TOKENIZER)
    ours = semantic.Tokenizer.from_file(path)
    known = sorted({w for t in main_index.wordings for w in t.split()})
    again = semantic.Tokenizer.from_arrays(ours.arrays(known))
    assert [again.word(w) for w in known] == [ours.word(w) for w in known]
    assert again._tables is not None  # every word known: the merges were never turned into a dict
    assert again.word("go-betweens") == ours.word("go-betweens")
    assert again._tables is None and again.merges == ours.merges
    arrays = ours.arrays(known)
    arrays["tok_known_ends"] = arrays["tok_known_ends"][:-1]  # a cache whose words and ids disagree
    with pytest.raises(ValueError):
        semantic.Tokenizer.from_arrays(arrays)


def test_cache_is_written_reused_and_rebuilt_when_stale_or_corrupt(kb_copy: Path) -> None:
    cache = semantic.cache_path(kb_copy)
    first = semantic.build(Index(knowledge.load(kb_copy)))
    assert cache.is_file()
    written = cache.read_bytes()
    again = semantic.build(Index(knowledge.load(kb_copy)))
    assert cache.read_bytes() == written  # reused, not rewritten
    np.testing.assert_array_equal(first.phrasing_vectors, again.phrasing_vectors)

    # another knowledge base content: the cache is stale and rebuilt with the new phrasings
    text = kb_copy.read_text(encoding="utf-8")
    kb_copy.write_text(text.replace('"question": "', '"question": "please, ', 1), encoding="utf-8")
    changed = Index(knowledge.load(kb_copy))
    rebuilt = semantic.build(changed)
    assert cache.read_bytes() != written
    assert rebuilt.phrasing_vectors.shape[0] == len(changed.wordings)

    cache.write_bytes(b"not a zip file")
    assert semantic.build(changed).phrasing_vectors.shape == rebuilt.phrasing_vectors.shape
    assert cache.read_bytes() != b"not a zip file"
    cache.write_bytes(written[: len(written) // 2])  # truncated
    semantic.build(changed)
    assert semantic._read_cache(cache, semantic.content_key(changed), changed) is not None


def test_a_flipped_bit_or_an_oversized_file_is_never_read(kb_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    index = Index(knowledge.load(kb_copy))
    semantic.build(index)
    cache = semantic.cache_path(kb_copy)
    written = cache.read_bytes()
    key = semantic.content_key(index)
    for at in (len(written) // 4, len(written) // 2, 3 * len(written) // 4):
        flipped = bytearray(written)
        flipped[at] ^= 0x10
        cache.write_bytes(bytes(flipped))
        assert semantic._read_cache(cache, key, index) is None, at
    cache.write_bytes(written)
    assert semantic._read_cache(cache, key, index) is not None
    monkeypatch.setattr(semantic, "MAX_CACHE_BYTES", len(written) - 1)
    assert semantic._read_cache(cache, key, index) is None


def test_an_unwritable_directory_keeps_the_vectors_in_memory(kb_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> tuple[int, str]:
        raise PermissionError("read-only file system")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    index = Index(knowledge.load(kb_copy))
    built = semantic.build(index)
    assert not semantic.cache_path(kb_copy).exists()
    assert built.phrasing_vectors.shape[0] == len(index.wordings)


def test_a_read_only_folder_keeps_the_vectors_in_the_users_cache_folder(
    kb_copy: Path, user_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mkstemp = tempfile.mkstemp

    def refuse_beside(*args: object, **kwargs: object) -> tuple[int, str]:
        if Path(str(kwargs.get("dir"))) == kb_copy.parent:
            raise PermissionError("read-only file system")
        return mkstemp(*args, **kwargs)  # type: ignore[call-overload,no-any-return]

    monkeypatch.setattr(tempfile, "mkstemp", refuse_beside)
    index = Index(knowledge.load(kb_copy))
    fresh = semantic.build(index)
    beside = semantic.cache_path(kb_copy)
    elsewhere = semantic.index_cache.fallback_path(beside)
    assert not beside.exists() and elsewhere is not None and elsewhere.parent == user_cache
    inode = elsewhere.stat().st_ino
    again = semantic.build(index)
    assert elsewhere.stat().st_ino == inode  # read, not rebuilt (a rewrite is a new file)
    np.testing.assert_array_equal(fresh.phrasing_vectors, again.phrasing_vectors)


def test_cached_and_fresh_vectors_score_alike(kb_copy: Path) -> None:
    index = Index(knowledge.load(kb_copy))
    fresh = semantic.build(index, cache=False)
    semantic.build(index)
    cached = semantic.build(index)
    np.testing.assert_array_equal(fresh.phrasing_vectors, cached.phrasing_vectors)
    np.testing.assert_array_equal(fresh.evidence_vectors, cached.evidence_vectors)


def test_nearest_word_tells_a_synonym_from_a_stranger(main_index: Index) -> None:
    vectors = semantic.build(main_index)
    assert vectors.nearest_word("troops") > 0.5  # "soldiers", "forces"
    assert vectors.nearest_word("iran") < 0.3  # the article never mentions it
    assert vectors.nearest_word("mediators") == pytest.approx(1.0, abs=1e-3)


def test_a_paraphrase_is_nearest_to_its_entry(main_index: Index) -> None:
    vectors = semantic.build(main_index)
    found = vectors.query("did any soldiers die")
    best = main_index.records[int(np.argmax(found.phrasing))].entry
    assert "soldier" in best.id
    assert found.phrasing.shape == found.evidence.shape == (len(main_index.records),)
    assert float(found.phrasing.max()) <= 1.0 + 1e-5


def _record(index: Index, entry_id: str) -> Any:
    return next(r for r in index.records if r.entry.id == entry_id)


def test_foreignness_is_graded_by_the_entrys_own_words(main_index: Index) -> None:
    kb = main_index.kb
    lexical = Matcher(kb, index=main_index, params=Params(familiar=2.0))  # switched off
    graded = Matcher(kb, index=main_index, params=Params(familiar=0.6, unfamiliar=0.4))
    killed = _record(main_index, "soldiers-killed")
    # "murdered" (no word of the article, nor a curated synonym, as "die" now is) ~ "killing", the entry's
    query = analyse(main_index, "were any soldiers murdered")
    assert "murder" in query.stems - killed.words - main_index.article_words
    assert graded.scorer.foreignness(query, "murder", killed) < 0.5  # "killing" is a word of the entry
    assert lexical.scorer.foreignness(query, "murder", killed) == 1.0
    iran = analyse(main_index, "was there a dialogue with iran")
    assert graded.scorer.foreignness(iran, "iran", _record(main_index, "main-obstacle")) == 1.0


def test_a_name_or_a_time_word_stays_foreign_however_near(main_index: Index) -> None:
    graded = Matcher(main_index.kb, index=main_index, params=Params(familiar=0.3, unfamiliar=0.1))
    record = _record(main_index, "written-response")
    days = analyse(main_index, "how many days did israel give hamas to reply in writing")
    assert graded.scorer.foreignness(days, "day", record) == 1.0  # "days" ~ "months" is another span
    assert graded.scorer.foreignness(days, "repli", record) == 0.0  # "reply" ~ "response" is not
    named = analyse(main_index, "did Egypt reply in writing")
    assert "egypt" in named.named
    assert graded.scorer.foreignness(named, "egypt", record) == 1.0


def test_a_word_whose_closest_article_word_is_the_entrys_own_is_no_foreign_word_to_meaning() -> None:
    """ "conciliator" is at 0.39 from "mediator" (below ``unfamiliar``), but "mediator" is the article
    word closest to it of all: meaning may vouch for the mediator's entries (rule neighbour)."""
    index = Index(knowledge.load(ROOT / "tests" / "data" / "port-alder" / "faq.json"))
    graded = Matcher(index.kb, index=index, params=Params(familiar=0.5, unfamiliar=0.4, neighbour=0.35))
    query = analyse(index, "how did the conciliator sum up the talks")
    record = _record(index, "mediator")
    assert "concili" in query.stems - record.words - index.article_words
    assert graded.scorer.foreignness(query, "concili", record) == 0.0
    assert graded.without("neighbour").scorer.foreignness(query, "concili", record) == 1.0
    assert (
        Matcher(index.kb, index=index, params=Params(familiar=0.5, unfamiliar=0.4, neighbour=2.0)).scorer.foreignness(
            query, "concili", record
        )
        == 1.0
    )
    question = "what did the conciliator ask both sides to do"
    assert graded.match(question).status == "answered"
    assert graded.without("neighbour").match(question).status == "no_match"


def test_a_words_closest_article_word_that_is_a_name_is_another_thing(main_index: Index) -> None:
    """ "egypt" (as typed, lower case) is nearest to "cairo" of all the article's words, a word of the
    mediators' entry: a name's neighbour is another thing, so only the graded cosine counts."""
    graded = Matcher(main_index.kb, index=main_index, params=Params(familiar=0.5, unfamiliar=0.4, neighbour=0.35))
    query = analyse(main_index, "what is egypt doing to help mediate")
    assert "egypt" not in query.named
    assert graded.scorer.foreignness(query, "egypt", _record(main_index, "mediators")) > 0.0


def test_meaning_vouches_despite_a_foreign_word_near_the_entrys_words(main_index: Index) -> None:
    kb = main_index.kb
    weights = Weights(semantic=0.3, semantic_lead=0.2)
    off = Matcher(kb, index=main_index, weights=weights, params=Params(familiar=2.0, semantic_neutral=0.6))
    on = Matcher(kb, index=main_index, weights=weights, params=Params(familiar=0.6, semantic_neutral=0.6))
    before = next(s for s in off.explain("were any soldiers murdered?").scored if s.entry.id == "soldiers-killed")
    after = next(s for s in on.explain("were any soldiers murdered?").scored if s.entry.id == "soldiers-killed")
    assert before.parts["semantic"] == 0.0  # "murdered" is foreign: meaning may not vouch
    assert after.parts["semantic"] > 0.0
    assert after.parts["foreign"] == before.parts["foreign"] == -18.0  # the penalty itself stays
    assert on.without("semantic_foreign").explain("were any soldiers murdered?").scored[0].parts["semantic"] == 0.0


def test_the_matcher_works_without_a_model() -> None:
    kb = knowledge.load(ROOT / "faq.json")
    plain = Matcher(kb, semantic=False)
    assert plain.semantic is None
    assert plain.match("why did the ceasefire talks stall?").status == "answered"


def _npz(**arrays: Any) -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def test_vectors_this_users_bot_did_not_write_are_rebuilt(kb_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    index = Index(knowledge.load(kb_copy))
    fresh = semantic.build(index, cache=False)
    semantic.build(index)
    cache = semantic.cache_path(kb_copy)
    key = semantic.content_key(index)
    sealed = index_cache.unseal(cache.read_bytes(), key)
    assert sealed is not None
    with np.load(io.BytesIO(sealed)) as data:
        arrays = {name: data[name] for name in data.files}
    forged = _npz(**{**arrays, "phrasings": -arrays["phrasings"]})  # every similarity turned round
    # sealed with this user's secret the forgery is read (so the checks below can fail)
    cache.write_bytes(index_cache.seal(key, forged) or b"")
    used = semantic._read_cache(cache, key, index)
    assert used is not None
    np.testing.assert_array_equal(used[0]["phrasings"], -fresh.phrasing_vectors)
    # as the cache was before the HMAC: a plain .npz holding the public key
    cache.write_bytes(forged)
    assert semantic._read_cache(cache, key, index) is None
    # sealed with another secret (someone else's bot)
    with monkeypatch.context() as m:
        m.setattr(index_cache, "secret", lambda: bytes(index_cache.SECRET_BYTES))
        cache.write_bytes(index_cache.seal(key, forged) or b"")
    assert semantic._read_cache(cache, key, index) is None
    np.testing.assert_array_equal(semantic.build(index).phrasing_vectors, fresh.phrasing_vectors)
    with index_cache.fresh():  # check and eval: never read, even when it authenticates
        cache.write_bytes(index_cache.seal(key, forged) or b"")
        assert semantic._read_cache(cache, key, index) is None


def test_a_fifo_at_the_vectors_path_is_not_waited_on(kb_copy: Path) -> None:
    """Built in a child process with a timeout (a bound, not a timed assertion): a regression
    that opens the FIFO blocking fails the test instead of hanging the suite."""
    os.mkfifo(semantic.cache_path(kb_copy))
    child = (
        "import sys; from bot import knowledge, semantic; from bot.index import Index; "
        "print(semantic.build(Index(knowledge.load(sys.argv[1]))).phrasing_vectors.shape[0])"
    )
    found = subprocess.run(
        [sys.executable, "-c", child, str(kb_copy)], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert found.returncode == 0, found.stderr
    assert int(found.stdout) == len(Index(knowledge.load(kb_copy)).wordings)
    assert semantic.cache_path(kb_copy).is_file()  # the FIFO replaced by the cache written


def test_the_semantic_contributions_are_signed_evidence_around_the_neutral_cosine() -> None:
    """On top of the lexical score: none at the neutral cosine, full for the same text, against below."""
    assert scoring._closeness(0.5, 0.5) == 0.0
    assert scoring._closeness(1.0, 0.5) == pytest.approx(100.0)
    assert scoring._closeness(0.25, 0.5) == pytest.approx(-50.0)
    assert scoring._closeness(-1.0, 0.7) == -100.0  # bounded


def test_without_a_model_the_score_is_the_lexical_one(main_index: Index) -> None:
    kb = main_index.kb
    weights = Weights(semantic=0.2, semantic_lead=0.1)
    plain = Matcher(kb, index=main_index, weights=weights, semantic=False)
    lexical = Matcher(kb, index=main_index, weights=Weights(semantic=0.0, semantic_lead=0.0), semantic=False)
    question = "who did burns meet in doha?"
    assert [s.total for s in plain.explain(question).scored] == [s.total for s in lexical.explain(question).scored]
    with_model = Matcher(kb, index=main_index, weights=weights)
    assert with_model.semantic is not None
    parts = with_model.explain(question).scored[0].parts
    assert parts["semantic"] != 0.0


def test_meaning_moves_the_lexical_score_within_its_room(main_index: Index) -> None:
    """Evidence for moves a score a share of the way up to 100, against a share of the way to 0:
    a wording match near 100 stays there (the conversation reads its thresholds off that scale)."""
    kb = main_index.kb
    full = Matcher(kb, index=main_index, weights=Weights(semantic=1.0))
    lexical = Matcher(kb, index=main_index, weights=Weights(semantic=0.0), semantic=False)
    for question in ("who is bill burns", "what was the doha sit-down for?", "is pineapple on pizza fine?"):
        mine = {s.entry.id: s for s in full.explain(question).scored}
        scored = lexical.explain(question).scored
        assert scored
        for base in scored:
            moved = mine[base.entry.id]
            lex = base.parts["fuzzy"] + base.parts["coverage"]
            assert -lex - 1e-6 <= moved.parts["semantic"] <= 100 - lex + 1e-6


def test_one_content_word_is_left_to_the_wording(main_index: Index) -> None:
    """'and the US?': the mean of a few tokens is near whatever mentions them, so meaning counts from
    two content words (half) and fully from three."""
    kb = main_index.kb
    m = Matcher(kb, index=main_index, weights=Weights(semantic=0.3, semantic_lead=0.2))
    one = m.explain("and the US?").scored
    assert one and all(s.parts["semantic"] == 0 == s.parts["semantic_lead"] for s in one)
    three = m.explain("who did burns meet in doha?").scored
    assert any(s.parts["semantic"] != 0 for s in three)
