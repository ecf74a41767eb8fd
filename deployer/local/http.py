"""The POSTs that push deliveries and cron jobs make to a service's local URL."""

import urllib.error
import urllib.request
from collections.abc import Mapping

TIMEOUT_SECONDS = 30


def post(url: str, body: bytes = b"", headers: Mapping[str, str] | None = None) -> int | str:
    """The HTTP status, or why there was none (connection refused, timed out)."""
    request = urllib.request.Request(url, data=body, headers=dict(headers or {}), method="POST")
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            return response.status
    except urllib.error.HTTPError as err:
        return err.code
    except (urllib.error.URLError, OSError) as err:
        return str(getattr(err, "reason", err))


def succeeded(status: int | str) -> bool:
    return isinstance(status, int) and 200 <= status < 300
