"""Write bot/english_words.txt, the English words typo repair never rewrites ("position" is not
a misspelt "petition").

Derived from pyspellchecker's English word-frequency list (pyspellchecker is MIT licensed; its
list was built by its author from OpenSubtitles2018 word counts, cleaned by hand): every entry of
four letters or more (shorter words are never repaired), alphabetic ASCII, one per line, sorted so
bot.text can binary-search the file without building a set. Run ``python -m tests.make_english_words``
after upgrading pyspellchecker, and commit the result.
"""

from __future__ import annotations

import gzip
import json
from importlib import resources
from pathlib import Path

from bot.index import MIN_REPAIR_LETTERS

OUT = Path(__file__).resolve().parent.parent / "bot" / "english_words.txt"


def words() -> list[str]:
    source = resources.files("spellchecker") / "resources" / "en.json.gz"
    frequency = json.loads(gzip.decompress(source.read_bytes()))
    return sorted(w for w in frequency if len(w) >= MIN_REPAIR_LETTERS and w.isascii() and w.isalpha())


def main() -> int:
    found = words()
    OUT.write_text("\n".join(found) + "\n", encoding="ascii")
    print(f"{OUT}: {len(found)} words")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
