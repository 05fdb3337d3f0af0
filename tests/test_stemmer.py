"""The stemmer the bot runs is the C one (PyStemmer, which snowballstemmer picks when it is
installed), and it stems exactly as snowballstemmer's own pure-Python English stemmer: a
different stem would move answers, so an upgrade of either that disagrees must fail here."""

from __future__ import annotations

import re

import snowballstemmer
from snowballstemmer.english_stemmer import EnglishStemmer

from tests.conftest import ROOT

KNOWLEDGE_BASES = [
    "faq.json",
    "tests/data/synthetic/faq.json",
    "tests/data/port-alder/faq.json",
    "tests/data/third/faq.json",
]


def test_the_stemmer_in_use_is_the_c_one() -> None:
    """PyStemmer is a declared dependency: without it this fails (a skip would look green)."""
    import Stemmer

    assert isinstance(snowballstemmer.stemmer("english"), Stemmer.Stemmer)


def test_the_c_and_the_python_stemmers_stem_alike() -> None:
    """Every word of the knowledge bases and question sets, and every 16th of the English word
    list (all 127,183 agree too, but take 7 s to stem in Python)."""
    words = set((ROOT / "bot" / "english_words.txt").read_text(encoding="utf-8").split()[::16])
    for path in [*(ROOT / name for name in KNOWLEDGE_BASES), *sorted((ROOT / "tests" / "data").rglob("*.jsonl"))]:
        words |= set(re.findall(r"[^\W\d_]+", path.read_text(encoding="utf-8").casefold()))
    python, used = EnglishStemmer(), snowballstemmer.stemmer("english")
    differ = [w for w in sorted(words) if python.stemWord(w) != used.stemWord(w)]
    assert len(words) > 10_000
    assert differ == []
