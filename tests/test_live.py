"""Live data from Yahoo Finance, without a network: fakes return frames shaped like yfinance's.

The fakes follow yfinance 1.7's documented returns: ``Ticker.history(..., auto_adjust=False,
actions=True)`` gives Open, High, Low, Close, Adj Close, Volume (int64), Dividends, Stock Splits on a
tz-aware DatetimeIndex named Date at midnight New York time; ``get_shares_full`` gives a Series of
counts on a tz-aware index, possibly with one date twice (ranaroussi/yfinance#1954), or None.
Every test runs on a copy of ``data/`` in ``tmp_path`` (``DEEPSEEK_SHOCK_ROOT``).
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import re
import shutil
import threading
import types
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import requests
from yfinance.exceptions import YFPricesMissingError, YFRateLimitError

from deepseek_shock.data.live import (
    LiveDataError,
    fetch_ticker_prices,
    iso_date,
    price_window,
    refresh_snapshot,
    refreshable_tickers,
)
from deepseek_shock.data.live_requests import RequestPolicy, YFinanceFetcher, probe_yahoo
from deepseek_shock.data.live_snapshot import SERIES_BASIS, SERIES_TABLES
from deepseek_shock.data.snapshot import (
    DEFAULT_SNAPSHOT,
    SnapshotError,
    load_manifest,
    load_table,
    verify_snapshot,
)
from deepseek_shock.paths import project_root

NOW = datetime(2026, 11, 23, 13, 0, 5, tzinfo=UTC)
START, END = date(2025, 1, 21), date(2025, 1, 31)
DAYS = ["2025-01-21", "2025-01-22", "2025-01-23", "2025-01-24", "2025-01-27", "2025-01-28"]
NVDA_CLOSES = [140.83, 147.07, 147.22, 142.62, 118.42, 128.99]
NY = "America/New_York"


def yahoo_history(
    days: list[str],
    closes: list[float],
    *,
    adj_ratio: list[float] | None = None,
    dividends: dict[str, float] | None = None,
    splits: dict[str, float] | None = None,
    volume: int = 1_000_000,
) -> pd.DataFrame:
    """A frame shaped like ``Ticker.history(..., auto_adjust=False, actions=True)``'s."""
    close = np.array(closes, dtype=float)
    ratio = np.array(adj_ratio or [1.0] * len(days))
    index = pd.DatetimeIndex(pd.to_datetime(days), name="Date").tz_localize(NY)
    return pd.DataFrame(
        {
            "Open": close * 1.01,
            "High": close * 1.02,
            "Low": close * 0.98,
            "Close": close,
            "Adj Close": close * ratio,
            "Volume": np.full(len(days), volume, dtype=np.int64),
            "Dividends": [(dividends or {}).get(d, 0.0) for d in days],
            "Stock Splits": [(splits or {}).get(d, 0.0) for d in days],
        },
        index=index,
    )


def with_cell(frame: pd.DataFrame, column: str, value: float) -> pd.DataFrame:
    """``frame`` with ``column`` set to ``value`` on its last row."""
    frame.iloc[-1, frame.columns.get_loc(column)] = value
    return frame


def yahoo_shares(points: list[tuple[str, int]]) -> pd.Series:
    """A Series shaped like ``get_shares_full``'s: counts on a tz-aware index, dates may repeat."""
    index = pd.DatetimeIndex(pd.to_datetime([d for d, _ in points])).tz_localize(NY)
    return pd.Series([n for _, n in points], index=index)


class FakeYahoo:
    """A fetcher answering from per-ticker queues (a frame, a Series, None or an exception to raise).

    The last answer of a queue repeats; every call is recorded as (kind, ticker, start, end).
    """

    source = "yfinance 1.7.0"

    def __init__(self, history: dict[str, list[Any]], shares: dict[str, list[Any]] | None = None) -> None:
        self.answers = {"history": history, "shares": shares or {}}
        self.calls: list[tuple[str, str, date, date]] = []

    def answer(self, kind: str, ticker: str, start: date, end: date) -> Any:
        self.calls.append((kind, ticker, start, end))
        queue = self.answers[kind].get(ticker, [None])
        result = queue.pop(0) if len(queue) > 1 else queue[0]
        if isinstance(result, BaseException):
            raise result
        return result

    def history(self, ticker: str, start: date, end: date) -> Any:
        return self.answer("history", ticker, start, end)

    def shares(self, ticker: str, start: date, end: date) -> Any:
        return self.answer("shares", ticker, start, end)


class Sleeps:
    """A fake ``time.sleep`` that records each wait (seconds) and advances a fake clock."""

    def __init__(self) -> None:
        self.waits: list[float] = []
        self.now = 0.0

    def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += seconds

    def clock(self) -> float:
        return self.now


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the project's ``data/`` under ``tmp_path``, made the project root."""
    copy = tmp_path / "project"
    shutil.copytree(project_root() / "data", copy / "data")
    monkeypatch.setenv("DEEPSEEK_SHOCK_ROOT", str(copy))
    monkeypatch.delenv("DEEPSEEK_SHOCK_SNAPSHOT", raising=False)
    return copy


def snapshot_hashes(root: Path) -> dict[str, str]:
    """SHA-256 of every file (hidden ones included) under ``data/snapshots``, by relative path."""
    folder = root / "data" / "snapshots"
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def good_yahoo() -> FakeYahoo:
    """NVDA and AMD answering well; NVDA's share counts hold one date twice."""
    return FakeYahoo(
        history={
            "NVDA": [yahoo_history(DAYS, NVDA_CLOSES)],
            "AMD": [yahoo_history(DAYS, [120.0, 121.5, 122.0, 121.0, 115.3, 117.9])],
        },
        shares={
            "NVDA": [
                yahoo_shares(
                    [
                        ("2025-01-21", 24_490_000_000),
                        ("2025-01-24", 24_400_000_000),
                        ("2025-01-24", 24_490_000_000),
                    ]
                )
            ],
            "AMD": [None],
        },
    )


def refresh(root: Path, fetcher: FakeYahoo, tickers: list[str] | None = None, **kwargs: Any) -> Path:
    """``refresh_snapshot`` with the test's fetcher, cache under ``root``, no waits and a passing probe."""
    options: dict[str, Any] = {
        "fetcher": fetcher,
        "cache_dir": root / "cache",
        "policy": RequestPolicy(min_interval_s=0, sleep=lambda s: None),
        "probe": lambda: None,
        "now": NOW,
    }
    options.update(kwargs)
    return refresh_snapshot(tickers or ["NVDA", "AMD"], START, END, **options)


def test_refresh_writes_a_new_verified_snapshot_and_leaves_the_others_untouched(root: Path) -> None:
    before = snapshot_hashes(root)
    fetcher = good_yahoo()
    folder = refresh(root, fetcher)
    assert folder == root / "data" / "snapshots" / "live-2026-11-23"
    verify_snapshot("live-2026-11-23")
    after = snapshot_hashes(root)
    assert {k: v for k, v in after.items() if not k.startswith("live-2026-11-23/")} == before
    assert {k.split("/")[0] for k in after} == {k.split("/")[0] for k in before} | {"live-2026-11-23"}
    # yfinance's end is exclusive: the day after the window's last day is asked for.
    assert ("history", "NVDA", START, date(2025, 2, 1)) in fetcher.calls

    prices = load_table("prices", "live-2026-11-23")
    nvda = prices[prices["ticker"] == "NVDA"].set_index("date")
    assert list(nvda.index.strftime("%Y-%m-%d")) == DAYS
    assert nvda.loc[pd.Timestamp("2025-01-27"), "close"] == 118.42
    assert nvda["volume"].dtype == np.int64
    base = load_table("prices", DEFAULT_SNAPSHOT)
    others = sorted(set(base["ticker"]) - {"NVDA", "AMD"})
    kept = prices[prices["ticker"].isin(others)].reset_index(drop=True)
    pd.testing.assert_frame_equal(kept, base[base["ticker"].isin(others)].reset_index(drop=True))

    manifest = load_manifest("live-2026-11-23")
    [module] = re.findall(r"\bby (deepseek_shock[\w.]*)", manifest["built_from"])
    assert importlib.util.find_spec(module) is not None  # the module that wrote it, by its real name
    entry = manifest["tables"]["prices"]
    assert entry["source"].startswith("yfinance 1.7.0 (Yahoo Finance), fetched 2026-11-23T13:00:05Z;")
    assert entry["columns"] == load_manifest(DEFAULT_SNAPSHOT)["tables"]["prices"]["columns"]
    assert "split-adjusted but not dividend-adjusted" in entry["adjustment_basis"]
    assert any("No stock split inside the window" in c for c in entry["caveats"])
    assert any(
        c.startswith("Coverage: NVDA, AMD 2025-01-21 to 2025-01-28 (6 trading days)")
        for c in entry["caveats"]
    )
    for table in ("indexes", "training_compute", "hyperscaler_financials"):
        assert manifest["tables"][table] == load_manifest(DEFAULT_SNAPSHOT)["tables"][table]
    assert any(g["text"].startswith(f"In base snapshot {DEFAULT_SNAPSHOT}: ") for g in manifest["known_gaps"])
    assert {
        "text": "No Yahoo Finance share counts for AMD in 2025-01-21 to 2025-01-31.",
        "tables": ["shares_outstanding"],
    } in manifest["known_gaps"]


def test_share_counts_keep_the_last_value_per_date_beside_the_base_rows(root: Path) -> None:
    fetcher = good_yahoo()
    fetcher.answers["history"]["MU"] = [yahoo_history(DAYS, [100.0] * 6)]
    fetcher.answers["shares"]["NVDA"] = [
        yahoo_shares(
            [
                ("2025-01-21", 24_490_000_000),
                ("2025-01-24", 24_400_000_000),
                ("2025-01-24", 24_490_000_000),
                ("2025-02-01", 24_500_000_000),  # yfinance widens the window to whole days
            ]
        )
    ]
    # The base snapshot already has AMD's 10-K cover count as of 2025-01-30: it wins over Yahoo's.
    fetcher.answers["shares"]["AMD"] = [
        yahoo_shares([("2025-01-29", 1_620_000_000), ("2025-01-30", 1_621_000_000)])
    ]
    refresh(root, fetcher, ["NVDA", "AMD", "MU"])
    shares = load_table("shares_outstanding", "live-2026-11-23")
    base = load_table("shares_outstanding", DEFAULT_SNAPSHOT)
    pd.testing.assert_frame_equal(
        shares[~shares["source"].str.startswith("Yahoo Finance")].reset_index(drop=True), base
    )
    yahoo = shares[shares["source"].str.startswith("Yahoo Finance")]
    assert list(
        zip(yahoo["ticker"], yahoo["as_of"].dt.strftime("%Y-%m-%d"), yahoo["shares"], strict=True)
    ) == [
        ("AMD", "2025-01-29", 1_620_000_000),
        ("NVDA", "2025-01-21", 24_490_000_000),
        ("NVDA", "2025-01-24", 24_490_000_000),  # the last of the two values Yahoo gave that day
    ]
    assert (yahoo["form"] == "").all() and yahoo["filed"].isna().all()
    assert "last is kept" in yahoo.iloc[2]["share_class_note"]
    caveats = load_manifest("live-2026-11-23")["tables"]["shares_outstanding"]["caveats"]
    dates = "NVDA 2 dates from 2025-01-21 to 2025-01-24; AMD 2 dates from 2025-01-29 to 2025-01-30"
    assert f"Share-count dates: {dates}." in caveats
    assert any(c.endswith("the last value returned is kept for: NVDA 2025-01-24.") for c in caveats)
    assert any(c.endswith("were dropped: NVDA 1.") for c in caveats)
    assert any(c.endswith("its row is kept and Yahoo's is left out: AMD 2025-01-30.") for c in caveats)
    assert "Yahoo Finance had no share counts inside the window for MU." in caveats


BAD_FRAMES: dict[str, tuple[Any, str]] = {
    "empty frame": (yahoo_history([], []), "no price rows (empty frame)"),
    "missing columns": (
        yahoo_history(DAYS, NVDA_CLOSES).drop(columns=["Adj Close"]),
        "missing columns Adj Close; expected Open, High, Low, Close, Adj Close",
    ),
    "duplicate dates": (
        yahoo_history([*DAYS, DAYS[-1]], [*NVDA_CLOSES, 129.0]),
        "duplicate dates 2025-01-28",
    ),
    "zero price": (
        with_cell(yahoo_history(DAYS, NVDA_CLOSES), "Close", 0.0),
        "close 0.0 on 2025-01-28; expected a positive",
    ),
    "negative price": (yahoo_history(DAYS, [-1.0, *NVDA_CLOSES[1:]]), "open -1.01 on 2025-01-21"),
    "negative volume": (yahoo_history(DAYS, NVDA_CLOSES, volume=-5), "volume -5 on 2025-01-21"),
    "missing price": (
        with_cell(yahoo_history(DAYS, NVDA_CLOSES), "Adj Close", np.nan),
        "missing adj_close on 2025-01-28",
    ),
    "date outside the window": (
        yahoo_history([*DAYS, "2025-02-03"], [*NVDA_CLOSES, 116.7]),
        "row dated 2025-02-03 lies outside the window 2025-01-21 to 2025-01-31",
    ),
    "dates that do not parse": (
        yahoo_history(DAYS, NVDA_CLOSES).reset_index(drop=True),
        "price dates do not parse: expected a DatetimeIndex, got RangeIndex",
    ),
    "not a frame": ({"Close": 1.0}, "expected a DataFrame of prices, got dict"),
    "adj_close above close": (
        yahoo_history(DAYS, NVDA_CLOSES, adj_ratio=[1.0] * 5 + [1.2]),
        "above close 128.99 on 2025-01-28",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_FRAMES))
def test_a_bad_frame_fails_its_ticker_and_nothing_is_written(root: Path, case: str) -> None:
    frame, reason = BAD_FRAMES[case]
    before = snapshot_hashes(root)
    with pytest.raises(LiveDataError) as raised:
        refresh(root, FakeYahoo({"NVDA": [frame]}), ["NVDA"])
    message = str(raised.value)
    assert message.startswith("live refresh failed for 1 of 1 tickers, nothing written: NVDA (")
    assert reason in message
    assert "\n" not in message
    assert snapshot_hashes(root) == before


def test_partial_failure_names_every_failed_ticker_and_writes_nothing(root: Path) -> None:
    before = snapshot_hashes(root)
    fetcher = FakeYahoo(
        {
            "NVDA": [yahoo_history(DAYS, NVDA_CLOSES)],
            "AMD": [yahoo_history([], [])],
            "XYZQ": [YFPricesMissingError("XYZQ", "(1d 2025-01-21 -> 2025-02-01)")],
        }
    )
    with pytest.raises(LiveDataError) as raised:
        refresh(root, fetcher, ["NVDA", "AMD", "XYZQ"])
    message = str(raised.value)
    assert message.startswith("live refresh failed for 2 of 3 tickers, nothing written: AMD (")
    assert "XYZQ (YFPricesMissingError: $XYZQ: possibly delisted; no price data found" in message
    assert "NVDA" not in message.split("nothing written:")[1]
    assert snapshot_hashes(root) == before
    # The good ticker's answers are cached, so a rerun asks Yahoo only for the failed ones.
    assert (root / "cache" / "prices_NVDA_2025-01-21_2025-01-31.json").is_file()
    assert not (root / "cache" / "prices_AMD_2025-01-21_2025-01-31.json").exists()


class HTTP429(Exception):
    """An HTTP error carrying a 429 response, as requests and curl_cffi raise them."""

    def __init__(self) -> None:
        super().__init__("429 Client Error")
        self.response = types.SimpleNamespace(status_code=429)


@pytest.mark.parametrize("error", [YFRateLimitError, HTTP429], ids=["YFRateLimitError", "HTTP 429"])
def test_a_rate_limit_is_retried_with_exponential_backoff(root: Path, error: Callable[[], Exception]) -> None:
    sleeps = Sleeps()
    fetcher = FakeYahoo({"NVDA": [error(), error(), yahoo_history(DAYS, NVDA_CLOSES)]})
    policy = RequestPolicy(
        min_interval_s=0, max_attempts=4, backoff_s=2.0, sleep=sleeps.sleep, clock=sleeps.clock
    )
    folder = refresh(root, fetcher, ["NVDA"], policy=policy)
    assert sleeps.waits == [2.0, 4.0]
    assert [c[:2] for c in fetcher.calls] == [("history", "NVDA")] * 3 + [("shares", "NVDA")]
    verify_snapshot(folder.name)


def test_a_rate_limit_that_never_lifts_fails_the_ticker(root: Path) -> None:
    before = snapshot_hashes(root)
    sleeps = Sleeps()
    fetcher = FakeYahoo({"NVDA": [yahoo_history(DAYS, NVDA_CLOSES)], "AMD": [YFRateLimitError()]})
    policy = RequestPolicy(
        min_interval_s=0, max_attempts=3, backoff_s=1.5, sleep=sleeps.sleep, clock=sleeps.clock
    )
    with pytest.raises(
        LiveDataError,
        match=r"1 of 2 tickers, nothing written: AMD \(rate limited by Yahoo Finance on all 3 attempts\)$",
    ):
        refresh(root, fetcher, policy=policy)
    assert sleeps.waits == [1.5, 3.0]
    assert snapshot_hashes(root) == before


def test_a_network_error_fails_the_ticker_without_retrying(root: Path) -> None:
    error = requests.exceptions.ConnectionError("Failed to resolve 'query2.finance.yahoo.com'")
    fetcher = FakeYahoo({"NVDA": [error]})
    with pytest.raises(LiveDataError) as raised:
        refresh(root, fetcher, ["NVDA"])
    assert "NVDA (network error: ConnectionError: Failed to resolve 'query2.finance.yahoo.com')" in str(
        raised.value
    )
    assert len(fetcher.calls) == 1


def test_requests_are_spaced_by_the_minimum_interval(root: Path) -> None:
    sleeps = Sleeps()
    policy = RequestPolicy(min_interval_s=1.5, sleep=sleeps.sleep, clock=sleeps.clock)
    refresh(root, good_yahoo(), policy=policy)
    assert sleeps.waits == [1.5, 1.5, 1.5]  # four requests, three gaps (the fake calls take no time)


def test_a_split_inside_the_window_is_noted_and_both_closes_stay_on_one_basis(root: Path) -> None:
    days = ["2024-06-05", "2024-06-06", "2024-06-07", "2024-06-10", "2024-06-11", "2024-06-12", "2024-06-13"]
    closes = [122.44, 120.998, 120.888, 121.79, 120.91, 125.2, 129.61]  # split-adjusted, as Yahoo gives them
    ratio = [0.9995] * 6 + [1.0]  # a dividend on 2024-06-13 lifts adj_close to close
    frame = yahoo_history(
        days, closes, adj_ratio=ratio, splits={"2024-06-10": 10.0}, dividends={"2024-06-13": 0.01}
    )
    fetcher = FakeYahoo({"NVDA": [frame]})
    refresh_snapshot(
        ["NVDA"],
        date(2024, 6, 3),
        date(2024, 6, 14),
        fetcher=fetcher,
        cache_dir=root / "cache",
        policy=RequestPolicy(min_interval_s=0),
        probe=lambda: None,
        now=NOW,
    )
    entry = load_manifest("live-2026-11-23")["tables"]["prices"]
    assert any(
        c.startswith("Stock splits inside the window: NVDA 10-for-1 on 2024-06-10.") for c in entry["caveats"]
    )
    assert any("NVDA 2024-06-13 0.01" in c for c in entry["caveats"])
    prices = load_table("prices", "live-2026-11-23")
    nvda = prices[prices["ticker"] == "NVDA"]
    assert (nvda["adj_close"] <= nvda["close"]).all()
    assert np.allclose(nvda["adj_close"] / nvda["close"], ratio)


def test_closes_on_different_split_bases_fail_the_ticker(root: Path) -> None:
    days = ["2024-06-06", "2024-06-07", "2024-06-10", "2024-06-11"]
    # Close not restated for the split while Adj Close is: the ratio jumps tenfold on the split day.
    frame = yahoo_history(
        days, [1209.98, 1208.88, 121.79, 120.91], adj_ratio=[0.1, 0.1, 1.0, 1.0], splits={"2024-06-10": 10.0}
    )
    with pytest.raises(
        LiveDataError,
        match=r"adj_close/close ratio changes by \+900\.0% on 2024-06-10, a day without a dividend",
    ):
        refresh_snapshot(
            ["NVDA"],
            date(2024, 6, 3),
            date(2024, 6, 14),
            fetcher=FakeYahoo({"NVDA": [frame]}),
            cache_dir=root / "cache",
            policy=RequestPolicy(min_interval_s=0),
            probe=lambda: None,
            now=NOW,
        )


def test_offline_every_live_call_fails_fast_on_one_line_naming_the_embedded_snapshot(root: Path) -> None:
    def offline() -> None:
        probe_yahoo(timeout_s=2.0, connect=refuse)

    def refuse(address: tuple[str, int], timeout: float) -> Any:
        raise OSError("[Errno -2] Name or service not known")

    before = snapshot_hashes(root)
    fetcher = good_yahoo()
    for call in (
        lambda: refresh(root, fetcher, probe=offline),
        lambda: fetch_ticker_prices(
            "NVDA", START, END, fetcher=fetcher, cache_dir=root / "cache", probe=offline, now=NOW
        ),
    ):
        with pytest.raises(LiveDataError) as raised:
            call()
        message = str(raised.value)
        assert message.startswith("network unreachable: cannot reach Yahoo Finance (")
        assert "Name or service not known" in message
        assert message.endswith(f"the embedded snapshot {DEFAULT_SNAPSHOT} still works offline")
        assert "\n" not in message
    assert fetcher.calls == []
    assert snapshot_hashes(root) == before


def test_the_probe_gives_up_after_its_timeout_and_passes_when_a_connection_opens(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    release = threading.Event()

    def hang(address: tuple[str, int], timeout: float) -> Any:
        release.wait(5)
        raise OSError("timed out")

    started = datetime.now(UTC)
    with pytest.raises(LiveDataError, match=r"\(query1\.finance\.yahoo\.com:443: no answer within 0\.2 s\)"):
        probe_yahoo(timeout_s=0.2, connect=hang)
    assert (datetime.now(UTC) - started).total_seconds() < 1.5
    release.set()

    opened: list[tuple[str, int]] = []

    def connect(address: tuple[str, int], timeout: float) -> Any:
        opened.append(address)
        return types.SimpleNamespace(close=lambda: None)

    probe_yahoo(connect=connect)
    assert opened == [("query1.finance.yahoo.com", 443)]


def test_the_probe_goes_to_the_https_proxy_when_one_is_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("https_proxy", "http://proxy.example:3128")
    monkeypatch.delenv("no_proxy", raising=False)
    monkeypatch.delenv("NO_PROXY", raising=False)
    opened: list[tuple[str, int]] = []

    def connect(address: tuple[str, int], timeout: float) -> Any:
        opened.append(address)
        return types.SimpleNamespace(close=lambda: None)

    probe_yahoo(connect=connect)
    assert opened == [("proxy.example", 3128)]


def test_the_disk_cache_answers_a_rerun_without_fetching(root: Path) -> None:
    fetcher = good_yahoo()
    first = refresh(root, fetcher)
    fetched = list(fetcher.calls)
    assert len(fetched) == 4

    def no_probe() -> None:
        raise AssertionError("the probe must not run when the cache answers everything")

    second = refresh(root, fetcher, probe=no_probe)
    assert fetcher.calls == fetched
    assert (first.name, second.name) == ("live-2026-11-23", "live-2026-11-23-2")
    for name in ("prices.csv", "shares_outstanding.csv"):
        assert (first / name).read_bytes() == (second / name).read_bytes()


def test_a_damaged_cache_entry_is_fetched_again(root: Path) -> None:
    fetcher = good_yahoo()
    refresh(root, fetcher, ["NVDA"])
    cached = root / "cache" / "prices_NVDA_2025-01-21_2025-01-31.json"
    document = json.loads(cached.read_text())
    document["records"][0]["close"] = "oops"
    cached.write_text(json.dumps(document))
    refresh(root, fetcher, ["NVDA"])
    assert [c[0] for c in fetcher.calls] == ["history", "shares", "history"]


def close_on(table: pd.DataFrame, ticker: str, day: str) -> float:
    """The one close of ``ticker`` on ``day`` in a loaded table."""
    [close] = table[(table["ticker"] == ticker) & (table["date"] == day)]["close"]
    return float(close)


def test_the_new_series_tables_learn_their_tickers(root: Path) -> None:
    tickers = refreshable_tickers()
    assert {"^NDX", "^HSI", "XLK", "XLU", "^N225", "ENR.DE", "NVDA"} <= set(tickers)
    assert "TSLA" not in tickers  # long histories come from public copies, not a refresh


def test_an_index_and_a_fund_refresh_the_tables_that_hold_them(root: Path) -> None:
    ndx = [21000.0, 21100.0, 21200.0, 21300.0, 20700.0, 20800.0]
    xlk = [240.0, 241.0, 242.0, 243.0, 231.0, 233.0]
    fetcher = FakeYahoo(
        history={
            "^NDX": [yahoo_history(DAYS, ndx, volume=0)],
            "XLK": [yahoo_history(DAYS, xlk, adj_ratio=[0.99] * len(DAYS))],
            "NVDA": [yahoo_history(DAYS, NVDA_CLOSES)],
        },
        shares={"^NDX": [None], "XLK": [None], "NVDA": [None]},
    )
    folder = refresh(root, fetcher, ["^NDX", "XLK", "NVDA"])
    verify_snapshot(folder.name)
    levels = load_table("index_levels", folder.name)
    fetched = levels[(levels["ticker"] == "^NDX") & (levels["date"] == "2025-01-27")].iloc[0]
    assert fetched["close"] == 20700.0 and fetched["source"].startswith("Yahoo Finance via yfinance 1.7.0")
    before = levels[(levels["ticker"] == "^NDX") & (levels["date"] == "2022-12-30")].iloc[0]
    assert before["close"] == pytest.approx(10939.759766)  # outside the window: the base's row stays
    funds = load_table("fund_closes", folder.name)
    xlk_day = funds[(funds["ticker"] == "XLK") & (funds["date"] == "2025-01-27")].iloc[0]
    assert (xlk_day["close"], xlk_day["adj_close"]) == (231.0, pytest.approx(228.69))
    world = load_table("world_closes", folder.name)
    xlk_world = world[(world["ticker"] == "XLK") & (world["date"] == "2025-01-27")].iloc[0]
    assert (xlk_world["close"], xlk_world["basis"]) == (231.0, SERIES_BASIS["world_closes"])
    prices = load_table("prices", folder.name)
    assert "XLK" not in set(prices["ticker"]) and "^NDX" not in set(prices["ticker"])
    assert (
        float(prices[(prices["ticker"] == "NVDA") & (prices["date"] == "2025-01-27")]["close"].iloc[0])
        == 118.42
    )
    manifest = json.loads((folder / "manifest.json").read_text())
    assert "^NDX" in manifest["tables"]["index_levels"]["source"]


def test_each_series_table_with_a_basis_column_has_the_basis_of_fetched_rows() -> None:
    with_basis = {t.name for t in SERIES_TABLES if "basis" in {c.name for c in t.columns}}
    assert set(SERIES_BASIS) == with_basis


def test_an_existing_snapshot_is_never_overwritten(root: Path) -> None:
    before = snapshot_hashes(root)
    fetcher = good_yahoo()
    exists = rf"snapshot .*{DEFAULT_SNAPSHOT} already exists; snapshots are immutable"
    with pytest.raises(SnapshotError, match=exists):
        refresh(root, fetcher, snapshot_id=DEFAULT_SNAPSHOT)
    assert fetcher.calls == []
    assert snapshot_hashes(root) == before


@pytest.mark.parametrize(
    ("tickers", "start", "end", "options", "error", "message"),
    [
        (["NV DA"], START, END, {}, LiveDataError, r"^ticker 'NV DA': expected 1 to 15 characters from A-Z"),
        (["nvda", "$AMD"], START, END, {}, LiveDataError, r"^ticker '\$AMD': expected"),
        (
            ["ABCDEFGHIJKLMNOP"],
            START,
            END,
            {},
            LiveDataError,
            r"^ticker 'ABCDEFGHIJKLMNOP': expected 1 to 15",
        ),
        ([" , "], START, END, {}, LiveDataError, r"^no tickers given; expected at least one"),
        (
            ["NVDA"],
            END,
            START,
            {},
            LiveDataError,
            r"^start 2025-01-31 is after end 2025-01-21; expected start <= end$",
        ),
        (
            ["NVDA"],
            date(2027, 1, 4),
            date(2027, 1, 8),
            {},
            LiveDataError,
            r"^window 2027-01-04 to 2027-01-08 lies in the future \(today is 2026-11-23, UTC\)$",
        ),
        (
            ["NVDA"],
            START,
            date(2026, 11, 23),
            {},
            LiveDataError,
            r"^end 2026-11-23 is not before today .* ending 2026-11-22 at the latest$",
        ),
        (
            ["NVDA"],
            START,
            END,
            {"base_snapshot": "2020-01-01"},
            SnapshotError,
            r"^unknown data snapshot '2020-01-01'; available snapshots in data/snapshots: "
            r"2026-11-22, 2026-12-04$",
        ),
        (
            ["NVDA"],
            START,
            END,
            {"snapshot_id": "../escape"},
            SnapshotError,
            r"^snapshot id '\.\./escape': expected letters",
        ),
    ],
)
def test_bad_input_is_refused_on_one_line_before_any_request(
    root: Path,
    tickers: list[str],
    start: date,
    end: date,
    options: dict[str, Any],
    error: type[Exception],
    message: str,
) -> None:
    fetcher = good_yahoo()
    with pytest.raises(error, match=message):
        refresh_snapshot(
            tickers,
            start,
            end,
            fetcher=fetcher,
            cache_dir=root / "cache",
            probe=lambda: None,
            now=NOW,
            **options,
        )
    assert fetcher.calls == []


def test_fetch_ticker_prices_returns_the_snapshot_shape(root: Path) -> None:
    frame = fetch_ticker_prices(
        "nvda",
        START,
        END,
        fetcher=good_yahoo(),
        cache_dir=root / "cache",
        policy=RequestPolicy(min_interval_s=0),
        probe=lambda: None,
        now=NOW,
    )
    embedded = load_table("prices", DEFAULT_SNAPSHOT)
    assert list(frame.columns) == list(embedded.columns)
    assert dict(frame.dtypes) == dict(embedded.dtypes)
    assert list(frame["ticker"].unique()) == ["NVDA"]
    assert frame["close"].tolist() == NVDA_CLOSES
    with pytest.raises(
        LiveDataError,
        match=r"^live fetch of AMD for 2025-01-21 to 2025-01-31 failed: Yahoo Finance returned no price rows",
    ):
        fetch_ticker_prices(
            "AMD",
            START,
            END,
            fetcher=FakeYahoo({"AMD": [yahoo_history([], [])]}),
            cache_dir=root / "cache",
            policy=RequestPolicy(min_interval_s=0),
            probe=lambda: None,
            now=NOW,
        )


def test_a_download_shaped_frame_is_accepted(root: Path) -> None:
    # yf.download(..., auto_adjust=False, actions=True, group_by="ticker") gives (Ticker, Price) columns.
    single = yahoo_history(DAYS, NVDA_CLOSES)
    both = pd.concat({"NVDA": single, "AMD": single * 0.9}, axis=1, names=["Ticker", "Price"])
    frame = fetch_ticker_prices(
        "NVDA",
        START,
        END,
        fetcher=FakeYahoo({"NVDA": [both]}),
        cache_dir=root / "cache",
        policy=RequestPolicy(min_interval_s=0),
        probe=lambda: None,
        now=NOW,
    )
    assert frame["close"].tolist() == NVDA_CLOSES


def test_the_yfinance_adapter_asks_for_unadjusted_and_adjusted_closes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import yfinance

    seen: list[tuple[str, dict[str, Any], bool]] = []

    class Ticker:
        def __init__(self, symbol: str) -> None:
            self.symbol = symbol

        def history(self, **kwargs: Any) -> pd.DataFrame:
            seen.append(("history", kwargs, yfinance.config.debug.hide_exceptions))
            return yahoo_history(DAYS, NVDA_CLOSES)

        def get_shares_full(self, **kwargs: Any) -> pd.Series:
            seen.append(("shares", kwargs, yfinance.config.debug.hide_exceptions))
            return yahoo_shares([("2025-01-21", 1)])

    monkeypatch.setattr(yfinance, "Ticker", Ticker)
    hidden = yfinance.config.debug.hide_exceptions
    adapter = YFinanceFetcher()
    assert adapter.source == f"yfinance {yfinance.__version__}"
    adapter.history("NVDA", START, date(2025, 2, 1))
    adapter.shares("NVDA", START, date(2025, 2, 1))
    assert seen == [
        (
            "history",
            {
                "start": "2025-01-21",
                "end": "2025-02-01",
                "interval": "1d",
                "auto_adjust": False,
                "actions": True,
            },
            False,
        ),
        ("shares", {"start": "2025-01-21", "end": "2025-02-01"}, False),
    ]
    assert yfinance.config.debug.hide_exceptions == hidden


def test_cli_helpers_give_the_snapshot_defaults_and_parse_dates(root: Path) -> None:
    assert price_window() == (date(2023, 12, 29), date(2025, 3, 31))
    assert iso_date("2025-01-27", "--start") == date(2025, 1, 27)
    with pytest.raises(LiveDataError, match=r"^--end '2025-13-01': expected an ISO date YYYY-MM-DD$"):
        iso_date("2025-13-01", "--end")


def test_single_precision_prices_are_written_as_quoted(root: Path) -> None:
    # Yahoo serves single-precision prices: 142.62 arrives as 142.6199951171875.
    closes = np.float32(NVDA_CLOSES).astype(float).tolist()
    assert closes[3] == 142.6199951171875
    frame = yahoo_history(DAYS, closes, adj_ratio=[0.9996] * 6)
    folder = refresh(root, FakeYahoo({"NVDA": [frame]}), ["NVDA"])
    lines = [line for line in (folder / "prices.csv").read_text().splitlines() if ",NVDA," in line]
    assert lines[3].split(",")[5] == "142.62"
    assert lines[3].split(",")[6] == repr(142.6199951171875 * 0.9996)  # a double: its shortest exact form
    assert load_table("prices", folder.name).query("ticker == 'NVDA'")["close"].tolist() == NVDA_CLOSES
