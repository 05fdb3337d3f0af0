"""Settings, read once from the environment and an optional .env file."""

from __future__ import annotations

import io
import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FAQ = PROJECT_ROOT / "faq.json"
DEFAULT_API_URL = "https://api.telegram.org"
DEFAULT_QUESTION_LOG = PROJECT_ROOT / "data" / "questions.sqlite3"


class ConfigError(Exception):
    """A setting is missing or malformed; the message is one line for the user."""


@dataclass(frozen=True, slots=True)
class Settings:
    token: str | None
    api_url: str
    faq_path: Path
    log_level: str
    webhook_url: str | None
    webhook_listen: str
    webhook_port: int
    webhook_secret: str | None
    question_log: Path | None  # None: logging turned off
    log_retention_days: int
    admin_user_ids: frozenset[int]
    conversation_store: Path | None = None  # None: conversations and quiet mode kept in memory only
    telegram_http: str = "stream"  # the Bot API client: bot/telegram_http.py, or PTB's httpx one
    warnings: tuple[str, ...] = ()  # settings that work but are risky: logged once logging is set up

    def __repr__(self) -> str:  # never show the token, even in a traceback
        token = "set" if self.token else "unset"
        return f"Settings(api_url={self.api_url!r}, faq_path={str(self.faq_path)!r}, token={token})"


def read_dotenv(path: Path, *, required: bool = False) -> dict[str, str]:
    """KEY=VALUE lines as python-dotenv reads them: comments (also after a value), quotes,
    'export ' prefixes. No ${VAR} expansion: a value is what the file says. A line that is no
    assignment is an error naming it, rather than a setting silently missing."""
    try:
        text = path.read_text(encoding="utf-8")
    except (FileNotFoundError, IsADirectoryError):
        if required:
            raise ConfigError(f"DOTENV_PATH={path}: no such file") from None
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read ({exc.__class__.__name__})") from None
    from dotenv import dotenv_values  # only when there is a file to read
    from dotenv.parser import parse_stream

    for binding in parse_stream(io.StringIO(text)):
        if binding.error or (binding.key is not None and binding.value is None):
            raise ConfigError(f"{path}: line {binding.original.line}: expected KEY=VALUE")
    values = dotenv_values(stream=io.StringIO(text), interpolate=False)
    return {key: value for key, value in values.items() if value is not None}


def _loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _int(env: Mapping[str, str], name: str, default: int, minimum: int = 0) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}") from None
    if value < minimum:
        raise ConfigError(f"{name} must be at least {minimum}, got {value}")
    return value


def load_settings(environ: Mapping[str, str] | None = None, dotenv: Path | None = None) -> Settings:
    """Environment variables win over .env: the project's own (next to faq.json), never one in
    whatever folder the bot was started from, unless DOTENV_PATH names another file."""
    environ = os.environ if environ is None else environ
    explicit = (environ.get("DOTENV_PATH") or "").strip()
    if dotenv is None:
        dotenv = Path(explicit) if explicit else PROJECT_ROOT / ".env"
    env = {**read_dotenv(dotenv, required=bool(explicit)), **environ}

    def get(name: str) -> str:
        return (env.get(name) or "").strip()

    level = (get("LOG_LEVEL") or "INFO").upper()
    if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
        raise ConfigError(f"LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR, got {level!r}")
    api_url = (get("TELEGRAM_API_URL") or DEFAULT_API_URL).rstrip("/")
    if not api_url.startswith(("http://", "https://")):
        raise ConfigError(f"TELEGRAM_API_URL must start with http:// or https://, got {api_url!r}")
    warnings = []
    if api_url.startswith("http://") and not _loopback(api_url):
        warnings.append(
            f"TELEGRAM_API_URL {urlsplit(api_url).hostname} is plain http:// to another machine:"
            " the bot token and every message cross the network unencrypted"
        )
    log = get("QUESTION_LOG")
    question_log = None if log.lower() in {"off", "0", "false", "no"} else Path(log) if log else DEFAULT_QUESTION_LOG
    admins: set[int] = set()
    for part in get("ADMIN_USER_IDS").replace(";", ",").split(","):
        if part.strip():
            if not part.strip().lstrip("-").isdigit():
                raise ConfigError(f"ADMIN_USER_IDS must be comma-separated numeric user ids, got {part.strip()!r}")
            admins.add(int(part))
    http_client = (get("TELEGRAM_HTTP") or "stream").lower()
    if http_client not in ("stream", "httpx"):
        raise ConfigError(f"TELEGRAM_HTTP must be stream or httpx, got {http_client!r}")
    return Settings(
        token=get("TELEGRAM_BOT_TOKEN") or None,
        api_url=api_url,
        faq_path=Path(get("FAQ_PATH")) if get("FAQ_PATH") else DEFAULT_FAQ,
        log_level=level,
        webhook_url=get("WEBHOOK_URL") or None,
        webhook_listen=get("WEBHOOK_LISTEN") or "127.0.0.1",
        webhook_port=_int(env, "WEBHOOK_PORT", 8443, 1),
        webhook_secret=get("WEBHOOK_SECRET") or None,
        question_log=question_log,
        log_retention_days=_int(env, "QUESTION_LOG_RETENTION_DAYS", 90, 1),
        admin_user_ids=frozenset(admins),
        conversation_store=_store(get("CONVERSATION_STORE"), question_log),
        telegram_http=http_client,
        warnings=tuple(warnings),
    )


def _store(raw: str, question_log: Path | None) -> Path | None:
    """CONVERSATION_STORE: a path, "off", or by default conversations.pickle next to the question log
    (none when the log is off: then only an explicit path keeps conversations over a restart)."""
    if raw.lower() in {"off", "0", "false", "no"}:
        return None
    if raw:
        return Path(raw)
    return None if question_log is None else question_log.parent / "conversations.pickle"
