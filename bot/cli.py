"""Command line: ``python -m bot [run|ask|chat|check|eval|bench|report]``.

``main(argv)`` returns an exit code: 0 fine, 1 a check or target failed, 2 bad
input or configuration (one line on stderr, never a traceback).
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import gc
import json
import os
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from bot import conversation, index_cache, knowledge, render
from bot.config import DEFAULT_FAQ, PROJECT_ROOT, ConfigError, Settings, load_settings
from bot.matcher import Match, Matcher, lint

if TYPE_CHECKING:
    from bot.questionlog import QuestionStore, Source

DEFAULT_EVAL = PROJECT_ROOT / "tests" / "data" / "eval.jsonl"


def _error(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2


def _faq_path(args: argparse.Namespace, settings: Settings) -> Path:
    return Path(args.faq) if args.faq else settings.faq_path


def _load(args: argparse.Namespace, settings: Settings) -> tuple[knowledge.KnowledgeBase, Matcher]:
    """The knowledge base and its matcher, with the cyclic collector paused meanwhile: loading
    makes some 10^5 objects that all live on, and collecting would only walk them again and again."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        kb = knowledge.load(_faq_path(args, settings))
        return kb, Matcher(kb)
    finally:
        if collecting:
            gc.enable()


# ---------------------------------------------------------------------------
# Subcommands


class TerminalLog:
    """The terminal's questions go straight to the store; if it cannot be written, one warning
    and the commands go on without it (the log is a convenience, not a dependency)."""

    def __init__(self, settings: Settings, kb: knowledge.KnowledgeBase) -> None:
        self.store: QuestionStore | None = None
        self.source: Source | None = None
        self._errors: tuple[type[Exception], ...] = (OSError,)
        if settings.question_log is None:
            return
        import sqlite3  # only with the log on: with QUESTION_LOG=off, `ask` never loads SQLite

        from bot.questionlog import QuestionStore, source_of

        self._errors = (sqlite3.Error, OSError)
        self.source = source_of(kb)
        try:
            self.store = QuestionStore(settings.question_log, settings.log_retention_days)
        except self._errors as exc:
            self._off(exc)

    def record(self, match: Match) -> None:
        if self.store is not None and self.source is not None:
            try:
                self.store.record(match, "terminal", self.source)
            except self._errors as exc:
                self._off(exc)

    def _off(self, exc: BaseException) -> None:
        print(f"warning: question log {exc.__class__.__name__}: {exc}; not logging", file=sys.stderr)
        self.close()

    def close(self) -> None:
        store, self.store = self.store, None
        if store is not None:
            with contextlib.suppress(*self._errors):
                store.close()

    def __enter__(self) -> TerminalLog:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    kb, matcher = _load(args, settings)
    if args.question:
        questions = [" ".join(args.question)]
    elif args.json or args.conversation:
        questions = (line.rstrip("\n") for line in sys.stdin)  # type: ignore[assignment]
    else:
        example = render.example_question(kb)
        return _error(f'give a question, e.g. python -m bot ask "{example}" (or --json with questions on stdin)')
    talk = Talk(kb, matcher, remember=args.conversation)
    with TerminalLog(settings, kb) as question_log:
        for question in questions:
            _answer(question, talk, question_log, as_json=args.json, explain=args.explain)
    return 0


@dataclass(slots=True)
class Talk:
    """A terminal conversation: each message is read against the last answer (``remember``),
    or on its own, as every inline query is."""

    kb: knowledge.KnowledgeBase
    matcher: Matcher
    remember: bool = True
    state: conversation.ConversationState | None = None

    def read(self, message: str) -> conversation.Resolution:
        resolution = conversation.resolve(
            message, self.state if self.remember else None, self.kb, self.matcher, now=time.time()
        )
        if resolution.state is not None:
            self.state = resolution.state
        return resolution


def _answer(question: str, talk: Talk, question_log: TerminalLog, *, as_json: bool, explain: bool) -> None:
    """Read, log and print one question (with --explain, why its reading came out that way)."""
    from bot import explain as why

    kb = talk.kb
    resolution = talk.read(question)
    for match in resolution.logged:
        question_log.record(match)
    explanation = talk.matcher.explain(resolution.understood_as) if explain else None
    split = resolution.split
    read = explanation is not None and why.shows_conversation(resolution)  # the conversation's reading, first
    if as_json:
        data = render.resolution_json(kb, resolution)
        if explanation is not None:
            data["explain"] = (
                why.to_json(explanation) if split is None else why.split_json(split, explanation, talk.matcher)
            )
            if read:
                data["explain"]["conversation"] = why.conversation_json(resolution)
        print(json.dumps(data, ensure_ascii=False), flush=True)
        return
    print(render.resolution_plain(kb, resolution))
    if explanation is not None:
        if read:
            print(f"\n{why.conversation_text(resolution, explanation)}")
        print(f"\n{why.to_text(explanation) if split is None else why.split_text(split, explanation, talk.matcher)}")


def cmd_chat(args: argparse.Namespace, settings: Settings) -> int:
    kb, matcher = _load(args, settings)
    with contextlib.suppress(ImportError):  # not on every platform
        import readline  # noqa: F401  (line editing and history for input())
    print(f"Ask about “{kb.article.title}” ({kb.article.date_text}). Ctrl-D or Ctrl-C to leave.")
    talk = Talk(kb, matcher)  # follow-ups ("who is he?", "why?") read against the last answer
    with TerminalLog(settings, kb) as question_log:
        while True:
            try:
                question = input("\nyou> ")
            except (EOFError, KeyboardInterrupt):
                print()
                return 0
            if question.strip():
                _answer(question, talk, question_log, as_json=False, explain=args.explain)


def cmd_draft(args: argparse.Namespace, settings: Settings) -> int:
    """A first knowledge base for a page, on stdout; what it guessed, on stderr."""
    from bot import draft, page

    try:
        text = Path(args.page).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return _error(f"{args.page}: cannot read ({exc.__class__.__name__})")
    if args.date:
        try:
            datetime.fromisoformat(args.date)
        except ValueError:
            return _error(f"--date must be YYYY-MM-DD, got {args.date!r}")
    try:
        result = draft.draft(page.read_page(text), title=args.title, date=args.date, section=args.section)
    except ValueError as exc:
        return _error(f"{args.page}: {exc}")
    schema = PROJECT_ROOT / "faq.schema.json"
    if schema.is_file():  # "$schema" is read relative to the file, which `> faq.json` writes here
        result.data["$schema"] = Path(os.path.relpath(schema, Path.cwd())).as_posix()
    for line in result.report:
        print(f"draft: {line}", file=sys.stderr)
    print(json.dumps(result.data, ensure_ascii=False, indent=2))
    return 0


def cmd_check(args: argparse.Namespace, settings: Settings) -> int:
    path = _faq_path(args, settings)
    with index_cache.fresh():  # a verdict on faq.json, never on a cache file beside it
        return _check(path)


def _check(path: Path) -> int:
    from bot import curation

    kb, problems = knowledge.read(path)
    if kb is None:  # fields are still worth naming: a misspelt one may be why a required one is missing
        problems += curation.field_problems(knowledge.read_json(path), str(path))
    else:
        matcher = Matcher(kb)
        problems = [*lint(kb, matcher), *curation.check(knowledge.read_json(path), kb, matcher)]
    for problem in problems:
        print(problem)
    if kb is None or problems:  # read() gives no knowledge base only with the problems why
        print(f"{len(problems)} problem(s) in {path}", file=sys.stderr)
        return 1
    answers = sum(e.covered for e in kb.entries)
    print(
        f"{path}: OK — {answers} answers, {len(kb.entries) - answers} not-covered notes, "
        f"every quote verbatim in the {len(kb.article.paragraphs)}-paragraph article"
    )
    return 0


def cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    with index_cache.fresh():  # the figures are the knowledge base's and the code's, never a cache file's
        return _eval(args, settings)


def _eval(args: argparse.Namespace, settings: Settings) -> int:
    from bot import evaluate

    if args.dialogues:
        return _eval_dialogues(args, settings)
    path = _faq_path(args, settings)
    if args.file is None:
        if path.resolve() != DEFAULT_FAQ.resolve():  # the default set labels the main article's entries
            return _error(
                f"eval needs a labelled question set for {path}: python -m bot eval --faq {path} QUESTIONS.jsonl"
            )
        args.file = str(DEFAULT_EVAL)
    _, matcher = _load(args, settings)
    try:
        cases = evaluate.read_cases(Path(args.file))
    except evaluate.EvalFileError as exc:
        return _error(str(exc))
    if args.ablate:
        print(evaluate.ablation_table(evaluate.ablate(matcher, cases)))
        return 0
    outcomes = evaluate.run(matcher, cases)
    summary = evaluate.summarize(outcomes)
    if args.verbose:
        for o in outcomes:
            if not o.correct:
                got = o.match.entry.id if o.match.entry else ",".join(e.id for e in o.match.suggestions)
                if o.split is not None:  # answered in parts: each part's entry, "-" for one nothing answers
                    got = " + ".join(p.match.entry.id if p.match.entry else "-" for p in o.split.parts)
                    got = f"in parts ({o.split.rule}): {got}"
                print(f"  MISS [{o.case.kind}] {o.case.question!r} -> {o.match.status} {o.match.score} {got}")
    print(f"{'kind':<16}{'right':>7}{'total':>7}{'accuracy':>10}")
    for kind, (right, total) in summary.per_kind.items():
        print(f"{kind:<16}{right:>7}{total:>7}{right / total:>10.1%}")
    print(
        f"in-scope accuracy   {_share(summary.in_scope, summary.in_scope_counts)}"
        f"  (target >= {evaluate.TARGETS['in_scope']:.0%})"
    )
    print(
        f"abstention accuracy {_share(summary.abstention, summary.abstention_counts)}"
        f"  (target >= {evaluate.TARGETS['abstention']:.0%})"
    )
    print(f"mean                {summary.mean:.1%}")
    print(f"confident-wrong     {summary.confident_wrong:.1%}  (target <= {evaluate.MAX_CONFIDENT_WRONG:.0%})")
    return 0 if summary.passed else 1


def _eval_dialogues(args: argparse.Namespace, settings: Settings) -> int:
    from bot import dialogues

    kb, matcher = _load(args, settings)
    try:
        played = dialogues.read_dialogues(Path(args.dialogues))
    except dialogues.DialogueFileError as exc:
        return _error(str(exc))
    outcomes = dialogues.run(kb, matcher, played)
    if args.verbose:
        for o in outcomes:
            if not o.correct or o.leak:
                r = o.resolution
                got = r.aside.kind if r.aside else (r.match.entry.id if r.match.entry else "-")
                print(f"  MISS {o.dialogue.id} [{o.turn.role}] {o.turn.say!r} -> {r.how} {r.match.status} {got}")
    summary = dialogues.summarize(outcomes)
    print("\n".join(dialogues.report(summary)))
    return 0 if summary.passed else 1


def _share(rate: float, counts: tuple[int, int]) -> str:
    right, total = counts
    return f"{rate:.1%} ({right}/{total})" if total else "n/a (no such questions)"


def cmd_bench(args: argparse.Namespace, settings: Settings) -> int:
    from bot import bench

    path = _faq_path(args, settings)
    if args.cold:
        try:
            kb = knowledge.load(path)
            print(bench.cold(path, args.question or kb.entries[0].question, args.runs))
        except bench.BenchError as exc:
            return _error(str(exc))
        return 0
    if args.states:
        print(bench.states(path, Path(args.file), args.states))
        return 0
    print(bench.run(path, Path(args.file), args.questions))
    return 0


def cmd_report(args: argparse.Namespace, settings: Settings) -> int:
    from bot import report

    if settings.question_log is None:
        return _error("QUESTION_LOG is off, so there is nothing to report")
    _, matcher = _load(args, settings)
    result = report.build_report(
        settings.question_log, matcher, since=args.since, every_kb=args.all, inline=args.inline
    )
    if args.format == "json":
        print(json.dumps(report.to_json(result), ensure_ascii=False, indent=2))
    else:
        print(report.to_markdown(result) if args.format == "md" else report.to_text(result))
    return 0


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return int(text)


def _since(text: str) -> datetime:
    """'7d', '24h' or an ISO date/time, as an aware UTC datetime."""
    now = datetime.now(UTC)
    if text[:-1].isdigit() and text[-1] in "dh":
        return now - timedelta(**{"days" if text[-1] == "d" else "hours": int(text[:-1])})
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected 7d, 24h or an ISO date, got {text!r}") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def cmd_calibrate(args: argparse.Namespace, settings: Settings) -> int:
    from bot import calibrate

    try:
        corpora = calibrate.read_corpora(calibrate.default_spec(PROJECT_ROOT), phrasings=True)
    except calibrate.CalibrationError as exc:
        return _error(str(exc))
    for c in corpora:
        print(f"{c.name}: {len(c.cases)} labelled questions")
    result = calibrate.fit(
        corpora, args.target, passes=args.passes, explore=args.explore, log=lambda line: print(line, flush=True)
    )
    if args.dry_run:
        print(json.dumps(result.fitted.to_json(), indent=2))
        return 0
    calibrate.write(result, corpora, args.target, Path(args.out))
    print(f"wrote {args.out}")
    return 0


def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    from bot import telegram_app  # imported here so the terminal commands never load telegram

    settings = dataclasses.replace(settings, faq_path=_faq_path(args, settings))
    return telegram_app.run(settings)


# ---------------------------------------------------------------------------
# Parser


def one_blas_thread() -> None:
    """Keep numpy's BLAS (OpenBLAS) to one thread unless the environment says otherwise: it
    starts a thread per CPU as numpy is imported, which for one question's few thousand dot
    products brings nothing, costs ``ask`` some 40 ms of start-up and spins on a shared machine.
    Only an entry point sets it (``main``, before anything imports numpy: only ever lazily)."""
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description="Answer questions about one news article in its own words. With no command, run the Telegram bot.",
    )
    parser.add_argument("--faq", metavar="PATH", help="knowledge base to use (default: $FAQ_PATH or faq.json)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def add(name: str, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.add_argument("--faq", metavar="PATH", default=argparse.SUPPRESS, help="knowledge base to use")
        return p

    add("run", "run the Telegram bot (long polling, or a webhook when WEBHOOK_URL is set)").set_defaults(func=cmd_run)
    p = add("ask", "answer one question (or, with --json and no question, one per line from stdin)")
    p.add_argument("question", nargs="*", help="the question, in your own words")
    p.add_argument("--json", action="store_true", help="print one JSON object per question")
    p.add_argument("--explain", action="store_true", help="also show the top candidates, each rule's part, the cutoffs")
    p.add_argument(
        "--conversation", action="store_true", help="read stdin lines as one conversation (follow-ups use context)"
    )
    p.set_defaults(func=cmd_ask)
    p = add("chat", "ask questions interactively in the terminal")
    p.add_argument("--explain", action="store_true", help="after each answer, show why it came out that way")
    p.set_defaults(func=cmd_chat)
    add("check", "validate the knowledge base: schema, ids, verbatim quotes, clashing phrasings").set_defaults(
        func=cmd_check
    )
    p = sub.add_parser(
        "draft",
        help="draft a knowledge base from an article page: python -m bot draft PAGE > faq.json",
        description="Draft a knowledge base from a scraped page or plain text (rules only, no network). "
        "The JSON goes to stdout, what was guessed to stderr; the draft passes `check` as it is.",
    )
    p.add_argument("page", help="the page: a scraped article page or plain text")
    p.add_argument("--title", help="the headline, when the guess is wrong")
    p.add_argument("--date", help="the article's date, YYYY-MM-DD, when the guess is wrong or there is none")
    p.add_argument("--section", help="the page's section (World, Business...), when the guess is wrong")
    p.set_defaults(func=cmd_draft)
    p = add("eval", "score the matcher on a labelled question set")
    p.add_argument(
        "file",
        nargs="?",
        default=None,
        help=f"JSON Lines question set (default, for the default knowledge base only: {DEFAULT_EVAL})",
    )
    p.add_argument("-v", "--verbose", action="store_true", help="list every question the bot got wrong")
    p.add_argument("--ablate", action="store_true", help="switch each named rule off in turn and print the change")
    p.add_argument(
        "--dialogues", metavar="FILE", help="score follow-ups on a dialogue set (JSON Lines), not single questions"
    )
    p.set_defaults(func=cmd_eval)
    p = add("bench", "measure load time, per-question latency and memory (prints figures, asserts nothing)")
    p.add_argument("--file", default=str(DEFAULT_EVAL), help="questions to replay (default: %(default)s)")
    p.add_argument("--questions", type=int, default=5000, help="how many questions to time (default: %(default)s)")
    p.add_argument(
        "--cold", action="store_true", help="instead, time `ask` in fresh processes against a bare `python -c pass`"
    )
    p.add_argument("--runs", type=_positive, default=15, help="with --cold: processes of each (default: %(default)s)")
    p.add_argument("--question", help="with --cold: the question to ask (default: the first entry's)")
    p.add_argument(
        "--states",
        type=_positive,
        metavar="CHATS",
        help="instead, the memory and save time of conversation state for CHATS chats (e.g. 100000)",
    )
    p.set_defaults(func=cmd_bench)
    p = add("calibrate", "fit the weights and cutoffs on the own labelled sets (never the frozen ones)")
    p.add_argument("--target", type=float, default=0.02, help="confident-wrong rate to hold (default: %(default)s)")
    p.add_argument("--explore", type=int, default=0, help="seeded random points tried first (default: %(default)s)")
    p.add_argument("--passes", type=int, default=2, help="coordinate-search passes at most (default: %(default)s)")
    p.add_argument("--out", default=str(PROJECT_ROOT / "bot" / "fitted.json"), help="where (default: %(default)s)")
    p.add_argument("--dry-run", action="store_true", help="print the fitted numbers instead of writing them")
    p.set_defaults(func=cmd_calibrate)
    p = add("report", "the curator's to-do list: unanswered questions by cluster, top entries, 👎, confusions")
    p.add_argument("--since", type=_since, default=None, help="only questions since then: 7d, 24h or 2024-05-19")
    p.add_argument("--format", choices=("text", "json", "md"), default="text", help="output format")
    p.add_argument(
        "--all",
        action="store_true",
        help="every knowledge base in the log (default: this one and its earlier versions)",
    )
    p.add_argument("--inline", action="store_true", help="list inline queries among the unanswered and ambiguous too")
    p.set_defaults(func=cmd_report)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    one_blas_thread()
    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "func"):
        args.func = cmd_run
    try:
        settings = load_settings()
        return int(args.func(args, settings))
    except (ConfigError, knowledge.KnowledgeError) as exc:
        return _error(str(exc))
    except BrokenPipeError:  # e.g. `python -m bot ask --json < qs | head`
        sys.stderr.close()
        return 0
