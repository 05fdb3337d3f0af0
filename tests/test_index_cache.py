"""The index cached beside the knowledge base: reused when it holds exactly this knowledge base
and code, rebuilt (never a traceback, never a stale answer) when it is stale, corrupt, foreign
or cannot be written."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import pickle
import shutil
import tempfile
from pathlib import Path

import pytest

from bot import conversation, index_cache, knowledge
from bot.index import Index
from bot.matcher import Matcher

ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE_BASES = [
    pytest.param(ROOT / "faq.json", id="main"),
    pytest.param(ROOT / "tests" / "data" / "synthetic" / "faq.json", id="synthetic"),
    pytest.param(ROOT / "tests" / "data" / "port-alder" / "faq.json", id="port-alder"),
    pytest.param(ROOT / "tests" / "data" / "third" / "faq.json", id="third"),
]


@pytest.fixture(autouse=True)
def user_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The user's cache folder, in a temporary folder (never the real ~/.cache)."""
    home = tmp_path_factory.mktemp("cache-home")
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    return home / "article-qa-bot"


def _read_only(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``folder`` refuses new files, as a read-only file system does (root may write anywhere)."""
    mkstemp = tempfile.mkstemp

    def refuse(*args: object, **kwargs: object) -> tuple[int, str]:
        if Path(str(kwargs.get("dir"))) == folder:
            raise PermissionError("read-only file system")
        return mkstemp(*args, **kwargs)  # type: ignore[call-overload,no-any-return]

    monkeypatch.setattr(tempfile, "mkstemp", refuse)


@pytest.fixture
def kb_copy(tmp_path: Path) -> Path:
    path = tmp_path / "faq.json"
    shutil.copy(ROOT / "tests" / "data" / "synthetic" / "faq.json", path)
    return path


def _state(index: Index) -> dict[str, object]:
    return dict(vars(index))


@pytest.mark.parametrize("source", KNOWLEDGE_BASES)
def test_a_cached_index_is_the_index_built_and_bound_to_the_knowledge_base(source: Path, tmp_path: Path) -> None:
    path = tmp_path / "faq.json"
    shutil.copy(source, path)
    kb = knowledge.load(path)
    built = index_cache.index(kb)
    cache = index_cache.cache_path(path)
    assert cache.is_file()
    written = cache.read_bytes()
    again = knowledge.load(path)
    cached = index_cache.index(again)
    assert cache.read_bytes() == written  # read, not rebuilt
    assert cached is not built
    assert _state(cached) == _state(Index(again))
    # the records hold the entries of the knowledge base just loaded, not copies of them
    assert all(r.entry is e for r, e in zip(cached.records, again.entries, strict=True))
    assert cached.kb is again


@pytest.mark.parametrize("source", KNOWLEDGE_BASES)
def test_a_cached_lexicon_is_the_lexicon_built_and_bound_to_the_knowledge_base(source: Path, tmp_path: Path) -> None:
    path = tmp_path / "faq.json"
    shutil.copy(source, path)
    index_cache.built(knowledge.load(path), conversation.Lexicon)
    cache = index_cache.cache_path(path, "lexicon")
    written = cache.read_bytes()
    again = knowledge.load(path)
    cached = index_cache.built(again, conversation.Lexicon)
    assert cache.read_bytes() == written  # read, not rebuilt
    fresh = conversation.Lexicon(again)
    assert {k: v for k, v in vars(cached).items() if k != "_finder"} == {
        k: v for k, v in vars(fresh).items() if k != "_finder"
    }
    assert (cached._finder and cached._finder.pattern) == (fresh._finder and fresh._finder.pattern)
    assert cached.kb is again
    assert all(q is next(p for e in again.entries for p in e.quotes if p == q) for q in cached.quotes)
    cache.write_bytes(written[:-1])  # corrupt: built again, the same
    assert vars(index_cache.built(again, conversation.Lexicon)).keys() == vars(fresh).keys()
    assert cache.read_bytes() == written


def test_another_knowledge_base_content_is_never_answered_from_the_cache(kb_copy: Path) -> None:
    index_cache.index(knowledge.load(kb_copy))
    text = kb_copy.read_text(encoding="utf-8")
    kb_copy.write_text(text.replace('"question": "', '"question": "pretty please, ', 1), encoding="utf-8")
    changed = knowledge.load(kb_copy)
    index = index_cache.index(changed)
    assert _state(index) == _state(Index(changed))
    assert any(p.text.startswith("pretty please") for p in index.phrasings)
    assert index_cache.read(index_cache.cache_path(kb_copy), index_cache.key(changed, synonyms=True), changed)


def test_other_code_or_options_do_not_use_the_cache(kb_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    kb = knowledge.load(kb_copy)
    index_cache.index(kb)
    cache = index_cache.cache_path(kb_copy)
    assert index_cache.read(cache, index_cache.key(kb, synonyms=False), kb) is None
    monkeypatch.setattr(index_cache, "code_version", lambda: "another version of the code")
    assert index_cache.read(cache, index_cache.key(kb, synonyms=True), kb) is None
    without = index_cache.index(kb, synonyms=False)
    assert without.synonyms is None and not without.uses_synonyms


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda data: b"not a cache", id="garbage"),
        pytest.param(lambda data: data[: len(data) // 2], id="truncated"),
        pytest.param(lambda data: data[:-100] + bytes([data[-100] ^ 1]) + data[-99:], id="one-bit"),
        pytest.param(lambda data: b"", id="empty"),
    ],
)
def test_a_corrupt_cache_is_rebuilt(kb_copy: Path, damage: object) -> None:
    kb = knowledge.load(kb_copy)
    fresh = Index(kb)
    index_cache.index(kb)
    cache = index_cache.cache_path(kb_copy)
    cache.write_bytes(damage(cache.read_bytes()))  # type: ignore[operator]
    assert _state(index_cache.index(kb)) == _state(fresh)
    assert index_cache.read(cache, index_cache.key(kb, synonyms=True), kb) is not None  # rewritten


class _Opens:
    """An object that, unpickled, opens (creates) a file: what a planted cache could do."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return open, (str(self.path), "w")


def test_a_cache_that_would_run_code_is_refused(kb_copy: Path, tmp_path: Path) -> None:
    """The payload authenticates (as if the secret leaked) but calls a function when unpickled:
    the restricted unpickler refuses it."""
    kb = knowledge.load(kb_copy)
    cache = index_cache.cache_path(kb_copy)
    planted = tmp_path / "planted"
    payload = pickle.dumps(_Opens(planted))
    wanted = index_cache.key(kb, synonyms=True)
    sealed = index_cache.seal(wanted, payload)
    assert sealed is not None
    cache.write_bytes(sealed)
    assert index_cache.read(cache, wanted, kb) is None
    assert not planted.exists()
    assert isinstance(index_cache.index(kb), Index)


def test_a_cache_of_another_loaded_copy_is_bound_or_refused(kb_copy: Path) -> None:
    """Unpickled against a knowledge base with fewer entries, the references do not resolve."""
    kb = knowledge.load(kb_copy)
    index_cache.index(kb)
    fewer = dataclasses.replace(kb, entries=kb.entries[:-1])
    assert index_cache.read(index_cache.cache_path(kb_copy), index_cache.key(kb, synonyms=True), fewer) is None


def test_an_unwritable_folder_builds_the_index_in_memory(kb_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> tuple[int, str]:
        raise PermissionError("read-only file system")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    kb = knowledge.load(kb_copy)
    assert _state(index_cache.index(kb)) == _state(Index(kb))
    assert not index_cache.cache_path(kb_copy).exists()
    assert Matcher(kb).match(kb.entries[0].question).entry is kb.entries[0]


def test_a_read_only_folder_keeps_the_cache_in_the_users_cache_folder(
    kb_copy: Path, user_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _read_only(kb_copy.parent, monkeypatch)
    kb = knowledge.load(kb_copy)
    index_cache.index(kb)
    beside = index_cache.cache_path(kb_copy)
    elsewhere = index_cache.fallback_path(beside)
    assert not beside.exists() and elsewhere is not None and elsewhere.parent == user_cache
    inode = elsewhere.stat().st_ino
    again = knowledge.load(kb_copy)
    assert _state(index_cache.index(again)) == _state(Index(again))
    assert elsewhere.stat().st_ino == inode  # read, not rebuilt (a rewrite is a new file)
    # a stale cache beside it (shipped with an older version) does not hide the fresh one
    beside.write_bytes(b"stale")
    index_cache.index(knowledge.load(kb_copy))
    assert elsewhere.stat().st_ino == inode


def test_the_users_cache_folder_keeps_only_the_newest_files(
    tmp_path: Path, user_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(index_cache, "FALLBACK_FILES", 2)
    mkstemp = tempfile.mkstemp

    def only_the_user_cache(*args: object, **kwargs: object) -> tuple[int, str]:
        if Path(str(kwargs.get("dir"))) != user_cache:
            raise PermissionError("read-only file system")
        return mkstemp(*args, **kwargs)  # type: ignore[call-overload,no-any-return]

    monkeypatch.setattr(tempfile, "mkstemp", only_the_user_cache)
    for n in range(3):
        folder = tmp_path / f"kb{n}"
        folder.mkdir()
        shutil.copy(ROOT / "tests" / "data" / "synthetic" / "faq.json", folder / "faq.json")
        index_cache.index(knowledge.load(folder / "faq.json"))
    assert len([p for p in user_cache.iterdir() if p.name != "key"]) == 2
    assert (user_cache / "key").is_file()  # the secret is never pruned


def test_an_oversized_cache_is_neither_read_nor_written(kb_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    kb = knowledge.load(kb_copy)
    index_cache.index(kb)
    cache = index_cache.cache_path(kb_copy)
    monkeypatch.setattr(index_cache, "MAX_CACHE_BYTES", cache.stat().st_size - 1)
    assert index_cache.read(cache, index_cache.key(kb, synonyms=True), kb) is None
    cache.unlink()
    index_cache.index(kb)
    assert not cache.exists()


def test_a_knowledge_base_not_read_from_a_file_is_not_cached(tmp_path: Path) -> None:
    kb = knowledge.load(ROOT / "tests" / "data" / "synthetic" / "faq.json")
    elsewhere = dataclasses.replace(kb, path=tmp_path / "faq.json")  # no such file
    index_cache.index(elsewhere)
    assert list(tmp_path.iterdir()) == []


def test_the_key_sees_every_field_of_the_knowledge_base() -> None:
    """The key hashes the knowledge base's repr: a field left out of it would let two different
    knowledge bases share a cached index (``by_id`` is derived from ``entries``)."""
    for cls in (knowledge.KnowledgeBase, knowledge.Article, knowledge.Entry, knowledge.Quote):
        hidden = [f.name for f in dataclasses.fields(cls) if not f.repr]
        assert hidden == (["by_id"] if cls is knowledge.KnowledgeBase else []), cls.__name__


# ---------------------------------------------------------------------------
# A cache this user's bot did not write


def _forged(kb: knowledge.KnowledgeBase) -> Index:
    """An index that answers every question with the first entry: what a planted cache could hold."""
    forged = Index(kb)
    forged.phrasings = tuple(dataclasses.replace(p, owner=0) for p in forged.phrasings)
    return forged


def _misanswered(kb: knowledge.KnowledgeBase, matcher: Matcher) -> list[str]:
    return [e.id for e in kb.entries[1:] if e.covered and matcher.match(e.question).entry is not e]


def test_a_cache_forged_with_the_public_key_but_not_the_secret_is_rebuilt(
    kb_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kb = knowledge.load(kb_copy)
    cache = index_cache.cache_path(kb_copy)
    wanted = index_cache.key(kb, synonyms=True)
    # sealed with this user's secret the forgery would be used, and would change the answers
    index_cache.write(cache, wanted, _forged(kb))
    assert _state(index_cache.index(kb)) == _state(_forged(kb))
    assert _misanswered(kb, Matcher(kb))
    fresh = _state(Index(kb))
    # the header as it was before the HMAC: the public key and the payload's sha256
    payload = cache.read_bytes()[index_cache._HEADER :]
    cache.write_bytes(index_cache._MAGIC + wanted.encode() + hashlib.sha256(payload).hexdigest().encode() + payload)
    assert index_cache.read(cache, wanted, kb) is None
    assert _state(index_cache.index(kb)) == fresh
    # write() itself, by someone with another secret (their own bot's)
    with monkeypatch.context() as m:
        m.setattr(index_cache, "secret", lambda: bytes(index_cache.SECRET_BYTES))
        index_cache.write(cache, wanted, _forged(kb))
    assert index_cache.read(cache, wanted, kb) is None
    assert _state(index_cache.index(kb)) == fresh
    assert index_cache.read(cache, wanted, kb) is not None  # rewritten, sealed with this user's secret


def test_check_builds_fresh_and_says_nothing_about_a_forged_cache(
    kb_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot import cli

    kb = knowledge.load(kb_copy)
    # even one that authenticates (a leaked secret, an older bot's bug): check never reads it
    index_cache.write(index_cache.cache_path(kb_copy), index_cache.key(kb, synonyms=True), _forged(kb))
    assert _misanswered(kb, Matcher(kb))  # the cache is used by everything else
    assert cli.main(["--faq", str(kb_copy), "check"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith(f"{kb_copy}: OK") and out.count("\n") == 1, out
    assert err == ""


def test_eval_builds_fresh(kb_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from bot import cli

    kb = knowledge.load(kb_copy)
    cases = tmp_path / "questions.jsonl"
    covered = [e for e in kb.entries if e.covered]
    cases.write_text(
        "".join(json.dumps({"question": e.question, "expect": "answer", "faq_id": e.id}) + "\n" for e in covered)
    )
    cache, wanted = index_cache.cache_path(kb_copy), index_cache.key(kb, synonyms=True)
    index_cache.write(cache, wanted, _forged(kb))
    assert _misanswered(kb, Matcher(kb))
    index_cache.write(cache, wanted, _forged(kb))
    cli.main(["--faq", str(kb_copy), "eval", str(cases)])
    out = capsys.readouterr().out
    assert f"in-scope accuracy   100.0% ({len(covered)}/{len(covered)})" in out, out
    assert index_cache.reading()  # only within eval


def test_without_a_secret_nothing_is_cached(kb_copy: Path, user_cache: Path) -> None:
    user_cache.mkdir(parents=True)
    (user_cache / "key").write_bytes(b"too short")  # not a secret: neither read nor replaced
    kb = knowledge.load(kb_copy)
    assert index_cache.secret() is None
    assert _state(index_cache.index(kb)) == _state(Index(kb))
    assert not index_cache.cache_path(kb_copy).exists()
    assert (user_cache / "key").read_bytes() == b"too short"


def test_the_secret_is_made_once_and_only_the_user_may_read_it(user_cache: Path) -> None:
    made = index_cache.secret()
    assert made is not None and len(made) == index_cache.SECRET_BYTES
    key = user_cache / "key"
    assert key.read_bytes() == made
    assert key.stat().st_mode & 0o777 == 0o600 and user_cache.stat().st_mode & 0o077 == 0
    index_cache._SECRETS.clear()
    assert index_cache.secret() == made  # read again, not replaced
    assert [p.name for p in user_cache.iterdir()] == ["key"]  # no temporary file left
    key.chmod(0o644)  # readable by others: no longer a secret
    index_cache._SECRETS.clear()
    assert index_cache.secret() is None


@pytest.mark.parametrize("mode", [pytest.param(0o777, id="world-writable"), pytest.param(0o770, id="group-writable")])
def test_a_users_cache_folder_others_may_write_is_not_used(
    kb_copy: Path, user_cache: Path, monkeypatch: pytest.MonkeyPatch, mode: int
) -> None:
    _read_only(kb_copy.parent, monkeypatch)
    kb = knowledge.load(kb_copy)
    beside = index_cache.cache_path(kb_copy)
    elsewhere = index_cache.fallback_path(beside)
    assert elsewhere is not None
    index_cache.write(beside, index_cache.key(kb, synonyms=True), _forged(kb))  # to the fallback folder
    assert elsewhere.is_file() and _state(index_cache.index(kb)) == _state(_forged(kb))
    user_cache.chmod(mode)  # now anyone (in the group) could have planted it
    try:
        assert index_cache.secret() is None
        assert _state(index_cache.index(kb)) == _state(Index(kb))
        assert not _misanswered(kb, Matcher(kb))
        assert sorted(p.name for p in user_cache.iterdir()) == sorted(["key", elsewhere.name])  # nothing written
    finally:
        user_cache.chmod(0o700)


@pytest.mark.parametrize("kind", ["index", "lexicon"])
def test_a_fifo_at_the_caches_path_is_not_waited_on(kb_copy: Path, kind: str) -> None:
    """Opening a FIFO for reading blocks until a writer comes: the cache is opened without
    blocking and read only if it is a regular file. ``ask`` runs in a child process with a
    timeout (a bound, not a timed assertion), so a regression fails instead of hanging the suite."""
    import os
    import subprocess
    import sys

    kb = knowledge.load(kb_copy)
    os.mkfifo(index_cache.cache_path(kb_copy, kind))
    found = subprocess.run(
        [sys.executable, "-m", "bot", "--faq", str(kb_copy), "ask", "--json", kb.entries[0].question],
        cwd=ROOT,
        env={**os.environ, "QUESTION_LOG": "off"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert found.returncode == 0, found.stderr
    assert json.loads(found.stdout)["faq_id"] == kb.entries[0].id
    assert index_cache.cache_path(kb_copy, kind).is_file()  # the FIFO replaced by the cache written
