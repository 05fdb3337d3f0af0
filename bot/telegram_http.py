"""A lean HTTP/1.1 client for the Bot API: python-telegram-bot's ``BaseRequest`` on asyncio streams.

Why: with httpx + httpcore + anyio, one Bot API call cost the bot about as much CPU as
answering the question itself (two socket writes, a timeout scope per read, a pool scan per
call). The Bot API needs little of that: a POST with a form body and a JSON answer. This
client keeps connections alive, writes each request in one go and reads the answer by
``Content-Length`` (or chunks, or to the end of the connection, for servers that use those).

Anything it is not for goes to PTB's own ``HTTPXRequest``: uploads (multipart bodies) and
connections through a proxy from the environment (``HTTPS_PROXY`` and friends); an operator
can pick that client for everything with ``TELEGRAM_HTTP=httpx``.

A failed request says whether it can have reached Telegram: ``RequestNotSent`` (no connection,
or the server reset it before answering a byte) is safe to send again; ``ResponseLost`` (the
server had the request and the answer broke off) is not, for anything that sends a message.
"""

from __future__ import annotations

import asyncio
import select
import ssl
import string
from collections import defaultdict
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import urlsplit
from urllib.request import getproxies_environment

from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, HTTPXRequest, RequestData

if TYPE_CHECKING:
    from telegram._utils.types import ODVInput  # the type BaseRequest.do_request is declared with

MAX_HEADER_BYTES: Final = 64 * 1024
MAX_BODY_BYTES: Final = 16 * 1024 * 1024  # the largest Bot API answer is a few MB of updates
HTTP_CLIENTS: Final = ("stream", "httpx")  # TELEGRAM_HTTP

# Telegram answers every sent or edited message with the whole message, including copies of the
# message it replies to, of the keyboard just sent and of the entities parsed from the HTML, and
# the sender (the bot itself). The bot reads only the new message's id; turning those copies back
# into PTB objects was a fifth of its CPU per answer.
UNREAD_ECHO_FIELDS: Final = ("reply_to_message", "reply_markup", "entities", "from")

# Percent-encoding for form bodies, one table lookup per byte (urllib's quote_plus loops in Python).
_FORM_SAFE: Final = frozenset((string.ascii_letters + string.digits + "_.-~").encode())
_FORM_ESCAPES: Final = str.maketrans(
    {byte: chr(byte) if byte in _FORM_SAFE else "+" if byte == 0x20 else f"%{byte:02X}" for byte in range(256)}
)

Origin = tuple[str, str, int]  # scheme, host, port
Connection = tuple[asyncio.StreamReader, asyncio.StreamWriter]


class ProtocolError(Exception):
    """The server's answer is not HTTP/1.x as this client reads it (or is larger than allowed)."""


class _ResetBeforeAnswer(Exception):
    """The connection was reset (or the write failed) before any byte of the answer came."""


class RequestNotSent(NetworkError):
    """The request provably never reached the Bot API: sending it again cannot duplicate anything."""


class PoolTimedOut(TimedOut, RequestNotSent):
    """No connection came free in time: PTB's ``TimedOut``, and like it nothing was sent."""


class ResponseLost(NetworkError):
    """The connection broke after the request went out: Telegram may have carried it out."""


def proxy_configured() -> bool:
    """HTTP(S)_PROXY or ALL_PROXY in the environment, in either case (the ones httpx honours)."""
    return bool({"http", "https", "all"} & getproxies_environment().keys())


def make_request(*, pool_size: int, read_timeout: float | None = 5.0, client: str = "stream") -> BaseRequest:
    """The request object the bot uses: this client, or PTB's httpx one when asked for
    (``client="httpx"``) or when a proxy is set."""
    if client == "httpx" or proxy_configured():
        return HTTPXRequest(connection_pool_size=pool_size, read_timeout=read_timeout)
    return StreamRequest(pool_size=pool_size, read_timeout=read_timeout)


class StreamRequest(BaseRequest):
    """HTTP/1.1 keep-alive client on asyncio streams (see the module docstring)."""

    __slots__ = ("_closed", "_idle", "_pool_size", "_slots", "_timeouts", "_tls", "_uploads")

    def __init__(
        self,
        *,
        pool_size: int = 8,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
        tls: ssl.SSLContext | None = None,
    ) -> None:
        self._pool_size = pool_size
        self._timeouts = {
            "read": read_timeout,
            "write": write_timeout,
            "connect": connect_timeout,
            "pool": pool_timeout,
        }
        self._idle: defaultdict[Origin, list[Connection]] = defaultdict(list)
        self._slots: asyncio.Semaphore | None = None
        self._uploads: HTTPXRequest | None = None  # made on the first upload, which this bot never does
        self._tls = tls  # default: certifi's CA bundle, as httpx uses
        self._closed = True

    @property
    def read_timeout(self) -> float | None:
        return self._timeouts["read"]

    async def initialize(self) -> None:
        if self._closed:
            self._slots = asyncio.Semaphore(self._pool_size)
            self._closed = False

    async def shutdown(self) -> None:
        self._closed = True
        idle = [conn for conns in self._idle.values() for conn in conns]
        self._idle.clear()
        for _, writer in idle:
            writer.close()
        if self._uploads is not None:
            await self._uploads.shutdown()
            self._uploads = None

    @staticmethod
    def parse_json_payload(payload: bytes) -> dict[str, Any]:
        """PTB's parsing, minus the echoed fields of a sent message that the bot never reads
        (``UNREAD_ECHO_FIELDS``). Updates come as a list and are left whole."""
        data = BaseRequest.parse_json_payload(payload)
        result = data.get("result")
        if isinstance(result, dict) and "message_id" in result:
            for field in UNREAD_ECHO_FIELDS:
                result.pop(field, None)
        return data

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self._closed or self._slots is None:
            raise RuntimeError("This StreamRequest is not initialized!")
        if request_data is not None and request_data.contains_files:
            uploads = await self._upload_client()
            return await uploads.do_request(
                url, method, request_data, read_timeout, write_timeout, connect_timeout, pool_timeout
            )
        body = form_body(request_data.json_parameters) if request_data else b""
        origin, message = _request_bytes(url, method, body)
        try:
            async with asyncio.timeout(self._timeout("pool", pool_timeout)):
                await self._slots.acquire()
        except TimeoutError:
            raise PoolTimedOut("Pool timeout: all connections are in use. Request was *not* sent.") from None
        try:
            answer = await self._exchange(
                origin,
                message,
                method,
                self._timeout("connect", connect_timeout),
                self._timeout("write", write_timeout),
                self._timeout("read", read_timeout),
            )
        finally:
            self._slots.release()
        return answer

    async def _upload_client(self) -> HTTPXRequest:
        if self._uploads is None:
            t = self._timeouts
            self._uploads = HTTPXRequest(
                connection_pool_size=1,
                read_timeout=t["read"],
                write_timeout=t["write"],
                connect_timeout=t["connect"],
                pool_timeout=t["pool"],
            )
            await self._uploads.initialize()
        return self._uploads

    def _timeout(self, kind: str, given: ODVInput[float]) -> float | None:
        if given is BaseRequest.DEFAULT_NONE:
            return self._timeouts[kind]
        return given  # type: ignore[return-value]  # a float or None once DEFAULT_NONE is ruled out

    async def _exchange(
        self,
        origin: Origin,
        message: bytes,
        method: str,
        connect_timeout: float | None,
        write_timeout: float | None,
        read_timeout: float | None,
    ) -> tuple[int, bytes]:
        connection = self._reuse(origin) or await self._connect(origin, connect_timeout)
        reader, writer = connection
        keep = False
        try:
            try:
                writer.write(message)
                if writer.transport.get_write_buffer_size():
                    async with asyncio.timeout(write_timeout):
                        await writer.drain()
            except OSError as exc:  # a request that did not get out whole cannot be carried out
                raise _ResetBeforeAnswer(str(exc)) from None
            async with asyncio.timeout(read_timeout):
                status, payload, keep = await _read_response(reader, head_only=method == "HEAD")
            # Bytes after the answer belong to no request of ours: never let the next one read them.
            keep = keep and not _buffered(reader)
            return status, payload
        except TimeoutError:
            raise TimedOut from None
        except _ResetBeforeAnswer as exc:
            # Reset before any byte of the answer: the server dropped the request unread (a
            # busy or restarting front end, or an idle connection it had already closed).
            raise RequestNotSent(f"connection reset before any answer: {exc or 'closed'}") from None
        except asyncio.IncompleteReadError:
            # A clean close, even before the first byte, says nothing about whether the request
            # was carried out: Telegram may have sent the message and lost only the answer.
            raise ResponseLost("connection closed before the answer was complete") from None
        except (OSError, EOFError, asyncio.LimitOverrunError, ProtocolError) as exc:
            raise ResponseLost(f"{type(exc).__name__}: {exc or 'connection closed'}") from None
        finally:
            if keep and not self._closed:
                self._idle[origin].append(connection)
            else:
                writer.close()

    def _reuse(self, origin: Origin) -> Connection | None:
        idle = self._idle.get(origin)
        while idle:
            reader, writer = idle.pop()
            if reader.at_eof() or writer.is_closing() or _buffered(reader) or _readable(writer):
                writer.close()  # the server closed it (or spoke out of turn) while it was idle
                continue
            return reader, writer
        return None

    async def _connect(self, origin: Origin, connect_timeout: float | None) -> Connection:
        scheme, host, port = origin
        tls = self._tls_context() if scheme == "https" else None
        try:
            async with asyncio.timeout(connect_timeout):
                return await asyncio.open_connection(host, port, ssl=tls, limit=MAX_HEADER_BYTES)
        except TimeoutError:
            raise TimedOut("Connect timed out") from None
        except OSError as exc:
            raise RequestNotSent(f"Could not connect: {exc}") from None

    def _tls_context(self) -> ssl.SSLContext:
        if self._tls is None:
            import certifi  # the CA bundle httpx uses, so behaviour matches PTB's default client

            self._tls = ssl.create_default_context(cafile=certifi.where())
        return self._tls


def _buffered(reader: asyncio.StreamReader) -> int:
    """Bytes the event loop has read from the socket that nobody has consumed yet."""
    return len(getattr(reader, "_buffer", b""))  # StreamReader keeps them there; it has no public size


def _readable(writer: asyncio.StreamWriter) -> bool:
    """Bytes or a FIN waiting on an idle connection that the event loop has not read yet
    (a server that hangs up right after answering, without saying "Connection: close")."""
    sock = writer.get_extra_info("socket")
    return sock is not None and bool(select.select([sock.fileno()], [], [], 0)[0])


def form_body(parameters: dict[str, str]) -> bytes:
    """application/x-www-form-urlencoded, byte for byte what ``urllib.parse.urlencode`` makes."""
    return "&".join(f"{_form_escape(name)}={_form_escape(value)}" for name, value in parameters.items()).encode("ascii")


def _form_escape(text: str) -> str:
    return text.encode("utf-8").decode("latin-1").translate(_FORM_ESCAPES)


def _request_bytes(url: str, method: str, body: bytes) -> tuple[Origin, bytes]:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        raise NetworkError(f"Unsupported API address scheme {scheme!r}")
    port = parts.port or (443 if scheme == "https" else 80)
    host_header = parts.netloc.rsplit("@", 1)[-1]
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    head = [
        f"{method} {target} HTTP/1.1",
        f"Host: {host_header}",
        f"User-Agent: {BaseRequest.USER_AGENT}",
        "Accept: */*",
    ]
    if body or method not in ("GET", "HEAD"):
        head += ["Content-Type: application/x-www-form-urlencoded", f"Content-Length: {len(body)}"]
    return (scheme, parts.hostname, port), ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body


async def _read_response(reader: asyncio.StreamReader, *, head_only: bool) -> tuple[int, bytes, bool]:
    """Status, body and whether the connection can carry another request.

    An answer this client cannot frame for certain (two different lengths, a length next to
    chunked encoding) is read once and the connection closed, so nothing left of it can be
    taken for the answer to the next request."""
    first = True
    while True:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
        except (ConnectionResetError, BrokenPipeError) as exc:
            if first and not _buffered(reader):  # readuntil leaves a partial head in the buffer
                raise _ResetBeforeAnswer(str(exc)) from None
            raise
        first = False
        status_line, *header_lines = head[:-4].decode("latin-1").split("\r\n")
        version, _, rest = status_line.partition(" ")
        if not version.startswith("HTTP/1.") or not rest[:3].isdigit():
            raise ProtocolError(f"bad status line {status_line[:40]!r}")
        status = int(rest[:3])
        if status >= 200 or status == 101:
            break  # 1xx interim answers (100 Continue) come before the real one
    headers: dict[str, str] = {}
    for line in header_lines:
        name, sep, value = line.partition(":")
        if not sep:
            raise ProtocolError(f"bad header line {line[:40]!r}")
        name = name.strip().lower()
        headers[name] = f"{headers[name]}, {value.strip()}" if name in headers else value.strip()
    connection = headers.get("connection", "").lower()
    keep = version == "HTTP/1.1" and "close" not in connection
    if head_only or status in (204, 304) or status < 200:
        return status, b"", keep
    if "chunked" in headers.get("transfer-encoding", "").lower():
        return status, await _read_chunks(reader), keep and "content-length" not in headers
    if "content-length" in headers:
        lengths = {part.strip() for part in headers["content-length"].split(",")}
        if len(lengths) != 1:
            raise ProtocolError(f"conflicting Content-Length values {headers['content-length'][:40]!r}")
        length = lengths.pop()
        if not length.isdigit():
            raise ProtocolError(f"bad Content-Length {length[:20]!r}")
        if int(length) > MAX_BODY_BYTES:
            raise ProtocolError(f"answer of {int(length)} bytes is over the {MAX_BODY_BYTES}-byte limit")
        return status, await reader.readexactly(int(length)), keep
    return status, await _read_to_end(reader), False  # the body ends with the connection


async def _read_to_end(reader: asyncio.StreamReader) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while chunk := await reader.read(MAX_HEADER_BYTES):
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise ProtocolError(f"answer is over the {MAX_BODY_BYTES}-byte limit")
        chunks.append(chunk)
    return b"".join(chunks)


async def _read_chunks(reader: asyncio.StreamReader) -> bytes:
    chunks: list[bytes] = []
    total = 0
    while True:
        size_line = await reader.readuntil(b"\r\n")
        size_text = size_line.split(b";", 1)[0].strip()
        try:
            size = int(size_text, 16)
        except ValueError:
            raise ProtocolError(f"bad chunk size {size_text[:20]!r}") from None
        if size == 0:
            while (await reader.readuntil(b"\r\n")) != b"\r\n":  # trailers, then the blank line
                pass
            return b"".join(chunks)
        total += size
        if total > MAX_BODY_BYTES:
            raise ProtocolError(f"answer is over the {MAX_BODY_BYTES}-byte limit")
        chunks.append(await reader.readexactly(size))
        if await reader.readexactly(2) != b"\r\n":
            raise ProtocolError("chunk not followed by CRLF")
