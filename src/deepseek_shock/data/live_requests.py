"""Requests to Yahoo Finance made polite and repeatable: the yfinance adapter, a reachability probe,
a disk cache, throttling and retries with exponential backoff on rate limits.

What is relied on from yfinance (its 1.7 source and documentation):

- ``yfinance.exceptions.YFRateLimitError`` is raised when Yahoo answers HTTP 429 ("Too Many Requests").
- Other failures raise only while ``yf.config.debug.hide_exceptions`` is False (``history`` otherwise logs
  them and returns an empty frame; its ``raise_errors`` argument is deprecated in favour of this
  setting), so the adapter turns it off for its own calls.
- ``Ticker.history`` and ``Ticker.get_shares_full`` take ``start``/``end`` as ``YYYY-MM-DD`` text.
"""

from __future__ import annotations

import json
import os
import socket
import threading
import time
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from importlib import metadata
from pathlib import Path
from typing import Any, Protocol, TypeVar

from deepseek_shock.data.snapshot import DEFAULT_SNAPSHOT
from deepseek_shock.errors import UserError
from deepseek_shock.paths import project_root

YAHOO_HOST = "query1.finance.yahoo.com"
YAHOO_PORT = 443
PROBE_TIMEOUT_S = 2.0

T = TypeVar("T")
Records = list[dict[str, Any]]


class LiveDataError(UserError):
    """Live data could not be fetched, failed validation, or was asked for with bad input."""


class TickerFailure(Exception):
    """One ticker's fetch or validation failed; the message says why, on one line."""


class Fetcher(Protocol):
    """The few yfinance calls live data needs; ``YFinanceFetcher`` makes them, tests pass fakes."""

    source: str  # e.g. "yfinance 1.7.0"

    def history(self, ticker: str, start: date, end: date) -> Any:
        """``Ticker(ticker).history(...)``'s frame for ``start`` (inclusive) to ``end`` (exclusive)."""
        ...

    def shares(self, ticker: str, start: date, end: date) -> Any:
        """``Ticker(ticker).get_shares_full(start, end)``'s Series, or None."""
        ...


class YFinanceFetcher:
    """The default fetcher: thin calls into yfinance whose answers are returned unchanged."""

    def __init__(self) -> None:
        self.source = f"yfinance {metadata.version('yfinance')}"

    def history(self, ticker: str, start: date, end: date) -> Any:
        """Daily prices with both closes and the actions: ``auto_adjust=False, actions=True``."""
        import yfinance as yf

        with exceptions_raised(yf):
            return yf.Ticker(ticker).history(
                start=start.isoformat(), end=end.isoformat(), interval="1d", auto_adjust=False, actions=True
            )

    def shares(self, ticker: str, start: date, end: date) -> Any:
        """Share counts from Yahoo's fundamentals time series."""
        import yfinance as yf

        with exceptions_raised(yf):
            return yf.Ticker(ticker).get_shares_full(start=start.isoformat(), end=end.isoformat())


@contextmanager
def exceptions_raised(yf: Any) -> Iterator[None]:
    """yfinance raising its errors instead of logging them (``yf.config.debug.hide_exceptions``)."""
    config = getattr(yf, "config", None)
    if config is None:
        yield
        return
    hidden = config.debug.hide_exceptions
    config.debug.hide_exceptions = False
    try:
        yield
    finally:
        config.debug.hide_exceptions = hidden


@dataclass(frozen=True)
class RequestPolicy:
    """How politely requests are made: seconds between requests, attempts and backoff on rate limits."""

    min_interval_s: float = 1.0
    max_attempts: int = 4
    backoff_s: float = 2.0  # the wait after the first rate-limited attempt; doubled after each further one
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic


@dataclass(frozen=True)
class Response:
    """One answer from Yahoo Finance, normalized: records, or None when Yahoo had no such data."""

    source: str
    fetched_at: str  # UTC, e.g. 2026-11-23T13:20:05Z
    records: Records | None


def offline_message(detail: str) -> str:
    """The one line every live command prints when Yahoo Finance cannot be reached."""
    return (
        f"network unreachable: cannot reach Yahoo Finance ({detail}); "
        f"the embedded snapshot {DEFAULT_SNAPSHOT} still works offline"
    )


def probe_target() -> tuple[str, int, str]:
    """``(host, port, label)`` to probe: the HTTPS proxy when one is configured for Yahoo, else Yahoo."""
    proxy = urllib.request.getproxies().get("https")
    if proxy and not urllib.request.proxy_bypass(YAHOO_HOST):
        parsed = urllib.parse.urlsplit(proxy if "://" in proxy else f"http://{proxy}")
        if parsed.hostname:
            port = parsed.port or 8080
            return parsed.hostname, port, f"via proxy {parsed.hostname}:{port}"
    return YAHOO_HOST, YAHOO_PORT, f"{YAHOO_HOST}:{YAHOO_PORT}"


def probe_yahoo(
    timeout_s: float = PROBE_TIMEOUT_S,
    connect: Callable[[tuple[str, int], float], Any] = socket.create_connection,
) -> None:
    """Return if a TCP connection to Yahoo Finance (or the HTTPS proxy) opens within ``timeout_s`` seconds.

    Raises ``LiveDataError`` with ``offline_message`` otherwise. The DNS lookup is bounded too: the
    connection is tried in a daemon thread that is waited for at most ``timeout_s``.
    """
    host, port, label = probe_target()
    outcome: list[BaseException | None] = []

    def attempt() -> None:
        try:
            connection = connect((host, port), timeout_s)
            connection.close()
            outcome.append(None)
        except OSError as exc:
            outcome.append(exc)

    worker = threading.Thread(target=attempt, daemon=True)
    worker.start()
    worker.join(timeout_s)
    if not outcome:
        raise LiveDataError(offline_message(f"{label}: no answer within {timeout_s:g} s"))
    if outcome[0] is not None:
        raise LiveDataError(offline_message(f"{label}: {one_line(str(outcome[0]))}"))


def one_line(text: str, limit: int = 200) -> str:
    """``text`` on one line (whitespace collapsed), cut to ``limit`` characters."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def rate_limited(exc: BaseException) -> bool:
    """Whether ``exc`` is Yahoo refusing for too many requests (YFRateLimitError or an HTTP 429)."""
    from yfinance.exceptions import YFRateLimitError

    if isinstance(exc, YFRateLimitError):
        return True
    response = getattr(exc, "response", None)
    if getattr(response, "status_code", None) == 429:
        return True
    return "Too Many Requests" in str(exc)


def failure_reason(exc: BaseException) -> str:
    """Why a fetcher call failed, on one line: network errors labelled as such."""
    text = one_line(str(exc)) or "no message"
    label = "network error: " if isinstance(exc, OSError) else ""
    return f"{label}{type(exc).__name__}: {text}"


class Requester:
    """Fetcher calls made polite and repeatable: cached on disk, throttled, retried on rate limits.

    The reachability probe runs once, before the first call that the cache cannot answer.
    """

    def __init__(
        self,
        fetcher: Fetcher,
        cache_dir: Path,
        policy: RequestPolicy,
        probe: Callable[[], None],
        utc_now: Callable[[], datetime],
    ) -> None:
        self.fetcher = fetcher
        self.cache_dir = cache_dir
        self.policy = policy
        self.probe = probe
        self.utc_now = utc_now
        self.probed = False
        self.last_request: float | None = None

    def checked(
        self,
        key: str,
        call: Callable[[Fetcher], Any],
        normalize: Callable[[Any], Records | None],
        check: Callable[[Response], T],
    ) -> T:
        """``check(response)`` for the request ``key``: from the disk cache, else fetched.

        A fetched response is cached only once it passes ``check``, so a rerun refetches failures only;
        a cached response that no longer passes is fetched again.
        """
        path = self.cache_dir / f"{key}.json"
        cached = cached_response(path)
        if cached is not None:
            try:
                return check(cached)
            except (TickerFailure, TypeError, KeyError, ValueError):
                pass  # stale or damaged (the checks changed, or the file was edited): fetch again
        raw = self.answer(call)
        response = Response(self.fetcher.source, utc_stamp(self.utc_now()), normalize(raw))
        result = check(response)
        store_response(path, response)
        return result

    def answer(self, call: Callable[[Fetcher], Any]) -> Any:
        """``call(fetcher)``'s result, throttled and retried with exponential backoff on rate limits."""
        if not self.probed:
            self.probe()
            self.probed = True
        attempt = 1
        while True:
            self.throttle()
            try:
                return call(self.fetcher)
            except Exception as exc:
                if not rate_limited(exc):
                    raise TickerFailure(failure_reason(exc)) from exc
                if attempt >= self.policy.max_attempts:
                    raise TickerFailure(f"rate limited by Yahoo Finance on all {attempt} attempts") from exc
            self.policy.sleep(self.policy.backoff_s * 2 ** (attempt - 1))
            attempt += 1

    def throttle(self) -> None:
        """Wait until ``min_interval_s`` seconds have passed since the previous request started."""
        now = self.policy.clock()
        if self.last_request is not None:
            wait = self.policy.min_interval_s - (now - self.last_request)
            if wait > 0:
                self.policy.sleep(wait)
                now = self.policy.clock()
        self.last_request = now


def cached_response(path: Path) -> Response | None:
    """The response cached in ``path``, or None when there is none or it is unreadable."""
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
        records = stored["records"]
        if records is not None and not isinstance(records, list):
            return None
        return Response(str(stored["source"]), str(stored["fetched_at"]), records)
    except (FileNotFoundError, ValueError, KeyError, TypeError):
        return None


def store_response(path: Path, response: Response) -> None:
    """Write ``response`` to ``path`` as JSON, atomically (a temporary file renamed into place)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    document = {"source": response.source, "fetched_at": response.fetched_at, "records": response.records}
    partial = path.with_name(f".{path.name}.{uuid.uuid4().hex}")
    partial.write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")
    os.replace(partial, path)


def utc_stamp(moment: datetime) -> str:
    """``moment`` as a UTC timestamp to the second, e.g. ``2026-11-23T13:20:05Z``."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def utc_clock(now: datetime | None) -> Callable[[], datetime]:
    """The current time (UTC), or ``now`` fixed (a naive ``now`` is taken as UTC)."""
    if now is None:
        return lambda: datetime.now(UTC)
    fixed = now if now.tzinfo else now.replace(tzinfo=UTC)
    return lambda: fixed


def default_cache_dir() -> Path:
    """``_build/cache/yfinance/``: cached Yahoo Finance answers, one JSON file per request."""
    return project_root() / "_build" / "cache" / "yfinance"
