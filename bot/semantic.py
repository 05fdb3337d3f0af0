"""Semantic similarity from static word embeddings, offline on the CPU.

Fuzzy string similarity cannot bridge words the curator never typed ("sit-down" for
"talks"); token embeddings can. The model is WordLlama's ``l2_supercat`` 256-dim table
(32,000 Llama-2 tokens), whose wheel ships its weights, so nothing is downloaded at run
time (see the README for how it was chosen). A text's vector is the mean of its tokens'
rows, unit length; similarity is the cosine.

What costs time is kept out of the hot path: the weights are memory-mapped (a question
pages in only the rows of its tokens), the tokenizer is a small byte-pair encoder over the
wheel's own vocabulary, loaded only when a question has a word the knowledge base never
uses, and the vectors of every phrasing, answer, quote and vocabulary word of a knowledge
base are cached next to it, keyed by the hash of exactly what was embedded. A missing,
stale or corrupt cache, or one this user's bot did not write (``index_cache.seal``), is
rebuilt silently; beside a knowledge base in a read-only folder it goes to the user's cache
folder (``index_cache.write_atomic``), and where neither can be written the vectors stay in
memory.

Everything but :func:`load_model` and :func:`build` (which read files) is pure.
"""

from __future__ import annotations

import hashlib
import importlib.util
import io
import json
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot import index_cache
from bot.text import is_function_word, normalize

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from bot.index import Index

    Vectors = npt.NDArray[np.float32]

MODEL_NAME = "wordllama l2_supercat 256"
CACHE_FORMAT = 2  # bump when what the cache holds, or how a vector is made, changes
MAX_CACHE_BYTES = 256 * 1024 * 1024  # the shipped knowledge base's vectors are 2 MB
_WEIGHTS = ("weights", "l2_supercat_256.safetensors")
# The wheel ships the tokenizer under tokenizers/, where its own loader does not look (it
# expects tokenizer/): we read the file ourselves.
_TOKENIZER = ("tokenizers", "l2_supercat_tokenizer_config.json")
_WORD_START = "\u2581"  # sentencepiece's "▁": a token that starts a word


class ModelUnavailable(Exception):
    """The embedding model's files are not installed or cannot be read; the message is one line."""


def _package_dir() -> Path:
    # find_spec does not import wordllama (whose import pulls in pydantic and requests).
    spec = importlib.util.find_spec("wordllama")
    if spec is None or not spec.submodule_search_locations:
        raise ModelUnavailable("the embedding model is not installed (pip install wordllama)")
    return Path(next(iter(spec.submodule_search_locations)))


# ---------------------------------------------------------------------------
# Tokenizer: byte-pair encoding over the model's vocabulary

_SPAN = 1 << 15  # above every token id: a merge (left, right) is keyed left * _SPAN + right
_TABLES = ("tok_chars", "tok_char_ids", "tok_bytes", "tok_merge_keys", "tok_merge_values")


class Tokenizer:
    """Llama-2's BPE as the wheel's tokenizer file defines it (no pre-tokenizer, "▁" before
    each word, byte fallback), on token ids. Its merges never join two words, so a text's
    tokens are its words' tokens one after the other, and each word is encoded once.

    ``merges`` maps ``left * _SPAN + right`` to ``rank * _SPAN + merged``: the smallest value
    is the merge to apply first. From the cache (``from_arrays``) the tokenizer knows the token
    ids of every word the knowledge base uses, and turns its tables into dicts (some 60,000
    merges: tens of milliseconds) only for the first word it does not know."""

    def __init__(
        self,
        chars: dict[str, int],
        byte_ids: Sequence[int],
        merges: dict[int, int],
        known: dict[str, tuple[int, ...]] | None = None,
    ) -> None:
        self.chars = chars
        self.byte_ids = tuple(byte_ids)
        self.merges = merges
        self._words: dict[str, tuple[int, ...]] = dict(known or {})
        self._tables: dict[str, Any] | None = None  # arrays the tables are still to be read from

    @classmethod
    def from_file(cls, path: Path) -> Tokenizer:
        """The tokenizer of WordLlama's tokenizer config (byte-pair merges over characters and byte tokens)."""
        model = json.loads(path.read_text(encoding="utf-8"))["model"]
        vocab: dict[str, int] = model["vocab"]
        merges: dict[int, int] = {}
        for rank, merge in enumerate(model["merges"]):
            left, right = merge.split(" ", 1) if isinstance(merge, str) else merge
            merges.setdefault(vocab[left] * _SPAN + vocab[right], rank * _SPAN + vocab[left + right])
        chars = {token: i for token, i in vocab.items() if len(token) == 1}
        return cls(chars, [vocab[f"<0x{b:02X}>"] for b in range(256)], merges)

    def arrays(self, words: Sequence[str] = ()) -> dict[str, Any]:
        """The tokenizer, and the token ids of ``words``, as numpy arrays for the vector cache
        (``from_arrays`` reads them back)."""
        import numpy as np

        self._read_tables()
        ids = [self.word(w) for w in words]
        return {
            "tok_chars": np.array([ord(c) for c in self.chars], dtype=np.int32),
            "tok_char_ids": np.array(list(self.chars.values()), dtype=np.int32),
            "tok_bytes": np.array(self.byte_ids, dtype=np.int32),
            "tok_merge_keys": np.array(list(self.merges), dtype=np.int64),
            "tok_merge_values": np.array(list(self.merges.values()), dtype=np.int64),
            "tok_known": np.array("\n".join(words)),  # a word never holds a line break (normalised text)
            "tok_known_ids": np.array([i for word_ids in ids for i in word_ids], dtype=np.int32),
            "tok_known_ends": np.cumsum([len(word_ids) for word_ids in ids], dtype=np.int64),
        }

    @classmethod
    def from_arrays(cls, data: Any) -> Tokenizer:
        """The tokenizer ``arrays`` stored, without parsing the tokenizer config again."""
        text = str(data["tok_known"])
        words = text.split("\n") if text else []
        ids, ends = data["tok_known_ids"].tolist(), data["tok_known_ends"].tolist()
        if len(ends) != len(words) or (ends and ends[-1] != len(ids)):
            raise ValueError("known words and their token ids disagree")
        known = {w: tuple(ids[start:end]) for w, start, end in zip(words, [0, *ends], ends, strict=False)}
        tokenizer = cls({}, (), {}, known)
        tokenizer._tables = {name: data[name] for name in _TABLES}
        return tokenizer

    def _read_tables(self) -> None:
        tables, self._tables = self._tables, None
        if tables is not None:
            self.chars = dict(zip(map(chr, tables["tok_chars"].tolist()), tables["tok_char_ids"].tolist(), strict=True))
            self.byte_ids = tuple(tables["tok_bytes"].tolist())
            self.merges = dict(zip(tables["tok_merge_keys"].tolist(), tables["tok_merge_values"].tolist(), strict=True))

    def word(self, word: str) -> tuple[int, ...]:
        """The token ids of one word (as it stands in a text, after a space)."""
        ids = self._words.get(word)
        if ids is None:
            ids = self._encode(_WORD_START + word)
            if len(self._words) < 65536:
                self._words[word] = ids
        return ids

    def _encode(self, piece: str) -> tuple[int, ...]:
        self._read_tables()
        parts: list[int] = []
        for ch in piece:
            found = self.chars.get(ch)
            if found is not None:
                parts.append(found)
            else:  # byte fallback: a character the vocabulary lacks is its UTF-8 bytes (never merged)
                parts.extend(-1 - self.byte_ids[b] for b in ch.encode("utf-8"))
        merges, none = self.merges, 1 << 62
        while len(parts) > 1:
            best, best_value = -1, none
            for i in range(len(parts) - 1):
                value = merges.get(parts[i] * _SPAN + parts[i + 1], none) if parts[i] >= 0 <= parts[i + 1] else none
                if value < best_value:
                    best, best_value = i, value
            if best < 0:
                break
            parts[best : best + 2] = [best_value % _SPAN]
        return tuple(p if p >= 0 else -1 - p for p in parts)


# ---------------------------------------------------------------------------
# The model: a memory-mapped token table and its tokenizer


class Model:
    """Token vectors (memory-mapped float16) and the tokenizer."""

    def __init__(self, table: Any, tokenizer: Tokenizer) -> None:
        self.table = table
        self.dims = int(table.shape[1])
        self.tokenizer = tokenizer

    def vector(self, normalized: str) -> Vectors:
        """The unit mean of the text's token vectors (all zeros for a text without tokens)."""
        import numpy as np

        word = self.tokenizer.word
        ids = [i for w in normalized.split() for i in word(w)]
        if not ids:
            return np.zeros(self.dims, dtype=np.float32)
        return _unit(self.table[ids].astype(np.float32).mean(axis=0))

    def vectors(self, texts: Sequence[str]) -> Vectors:
        """One unit vector per text, in order."""
        import numpy as np

        out = np.zeros((len(texts), self.dims), dtype=np.float32)
        for n, text in enumerate(texts):
            out[n] = self.vector(text)
        return out


def _unit(v: Vectors) -> Vectors:
    import numpy as np

    norm = np.linalg.norm(v, axis=-1, keepdims=True)
    return (v / np.where(norm == 0, 1, norm)).astype(np.float32)


def _memmap_safetensors(path: Path) -> Any:
    """The single tensor of a safetensors file, memory-mapped (no copy, no safetensors import)."""
    import numpy as np

    with path.open("rb") as f:
        (size,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(size))
    tensors = [v for k, v in header.items() if k != "__metadata__"]
    if len(tensors) != 1 or tensors[0]["dtype"] != "F16":
        raise ValueError("expected one float16 tensor")
    start, _end = tensors[0]["data_offsets"]
    return np.memmap(path, dtype="<f2", mode="r", offset=8 + size + start, shape=tuple(tensors[0]["shape"]))


_loaded: list[Model] = []  # the model, once read: every knowledge base in the process shares it


def load_model(tokenizer: Tokenizer | None = None) -> Model:
    """The installed model, read once per process; ``tokenizer``, when given, spares reading
    its file. Raises ModelUnavailable with one line when it cannot be read."""
    if _loaded:
        return _loaded[0]
    root = _package_dir()
    path = root.joinpath(*_WEIGHTS)
    try:
        table = _memmap_safetensors(path)
        if tokenizer is None:
            path = root.joinpath(*_TOKENIZER)
            tokenizer = Tokenizer.from_file(path)
    except (OSError, ValueError, KeyError, TypeError, struct.error) as exc:
        raise ModelUnavailable(f"{path}: cannot read the embedding model ({exc.__class__.__name__})") from None
    _loaded.append(Model(table, tokenizer))
    return _loaded[0]


# ---------------------------------------------------------------------------
# A knowledge base's vectors


@dataclass(frozen=True, slots=True)
class Texts:
    """What is embedded for one knowledge base, all normalised the way questions are."""

    phrasings: tuple[str, ...]  # one per phrasing of the index, in its order
    evidence: tuple[str, ...]  # answers and quotes
    evidence_owner: tuple[int, ...]  # the position of each one's entry
    vocabulary: tuple[str, ...]  # every content word of the article


def texts_for(index: Index) -> Texts:
    """What to embed for an index's knowledge base, normalised and with its synonyms applied."""
    evidence: list[str] = []
    evidence_owner: list[int] = []
    for n, record in enumerate(index.records):
        entry = record.entry
        for text in (entry.answer, *(q.text for q in entry.quotes)):
            if folded := index.canonical(normalize(text)):
                evidence.append(folded)
                evidence_owner.append(n)
    return Texts(tuple(index.wordings), tuple(evidence), tuple(evidence_owner), vocabulary_of(index))


def vocabulary_of(index: Index) -> tuple[str, ...]:
    """The article's own content words, in the order of the vocabulary's vectors. The article's
    only: a note's answer names what the article lacks ("Iran")."""
    article = index.kb.article
    words = {w for text in (*article.paragraphs, article.title) for w in normalize(text).split()}
    return tuple(sorted(w for w in words if len(w) > 2 and w.isalpha() and not is_function_word(w, index.lang)))


def content_key(index: Index) -> str:
    """The hash of everything the vectors depend on: the knowledge base as loaded, the code
    that turns it into texts, and the model (its files' sizes and times: another install is
    another model). A cache with another key is stale."""
    kb = index.kb
    h = hashlib.sha256(f"{MODEL_NAME}\0{CACHE_FORMAT}\0{index.uses_synonyms}".encode())
    try:
        root = _package_dir()
        for file in (_WEIGHTS, _TOKENIZER):
            info = root.joinpath(*file).stat()
            h.update(f"\0{info.st_size}\0{info.st_mtime_ns}".encode())
    except (ModelUnavailable, OSError):
        h.update(b"\0no model")
    here = Path(__file__).parent
    for module in ("text.py", "index.py", "semantic.py"):
        try:
            h.update((here / module).read_bytes())
        except OSError:
            h.update(module.encode())
    article = kb.article
    parts: list[str] = [article.title, *article.paragraphs]
    for canonical, variants in sorted(kb.synonyms.items()):
        parts += [canonical, *variants]
    for e in kb.entries:
        parts += [e.id, e.kind, e.topic, *e.all_questions, *e.keywords, e.answer, *(q.text for q in e.quotes)]
    h.update("\0".join(parts).encode())
    return h.hexdigest()


@dataclass(frozen=True, slots=True)
class QueryVectors:
    """One question against a knowledge base: per-entry best cosines, and every phrasing's."""

    vector: Vectors
    phrasing: Vectors  # per entry: the best cosine with one of its phrasings
    evidence: Vectors  # per entry: the best cosine with its answer or one of its quotes
    phrasings: Vectors  # per phrasing of the index, in its order
    best: float  # the best entry's phrasing cosine
    second: float  # the runner-up entry's


class SemanticIndex:
    """The vectors of one knowledge base and the model to embed questions with."""

    def __init__(self, model: Model, arrays: dict[str, Any], entries: int) -> None:
        import numpy as np

        self.model = model
        self.entries = entries
        self.phrasing_vectors: Vectors = arrays["phrasings"]
        self.evidence_vectors: Vectors = arrays["evidence"]
        self.vocabulary_vectors: Vectors = arrays["vocabulary"]
        self.phrasing_owner = np.asarray(arrays["phrasing_owner"], dtype=np.intp)
        self.evidence_owner = np.asarray(arrays["evidence_owner"], dtype=np.intp)
        self._word_cache: dict[str, float] = {}
        self._word_vectors: dict[str, Vectors] = {}
        self._neighbours: dict[str, tuple[int, float]] = {}

    def query(self, normalized: str) -> QueryVectors:
        """Cosines of a (normalised) question with every phrasing, answer and quote."""
        import numpy as np

        v = self.model.vector(normalized)
        phrasings = self.phrasing_vectors @ v
        best_phrasing = np.full(self.entries, -1.0, dtype=np.float32)
        np.maximum.at(best_phrasing, self.phrasing_owner, phrasings)
        best_evidence = np.full(self.entries, -1.0, dtype=np.float32)
        np.maximum.at(best_evidence, self.evidence_owner, self.evidence_vectors @ v)
        top = np.partition(best_phrasing, -2)[-2:] if self.entries > 1 else np.array([-1.0, best_phrasing.max()])
        return QueryVectors(v, best_phrasing, best_evidence, phrasings, float(top[1]), float(top[0]))

    def nearest_word(self, word: str) -> float:
        """The cosine of a word with its closest neighbour among the article's words
        ("intermediaries" ~ "mediators" is high; "iran" is low in an article that never names it)."""
        found = self._word_cache.get(word)
        if found is None:
            vocabulary = self.vocabulary_vectors
            found = float((vocabulary @ self.model.vector(word)).max()) if vocabulary.shape[0] else 0.0
            if len(self._word_cache) < 65536:
                self._word_cache[word] = found
        return found

    def neighbour(self, word: str) -> tuple[int, float]:
        """The article's word closest in meaning to a word, as its row of the vocabulary, and their
        cosine ("conciliator": "mediator"); (-1, 0.0) when the article has no words."""
        found = self._neighbours.get(word)
        if found is None:
            vocabulary = self.vocabulary_vectors
            if vocabulary.shape[0]:
                cosines = vocabulary @ self._vector(word)
                row = int(cosines.argmax())
                found = (row, float(cosines[row]))
            else:
                found = (-1, 0.0)
            if len(self._neighbours) < 65536:
                self._neighbours[word] = found
        return found

    def _vector(self, word: str) -> Vectors:
        vector = self._word_vectors.get(word)
        if vector is None:
            vector = self.model.vector(word)
            if len(self._word_vectors) < 4096:
                self._word_vectors[word] = vector
        return vector

    def nearest_among(self, word: str, rows: Sequence[int]) -> float:
        """The cosine of a word with its closest neighbour among some of the article's words (the
        vocabulary's ``rows``: one entry's words); 0 for none."""
        if not rows:
            return 0.0
        return float((self.vocabulary_vectors[list(rows)] @ self._vector(word)).max())


_VECTOR_ARRAYS = ("phrasings", "evidence", "vocabulary")


def cache_path(kb_path: Path) -> Path:
    """Where a knowledge base's vectors are cached: beside it, hidden."""
    return kb_path.with_name(f".{kb_path.name}.vectors.npz")


def _read_cache(path: Path, key: str, index: Index) -> tuple[dict[str, Any], Tokenizer] | None:
    import zipfile

    import numpy as np

    # a regular file this user's bot wrote (index_cache.seal), read without blocking on a FIFO
    sealed = index_cache.read_sealed(path, key, MAX_CACHE_BYTES)
    if sealed is None:
        return None
    try:
        with np.load(io.BytesIO(sealed), allow_pickle=False) as data:  # each array's CRC-32 is checked as it is read
            if str(data["key"]) != key:
                return None
            arrays: dict[str, Any] = {name: data[name].astype(np.float32) for name in _VECTOR_ARRAYS}
            arrays["phrasing_owner"] = data["phrasing_owner"]
            arrays["evidence_owner"] = data["evidence_owner"]
            tokenizer = Tokenizer.from_arrays(data)
    except (OSError, ValueError, KeyError, TypeError, EOFError, zipfile.BadZipFile):
        return None
    consistent = (
        arrays["phrasings"].shape[0] == len(index.wordings) == arrays["phrasing_owner"].shape[0]
        and arrays["evidence"].shape[0] == arrays["evidence_owner"].shape[0]
        and all(arrays[n].ndim == 2 and arrays[n].shape[1] == arrays["phrasings"].shape[1] for n in _VECTOR_ARRAYS)
    )
    return (arrays, tokenizer) if consistent else None


def _write_cache(path: Path, key: str, arrays: dict[str, Any], tokenizer: Tokenizer, words: Sequence[str]) -> None:
    """Write atomically, beside the knowledge base or else in the user's cache folder
    (``index_cache.write_atomic``); where neither can be written, no cache."""
    import numpy as np

    if sum(a.nbytes for a in arrays.values()) > MAX_CACHE_BYTES // 2:
        return
    buffer = io.BytesIO()
    np.savez(buffer, key=np.array(key), **{**arrays, **tokenizer.arrays(words)})
    sealed = index_cache.seal(key, buffer.getvalue())  # None without the user's secret: no cache
    if sealed is not None:
        index_cache.write_atomic(path, lambda f: f.write(sealed))


def build(index: Index, *, cache: bool = True) -> SemanticIndex:
    """The knowledge base's vectors, from the cache beside it when it holds this content.

    Raises ModelUnavailable when the model cannot be read."""
    import numpy as np

    key = content_key(index)
    path = cache_path(index.kb.path) if cache else None
    for where in (path, index_cache.fallback_path(path)) if path is not None else ():
        cached = _read_cache(where, key, index) if where is not None else None
        if cached is not None:
            arrays, tokenizer = cached
            return SemanticIndex(load_model(tokenizer), arrays, len(index.records))
    model = load_model()
    texts = texts_for(index)
    # Kept in float16 like the model, in memory as in the cache, so a rebuilt index and a
    # cached one score alike.
    arrays = {
        "phrasings": model.vectors(texts.phrasings).astype(np.float16),
        "evidence": model.vectors(texts.evidence).astype(np.float16),
        "vocabulary": model.vectors(texts.vocabulary).astype(np.float16),
        "phrasing_owner": np.array([p.owner for p in index.phrasings], dtype=np.int32),
        "evidence_owner": np.array(texts.evidence_owner, dtype=np.int32),
    }
    if path is not None:
        # the words a question shares with the knowledge base need no tokenizer tables next time
        words = sorted({w for t in (*texts.phrasings, *texts.evidence, *texts.vocabulary) for w in t.split()})
        _write_cache(path, key, arrays, model.tokenizer, words)
    arrays.update({name: arrays[name].astype(np.float32) for name in _VECTOR_ARRAYS})
    return SemanticIndex(model, arrays, len(index.records))
