"""Webhook mode: only Telegram's POSTs reach a handler, on the path the public URL names.

Telegram sends the ``secret_token`` given to ``setWebhook`` in a header with every update; PTB's
webhook server refuses requests without it (403). With ``WEBHOOK_SECRET`` unset the bot makes a
random one at each start and registers it itself, so a forged update never reaches a handler.
Bodies over ``MAX_BODY_BYTES`` are refused from their ``Content-Length`` (or as the chunks come)
before they are buffered; the reverse proxy in front should refuse them too (README).
"""

from __future__ import annotations

import re
import secrets
from typing import Final
from urllib.parse import urlsplit

from bot.config import Settings

MAX_BODY_BYTES: Final = 1024 * 1024  # an update is a few kB; Telegram sends nothing near 1 MB


def listen_path(webhook_url: str) -> str:
    """The whole path of the public URL (``https://host/tg/article/hook`` -> ``tg/article/hook``),
    as the regular expression PTB's server routes by (so a dot in it is only a dot)."""
    return re.escape(urlsplit(webhook_url).path.strip("/"))


def secret_for(settings: Settings) -> tuple[str, bool]:
    """The secret Telegram must send: WEBHOOK_SECRET, or a random one (True: made for this run)."""
    if settings.webhook_secret:
        return settings.webhook_secret, False
    return secrets.token_urlsafe(32), True  # letters, digits, _ and -: what setWebhook accepts


def limit_bodies(max_bytes: int = MAX_BODY_BYTES) -> None:
    """Make every tornado ``HTTPServer`` (PTB's webhook server is one) refuse larger bodies
    before reading them: PTB checks the secret only once the whole body is in memory."""
    from tornado.httpserver import HTTPServer

    HTTPServer.configure(None, max_body_size=max_bytes)
