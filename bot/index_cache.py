"""What is built once per knowledge base, cached beside it, so a fresh process (``python -m bot
ask``, a restart) answers its first question without rebuilding what only changes with the
knowledge base or the code: the matcher's index (building stems every phrasing; loading takes
a few milliseconds) and the conversation's lexicon of names.

One file per knowledge base and kind (``.faq.json.index.pickle``, ``.faq.json.lexicon.pickle``
beside ``faq.json``), replaced atomically, never larger than ``MAX_CACHE_BYTES``, read only if
it is a regular file (a FIFO there would block for ever). Its header holds the key (the hash of
the knowledge base as loaded, of every module of the bot package and its data files, of the
stemmer and of the Python version) and the payload's HMAC-SHA256 under the user's secret key
(``secret``): the key is public, anyone can compute it, so only the HMAC tells a file this user's
bot wrote from one planted beside the knowledge base. Any other key, a payload that does not
authenticate, or one that does not unpickle into an object bound to this knowledge base: it is
built (and the cache rewritten). Where the knowledge base's folder cannot be written (a
read-only install), the file goes to the user's cache folder instead
(``$XDG_CACHE_HOME/article-qa-bot``, else ``~/.cache/article-qa-bot``; the newest
``FALLBACK_FILES`` files are kept), and where neither can, nothing is cached. Without a secret
(the user's cache folder is missing, not the user's own, or others may write it) nothing is
cached either: everything is built in memory. ``fresh()`` builds without reading any cache, for
``check`` and ``eval``, whose verdicts are about faq.json and the code, never a file beside them.

The payload is a pickle that may construct only the types of the cached object's own module,
builtin containers and compiled regexes (``find_class`` refuses anything else), and the
knowledge base's objects (entries, quotes, the article) are not stored but referred to by
position, bound on load to the knowledge base just loaded: the index's records are the very
``Entry`` objects the rest of the bot holds.
"""

from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import functools
import hashlib
import hmac
import io
import os
import pickle
import stat
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any, TypeVar

from bot.index import Index
from bot.knowledge import KnowledgeBase
from bot.text import ENGLISH, Language

CACHE_FORMAT = 2  # bump when the file's layout changes
FALLBACK_FILES = 32  # files kept in the user's cache folder (a few per knowledge base)
MAX_CACHE_BYTES = 64 * 1024 * 1024  # the shipped index is about 0.3 MB; a bigger file is not ours
_MAGIC = b"article-qa-bot index\n"
_HEADER = len(_MAGIC) + 64 + 64  # magic, the key and the payload's HMAC-SHA256, both in hex
SECRET_BYTES = 32
_SECRET_NAME = "key"  # the secret's file in the user's cache folder, never pruned
_FRESH = contextvars.ContextVar("fresh", default=False)
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
    for path in (beside, fallback_path(beside)) if reading() else ():
        found = _read(path, wanted, kb, ENGLISH, cls) if path is not None else None
        if found is not None:
            return found
    made = build()
    write(beside, wanted, made)
    return made


@contextlib.contextmanager
def fresh() -> Iterator[None]:
    """Within it, everything is built, never read from a cache (it is still written): what
    ``check`` and ``eval`` judge is the knowledge base and the code, not a file beside them."""
    token = _FRESH.set(True)
    try:
        yield
    finally:
        _FRESH.reset(token)


def reading() -> bool:
    """Whether caches may be read here (not within ``fresh()``)."""
    return not _FRESH.get()


# ---------------------------------------------------------------------------
# Where a cache goes: beside the knowledge base, else the user's cache folder


def user_folder() -> Path | None:
    """The user's cache folder, ``$XDG_CACHE_HOME/article-qa-bot`` else ``~/.cache/article-qa-bot``
    (None without a home folder)."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    try:
        return (Path(base) if os.path.isabs(base) else Path.home() / ".cache") / "article-qa-bot"
    except RuntimeError:  # no home folder to be found
        return None


def _trusted(folder: Path) -> bool:
    """Whether ``folder`` is a folder (not a link to one) of this user's that no one else may
    write: else another user could plant caches there, or swap the secret."""
    try:
        info = os.lstat(folder)
    except OSError:
        return False
    return stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid() and not info.st_mode & 0o022


def fallback_path(beside: Path) -> Path | None:
    """Where a cache that cannot be written beside its knowledge base goes: the user's cache
    folder, named by the hash of the full path it stands for (None without a home folder)."""
    folder = user_folder()
    if folder is None:
        return None
    digest = hashlib.sha256(str(beside.absolute()).encode()).hexdigest()[:16]
    return folder / f"{digest}{beside.name}"


_SECRETS: dict[Path, bytes] = {}  # read once per process and folder


def secret() -> bytes | None:
    """This user's secret key for the caches' HMAC: the ``key`` file (mode 0600) in the user's
    cache folder, created (atomically: the first of two processes wins) when missing. None,
    and then no cache is read or written, when the folder is not trusted or the file cannot be
    read or created."""
    folder = user_folder()
    if folder is None:
        return None
    with contextlib.suppress(OSError):
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    if not _trusted(folder):  # checked each time: a folder opened to others since is not trusted
        return None
    if folder in _SECRETS:
        return _SECRETS[folder]
    path = folder / _SECRET_NAME
    found = _read_secret(path)
    if found is None and not path.exists():
        _create_secret(path)
        found = _read_secret(path)
    if found is not None:
        _SECRETS[folder] = found
    return found


def _read_secret(path: Path) -> bytes | None:
    """The secret if ``path`` is a regular file of this user's that only this user may read."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077:
            return None
        data = os.read(fd, SECRET_BYTES + 1)
    except OSError:
        return None
    finally:
        os.close(fd)
    return data if len(data) == SECRET_BYTES else None


def _create_secret(path: Path) -> None:
    """Write a new secret to a temporary file (0600) and link it into place: ``link`` never
    replaces a secret another process made meanwhile, and no reader sees a half-written one."""
    import tempfile  # only to write

    try:
        fd, tmp = tempfile.mkstemp(prefix=".key", suffix=".tmp", dir=path.parent)
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(os.urandom(SECRET_BYTES))
            f.flush()
            os.fsync(f.fileno())
        os.link(tmp, path)
    except OSError:
        pass  # another process's secret got there first, or none can be made: the caller reads again
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def _mac(wanted: str, payload: bytes) -> bytes | None:
    """The HMAC-SHA256 of the key and the payload under the user's secret, in hex (None without one)."""
    key = secret()
    if key is None:
        return None
    return hmac.new(key, wanted.encode() + b"\0" + payload, hashlib.sha256).hexdigest().encode()


def seal(wanted: str, payload: bytes) -> bytes | None:
    """The file for ``payload`` under ``wanted``: header (magic, key, HMAC) then the payload;
    None without a secret (then nothing is cached)."""
    mac = _mac(wanted, payload)
    return None if mac is None else _MAGIC + wanted.encode() + mac + payload


def unseal(data: bytes, wanted: str) -> bytes | None:
    """The payload of a file ``seal`` made for ``wanted`` under this user's secret; else None."""
    if not data.startswith(_MAGIC):
        return None
    header, payload = data[:_HEADER], data[_HEADER:]
    if header[len(_MAGIC) : len(_MAGIC) + 64] != wanted.encode():
        return None  # stale: another knowledge base, other code
    mac = _mac(wanted, payload)
    if mac is None or not hmac.compare_digest(header[len(_MAGIC) + 64 :], mac):
        return None  # corrupt, or not written by this user's bot
    return payload


def read_regular(path: Path, limit: int) -> bytes | None:
    """The file's bytes if it is a regular file of at most ``limit`` bytes, else None: opened
    without blocking and checked on the open file, as ``knowledge`` reads faq.json (a FIFO at
    the cache's path would block for ever, a link to /dev/zero never ends)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            return None
        with os.fdopen(os.dup(fd), "rb") as file:
            data = file.read(limit + 1)
    except OSError:
        return None
    finally:
        os.close(fd)
    return data if len(data) <= limit else None  # None if it grew while being read


def write_atomic(path: Path, save: Callable[[IO[bytes]], object]) -> bool:
    """Write through ``save`` to a temporary file then rename it over ``path`` (a reader sees the
    old file or the new one); if the folder cannot be written, to the user's cache folder
    instead. False when neither could be written."""
    import tempfile  # only to write

    fallback = fallback_path(path)
    for target in (path, fallback):
        if target is None:
            continue
        if target is fallback:
            with contextlib.suppress(OSError):
                target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            if not _trusted(target.parent):  # others may write there: they could plant files
                continue
        try:
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
        files = sorted((p.stat().st_mtime_ns, p) for p in folder.iterdir() if p.is_file() and p.name != _SECRET_NAME)
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
    sealed = seal(wanted, payload)
    if sealed is not None:
        write_atomic(path, lambda f: f.write(sealed))


def read_sealed(path: Path, wanted: str, limit: int) -> bytes | None:
    """The payload of the cache at ``path`` if it is a regular file of at most ``limit`` bytes
    that this user's bot wrote for ``wanted`` (``seal``), outside ``fresh()`` and not in a user's
    cache folder others may write; else None."""
    if not reading() or (path.parent == user_folder() and not _trusted(path.parent)):
        return None
    data = read_regular(path, limit)
    return unseal(data, wanted) if data is not None else None


def read(path: Path, wanted: str, kb: KnowledgeBase, lang: Language = ENGLISH) -> Index | None:
    """The cached index if the file holds exactly the one wanted, bound to ``kb``; else None."""
    return _read(path, wanted, kb, lang, Index)


def _read(path: Path, wanted: str, kb: KnowledgeBase, lang: Language, cls: type[T]) -> T | None:
    """The cached ``cls`` if the file holds exactly the one wanted, bound to ``kb``; else None."""
    payload = read_sealed(path, wanted, MAX_CACHE_BYTES)
    if payload is None:
        return None
    try:
        found = _Unpickler(io.BytesIO(payload), kb, lang, cls.__module__).load()
    except Exception:  # bytes that authenticate yet do not unpickle can raise almost anything
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
