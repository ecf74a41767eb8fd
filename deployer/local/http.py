"""The POSTs that push deliveries and cron jobs make to a service's local URL."""

import http.client
import socket
import threading
import urllib.parse
from collections.abc import Mapping

TIMEOUT_SECONDS = 30  # for the whole request: a server that answers a byte at a time is cut off there


def post(url: str, body: bytes = b"", headers: Mapping[str, str] | None = None) -> int | str:
    """The HTTP status, or why there was none (connection refused, nothing within TIMEOUT_SECONDS)."""
    parts = urllib.parse.urlsplit(url)
    kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    connection = kind(parts.netloc, timeout=TIMEOUT_SECONDS)
    expired = threading.Event()
    deadline = threading.Timer(TIMEOUT_SECONDS, _cut, [connection, expired])
    deadline.start()
    try:
        connection.request("POST", urllib.parse.urlunsplit(("", "", parts.path or "/", parts.query, "")),
                           body=body, headers=dict(headers or {}))
        return connection.getresponse().status
    except (OSError, http.client.HTTPException) as err:
        return f"nothing within {TIMEOUT_SECONDS} s" if expired.is_set() else str(err) or type(err).__name__
    finally:
        deadline.cancel()
        connection.close()


def _cut(connection: http.client.HTTPConnection, expired: threading.Event) -> None:
    """End the request where it waits: its socket shut, the read in progress returns. EXPIRED is set first:
    the read may fail before the timer has finished."""
    expired.set()
    if connection.sock is not None:
        try:
            connection.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def succeeded(status: int | str) -> bool:
    return isinstance(status, int) and 200 <= status < 300
