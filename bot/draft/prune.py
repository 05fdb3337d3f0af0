"""Pruning: the draft must pass `check` untouched, so phrasings that do not reach their own entry, and
entries left with too few, are dropped with the real matcher.
"""

from __future__ import annotations

import re
from typing import Any

from rapidfuzz import fuzz, process

from bot import knowledge
from bot.draft.grammar import _Vocabulary
from bot.draft.phrasing import MIN_PHRASINGS
from bot.matcher import Matcher, normalize

NEAR_IDENTICAL = 95  # matcher.lint's limit for two entries' phrasings


def _link(entries: list[dict[str, Any]]) -> None:
    """Related: the next and previous sentence of the same paragraph, and who-is entries of the people named."""
    by_sentence = {e["_sentence"]: e["id"] for e in entries if "_sentence" in e}
    who = {name: e["id"] for e in entries if e.get("_who") for name in e.get("about", [])}
    ids = {e["id"] for e in entries}
    for entry in entries:
        related: list[str] = []
        if "_sentence" in entry:
            p, i = entry["_sentence"]
            same = sorted((k for k in by_sentence if k[0] == p and k != (p, i)), key=lambda k: abs(k[1] - i))
            related += [by_sentence[k] for k in [*same, (p + 1, 0)] if k in by_sentence]
        related += [who[n] for n in entry.get("about", []) if n in who]
        if entry.get("_who"):  # a person's entry points to what they said or did: no rival to it
            related += [e["id"] for e in entries if "_sentence" in e and set(entry["about"]) & set(e.get("about", []))]
        entry["related"] = [r for r in dict.fromkeys(related) if r != entry["id"] and r in ids][:6]


def _dedupe(entries: list[dict[str, Any]]) -> None:
    """Drop a phrasing near-identical to another entry's (``lint`` would flag both)."""
    owners: list[tuple[int, str]] = []
    for n, entry in enumerate(entries):
        keep = []
        for text in [entry["question"], *entry["phrasings"]]:
            folded = normalize(text)
            hit = process.extractOne(folded, [t for _, t in owners], scorer=fuzz.ratio, score_cutoff=NEAR_IDENTICAL - 1)
            if hit is not None and owners[hit[2]][0] != n:
                continue
            owners.append((n, folded))
            keep.append(text)
        if entry["question"] not in keep and keep:
            # its question is near-identical to another entry's ("What did X say about the board?"
            # twice): the first phrasing of its own asks instead
            entry["question"] = _as_question(keep.pop(0))
        entry["phrasings"] = [p for p in keep if p != entry["question"]]


def _as_question(phrasing: str) -> str:
    """A phrasing written as an entry's question: capitalised, with its question mark."""
    text = phrasing.rstrip(" ?")
    return text[0].upper() + text[1:] + "?"


def _top_up(entry: dict[str, Any]) -> None:
    """A sentence's entry left with too few phrasings (its others near-identical to entries' before it:
    "tell me about the trust", "who declined") is asked by its own key words instead of dropped, so the
    fact stays in the draft ("The trust declined to comment on that figure." -> "trust declined comment
    figure"). The key words are its id's: the sentence's rarest words, unique to it."""
    if entry.get("kind", "answer") != "answer" or not entry["topic"].startswith("Paragraph"):
        return
    words = [w for w in entry["id"].split("-") if len(w) > 1 or w.isdigit()]  # "0" tells "sentence 0" apart
    if len(words) < 3:
        return
    have = {normalize(p) for p in [entry["question"], *entry["phrasings"]]}
    for extra in (" ".join(words), " ".join(words[1:]), " ".join(words[:-1]), f"what about {' '.join(words)}"):
        if len(entry["phrasings"]) >= MIN_PHRASINGS:
            break
        if normalize(extra) not in have:
            entry["phrasings"].append(extra)
            have.add(normalize(extra))


def _strip(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in e.items() if not k.startswith("_")} for e in entries]


def prune(data: dict[str, Any], rounds: int = 6) -> tuple[dict[str, Any], list[str]]:
    """Keep only phrasings that reach their own entry; drop entries left with too few or whose
    question misses. Repeated, since dropping a phrasing changes what the others reach."""
    dropped: list[str] = []
    for _ in range(rounds):
        kb, problems = knowledge.parse({**data, "entries": _strip(data["entries"])}, "draft")
        if kb is None:
            raise ValueError("; ".join(map(str, problems[:3])))
        matcher = Matcher(kb)
        changed = False
        keep = []
        for raw, entry in zip(data["entries"], kb.entries, strict=True):
            good = [p for p in entry.phrasings if matcher.match(p).entry is entry]
            if len(good) != len(entry.phrasings):
                changed = True
                raw["phrasings"] = good
            if matcher.match(entry.question).entry is not entry and len(good) > MIN_PHRASINGS:
                # the question itself misses: a phrasing that reaches the entry takes its place
                # (the one saying most in at most 12 words: "Who said nobody came to look?", not
                # "What happened with nobody?")
                best = max(good, key=lambda p: (len(p.split()) <= 12, len(_Vocabulary.words(p)), -good.index(p)))
                raw["question"] = _as_question(best)
                raw["phrasings"] = [p for p in good if p is not best]
                changed = True
            if len(raw["phrasings"]) < MIN_PHRASINGS or (matcher.match(entry.question).entry is not entry and not good):
                dropped.append(entry.id)
                changed = True
                continue
            keep.append(raw)
        data["entries"] = keep
        ids = {e["id"] for e in keep}
        for e in keep:
            e["related"] = [r for r in e["related"] if r in ids]
        data["starters"] = [s for s in data.get("starters", []) if s in ids]
        if not changed:
            break
    return data, dropped


def _final_check(data: dict[str, Any]) -> list[str]:
    from bot import curation
    from bot.matcher import lint

    kb, problems = knowledge.parse(data, "draft")
    if kb is None:
        return [str(p) for p in problems]
    matcher = Matcher(kb)
    return [str(p) for p in [*lint(kb, matcher), *curation.check(data, kb, matcher)]]


def _fix_lint(data: dict[str, Any], rounds: int = 4) -> list[str]:
    """Whatever `check` still reports after pruning: drop the phrasings it names, or the entry."""
    problems: list[str] = []
    for _ in range(rounds):
        problems = _final_check(data)
        if not problems:
            return []
        named = re.compile(
            r"entry '([^']+)': field '(phrasings(?:\[(\d+)\])?|question)': (?:'(.*?)' is near-identical)?"
        )
        by_id = {e["id"]: e for e in data["entries"]}
        for line in problems:
            m = named.search(line)
            if not m or m[1] not in by_id:
                continue
            entry = by_id[m[1]]
            if m[3] is not None and int(m[3]) < len(entry["phrasings"]):
                entry["phrasings"][int(m[3])] = ""
            elif m[4] and normalize(entry["question"]) == m[4] and entry["phrasings"]:
                entry["question"] = _as_question(entry["phrasings"].pop(0))  # its question: a phrasing asks instead
            elif m[4]:
                entry["phrasings"] = [p for p in entry["phrasings"] if normalize(p) != m[4]]
            elif m[2] == "question" and len(entry["phrasings"]) >= MIN_PHRASINGS:
                # its question misses ("What happened with the trust?" is ambiguous): a phrasing asks instead
                best = max(entry["phrasings"], key=lambda p: (len(p.split()) <= 12, len(_Vocabulary.words(p))))
                entry["question"] = _as_question(best)
                entry["phrasings"] = [p for p in entry["phrasings"] if p is not best]
            elif m[2] == "question":
                entry["_drop"] = True
        for entry in data["entries"]:
            entry["phrasings"] = [p for p in entry["phrasings"] if p]
            if len(entry["phrasings"]) < MIN_PHRASINGS and not entry.get("_drop"):
                _top_up(entry)
        data["entries"] = [e for e in data["entries"] if not e.get("_drop") and len(e["phrasings"]) >= MIN_PHRASINGS]
        ids = {e["id"] for e in data["entries"]}
        for e in data["entries"]:
            e["related"] = [r for r in e["related"] if r in ids]
        data["starters"] = [s for s in data["starters"] if s in ids]
    return problems
