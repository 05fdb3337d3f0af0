"""What is built once per knowledge base, cached beside it, so a fresh process (``python -m bot
ask``, a restart) answers its first question without rebuilding what only changes with the
knowledge base or the code: the matcher's index (building stems every phrasing; loading takes
a few milliseconds) and the conversation's lexicon of names.

One file per knowledge base and kind (``.faq.json.index.pickle``, ``.faq.json.lexicon.pickle``
beside ``faq.json``), replaced atomically, never larger than ``MAX_CACHE_BYTES``. Its header
holds the key (the hash of the knowledge base as loaded, of every module of the bot package and
its data files, of the stemmer and of the Python version) and the hash of the payload. Any other key, a
payload that does not hash right, or one that does not unpickle into an object bound to this
knowledge base: it is built (and the cache rewritten). Where the knowledge base's folder cannot
be written (a read-only install), the file goes to the user's cache folder instead
(``$XDG_CACHE_HOME/article-qa-bot``, else ``~/.cache/article-qa-bot``; the newest
``FALLBACK_FILES`` files are kept), and where neither can, nothing is cached.

The payload is a pickle that may construct only the types of the cached object's own module,
builtin containers and compiled regexes (``find_class`` refuses anything else), and the
knowledge base's objects (entries, quotes, the article) are not stored but referred to by
position, bound on load to the knowledge base just loaded: the index's records are the very
``Entry`` objects the rest of the bot holds.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import io
import os
import pickle
import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any, TypeVar

from bot.index import Index
from bot.knowledge import KnowledgeBase
from bot.text import ENGLISH, Language

CACHE_FORMAT = 1  # bump when the file's layout changes
FALLBACK_FILES = 32  # files kept in the user's cache folder (a few per knowledge base)
MAX_CACHE_BYTES = 64 * 1024 * 1024  # the shipped index is about 0.3 MB; a bigger file is not ours
_MAGIC = b"article-qa-bot index\n"
_HEADER = len(_MAGIC) + 64 + 64  # magic, the key and the payload's sha256, both in hex
_GLOBALS = frozenset({("builtins", "frozenset"), ("builtins", "set"), ("re", "_compile")})

T = TypeVar("T")


def cache_path(kb_path: Path, kind: str = "index") -> Path:
    """Where a knowledge base's index (or another ``kind`` of built object) is cached: beside it, hidden."""
    return kb_path.with_name(f".{kb_path.name}.{kind}.pickle")


@functools.cache
def code_version() -> str:
    """The hash of the code an index is built with: every module of the bot package (a change to
    any may change what is built) and its data files (by size and time: the 1.2 MB word list
    would cost more to hash than the index costs to load), the English stemmer's source and the
    Python version."""
    h = hashlib.sha256(f"{CACHE_FORMAT}\0{sys.version}".encode())
    package = Path(__file__).parent
    for path in sorted(package.iterdir()):
        if path.suffix == ".py" and path.is_file():
            h.update(path.name.encode() + b"\0" + path.read_bytes())
        elif path.suffix == ".txt" and path.is_file():
            info = path.stat()
            h.update(f"{path.name}\0{info.st_size}\0{info.st_mtime_ns}".encode())
    h.update(_stemmer_source())
    return h.hexdigest()


def _stemmer_source() -> bytes:
    """The English stemmer's module: its source, or for a compiled one (PyStemmer) its size and time."""
    import snowballstemmer  # imported by bot.text already

    module = sys.modules.get(type(snowballstemmer.stemmer("english")).__module__)
    try:
        path = Path(module.__file__) if module is not None and module.__file__ else None
        if path is None:
            return b""
        if path.suffix == ".py":
            return path.read_bytes()
        info = path.stat()
        return f"{path}\0{info.st_size}\0{info.st_mtime_ns}".encode()
    except OSError:
        return b""


def key(kb: KnowledgeBase, *, synonyms: bool = True, kind: str = "index") -> str:
    """What a built object depends on: the knowledge base as loaded (its repr names every field
    of the article, of every entry and quote, the starters and the synonyms), the code, the options."""
    return hashlib.sha256(f"{code_version()}\0{kind}\0{synonyms}\0{_content(kb)}".encode()).hexdigest()


_CONTENT: list[tuple[KnowledgeBase, str]] = []  # the last knowledge base's hash: its index and lexicon share it


def _content(kb: KnowledgeBase) -> str:
    for seen, digest in _CONTENT:
        if seen is kb:
            return digest
    digest = hashlib.sha256(repr(kb).encode()).hexdigest()
    _CONTENT[:] = [(kb, digest)]
    return digest


def index(kb: KnowledgeBase, lang: Language = ENGLISH, *, synonyms: bool = True) -> Index:
    """The knowledge base's index, from the cache beside it when that holds exactly this one,
    else built (and cached). Only the shipped language is cached: another (an ablation's) is
    built each time, since its rules are functions no key can hash."""
    if lang is not ENGLISH:
        return Index(kb, lang, synonyms=synonyms)
    return _cached(kb, Index, key(kb, synonyms=synonyms), lambda: Index(kb, lang, synonyms=synonyms))


def built(kb: KnowledgeBase, cls: type[T]) -> T:
    """``cls(kb)``, an object derived from the knowledge base alone (keeping it as ``.kb``), from
    the cache beside it when that holds one for exactly this knowledge base, else built (and cached)."""
    kind = cls.__name__.lower()
    make: Callable[[KnowledgeBase], T] = cls
    return _cached(kb, cls, key(kb, kind=kind), lambda: make(kb), kind)


def _cached(kb: KnowledgeBase, cls: type[T], wanted: str, build: Callable[[], T], kind: str = "index") -> T:
    if not kb.path.is_file():  # a knowledge base made in memory has nowhere to keep a cache
        return build()
    beside = cache_path(kb.path, kind)
    for path in (beside, fallback_path(beside)):
        found = _read(path, wanted, kb, ENGLISH, cls) if path is not None else None
        if found is not None:
            return found
    made = build()
    write(beside, wanted, made)
    return made


# ---------------------------------------------------------------------------
# Where a cache goes: beside the knowledge base, else the user's cache folder


def fallback_path(beside: Path) -> Path | None:
    """Where a cache that cannot be written beside its knowledge base goes: the user's cache
    folder, named by the hash of the full path it stands for (None without a home folder)."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    try:
        folder = (Path(base) if os.path.isabs(base) else Path.home() / ".cache") / "article-qa-bot"
    except RuntimeError:  # no home folder to be found
        return None
    digest = hashlib.sha256(str(beside.absolute()).encode()).hexdigest()[:16]
    return folder / f"{digest}{beside.name}"


def write_atomic(path: Path, save: Callable[[IO[bytes]], object]) -> bool:
    """Write through ``save`` to a temporary file then rename it over ``path`` (a reader sees the
    old file or the new one); if the folder cannot be written, to the user's cache folder
    instead. False when neither could be written."""
    import tempfile  # only to write

    fallback = fallback_path(path)
    for target in (path, fallback):
        if target is None:
            continue
        try:
            if target is fallback:
                target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=target.name, suffix=".tmp", dir=target.parent)
        except OSError:
            continue
        try:
            with os.fdopen(fd, "wb") as f:
                save(f)
            os.chmod(tmp, 0o644)
            os.replace(tmp, target)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            continue
        if target is fallback:
            _prune(target.parent)
        return True
    return False


def _prune(folder: Path) -> None:
    """Keep the user's cache folder to its newest FALLBACK_FILES files."""
    with contextlib.suppress(OSError):
        files = sorted((p.stat().st_mtime_ns, p) for p in folder.iterdir() if p.is_file())
        for _, old in files[:-FALLBACK_FILES]:
            old.unlink(missing_ok=True)


# ---------------------------------------------------------------------------
# The file


def _references(kb: KnowledgeBase, lang: Language) -> dict[int, tuple[object, tuple[str | int, ...]]]:
    """The knowledge base's objects by ``id``, each with the reference that stands for it in the file."""
    refs: dict[int, tuple[object, tuple[str | int, ...]]] = {
        id(kb): (kb, ("kb",)),
        id(kb.article): (kb.article, ("article",)),
        id(lang): (lang, ("lang",)),
    }
    for n, entry in enumerate(kb.entries):
        refs[id(entry)] = (entry, ("entry", n))
        for m, quote in enumerate(entry.quotes):
            refs[id(quote)] = (quote, ("quote", n, m))
    return refs


class _Pickler(pickle.Pickler):
    def __init__(self, file: IO[bytes], refs: dict[int, tuple[object, tuple[str | int, ...]]], module: str) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self._refs = refs
        self._module = module

    def persistent_id(self, obj: Any) -> tuple[str | int, ...] | None:
        found = self._refs.get(id(obj))
        return found[1] if found is not None and found[0] is obj else None

    def reducer_override(self, obj: Any) -> Any:
        """A dataclass of the cached object's module as its constructor call: unpickled through
        ``__init__`` rather than the slots dataclass's ``__setstate__``, three times faster."""
        cls = type(obj)
        if cls.__module__ == self._module and dataclasses.is_dataclass(cls):
            fields = dataclasses.fields(cls)
            if all(f.init for f in fields):
                return cls, tuple(getattr(obj, f.name) for f in fields)
        return NotImplemented


class _Unpickler(pickle.Unpickler):
    def __init__(self, file: IO[bytes], kb: KnowledgeBase, lang: Language, module: str) -> None:
        super().__init__(file)
        self._kb = kb
        self._lang = lang
        self._module = module

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _GLOBALS:
            return super().find_class(module, name)
        if module == self._module:  # a class of the cached object's own module, and only a class
            found = getattr(sys.modules[module], name, None)
            if isinstance(found, type) and found.__module__ == module:
                return found
        raise pickle.UnpicklingError(f"{module}.{name} is not part of what is cached")

    def persistent_load(self, pid: Any) -> Any:
        kb = self._kb
        match pid:
            case ("kb",):
                return kb
            case ("article",):
                return kb.article
            case ("lang",):
                return self._lang
            case ("entry", int(n)):
                return kb.entries[n]
            case ("quote", int(n), int(m)):
                return kb.entries[n].quotes[m]
        raise pickle.UnpicklingError(f"unknown reference {pid!r}")


def write(path: Path, wanted: str, made: Any) -> None:
    """Write the cache of ``made`` (see ``write_atomic``); nothing when it does not pickle."""
    buffer = io.BytesIO()
    try:
        _Pickler(buffer, _references(made.kb, getattr(made, "lang", ENGLISH)), type(made).__module__).dump(made)
    except (pickle.PicklingError, TypeError, AttributeError, RecursionError):
        return  # something in the index does not pickle: no cache, and tests/test_index_cache.py says so
    payload = buffer.getvalue()
    if _HEADER + len(payload) > MAX_CACHE_BYTES:
        return
    header = _MAGIC + wanted.encode() + hashlib.sha256(payload).hexdigest().encode()
    write_atomic(path, lambda f: f.write(header + payload))


def read(path: Path, wanted: str, kb: KnowledgeBase, lang: Language = ENGLISH) -> Index | None:
    """The cached index if the file holds exactly the one wanted, bound to ``kb``; else None."""
    return _read(path, wanted, kb, lang, Index)


def _read(path: Path, wanted: str, kb: KnowledgeBase, lang: Language, cls: type[T]) -> T | None:
    """The cached ``cls`` if the file holds exactly the one wanted, bound to ``kb``; else None."""
    try:
        with path.open("rb") as f:
            data = f.read(MAX_CACHE_BYTES + 1)
    except OSError:
        return None
    if len(data) > MAX_CACHE_BYTES or not data.startswith(_MAGIC):
        return None
    header, payload = data[:_HEADER], data[_HEADER:]
    if header[len(_MAGIC) : len(_MAGIC) + 64] != wanted.encode():
        return None  # stale: another knowledge base, other code
    if header[len(_MAGIC) + 64 :] != hashlib.sha256(payload).hexdigest().encode():
        return None  # corrupt
    try:
        found = _Unpickler(io.BytesIO(payload), kb, lang, cls.__module__).load()
    except Exception:  # bytes that hash right yet do not unpickle can raise almost anything
        return None
    if not isinstance(found, cls) or getattr(found, "kb", None) is not kb:
        return None
    return found if not isinstance(found, Index) or _bound(found, kb, lang) else None


def _bound(found: Index, kb: KnowledgeBase, lang: Language) -> bool:
    """Whether an unpickled index is one of exactly this knowledge base and language."""
    if found.lang is not lang:
        return False
    records = found.records
    return len(records) == len(kb.entries) and all(
        dataclasses.is_dataclass(r) and r.entry is e and r.position == n
        for n, (r, e) in enumerate(zip(records, kb.entries, strict=True))
    )
