"""The lean Bot API client against scripted loopback servers: how servers really answer
(keep-alive, Content-Length, chunks, close-delimited bodies, HTTP/1.0), and how it fails."""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import ssl
import struct
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from urllib.parse import parse_qsl, urlencode

import pytest
import pytest_asyncio
import trustme
from hypothesis import given
from hypothesis import strategies as st
from telegram import Bot, InputFile
from telegram.error import NetworkError, TimedOut
from telegram.request import HTTPXRequest, RequestData
from telegram.request._requestparameter import RequestParameter

from bot.telegram_http import MAX_BODY_BYTES, RequestNotSent, ResponseLost, StreamRequest, form_body, make_request

TOKEN = "123456:SECRET-token-never-shown"
OK = json.dumps({"ok": True, "result": True}).encode()

Responder = Callable[[bytes, asyncio.StreamWriter], Awaitable[bool]]  # request bytes -> keep the connection?


class ScriptedServer:
    """A loopback HTTP server whose answer to each request is a test's function."""

    def __init__(self, respond: Responder) -> None:
        self.respond = respond
        self.requests: list[bytes] = []
        self.connections = 0
        self.server: asyncio.Server | None = None

    async def __aenter__(self) -> ScriptedServer:
        self.server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self.server is not None
        self.server.close()

    @property
    def url(self) -> str:
        assert self.server is not None
        host, port = self.server.sockets[0].getsockname()[:2]
        return f"http://{host}:{port}/bot{TOKEN}"

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.lower().split(b"\r\n")
                lengths = [line.split(b":")[1] for line in lines if line.startswith(b"content-length")]
                length = int(lengths[0]) if lengths else 0
                request = head + await reader.readexactly(length)
                self.requests.append(request)
                if not await self.respond(request, writer):
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()


def answer(body: bytes = OK, status: str = "200 OK", *, version: str = "HTTP/1.1", headers: str = "") -> Responder:
    async def respond(request: bytes, writer: asyncio.StreamWriter) -> bool:
        extra = headers or f"Content-Length: {len(body)}\r\n"
        writer.write(f"{version} {status}\r\nContent-Type: application/json\r\n{extra}\r\n".encode() + body)
        await writer.drain()
        return version == "HTTP/1.1" and "close" not in headers.lower()

    return respond


@pytest_asyncio.fixture
async def client() -> AsyncIterator[StreamRequest]:
    request = StreamRequest(pool_size=2, read_timeout=2.0)
    await request.initialize()
    yield request
    await request.shutdown()


def params(**values: object) -> RequestData:
    return RequestData([RequestParameter.from_input(k, v) for k, v in values.items()])


@pytest.mark.asyncio
async def test_keep_alive_reuses_one_connection_and_sends_a_form(client: StreamRequest) -> None:
    async with ScriptedServer(answer()) as server:
        for n in range(3):
            status, body = await client.do_request(f"{server.url}/sendMessage", "POST", params(chat_id=n, text="a & b"))
            assert (status, body) == (200, OK)
    assert server.connections == 1
    head, _, form = server.requests[-1].partition(b"\r\n\r\n")
    assert head.startswith(f"POST /bot{TOKEN}/sendMessage HTTP/1.1".encode())
    assert b"Content-Type: application/x-www-form-urlencoded" in head
    assert dict(parse_qsl(form.decode())) == {"chat_id": "2", "text": "a & b"}


@pytest.mark.asyncio
async def test_chunked_answer_is_reassembled(client: StreamRequest) -> None:
    chunked = b"5\r\n" + OK[:5] + b"\r\n" + f"{len(OK) - 5:x}".encode() + b"\r\n" + OK[5:] + b"\r\n0\r\n\r\n"
    async with ScriptedServer(answer(chunked, headers="Transfer-Encoding: chunked\r\n")) as server:
        for _ in range(2):
            assert await client.do_request(f"{server.url}/getMe", "POST") == (200, OK)
    assert server.connections == 1


@pytest.mark.asyncio
async def test_close_delimited_http10_answer_is_read_to_the_end(client: StreamRequest) -> None:
    async def respond(request: bytes, writer: asyncio.StreamWriter) -> bool:
        writer.write(b"HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n" + OK)  # like http.server's default
        return False

    async with ScriptedServer(respond) as server:
        for _ in range(2):
            assert await client.do_request(f"{server.url}/getMe", "POST") == (200, OK)
    assert server.connections == 2


@pytest.mark.asyncio
async def test_error_status_and_body_are_passed_to_ptb(client: StreamRequest) -> None:
    page = json.dumps({"ok": False, "error_code": 429, "description": "Too Many Requests: retry after 3"}).encode()
    async with ScriptedServer(answer(page, "429 Too Many Requests")) as server:
        assert await client.do_request(f"{server.url}/sendMessage", "POST", params(chat_id=1)) == (429, page)


@pytest.mark.asyncio
async def test_connection_the_server_closed_while_idle_is_not_reused(client: StreamRequest) -> None:
    async with ScriptedServer(answer(headers=f"Content-Length: {len(OK)}\r\nConnection: keep-alive\r\n")) as server:
        await client.do_request(f"{server.url}/getMe", "POST")
        server.respond = answer()
        for reader, _ in client._idle[("http", "127.0.0.1", server.server.sockets[0].getsockname()[1])]:
            reader.feed_eof()  # what arrives when the server hangs up an idle keep-alive connection
        assert await client.do_request(f"{server.url}/getMe", "POST") == (200, OK)
    assert server.connections == 2


@pytest.mark.asyncio
async def test_dropped_connection_is_a_network_error_without_the_token(client: StreamRequest) -> None:
    async def hang_up(request: bytes, writer: asyncio.StreamWriter) -> bool:
        return False

    async with ScriptedServer(hang_up) as server:
        with pytest.raises(NetworkError) as caught:
            await client.do_request(f"{server.url}/sendMessage", "POST", params(chat_id=1))
    assert not isinstance(caught.value, TimedOut)
    assert TOKEN not in str(caught.value) and "SECRET" not in repr(caught.value)


@pytest.mark.asyncio
async def test_refused_connection_is_a_network_error_without_the_token(client: StreamRequest) -> None:
    async with ScriptedServer(answer()) as server:
        url = server.url
    with pytest.raises(NetworkError) as caught:
        await client.do_request(f"{url}/getMe", "POST")
    assert not isinstance(caught.value, TimedOut) and TOKEN not in str(caught.value)


@pytest.mark.asyncio
async def test_slow_answer_is_a_time_out(client: StreamRequest) -> None:
    async def stall(request: bytes, writer: asyncio.StreamWriter) -> bool:
        await asyncio.sleep(5)
        return False

    async with ScriptedServer(stall) as server:
        with pytest.raises(TimedOut):
            await client.do_request(f"{server.url}/getMe", "POST", read_timeout=0.2)


@pytest.mark.asyncio
async def test_garbage_answer_is_a_network_error(client: StreamRequest) -> None:
    async def garbage(request: bytes, writer: asyncio.StreamWriter) -> bool:
        writer.write(b"SSH-2.0-OpenSSH_9.2\r\n\r\n")
        return False

    async with ScriptedServer(garbage) as server:
        with pytest.raises(NetworkError, match="status line"):
            await client.do_request(f"{server.url}/getMe", "POST")


@pytest.mark.asyncio
async def test_pool_limits_connections_and_times_out_politely() -> None:
    gate = asyncio.Event()

    async def wait_for_gate(request: bytes, writer: asyncio.StreamWriter) -> bool:
        await gate.wait()
        return await answer()(request, writer)

    client = StreamRequest(pool_size=1, read_timeout=2.0, pool_timeout=0.1)
    await client.initialize()
    try:
        async with ScriptedServer(wait_for_gate) as server:
            first = asyncio.create_task(client.do_request(f"{server.url}/getMe", "POST"))
            await asyncio.sleep(0.05)
            with pytest.raises(TimedOut, match="not\\* sent"):
                await client.do_request(f"{server.url}/getMe", "POST")
            gate.set()
            assert await first == (200, OK)
        assert server.connections == 1
    finally:
        await client.shutdown()


@pytest.mark.asyncio
async def test_ptb_bot_works_through_it() -> None:
    me = {"id": 1, "is_bot": True, "first_name": "Q", "username": "q_bot"}
    async with ScriptedServer(answer(json.dumps({"ok": True, "result": me}).encode())) as server:
        base_url = server.url.removesuffix(TOKEN)
        bot = Bot(TOKEN, base_url=base_url, request=StreamRequest(), get_updates_request=StreamRequest())
        async with bot:
            assert bot.username == "q_bot"
    assert server.requests[0].startswith(f"POST /bot{TOKEN}/getMe HTTP/1.1".encode())


@pytest.mark.asyncio
async def test_sent_message_keeps_its_id_but_not_the_echoed_copies() -> None:
    me = {"id": 1, "is_bot": True, "first_name": "Q", "username": "q_bot"}
    chat = {"id": 7, "type": "private", "first_name": "Ann"}
    bold = [{"type": "bold", "offset": 0, "length": 3}]
    ann = {"id": 7, "is_bot": False, "first_name": "Ann"}
    asked = {"message_id": 5, "from": ann, "date": 1, "chat": chat, "text": "who?", "entities": bold}
    keyboard = {"inline_keyboard": [[{"text": "More", "callback_data": "e:x"}]]}
    echo = {
        "message_id": 6,
        "from": me,
        "date": 2,
        "chat": chat,
        "text": "An answer",
        "reply_to_message": asked,
        "reply_markup": keyboard,
        "entities": bold,
    }
    update = {"update_id": 1, "message": {**asked, "reply_to_message": echo, "reply_markup": keyboard}}
    bodies = [{"ok": True, "result": me}, {"ok": True, "result": echo}, {"ok": True, "result": [update]}]

    async def respond(request: bytes, writer: asyncio.StreamWriter) -> bool:
        return await answer(json.dumps(bodies.pop(0)).encode())(request, writer)

    async with ScriptedServer(respond) as server:
        base_url = server.url.removesuffix(TOKEN)
        async with Bot(TOKEN, base_url=base_url, request=StreamRequest(), get_updates_request=StreamRequest()) as bot:
            sent = await bot.send_message(7, "An answer", reply_to_message_id=5)
            (received,) = await bot.get_updates()
    assert sent.message_id == 6 and sent.text == "An answer" and sent.chat.id == 7
    assert sent.reply_to_message is None and sent.reply_markup is None and sent.entities == ()
    assert sent.from_user is None  # the bot itself
    # an incoming update is what the bot reads: nothing is taken out of it
    assert received.message.reply_to_message.message_id == 6 and received.message.from_user.id == 7
    assert received.message.reply_markup.inline_keyboard[0][0].callback_data == "e:x"
    assert received.message.entities[0].type == "bold"


@pytest.mark.asyncio
async def test_uninitialised_client_refuses() -> None:
    with pytest.raises(RuntimeError, match="not initialized"):
        await StreamRequest().do_request("http://127.0.0.1:9/bot1:x/getMe", "POST")


def test_proxy_in_the_environment_hands_over_to_httpx(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "https_proxy", "http_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    assert isinstance(make_request(pool_size=2), StreamRequest)
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:3128")
    assert isinstance(make_request(pool_size=2), HTTPXRequest)


@given(st.dictionaries(st.text(min_size=1), st.text(), max_size=5))
def test_form_body_matches_urlencode(parameters: dict[str, str]) -> None:
    assert form_body(parameters) == urlencode(parameters).encode()


@pytest.mark.asyncio
async def test_uploads_go_through_ptbs_httpx_client(client: StreamRequest) -> None:
    async with ScriptedServer(answer()) as server:
        data = params(chat_id=1, document=InputFile(b"%PDF-1.4 tiny", filename="a.pdf"))
        assert await client.do_request(f"{server.url}/sendDocument", "POST", data) == (200, OK)
    assert b"multipart/form-data" in server.requests[0] and b"%PDF-1.4 tiny" in server.requests[0]


@pytest.mark.asyncio
async def test_https_checks_the_certificate_and_the_name() -> None:
    ca = trustme.CA()
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("localhost").configure_cert(server_tls)
    trusting = ssl.create_default_context()
    ca.configure_trust(trusting)

    async def respond(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(ConnectionError, ssl.SSLError, asyncio.IncompleteReadError):
            await reader.readuntil(b"\r\n\r\n")
            await answer()(b"", writer)
        writer.close()

    server = await asyncio.start_server(respond, "127.0.0.1", 0, ssl=server_tls)
    port = server.sockets[0].getsockname()[1]
    try:
        client = StreamRequest(tls=trusting)
        await client.initialize()
        assert await client.do_request(f"https://localhost:{port}/bot{TOKEN}/getMe", "POST") == (200, OK)
        await client.shutdown()
        default = StreamRequest()  # certifi's CAs do not know the throwaway CA
        await default.initialize()
        with pytest.raises(NetworkError, match="CERTIFICATE_VERIFY_FAILED"):
            await default.do_request(f"https://localhost:{port}/bot{TOKEN}/getMe", "POST")
        await default.shutdown()
    finally:
        server.close()


@pytest.mark.asyncio
async def test_server_that_hangs_up_after_each_answer_without_saying_so(client: StreamRequest) -> None:
    """HTTP/1.1 answers without "Connection: close", then a hang-up: the FIN reaches the socket
    before the event loop reads it, so only a look at the socket itself avoids reusing it."""
    listener = socket.create_server(("127.0.0.1", 0))
    served: list[int] = []

    def serve() -> None:
        with listener:
            while len(served) < 20:
                conn, _ = listener.accept()
                with conn:
                    conn.recv(65536)
                    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(OK), OK))
                served.append(1)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/bot{TOKEN}/getMe"
    for done in range(1, 21):
        assert await client.do_request(url, "POST") == (200, OK)
        # The server hangs up meanwhile; the event loop does not run. Wait for the hang-up itself
        # rather than a fixed 2 ms, which a busy machine can outlast (the next request then raced it).
        deadline = time.monotonic() + 5
        while len(served) < done and time.monotonic() < deadline:
            time.sleep(0.001)
    thread.join(timeout=5)


# ---------------------------------------------------------------------------
# What may have reached Telegram, and answers this client will not trust


def reset(writer: asyncio.StreamWriter) -> None:
    """Close with a TCP reset, as a server does that drops a request it never read."""
    sock = writer.get_extra_info("socket")
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


@pytest.mark.asyncio
async def test_refused_connection_is_provably_not_sent(client: StreamRequest) -> None:
    async with ScriptedServer(answer()) as server:
        url = server.url
    with pytest.raises(RequestNotSent):
        await client.do_request(f"{url}/sendMessage", "POST", params(chat_id=1))


@pytest.mark.asyncio
async def test_reset_before_any_answer_byte_is_not_sent(client: StreamRequest) -> None:
    async def drop_unread(request: bytes, writer: asyncio.StreamWriter) -> bool:
        reset(writer)
        return False

    async with ScriptedServer(drop_unread) as server:
        with pytest.raises(RequestNotSent):
            await client.do_request(f"{server.url}/sendMessage", "POST", params(chat_id=1))


@pytest.mark.parametrize(
    "sent",
    [b"", b"HTTP/1.1 200 OK\r\nContent-Len", b'HTTP/1.1 200 OK\r\nContent-Length: 40\r\n\r\n{"ok": tr'],
    ids=["nothing", "half-a-head", "half-a-body"],
)
@pytest.mark.asyncio
async def test_answer_cut_off_after_the_request_went_out_may_have_been_carried_out(
    client: StreamRequest, sent: bytes
) -> None:
    """A clean close, even before the first byte: Telegram may have sent the message."""

    async def cut_off(request: bytes, writer: asyncio.StreamWriter) -> bool:
        writer.write(sent)
        await writer.drain()
        return False

    async with ScriptedServer(answer()) as server:
        await client.do_request(f"{server.url}/getMe", "POST")  # the next request reuses this connection
        server.respond = cut_off
        with pytest.raises(ResponseLost) as caught:
            await client.do_request(f"{server.url}/sendMessage", "POST", params(chat_id=1))
    assert not isinstance(caught.value, RequestNotSent)


@pytest.mark.asyncio
async def test_bytes_left_over_after_an_answer_close_the_connection(client: StreamRequest) -> None:
    stray = b"HTTP/1.1 200 OK\r\nContent-Length: 29\r\n\r\n" + b'{"ok":true,"result":"stray"}'

    async def answer_twice(request: bytes, writer: asyncio.StreamWriter) -> bool:
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s%s" % (len(OK), OK, stray))
        await writer.drain()
        return True

    async with ScriptedServer(answer_twice) as server:
        await client.do_request(f"{server.url}/getMe", "POST")
        server.respond = answer()
        assert await client.do_request(f"{server.url}/getMe", "POST") == (200, OK)
    assert server.connections == 2, "the stray answer's connection was reused"


@pytest.mark.asyncio
async def test_conflicting_content_lengths_are_refused(client: StreamRequest) -> None:
    headers = f"Content-Length: {len(OK)}\r\nContent-Length: {len(OK) + 5}\r\n"
    async with ScriptedServer(answer(OK + b"extra", headers=headers)) as server:
        with pytest.raises(ResponseLost, match="conflicting Content-Length"):
            await client.do_request(f"{server.url}/getMe", "POST")
        server.respond = answer()
        assert await client.do_request(f"{server.url}/getMe", "POST") == (200, OK)
    assert server.connections == 2


@pytest.mark.asyncio
async def test_repeated_equal_content_length_is_fine(client: StreamRequest) -> None:
    headers = f"Content-Length: {len(OK)}\r\nContent-Length: {len(OK)}\r\n"
    async with ScriptedServer(answer(headers=headers)) as server:
        assert await client.do_request(f"{server.url}/getMe", "POST") == (200, OK)


@pytest.mark.parametrize("framing", ["content-length", "chunked", "close-delimited"])
@pytest.mark.asyncio
async def test_bodies_over_16_mb_are_refused(client: StreamRequest, framing: str) -> None:
    size = MAX_BODY_BYTES + 1

    async def huge(request: bytes, writer: asyncio.StreamWriter) -> bool:
        if framing == "content-length":
            writer.write(f"HTTP/1.1 200 OK\r\nContent-Length: {size}\r\n\r\n".encode())  # and no body at all
        elif framing == "chunked":
            writer.write(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
            for _ in range(17):
                writer.write(b"100000\r\n" + b"x" * 0x100000 + b"\r\n")
                await writer.drain()
        else:
            writer.write(b"HTTP/1.0 200 OK\r\n\r\n")
            for _ in range(17):
                writer.write(b"x" * 0x100000)
                await writer.drain()
        await writer.drain()
        return False

    async with ScriptedServer(huge) as server:
        with pytest.raises(ResponseLost, match="limit"):
            await client.do_request(f"{server.url}/getUpdates", "POST", read_timeout=10)


def test_operator_can_pick_ptbs_httpx_client(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "https_proxy", "http_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    assert isinstance(make_request(pool_size=2, client="httpx"), HTTPXRequest)
    assert isinstance(make_request(pool_size=2, client="stream"), StreamRequest)
