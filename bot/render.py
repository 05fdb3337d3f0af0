"""Turn a Match into what people read: Telegram HTML, plain text or JSON.

All markup is built here, and every curated or user string is escaped here, once.
Buttons are plain (label, callback data) pairs so this module needs no Telegram import.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from html import escape
from typing import Any

from bot import callbacks
from bot.commands import COMMANDS, Audience, Command
from bot.conversation import Aside, Resolution
from bot.knowledge import Entry, KnowledgeBase, Quote
from bot.matcher import Match
from bot.multi import Part, Split

MAX_MESSAGE_CHARS = 4096  # Telegram's limit for one message (MessageLimit.MAX_TEXT_LENGTH)
MAX_BUTTON_LABEL = 60
# Only a curated note may say "the article doesn't say": the bot not finding something is not that.
NOT_FOUND = "I couldn't find that in the article."
# a question of nobody named with nothing before it to read it against: not a greeting, not "not found"
UNCLEAR = "I'm not sure what that refers to: ask again with a name or a subject from the article."
CANNOT_READ = "I can only read questions in the language the article is written in."  # not "doesn't say": unread
NOT_COVERED = "Not in the article:"  # heads a curated note on something the article does not answer
# an answer shown as the nearest thing to a detail it lacks (faq.json's "lacks", or the answer in context):
# the answer is no "not in the article" itself, so the heading says what is missing is what was asked
NOT_ASKED = "what you asked."
NEAREST_ANSWER = "The nearest it gives is its answer to"
NEAREST_QUOTES = "The nearest thing the article says:"
NOT_FOUND_REST = "I couldn't find the rest in the article:"  # a message in parts: the parts nothing answers
UNSURE_PART = "could mean more than one thing. Did you mean:"  # a message in parts: a part with candidates


@dataclass(frozen=True, slots=True)
class Button:
    label: str
    data: str  # callback data; ids are short slugs so this stays far below 64 bytes


@dataclass(frozen=True, slots=True)
class Reply:
    """One or more HTML messages; the buttons go under the last one."""

    parts: tuple[str, ...]
    buttons: tuple[tuple[Button, ...], ...] = field(default=())


def entry_button(entry: Entry) -> Button:
    return Button(shorten(entry.question, MAX_BUTTON_LABEL), callbacks.encode(callbacks.ANSWER, entry.id))


def shorten(text: str, limit: int) -> str:
    """Cut at a word boundary with an ellipsis (labels and previews only, never quotes)."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip(" ,;:") + "…"


def _rows(buttons: Sequence[Button]) -> tuple[tuple[Button, ...], ...]:
    return tuple((b,) for b in buttons)


# ---------------------------------------------------------------------------
# Shared pieces


def paragraph_label(kb: KnowledgeBase, quote: Quote) -> str:
    return "page header" if quote.in_header else f"¶{quote.paragraph} of {len(kb.article.paragraphs)}"


def source_line(kb: KnowledgeBase) -> str:
    article = kb.article
    return f"From “{article.title}” ({article.section}), as reported on {article.date_text}."


def with_starters(kb: KnowledgeBase, entries: Sequence[Entry], count: int = 3) -> tuple[Entry, ...]:
    """The given entries, then the knowledge base's starter questions, without repeats."""
    unique = {e.id: e for e in (*entries, *kb.starter_entries())}
    return tuple(unique.values())[:count]


def note_follow_ups(kb: KnowledgeBase, entry: Entry, count: int = 3) -> tuple[Entry, ...]:
    """What to ask after a "not in the article" reply: the entry's answerable related entries,
    then the starters. The same in Telegram, the terminal and JSON."""
    related = [e for rid in entry.related if (e := kb.get(rid)) is not None and e.covered]
    return with_starters(kb, related, count)


def suggestions_for(match: Match, kb: KnowledgeBase, count: int = 3) -> tuple[Entry, ...]:
    """What to offer after a reply that is not an answer: a note's related entries, or the
    did-you-mean candidates; either padded with the knowledge base's starter questions."""
    if match.entry is not None and match.status != "answered":
        return note_follow_ups(kb, match.entry, count)
    if match.thanked:
        return ()  # "thanks!" closes a question: nothing more to push
    return with_starters(kb, match.suggestions, count)


def plain_quote(text: str) -> str:
    """A quote for the terminal, in quotation marks unless it already opens or closes with one
    (“…crisis.”” would show a doubled closing mark)."""
    return text if text.startswith("“") or text.endswith("”") else f"“{text}”"


def answer_text(match: Match, kb: KnowledgeBase) -> str:
    if match.entry is not None:
        return match.entry.answer
    if match.status == "ambiguous":
        return "The question could mean more than one thing. Did you mean one of these?"
    if match.thanked:
        return f"{WELCOME} Ask me anything else about the article “{kb.article.title}”."
    if match.unclear:
        return f"{UNCLEAR} For example:"
    if match.no_question:
        return f"Ask me anything about the article “{kb.article.title}”, for example one of these."
    if match.other_script:
        return f"{CANNOT_READ} Try one of these questions instead."
    return f"{NOT_FOUND} The nearest questions it answers:" if match.suggestions else f"{NOT_FOUND} You could ask:"


# ---------------------------------------------------------------------------
# JSON (a public interface: keep the field names stable)


def to_json(match: Match, kb: KnowledgeBase) -> dict[str, Any]:
    entry = match.entry
    quotes = entry.quotes if entry is not None else ()
    suggestions = () if match.status == "answered" else suggestions_for(match, kb)
    return {
        "question": match.query,
        "status": match.status,
        "score": match.score,
        "faq_id": entry.id if entry is not None and match.status == "answered" else None,
        "answer": answer_text(match, kb),
        "quotes": [{"text": q.text, "attribution": q.attribution, "paragraph": q.paragraph} for q in quotes],
        "suggestions": [e.question for e in suggestions],
        # only a "not covered" note's id: an answer shown as the nearest thing is no note
        "note_id": entry.id if entry is not None and not entry.covered else None,
        # what the quotes come from, so nobody takes them for today's news
        "source": {"title": kb.article.title, "date": kb.article.date.isoformat(), "section": kb.article.section},
    }


# ---------------------------------------------------------------------------
# Plain text (terminal)


def _answer_lines(match: Match, kb: KnowledgeBase) -> list[str]:
    """The answer (or note) and its quotes with their attributions, as terminal lines."""
    entry = match.entry
    note = entry is not None and match.status != "answered"  # a note, or an answer to a detail it says is missing
    if entry is not None and note and entry.covered:  # the answer is the nearest thing, not what is missing
        lines = [f"{NOT_COVERED} {NOT_ASKED}", f"{NEAREST_ANSWER} “{entry.question}”:", answer_text(match, kb)]
    else:
        lines = [NOT_COVERED, answer_text(match, kb)] if note else [answer_text(match, kb)]
    if entry is not None and entry.quotes:
        lines.append("")
        if note and not entry.covered:
            lines.append(NEAREST_QUOTES)
        for quote in entry.quotes:
            lines.append(f"  {plain_quote(quote.text)}")
            lines.append(f"    — {quote.attribution} ({paragraph_label(kb, quote)})")
    return lines


def to_plain(match: Match, kb: KnowledgeBase) -> str:
    lines = _answer_lines(match, kb)
    if match.status != "answered":
        suggestions = suggestions_for(match, kb)
        if suggestions:
            lines.append("")
            if match.entry is not None:  # without an entry, answer_text already leads into the list
                lines.append("You could ask:" if match.status == "no_match" else "Did you mean:")
            lines.extend(f"  • {e.question}" for e in suggestions)
    else:
        lines.append("")
        lines.append(source_line(kb))
    return "\n".join(lines)


def asked_parts(parts: Sequence[Part]) -> str:
    """The parts' own words, each in quotation marks: “when are they due back?” and “why?”."""
    quoted = [f"“{p.question.rstrip('?')}?”" for p in parts]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} and {quoted[-1]}"


def split_plain(split: Split, kb: KnowledgeBase) -> str:
    """A message asked in parts: each part found, in order, under the question it answers; the
    parts nothing answers named; the article's title and date once."""
    lines: list[str] = []
    for part in split.parts:
        if part.missing:
            continue
        if part.unsure:  # its did-you-mean, under its own words
            lines += [*([""] if lines else []), f"{asked_parts((part,))} {UNSURE_PART}"]
            lines += [f"  • {e.question}" for e in part.match.suggestions[:3]]
            continue
        entry = part.match.entry
        lines += [*([""] if lines else []), f"▸ {entry.question if entry is not None else part.question}"]
        lines += _answer_lines(part.match, kb)
    if split.missing:
        lines += ["", f"{NOT_FOUND_REST} {asked_parts(split.missing)}"]
    lines += ["", source_line(kb)]
    return "\n".join(lines)


# ---------------------------------------------------------------------------
# Telegram HTML


def _quote_html(kb: KnowledgeBase, quote: Quote, *, expandable: bool = False) -> str:
    tag = "<blockquote expandable>" if expandable else "<blockquote>"
    return (
        f"{tag}{escape(quote.text)}</blockquote>\n— <i>{escape(quote.attribution)}</i> ({paragraph_label(kb, quote)})"
    )


def _entry_html(kb: KnowledgeBase, entry: Entry, *, note: bool, source: bool = True) -> list[str]:
    if note and entry.covered:  # an answer shown as the nearest thing to a detail it lacks: not what is missing
        nearest = f"{NEAREST_ANSWER} <b>“{escape(entry.question)}”</b>:"
        blocks = [f"<b>{NOT_COVERED}</b> {NOT_ASKED}\n{nearest}\n{escape(entry.answer)}"]
    else:
        heading = f"<b>{NOT_COVERED}</b> {escape(entry.question)}" if note else f"<b>{escape(entry.question)}</b>"
        blocks = [f"{heading}\n{escape(entry.answer)}"]
    if entry.quotes and note and not entry.covered:
        blocks.append(NEAREST_QUOTES)
    long_answer = sum(len(q.text) for q in entry.quotes) > 1500
    blocks += [_quote_html(kb, q, expandable=long_answer) for q in entry.quotes]
    if source:
        blocks.append(f"<i>{escape(source_line(kb))}</i>")
    return blocks


def pack(blocks: Sequence[str], limit: int = MAX_MESSAGE_CHARS) -> tuple[str, ...]:
    """Join blocks into as few messages as fit the limit, splitting only between blocks.

    No block can be longer than the limit: each holds at most one article paragraph, and
    ``knowledge`` refuses paragraphs longer than ``MAX_PARAGRAPH_CHARS``."""
    parts: list[str] = []
    current = ""
    for block in blocks:
        candidate = f"{current}\n\n{block}" if current else block
        if len(candidate) <= limit:
            current = candidate
            continue
        if current:
            parts.append(current)
        if len(block) > limit:
            raise ValueError(f"a block of {len(block)} characters cannot fit one message")
        current = block
    if current:
        parts.append(current)
    return tuple(parts)


def entry_reply(kb: KnowledgeBase, entry: Entry, *, feedback: bool = False, note: bool | None = None) -> Reply:
    """The answer to an entry (from a match or a button), with follow-up buttons. ``note``: show it
    as "not in the article" (a note always is; an answer is when asked for a detail it says is missing)."""
    note = not entry.covered if note is None else note
    buttons: list[tuple[Button, ...]] = []
    if feedback and not note:
        buttons.append(
            (
                Button("👍", callbacks.encode(callbacks.FEEDBACK, entry.id, 1)),
                Button("👎", callbacks.encode(callbacks.FEEDBACK, entry.id, 0)),
            )
        )
    if entry.quotes:
        buttons.append((Button("📖 Show context", callbacks.encode(callbacks.CONTEXT, entry.id, 0)),))
    related: Sequence[Entry] = [e for rid in entry.related if (e := kb.get(rid)) is not None]
    if note:  # point to answerable questions only, the starters as a fallback
        related = note_follow_ups(kb, entry)
    buttons += [(entry_button(e),) for e in related[:3]]
    return Reply(pack(_entry_html(kb, entry, note=note)), tuple(buttons))


def split_reply(split: Split, kb: KnowledgeBase) -> Reply:
    """A message asked in parts: each part found, in order (a note as "not in the article"), the
    parts nothing answers named, the source once; as many messages as the limit needs, split only
    between blocks. No feedback buttons (a vote would not say which answer it is on): a "Show
    context" button per answer, then what the last answer relates to."""
    blocks: list[str] = []
    for part in split.parts:
        if part.match.entry is not None:
            blocks += _entry_html(kb, part.match.entry, note=part.noted, source=False)
        elif part.unsure:  # its did-you-mean, under its own words; the candidates are buttons below
            blocks.append(f"{escape(asked_parts((part,)))} {escape(UNSURE_PART)}")
    if split.missing:
        blocks.append(f"{escape(NOT_FOUND_REST)} {escape(asked_parts(split.missing))}")
    blocks.append(f"<i>{escape(source_line(kb))}</i>")
    answers = [p.match.entry for p in split.answered if p.match.entry is not None]
    buttons = [
        Button(shorten(f"📖 {entry.question}", MAX_BUTTON_LABEL), callbacks.encode(callbacks.CONTEXT, entry.id, 0))
        for entry in answers
        if entry.quotes
    ]
    shown = {p.match.entry.id for p in split.parts if p.match.entry is not None}
    candidates = [e for p in split.unsure for e in p.match.suggestions[:3] if e.id not in shown]
    buttons += [entry_button(e) for e in dict.fromkeys(candidates)]
    shown |= {e.id for e in candidates}
    last = answers[-1]
    related = [e for rid in last.related if rid not in shown and (e := kb.get(rid)) is not None]
    buttons += [entry_button(e) for e in related[:2]]
    return Reply(pack(blocks), _rows(buttons))


def match_reply(match: Match, kb: KnowledgeBase, *, feedback: bool = False) -> Reply:
    if match.entry is not None:
        return entry_reply(kb, match.entry, feedback=feedback, note=match.status != "answered")
    suggestions = suggestions_for(match, kb)
    if match.status == "ambiguous":
        text = "I'm not sure which of these you mean. Did you mean:"
    elif match.thanked:
        text = f"{WELCOME} Ask me anything else about “{escape(kb.article.title)}”."
    elif match.unclear:
        text = f"{escape(UNCLEAR)} For example:"
    elif match.no_question:
        text = f"Hi! Ask me anything about the article “{escape(kb.article.title)}”. For example:"
    elif match.other_script:
        title = escape(kb.article.title)
        text = f"Sorry, I can only read questions in the language “{title}” is written in. You could ask:"
    else:
        near = "The nearest questions it answers:" if match.suggestions else "You could ask:"
        text = f"Sorry, I couldn't find that in “{escape(kb.article.title)}”. {near}"
    return Reply((text,), _rows([entry_button(e) for e in suggestions]))


def context_reply(kb: KnowledgeBase, entry: Entry, index: int) -> Reply | None:
    """The whole paragraph around one of the entry's quotes, the quote in bold."""
    if not 0 <= index < len(entry.quotes):
        return None
    quote = entry.quotes[index]
    if quote.in_header:  # the header line it quotes
        paragraph = next((t for t in kb.article.header_texts if quote.text in t), quote.text)
    else:
        paragraph = kb.article.paragraphs[quote.paragraph - 1]
    before, _, after = paragraph.partition(quote.text)
    body = f"{escape(before)}<b>{escape(quote.text)}</b>{escape(after)}"
    text = f"<b>Context</b> ({paragraph_label(kb, quote)}):\n<blockquote expandable>{body}</blockquote>"
    buttons: list[tuple[Button, ...]] = []
    if index + 1 < len(entry.quotes):
        buttons.append((Button("Next quote ▶", callbacks.encode(callbacks.CONTEXT, entry.id, index + 1)),))
    reader = callbacks.encode(callbacks.OPEN_READER, max(quote.paragraph, 1))  # a header quote reads from ¶1
    buttons.append((Button("📰 Read the article from here", reader),))
    return Reply((text,), tuple(buttons))


def read_reply(kb: KnowledgeBase, number: int) -> Reply:
    """One paragraph of the article with ◀ ▶ paging (the same message is edited)."""
    total = len(kb.article.paragraphs)
    number = min(max(number, 1), total)
    head = f"<b>{escape(kb.article.title)}</b> — ¶{number} of {total}"
    text = f"{head}\n\n{escape(kb.article.paragraphs[number - 1])}"
    nav = []
    if number > 1:
        nav.append(Button("◀", callbacks.encode(callbacks.READ, number - 1)))
    if number < total:
        nav.append(Button("▶", callbacks.encode(callbacks.READ, number + 1)))
    return Reply((text,), (tuple(nav),) if nav else ())


def topics_reply(kb: KnowledgeBase) -> Reply:
    topics = list(kb.topics())
    buttons = _rows(
        [Button(shorten(t, MAX_BUTTON_LABEL), callbacks.encode(callbacks.TOPIC, n)) for n, t in enumerate(topics)]
    )
    return Reply(("<b>Topics</b> — pick one to see its questions:",), buttons)


def topic_reply(kb: KnowledgeBase, number: int) -> Reply | None:
    topics = list(kb.topics().items())
    if not 0 <= number < len(topics):
        return None
    name, entries = topics[number]
    return Reply((f"<b>{escape(name)}</b>",), _rows([entry_button(e) for e in entries]))


def speakers_reply(kb: KnowledgeBase) -> Reply:
    speakers = kb.speakers()
    lines = ["<b>Who is quoted or cited</b>"]
    lines += [f"• {escape(name)} — {len(quotes)} statement(s)" for name, quotes in speakers.items()]
    buttons = _rows(
        [
            Button(shorten(name, MAX_BUTTON_LABEL), callbacks.encode(callbacks.SPEAKER, n))
            for n, name in enumerate(speakers)
        ]
    )
    return Reply(("\n".join(lines),), buttons)


def speaker_reply(kb: KnowledgeBase, number: int) -> Reply | None:
    speakers = list(kb.speakers().items())
    if not 0 <= number < len(speakers):
        return None
    name, quotes = speakers[number]
    blocks = [f"<b>{escape(name)}</b>"] + [_quote_html(kb, q) for q in quotes]
    return Reply(pack(blocks))


def source_reply(kb: KnowledgeBase) -> Reply:
    article = kb.article
    text = (
        f"<b>{escape(article.title)}</b>\n"
        f"Section: {escape(article.section)}\n"
        f"Date: {escape(article.date_text)}\n"
        f"Paragraphs: {len(article.paragraphs)}\n\n"
        f"{escape(article.source_note)}"
    )
    return Reply((text,), ((Button("📰 Read it here", callbacks.encode(callbacks.OPEN_READER, 1)),),))


def start_reply(kb: KnowledgeBase) -> Reply:
    article = kb.article
    text = (
        f"Hi! I answer questions about one news article, “<b>{escape(article.title)}</b>” "
        f"({escape(article.section)}, {escape(article.date_text)}), with the article's own words as proof.\n\n"
        "Ask me anything about it in your own words. If the article doesn't say, I'll tell you.\n"
        "Try one of these:"
    )
    return Reply((text,), _rows([entry_button(e) for e in kb.starter_entries()[:3]]))


def example_question(kb: KnowledgeBase) -> str:
    """A question this knowledge base answers, for usage hints: the first starter."""
    starters = kb.starter_entries()
    return starters[0].question if starters else "What is the article about?"


def ask_usage(kb: KnowledgeBase) -> str:
    return f"Ask a question after the command, for example: <code>/ask {escape(example_question(kb))}</code>"


def help_reply(kb: KnowledgeBase, bot_username: str) -> str:
    mention = f"@{escape(bot_username)}" if bot_username else "the bot"
    sections = [
        f"<b>How to ask</b>\nJust send a question about “{escape(kb.article.title)}”. "
        "Every answer quotes the article word for word and says who said it.",
        "<b>In groups</b>\n"
        f"Mention me ({mention} your question), use /ask your question, or reply to one of my messages. "
        "I stay quiet otherwise. Group admins can send /quiet on to make me answer only /ask and replies.",
        f"<b>Anywhere</b>\nType {mention} and a question in any chat to share an answer.",
    ]
    for title, audience in HELP_SECTIONS:
        lines = [_command_line(c) for c in COMMANDS if c.audience == audience]
        sections.append("\n".join([f"<b>{title}</b>", *lines]))
    return "\n\n".join(sections)


HELP_SECTIONS: tuple[tuple[str, Audience], ...] = (
    ("Commands", "everyone"),
    ("For group admins", "group_admins"),
    ("For the bot's admins", "bot_admins"),
)


def _command_line(command: Command) -> str:
    usage = f" {escape(command.usage)}" if command.usage else ""
    return f"/{command.name}{usage} — {escape(command.description, quote=False)}"


def button_reply(kb: KnowledgeBase, verb: str, args: list[str]) -> Reply | None:
    """What a button press shows; None for data this knowledge base cannot honour."""
    numbers = [n for a in args if (n := callbacks.parse_number(a)) is not None]
    if verb == callbacks.ANSWER and len(args) == 1:
        entry = kb.get(args[0])
        return entry_reply(kb, entry) if entry else None
    if verb == callbacks.CONTEXT and len(args) == 2 and len(numbers) == 1:
        entry = kb.get(args[0])
        return context_reply(kb, entry, numbers[0]) if entry else None
    if len(args) != 1 or len(numbers) != 1:
        return None
    if verb == callbacks.TOPIC:
        return topic_reply(kb, numbers[0])
    if verb == callbacks.SPEAKER:
        return speaker_reply(kb, numbers[0])
    if verb in (callbacks.READ, callbacks.OPEN_READER) and 1 <= numbers[0] <= len(kb.article.paragraphs):
        return read_reply(kb, numbers[0])
    return None


def parse_feedback(kb: KnowledgeBase, args: list[str]) -> tuple[str, int] | None:
    """(entry id, +1/-1) from 👍/👎 callback data; None when forged or stale."""
    if len(args) == 2 and kb.get(args[0]) is not None and args[1] in ("0", "1"):
        return args[0], 1 if args[1] == "1" else -1
    return None


def repeat_html(entry: Entry, link: str | None, minutes: int) -> str:
    """A short pointer to an answer already given in this group, instead of a second copy."""
    when = "just now" if minutes < 1 else f"{minutes} min ago"
    if link is None:
        return f"I answered “{escape(entry.question)}” {when}: see the answer I'm replying to."
    return f'I answered “{escape(entry.question)}” {when}: <a href="{escape(link)}">see the answer</a>.'


def quiet_status_html(quiet: bool, *, changed: bool = False) -> str:
    state = (
        "Quiet mode is on: in this group I answer only /ask and replies to my messages."
        if quiet
        else "Quiet mode is off: I answer mentions, /ask and replies to my messages."
    )
    return state if changed else f"{state}\nGroup admins can switch it with /quiet on or /quiet off."


MAX_NOTE_CHARS = 600  # escaped (at most 6 characters each), still far inside one message
MAX_STATS_QUESTION_CHARS = 100


def note_html(text: str) -> str:
    """Plain text (e.g. a file path or an error) as a message body, bounded to fit one message."""
    return escape(shorten(text, MAX_NOTE_CHARS))


def stats_reply(stats: dict[str, Any]) -> Reply:
    """/stats, packed like every other reply so no wording asked can push it past 4096 characters."""
    head = [
        "<b>Today</b>",
        f"Questions: {stats.get('questions', 0)}",
        f"Answered: {stats.get('answered_share', 0.0):.0%}",
    ]
    if stats.get("inline"):
        head.append(f"Inline queries (not counted above): {stats['inline']}")
    if stats.get("waiting"):
        head.append(f"Not yet written, so not counted: {stats['waiting']}")
    blocks = ["\n".join(head)]  # each block below fits a message on its own (600 characters, escaped)
    if stats.get("status"):
        blocks.append(escape(shorten(str(stats["status"]), MAX_NOTE_CHARS)))
    if stats.get("error"):
        blocks.append(f"Cannot read the question log: {escape(shorten(str(stats['error']), MAX_NOTE_CHARS))}")
    top = stats.get("top_unanswered") or []
    if top:
        lines = [f"{count}× {escape(shorten(question, MAX_STATS_QUESTION_CHARS))}" for question, count in top[:5]]
        blocks.append("<b>Top unanswered</b>\n" + "\n".join(lines))  # 5 x 100 characters, escaped: < 3100
    return Reply(pack(blocks))


FEEDBACK_THANKS = "Thanks for the feedback!"
WELCOME = "Glad to help!"  # fits "thanks!" and "ok got it" alike
NON_TEXT_HINT = "I can only read text. Send me a question about the article."
STALE_BUTTON = "That button is out of date. Ask me again, or send /topics."
ERROR_REPLY = "Sorry, something went wrong on my side. Please try again."
# A group past Telegram's 20 messages a minute: the answers that would wait too long are skipped.
FLOOD_NOTE = "Too many questions here at once, so I skipped some. Ask again in a minute, or ask me in a private chat."
UNKNOWN_COMMAND = "I don't know that command. Send /help to see what I can do."
ADMINS_ONLY = "Only the bot's admins can do that."
QUIET_REFUSED = "Only this group's admins can switch quiet mode."
QUIET_PRIVATE = "Quiet mode is for groups. Here I answer every message."


# ---------------------------------------------------------------------------
# Conversation: follow-ups and questions about the previous answer


_REPORTED = re.compile(r"^(.+?),? as reported(?: by the article)?$")
_OWN = re.compile(r"^the article(?:,\s*(.+))?$")


def _where(paragraphs: Sequence[int]) -> str:
    places = ["the page header" if n == 0 else f"¶{n}" for n in dict.fromkeys(paragraphs)]
    return places[0] if len(places) == 1 else ", ".join(places[:-1]) + " and " + places[-1]


def _within(source: str, sources: Iterable[str]) -> str:
    """The larger source that names this one too ("Netanyahu" within "Netanyahu and the US"), else itself:
    a sentence crediting both is one source to a reader, not two."""
    return next(
        (o for o in sources if o != source and re.search(rf"\b{re.escape(source)}\b", o, re.IGNORECASE)), source
    )


def attribution_text(quotes: Sequence[Quote]) -> str:
    """Who said the quotes shown, in plain words: the sources the article names first, then what it
    says in its own words ("The article attributes it to X (¶4). ¶3 is the article's own account.")."""
    direct: dict[str, list[int]] = {}
    reported: dict[str, list[int]] = {}
    own: dict[str, list[int]] = {}
    for quote in quotes:
        who = quote.attribution.strip()
        if m := _OWN.match(who):
            own.setdefault(m.group(1) or "", []).append(quote.paragraph)
        elif m := _REPORTED.match(who):
            reported.setdefault(m.group(1), []).append(quote.paragraph)
        else:
            direct.setdefault(who, []).append(quote.paragraph)
    for table in (direct, reported):
        for who in list(table):
            if (into := _within(who, table)) != who:
                table[into] += table.pop(who)
    parts = [f"to {who} ({_where(at)})" for who, at in direct.items()]
    parts += [f"to {who}, whose position it reports in its own words ({_where(at)})" for who, at in reported.items()]
    if not parts and list(own) == [""]:
        return "The article states it itself, without citing anyone for it."
    sentences = ["The article attributes it " + ", and ".join(parts) + "."] if parts else []
    for how, at in own.items():
        where = _where(at)
        verb = "are" if " and " in where else "is"
        sentences.append(f"{where[0].upper()}{where[1:]} {verb} the article's own account, {how or 'citing no one'}.")
    return " ".join(sentences)


CONFIRMATION = "It offers no other confirmation: this is a single news report."


def confidence_text(quotes: Sequence[Quote], hedges: Sequence[Sequence[str]]) -> str:
    """How sure the article is of the quotes shown, in plain words: whom it cites (each source once,
    with its paragraphs) or that it states it itself, and the hedging words it uses ("The article
    cites two US officials, with hedging words (¶7: “suggested”)"), its own account last."""
    cited: dict[str, tuple[list[int], list[str]]] = {}
    own: tuple[list[int], list[str]] = ([], [])
    for quote, words in zip(quotes, hedges, strict=False):
        who = quote.attribution.strip()
        who = m.group(1) if (m := _REPORTED.match(who)) else who  # "cites X", never "cites X, as reported by…"
        if (m := _OWN.match(who)) and (m.group(1) or "").startswith("citing "):
            who = m.group(1)[len("citing ") :]  # "the article, citing reports": it cites reports
        at, said = own if _OWN.match(who) else cited.setdefault(who, ([], []))
        at.append(quote.paragraph)
        said.extend(words)
    for who in list(cited):
        if (into := _within(who, cited)) != who:
            at, said = cited.pop(who)
            cited[into][0].extend(at)
            cited[into][1].extend(said)

    def hedged(what: str, at: list[int], said: list[str], plain: str) -> str:
        wording = ", ".join(f"“{w}”" for w in dict.fromkeys(said))
        if wording:
            return f"{what}, with hedging words ({_where(at)}: {wording})"
        return f"{what}{plain} ({_where(at)})"

    parts = [hedged(f"cites {who}", at, said, "") for who, (at, said) in cited.items()]
    if own[0]:
        parts.append(hedged("states it itself", *own, " as fact"))
    return "The article " + "; it ".join(parts) + ". " + CONFIRMATION


def note_confidence_text(quotes: Sequence[Quote], hedges: Sequence[Sequence[str]]) -> str:
    """ "is that true?" after a "not in the article" note: the note claims nothing to confirm, so
    say so, and how the article gives what its quotes do establish."""
    sourced = confidence_text(quotes, hedges).removesuffix(" " + CONFIRMATION).removeprefix("The article ")
    return (
        "There is no claim to confirm: the article does not give that. What it does say on it (below), it "
        f"{sourced.rstrip('.')}; it does not give the rest."
    )


def aside_text(aside: Aside) -> str:
    """What a reply about the previous answer says in one or two plain sentences (escaped by callers)."""
    if aside.kind == "attribution":
        return attribution_text(aside.quotes)
    if aside.kind == "confidence":
        if not aside.found:
            return note_confidence_text(aside.quotes, aside.hedges)
        return confidence_text(aside.quotes, aside.hedges)
    if aside.kind == "cause":  # "why?" answered by the answer's own sentence on what led to it
        return "What led to it, in the article's words:"
    if aside.kind in ("location", "more"):
        if not aside.found:
            return "That is all the article says about it."
        own = sorted({q.paragraph for q in aside.quotes if q.paragraph})
        numbers = ", ".join(f"¶{n}" for n in own or aside.paragraphs)
        # "tell me more": the paragraph after the quotes' own says something else; not "says it in ¶10"
        after = [f"¶{n}" for n in aside.following if n not in own]
        follows = f"; {', '.join(after)} {'follows' if len(after) == 1 else 'follow'}" if own and after else ""
        return f"The article says it in {numbers}{follows}:"
    subject = aside.subject or "them"
    if aside.complete:  # "is that his only quote?": a finding, not a gap
        return f"That is all the article quotes from {subject}: nothing beyond the answer above."
    if aside.found:
        return f"What else the article quotes from {subject}:"
    return f"The article quotes nothing else from {subject} beyond the answer above."


def _paragraph_html(kb: KnowledgeBase, number: int, quotes: Sequence[Quote]) -> str:
    """One article paragraph with the quotes taken from it in bold."""
    body = escape(kb.article.paragraphs[number - 1])
    for quote in quotes:
        if quote.paragraph == number and quote.text:
            body = body.replace(escape(quote.text), f"<b>{escape(quote.text)}</b>", 1)
    return f"¶{number} of {len(kb.article.paragraphs)}:\n<blockquote expandable>{body}</blockquote>"


def aside_reply(kb: KnowledgeBase, aside: Aside) -> Reply:
    heading = escape(aside.entry.question)
    lead = escape(aside_text(aside))
    if not aside.found:
        blocks = [f"<b>{NOT_COVERED}</b> {lead}"]
        if aside.quotes:
            blocks.append(NEAREST_QUOTES)
            blocks += [_quote_html(kb, q) for q in aside.quotes]
        return Reply(pack(blocks), _rows([entry_button(e) for e in aside.related[:3]]))
    blocks = [f"<b>{heading}</b>\n{lead}"]
    buttons: list[Button] = []
    if aside.kind in ("location", "more"):
        blocks += [_paragraph_html(kb, n, aside.quotes) for n in aside.paragraphs]
        first = aside.paragraphs[0] if aside.paragraphs else 1
        buttons.append(Button("📰 Read the article from here", callbacks.encode(callbacks.OPEN_READER, first)))
    elif aside.sentences:
        blocks += [_sentence_html(kb, sentence, aside.quotes) for sentence in aside.sentences]
    else:
        blocks += [_quote_html(kb, q) for q in aside.quotes]
    buttons += [entry_button(e) for e in aside.related[:3]]
    return Reply(pack(blocks), _rows(buttons))


def _sentence_html(kb: KnowledgeBase, sentence: str, quotes: Sequence[Quote]) -> str:
    """An article sentence with the quote it holds in bold, and that quote's attribution."""
    body = escape(sentence)
    held = [q for q in quotes if q.text in sentence]
    for quote in held:
        body = body.replace(escape(quote.text), f"<b>{escape(quote.text)}</b>", 1)
    source = f"\n— <i>{escape(held[0].attribution)}</i> ({paragraph_label(kb, held[0])})" if held else ""
    return f"<blockquote>{body}</blockquote>{source}"


def _read_as(kb: KnowledgeBase, resolution: Resolution) -> str | None:
    """The line that says a message was read as a follow-up, and to what."""
    context = resolution.context
    if context is None or resolution.aside is not None:
        return None
    previous = kb.get(context.entry_id)
    return None if previous is None else f"↪ Read as a follow-up to “{previous.question}”"


def resolution_reply(kb: KnowledgeBase, resolution: Resolution, *, feedback: bool = False) -> Reply:
    """The Telegram reply to a message read by the conversation resolver."""
    if resolution.aside is not None:
        return aside_reply(kb, resolution.aside)
    if resolution.split is not None:
        return split_reply(resolution.split, kb)
    reply = match_reply(resolution.match, kb, feedback=feedback)
    read_as = _read_as(kb, resolution)
    if read_as is None:
        return reply
    first = f"<i>{escape(read_as)}</i>\n{reply.parts[0]}"
    if len(first) > MAX_MESSAGE_CHARS:
        return reply
    return Reply((first, *reply.parts[1:]), reply.buttons)


def resolution_plain(kb: KnowledgeBase, resolution: Resolution) -> str:
    aside = resolution.aside
    if resolution.split is not None:
        return split_plain(resolution.split, kb)
    if aside is None:
        text = to_plain(resolution.match, kb)
        read_as = _read_as(kb, resolution)
        return f"{read_as}\n{text}" if read_as else text
    lines = [NOT_COVERED, aside_text(aside)] if not aside.found else [aside_text(aside)]
    if aside.kind in ("location", "more") and aside.found:
        for number in aside.paragraphs:
            lines += ["", f"  ¶{number} of {len(kb.article.paragraphs)}: {kb.article.paragraphs[number - 1]}"]
    elif aside.sentences and aside.found:
        for sentence in aside.sentences:
            held = [q for q in aside.quotes if q.text in sentence]
            lines += ["", f"  {sentence}"]
            if held:
                lines.append(f"    — {held[0].attribution} ({paragraph_label(kb, held[0])})")
    else:
        if aside.quotes:
            lines.append("")
        for quote in aside.quotes:
            lines.append(f"  {plain_quote(quote.text)}")
            lines.append(f"    — {quote.attribution} ({paragraph_label(kb, quote)})")
    if aside.related:
        lines += ["", "You could ask:", *(f"  • {e.question}" for e in aside.related[:3])]
    return "\n".join(lines)


def resolution_json(kb: KnowledgeBase, resolution: Resolution) -> dict[str, Any]:
    """``to_json`` plus what the conversation added: ``context`` and ``understood_as``."""
    data = to_json(resolution.match, kb)
    data["question"] = resolution.message
    aside = resolution.aside
    if aside is not None:
        data["status"] = "answered" if aside.found else "no_match"
        data["faq_id"] = aside.entry.id if aside.found else None
        data["answer"] = aside_text(aside)
        if aside.kind in ("location", "more") and aside.found:
            paragraphs = kb.article.paragraphs
            data["quotes"] = [
                {"text": paragraphs[n - 1], "attribution": "the article", "paragraph": n} for n in aside.paragraphs
            ]
        elif aside.sentences:
            held = [
                next((q for q in aside.quotes if q.text in sentence), aside.quotes[0]) for sentence in aside.sentences
            ]
            data["quotes"] = [
                {"text": sentence, "attribution": q.attribution, "paragraph": q.paragraph}
                for sentence, q in zip(aside.sentences, held, strict=True)
            ]
        else:
            data["quotes"] = [
                {"text": q.text, "attribution": q.attribution, "paragraph": q.paragraph} for q in aside.quotes
            ]
        data["suggestions"] = [e.question for e in aside.related[:3]]
    if resolution.split is not None:
        data["parts"] = [part_json(part, kb) for part in resolution.split.parts]
    context = resolution.context
    data["context"] = None if context is None else {"entry_id": context.entry_id, "question": context.question}
    data["understood_as"] = resolution.understood_as
    return data


def part_json(part: Part, kb: KnowledgeBase) -> dict[str, Any]:
    """One part of a message asked in parts: ``to_json``'s answer fields for it, the part's own words
    as ``question``; a part nothing answers has no entry and says so."""
    data = to_json(part.match, kb)
    fields = ("status", "score", "faq_id", "answer", "quotes", "note_id")
    out: dict[str, Any] = {"question": part.question, **{k: data[k] for k in fields}}
    if part.missing:
        out["answer"] = NOT_FOUND
    # a part that could mean several entries: its own candidates (no starters), as a single question's are
    out["suggestions"] = [e.question for e in part.match.suggestions[:3]] if part.unsure else []
    return out
