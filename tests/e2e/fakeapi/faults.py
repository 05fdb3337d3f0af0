"""Faults the tests script: fail, drop, truncate or delay the next calls of a method."""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .rules import GET_UPDATES_CONFLICT, ApiError, JSONDict, _json_bytes
from .state import Call

if TYPE_CHECKING:
    from .server import _Handler


@dataclass
class _Fault:
    method: str
    status: int | None
    description: str | None
    retry_after: int | None
    drop: bool
    delay: float
    after_processing: bool
    when: Callable[[JSONDict], bool] | None
    remaining: int
    truncate: bool = False


class Faults:
    """Scripted faults, as Telegram shows them: an error (429 with retry_after, 5xx, 400...), a dropped
    connection before or after the call is processed, a truncated answer, a delay. The server consults
    them per call (``_take_fault``) and answers with ``_inject``/``_truncate``."""

    _cond: threading.Condition
    _faults: list[_Fault]

    def fail_next(
        self,
        method: str,
        status: int = 500,
        *,
        retry_after: int | None = None,
        description: str | None = None,
        times: int = 1,
        drop: bool = False,
        delay: float = 0.0,
        after_processing: bool = False,
        when: Callable[[JSONDict], bool] | None = None,
    ) -> None:
        """Make the next ``times`` calls of ``method`` fail.

        ``status`` 429 adds ``parameters.retry_after`` (default 1); 502/503/504 answer
        with an nginx-style HTML page like the real front end.  ``drop=True`` closes
        the connection without any response: with a TCP reset (the request was never
        carried out, as when a front end drops it unread), or with ``after_processing=True``
        a clean close after the call was carried out (the message *is* delivered and
        only the answer is lost).  ``after_processing=True`` with a status performs the
        call first and then replaces the response.  ``when(params)`` restricts the fault to matching calls.
        """
        if status == 429 and retry_after is None:
            retry_after = 1
        self._add_fault(
            _Fault(
                method.lower(),
                status,
                description,
                retry_after,
                drop,
                delay,
                after_processing,
                when,
                times,
            )
        )

    def drop_next(self, method: str, *, times: int = 1, after_processing: bool = False) -> None:
        """Close the connection of the next ``method`` call(s) without answering."""
        self.fail_next(method, times=times, drop=True, after_processing=after_processing)

    def truncate_next(self, method: str, *, times: int = 1, when: Callable[[JSONDict], bool] | None = None) -> None:
        """Carry out the next ``method`` call(s), then send only half of the answer and hang up."""
        self._add_fault(_Fault(method.lower(), None, None, None, False, 0.0, True, when, times, truncate=True))

    def delay_next(self, method: str, seconds: float, *, times: int = 1) -> None:
        """Answer the next ``method`` call(s) normally, but only after ``seconds``."""
        self._add_fault(_Fault(method.lower(), None, None, None, False, seconds, False, None, times))

    def _add_fault(self, fault: _Fault) -> None:
        with self._cond:
            self._faults.append(fault)

    def _take_fault(self, method: str, params: JSONDict) -> _Fault | None:
        with self._cond:
            for fault in self._faults:
                if fault.method == method.lower() and (fault.when is None or fault.when(params)):
                    fault.remaining -= 1
                    if fault.remaining <= 0:
                        self._faults.remove(fault)
                    return fault
            return None

    def _truncate(self, handler: _Handler, call: Call, status: int, payload: JSONDict) -> None:
        """Send the head and half the body of the real answer, then close the connection."""
        call.injected, call.description = True, "answer cut off half-way (fault injection)"
        self._record(call)
        body = _json_bytes(payload)
        handler.close_connection = True
        with contextlib.suppress(OSError):
            handler.send_response(status)
            handler.send_header("Content-Type", "application/json")
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            handler.wfile.write(body[: len(body) // 2])
            handler.wfile.flush()
            handler.connection.shutdown(socket.SHUT_RDWR)

    def _inject(self, handler: _Handler, call: Call, fault: _Fault) -> None:
        """Answer (or not) with the scripted fault instead of the real response."""
        call.injected = True
        if fault.drop:
            call.status, call.description = None, "connection dropped (fault injection)"
            self._record(call)
            handler.close_connection = True
            with contextlib.suppress(OSError):
                if fault.after_processing:  # carried out, then the answer is lost: a clean close
                    handler.connection.shutdown(socket.SHUT_RDWR)
                else:  # never carried out: reset, as a front end does that drops a request unread
                    handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    handler.connection.close()
            return
        status = fault.status or 500
        call.status = status
        if status in (502, 503, 504) and fault.description is None:
            phrase = {502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Time-out"}
            call.description = phrase[status]
            html = (
                f"<html>\r\n<head><title>{status} {phrase[status]}</title></head>\r\n<body>\r\n"
                f"<center><h1>{status} {phrase[status]}</h1></center>\r\n<hr><center>nginx"
                "</center>\r\n</body>\r\n</html>\r\n"
            )
            self._record(call)
            self._write(handler, status, html.encode(), "text/html")
            return
        default = {
            400: "Bad Request",
            401: "Unauthorized",
            403: "Forbidden: bot was blocked by the user",
            404: "Not Found",
            409: GET_UPDATES_CONFLICT,
            429: f"Too Many Requests: retry after {fault.retry_after}",
            500: "Internal Server Error",
        }
        description = fault.description or default.get(status, f"Error {status}")
        parameters = {"retry_after": fault.retry_after} if fault.retry_after is not None else None
        error = ApiError(status, description, parameters)
        call.description = description
        self._finish(handler, call, status, error.payload())
