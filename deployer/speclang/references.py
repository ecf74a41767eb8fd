"""What messages suggest for a name or value the spec gets wrong."""

from collections.abc import Iterable
from difflib import get_close_matches

from deployer.errors import quoted


def unknown(kind: str, name: str, known: Iterable[str]) -> str:
    """`unknown service "emial"`, with the closest declared name where one is close."""
    known = sorted(known)
    message = f"unknown {kind} {quoted(name)}"
    if close := get_close_matches(name, known, n=1, cutoff=0.6):
        return f"{message}; did you mean {quoted(close[0])}?"
    return f"{message} (declared: {', '.join(known)})" if known else f"{message} (none declared)"


def not_allowed(given: object, allowed: Iterable[str]) -> str:
    """`"azur" is not allowed; did you mean "azure"?`, else the allowed values."""
    allowed = list(allowed)
    if hint := get_close_matches(str(given), allowed, n=1, cutoff=0.6):
        return f"{quoted(given)} is not allowed; did you mean {quoted(hint[0])}?"
    return f"{quoted(given)} is not allowed; expected {' or '.join(map(quoted, allowed))}"
