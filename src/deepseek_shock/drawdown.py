"""One stock's fall on one day, in price and in market value, and the press's NVIDIA figures reconciled.

Prices are daily closes from the snapshot in USD per share; a market value is a close times a share
count from an SEC filing (shares), in USD; values are published in USD billions. A price change is
close-to-close, from the reference day's close to the event day's close, in percent of the first.

The articles' NVIDIA figures are about one fixed event, the sell-off of Monday 27 January 2025 (the
last close before it: Friday 24 January), so they are always reproduced for that event, whatever
ticker or dates a run of the chapter explores.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import pandas as pd
from IPython.display import HTML, display
from pandas.io.formats.style import Styler

from deepseek_shock import claims, snapshot
from deepseek_shock.charts import show_chart
from deepseek_shock.checks import positive as _finite_positive
from deepseek_shock.errors import UserError
from deepseek_shock.lazy import altair as alt
from deepseek_shock.verdicts import Tolerance, Verdict, verdict

if TYPE_CHECKING:
    from deepseek_shock.params import NvdaDrawdownParams

# price basis -> (snapshot table, column)
PRICE_SOURCES: dict[str, tuple[str, str]] = {
    "close": ("prices", "close"),
    "adj_close": ("prices", "adj_close"),
    "adj_close_secondary": ("adj_close_secondary", "adj_close"),
}
PRICE_LABELS: dict[str, str] = {
    "close": "closing price (split-adjusted, not dividend-adjusted)",
    "adj_close": "adjusted close (split- and dividend-adjusted)",
    "adj_close_secondary": "adjusted close from the secondary source (split- and dividend-adjusted)",
}
SHARE_COUNT_LABELS: dict[str, str] = {
    "in_force": "the latest count dated on or before the reference day",
    "published": "the latest count filed on or before the reference day",
    "next": "the first count dated after the event day",
    "given": "the count given with the shares_outstanding parameter",
}
NEW_TICKER_HINT = "a ticker can be added by building a new data snapshot (see data/README.md)"

# The event the articles describe (dates of the event, not press figures).
PRESS_TICKER = "NVDA"
PRESS_BASIS = "close"
PRESS_REFERENCE = date(2025, 1, 24)  # Friday: the last close before the sell-off
PRESS_EVENT = date(2025, 1, 27)  # Monday 27 January 2025
PRESS_WEEK_END = date(2025, 1, 31)  # Friday: the end of the week seed 000 calls "last week"

# Claims this chapter reconciles (ids in data/claims.yaml).
VALUE_CLAIMS = ("nvda-value-loss-590b", "nvda-value-loss-5927", "nvda-value-loss-nearly-600b")
DECLINE_CLAIMS = (
    "nvda-fall-16pct-last-week",
    "nvda-fall-17pct-jan-27",
    "nvda-fall-17pct-wsj",
    "nvda-premarket-fall-12pct",
)

_SPLIT_RE = re.compile(r"\bPRE (\d+)-for-(\d+) split \(effective (\d{4}-\d{2}-\d{2})\)")
_ADS_RE = re.compile(r"\b1 ADS = (\d+)")
BILLION = 1e9


# --- prices ------------------------------------------------------------------------------------------


def price_frame(basis: str) -> pd.DataFrame:
    """Every ticker's prices on ``basis``: columns ``date``, ``ticker``, ``price`` (USD per share)."""
    if basis not in PRICE_SOURCES:
        raise UserError(f"price_basis: expected one of {', '.join(PRICE_SOURCES)}, got {basis!r}")
    table, column = PRICE_SOURCES[basis]
    frame = snapshot.shared_table(table)
    return frame[["date", "ticker", column]].rename(columns={column: "price"}).dropna(subset=["price"])


@functools.lru_cache(maxsize=8)
def _series_by_ticker(basis: str, table_sha256: str) -> dict[str, pd.Series]:
    """Each ticker's prices on ``basis``, for the table file with ``table_sha256`` (cached on it)."""
    frame = price_frame(basis).sort_values(["ticker", "date"])
    return {
        str(ticker): pd.Series(rows["price"].to_numpy(), index=pd.DatetimeIndex(rows["date"]), name=ticker)
        for ticker, rows in frame.groupby("ticker")
    }


def series_by_ticker(basis: str) -> dict[str, pd.Series]:
    """Each ticker's prices on ``basis`` (USD per share), indexed by trading day; read-only."""
    if basis not in PRICE_SOURCES:
        raise UserError(f"price_basis: expected one of {', '.join(PRICE_SOURCES)}, got {basis!r}")
    return _series_by_ticker(basis, snapshot.table_sha256(PRICE_SOURCES[basis][0]))


def tickers_with_prices(basis: str) -> list[str]:
    """The tickers the snapshot has prices for on ``basis``, sorted."""
    return sorted(series_by_ticker(basis))


def checked_ticker(ticker: str, basis: str) -> str:
    """``ticker`` if the snapshot has prices for it on ``basis``; else one line saying what it has."""
    if ticker in tickers_with_prices(basis):
        return ticker
    elsewhere = [other for other in PRICE_SOURCES if other != basis and ticker in tickers_with_prices(other)]
    if elsewhere:
        raise UserError(
            f"ticker: the snapshot has no {PRICE_LABELS[basis]} for {ticker}; "
            f"use price_basis={elsewhere[-1]}, which has it"
        )
    known = sorted(set().union(*(tickers_with_prices(other) for other in PRICE_SOURCES)))
    raise UserError(
        f"ticker: {ticker!r} is not in data snapshot {snapshot.active_snapshot()}, which has "
        f"{', '.join(known)}; {NEW_TICKER_HINT}"
    )


def price_series(ticker: str, basis: str) -> pd.Series:
    """Daily prices of ``ticker`` on ``basis`` (USD per share), indexed by trading day, oldest first."""
    return series_by_ticker(basis)[checked_ticker(ticker, basis)].copy()


def _weekday_text(day: date) -> str:
    if day.weekday() >= 5:
        return f"a {day:%A}"
    return "a weekday with no trading in the snapshot"


def checked_trading_day(name: str, day: date, series: pd.Series, what: str | None = None) -> date:
    """``day`` if ``series`` has a price on it; else one line naming the parameter and nearest days.

    ``what`` names the prices in the message (default: the series' name).
    """
    days = series.index
    first, last = days[0].date(), days[-1].date()
    if not first <= day <= last:
        raise UserError(
            f"{name}: {day} is outside the snapshot's {what or f'{series.name} prices'}, "
            f"which run from {first} to {last}"
        )
    stamp = pd.Timestamp(day)
    if stamp not in days:
        before = days[days < stamp][-1].date()
        after = days[days > stamp][0].date()
        raise UserError(
            f"{name}: {day} ({_weekday_text(day)}) is not a trading day; "
            f"the nearest trading days are {before} and {after}"
        )
    return day


def previous_trading_day(series: pd.Series, day: date) -> date | None:
    """The last trading day of ``series`` before ``day``, or ``None`` if there is none."""
    earlier = series.index[series.index < pd.Timestamp(day)]
    return earlier[-1].date() if len(earlier) else None


def checked_window(ticker: str, basis: str, event: date, reference: date | None) -> tuple[date, date]:
    """(reference, event) as trading days of ``ticker`` on ``basis``; reference defaults to the day before.

    Every problem is one ``UserError`` naming the parameter: an unknown ticker, a day outside the
    snapshot or not a trading day, a reference day not before the event day.
    """
    series = price_series(checked_ticker(ticker, basis), basis)
    checked_trading_day("event_date", event, series)
    if reference is None:
        reference = previous_trading_day(series, event)
        if reference is None:
            raise UserError(
                f"event_date: {event} is the first {ticker} trading day in the snapshot, so there is no "
                "earlier close to compare with; choose a later event_date"
            )
        return reference, event
    if reference >= event:
        raise UserError(f"reference_date: {reference} must be before event_date {event}")
    return checked_trading_day("reference_date", reference, series), event


def price_on(series: pd.Series, day: date) -> float:
    """The price (USD per share) of ``series`` on trading day ``day``."""
    return float(series.loc[pd.Timestamp(checked_trading_day("date", day, series))])


def percent_change(start: float, end: float) -> float:
    """Change from ``start`` to ``end`` in percent of ``start`` (negative for a fall)."""
    return 100 * (float(end) / _finite_positive("start price", start) - 1)


@dataclass(frozen=True)
class Move:
    """A close-to-close move of one ticker between two trading days (prices in USD per share)."""

    ticker: str
    basis: str
    start: date
    end: date
    start_price: float
    end_price: float

    @property
    def change(self) -> float:
        """End price minus start price, USD per share."""
        return self.end_price - self.start_price

    @property
    def change_pct(self) -> float:
        """Change in percent of the start price (negative for a fall)."""
        return percent_change(self.start_price, self.end_price)

    @property
    def decline_pct(self) -> float:
        """Fall in percent of the start price (positive for a fall)."""
        return -self.change_pct


def price_move(ticker: str, basis: str, start: date, end: date) -> Move:
    """``ticker``'s move on ``basis`` from the close of ``start`` to the close of ``end``."""
    series = price_series(ticker, basis)
    return Move(ticker, basis, start, end, price_on(series, start), price_on(series, end))


# --- share counts ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ShareCount:
    """A count of shares outstanding and where it comes from.

    ``shares`` is the count as the filing prints it (or as given); ``per_listed_share`` is how many of
    those shares one listed share represents (5 for TSMC's ADS, else 1), so ``listed_shares`` is the
    count to multiply a listed price by. ``problem`` says why the count cannot value the snapshot's
    split-adjusted prices, or is ``None``.
    """

    ticker: str
    shares: float
    origin: str
    as_of: date | None = None
    form: str = ""
    filed: date | None = None
    filing: str = ""
    note: str = ""
    per_listed_share: float = 1.0
    problem: str | None = None

    @property
    def listed_shares(self) -> float:
        """Shares in units of the listed security (ADS-equivalents for an ADS), shares."""
        return self.shares / self.per_listed_share

    @property
    def usable(self) -> bool:
        """Whether the count can value the snapshot's prices."""
        return self.problem is None


def split_problem(note: str) -> str | None:
    """Why a count noted as pre-split cannot value split-adjusted prices, or ``None``."""
    match = _SPLIT_RE.search(note)
    if not match:
        return None
    new, old, effective = match.groups()
    return (
        f"the count predates the {new}-for-{old} split effective {effective}, while the snapshot's prices "
        f"are restated for it, so a market value from it would be off by a factor of {int(new) // int(old)}"
    )


def shares_per_listed_share(note: str) -> float:
    """Ordinary shares per listed share, read from a note such as '1 ADS = 5 common shares' (else 1)."""
    match = _ADS_RE.search(note)
    return float(match.group(1)) if match else 1.0


def share_count_rows(ticker: str) -> pd.DataFrame:
    """The snapshot's share counts for ``ticker``, oldest first (may be empty)."""
    table = snapshot.load_table("shares_outstanding")
    return table[table["ticker"] == ticker].sort_values("as_of").reset_index(drop=True)


def _from_row(row: Mapping[str, Any], origin: str) -> ShareCount:
    note = str(row["share_class_note"])
    filed = row["filed"]
    return ShareCount(
        ticker=str(row["ticker"]),
        shares=float(row["shares"]),
        origin=origin,
        as_of=row["as_of"].date(),
        form=str(row["form"]),
        filed=None if pd.isna(filed) else filed.date(),
        filing=str(row["filing"]),
        note=note,
        per_listed_share=shares_per_listed_share(note),
        problem=split_problem(note),
    )


def share_count(
    ticker: str, source: str, reference: date, event: date, given: float | None = None
) -> ShareCount | None:
    """The share count a run uses, or ``None`` when the snapshot has none for ``source``.

    ``given`` (shares of the listed security) overrides the snapshot. ``source`` is ``in_force`` (latest
    count dated on or before ``reference``), ``published`` (latest count filed on or before
    ``reference``) or ``next`` (first count dated after ``event``).
    """
    if given is not None:
        return ShareCount(ticker, _finite_positive("shares_outstanding", given), "given")
    rows = share_count_rows(ticker)
    if source == "in_force":
        rows = rows[rows["as_of"] <= pd.Timestamp(reference)].tail(1)
    elif source == "published":
        rows = rows[rows["filed"].notna() & (rows["filed"] <= pd.Timestamp(reference))].tail(1)
    elif source == "next":
        rows = rows[rows["as_of"] > pd.Timestamp(event)].head(1)
    else:
        raise UserError(f"share_count: expected in_force, published or next, got {source!r}")
    return None if rows.empty else _from_row(rows.iloc[0], source)


def share_count_caveats(count: ShareCount) -> list[str]:
    """What a reader should know about valuing a listed price with ``count``."""
    caveats = []
    if count.problem:
        caveats.append(f"Not used: {count.problem}.")
    if count.per_listed_share != 1:
        caveats.append(
            f"The filing counts ordinary shares; one listed ADS represents {count.per_listed_share:g} of "
            "them, so the count is divided accordingly and valued at the ADS price, which can differ from "
            "the home-market price."
        )
    if "TOTAL Class" in count.note:
        caveats.append(
            "The count adds up several share classes that trade at different prices (or not at all); "
            "valued at one class's price, the market value is approximate."
        )
    if "BALANCE-SHEET" in count.note:
        caveats.append("The count is a balance-sheet figure, not a cover-page count.")
    return caveats


def share_count_text(count: ShareCount | None, ticker: str, source: str) -> str:
    """One sentence saying which count is used, dated and sourced (or why there is none)."""
    if count is None:
        return (
            f"The snapshot has no share count for {ticker} that is {SHARE_COUNT_LABELS[source]}, so no "
            "market value is computed; give one with the shares_outstanding parameter."
        )
    if count.origin == "given":
        return f"The share count, {count.shares:,.0f} shares, is {SHARE_COUNT_LABELS['given']}."
    filed = f", filed {count.filed}" if count.filed else ", filing date not recorded"
    text = (
        f"The share count is {count.shares:,.0f} shares as of {count.as_of}, from {ticker}'s {count.form}"
        f"{filed}: {SHARE_COUNT_LABELS[count.origin]}."
    )
    return " ".join([text, *share_count_caveats(count)])


def share_count_table(ticker: str, used: ShareCount | None) -> Styler | None:
    """The snapshot's counts for ``ticker``, the one in use marked; ``None`` when there are none."""
    rows = share_count_rows(ticker)
    if rows.empty:
        return None

    def mark(row: Any) -> str:
        chosen = used is not None and used.origin != "given" and row.as_of.date() == used.as_of
        unusable = split_problem(row.share_class_note) is not None
        if chosen:
            return "selected, not usable (split)" if unusable else "✔ used"
        return "not usable (split)" if unusable else ""

    marked = [mark(row) for row in rows.itertuples()]
    table = pd.DataFrame(
        {
            "As of": rows["as_of"].dt.strftime("%Y-%m-%d"),
            "Shares": rows["shares"].map("{:,.0f}".format),
            "Form": rows["form"],
            "Filed": rows["filed"].dt.strftime("%Y-%m-%d").fillna("not recorded"),
            "Note (from the snapshot)": rows["share_class_note"],
            "In this run": marked,
        }
    )
    return (
        table.style.hide(axis="index")
        .set_caption(f"Share counts for {ticker} in the snapshot (SEC filings)")
        .set_uuid(f"share-counts-{ticker.lower()}")
    )


def market_value_usd(price: float, count: ShareCount) -> float:
    """``price`` (USD per listed share) times the count's listed shares, USD."""
    if not count.usable:
        raise UserError(f"share count for {count.ticker} as of {count.as_of} is not usable: {count.problem}")
    return float(price) * count.listed_shares


def value_change_usd(move: Move, count: ShareCount) -> float:
    """Change in market value over ``move`` at the constant ``count``, USD (negative for a loss)."""
    return market_value_usd(move.end_price, count) - market_value_usd(move.start_price, count)


# --- the run's drawdown --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Drawdown:
    """A run's move and, when a usable count exists, its market values."""

    move: Move
    count: ShareCount | None

    @property
    def valued(self) -> bool:
        """Whether market values are computed (a usable count exists)."""
        return self.count is not None and self.count.usable

    def values_usd_b(self) -> tuple[float, float, float] | None:
        """(value at the reference close, value at the event close, change), USD billions; or ``None``."""
        if not self.valued:
            return None
        assert self.count is not None
        before = market_value_usd(self.move.start_price, self.count) / BILLION
        after = market_value_usd(self.move.end_price, self.count) / BILLION
        return before, after, after - before


def drawdown(params: NvdaDrawdownParams) -> Drawdown:
    """The run's move from the reference close to the event close, and the share count it uses."""
    reference, event = checked_window(
        params.ticker, params.price_basis, params.event_date, params.reference_date
    )
    move = price_move(params.ticker, params.price_basis, reference, event)
    count = share_count(params.ticker, params.share_count, reference, event, params.shares_outstanding)
    return Drawdown(move, count)


def value_text(result: Drawdown) -> str:
    """One or two sentences on the market value: the values and the change, or why there are none."""
    move, count = result.move, result.count
    source_text = share_count_text(count, move.ticker, count.origin if count else "in_force")
    values = result.values_usd_b()
    if values is None:
        return source_text
    before, after, change = values
    verb, noun = ("fell", "a loss") if change < 0 else ("rose", "a gain")
    basis_note = (
        " On an adjusted price basis the values sit slightly off the traded market value."
        if move.basis != "close"
        else ""
    )
    return (
        f"{source_text} At that count {move.ticker}'s market value {verb} from USD {before:,.1f} billion at "
        f"the close of {move.start} to USD {after:,.1f} billion at the close of {move.end}, {noun} of "
        f"USD {abs(change):,.1f} billion.{basis_note}"
    )


# --- reconciling the press figures -----------------------------------------------------------------------


def implied_share_count(loss_usd: float, move: Move) -> float:
    """Shares at which ``move``'s price fall gives a market-value loss of ``loss_usd`` USD."""
    if move.change >= 0:
        raise UserError(f"{move.ticker} did not fall from {move.start} to {move.end}: no share count implied")
    return _finite_positive("loss", loss_usd) / -move.change


def implied_end_price(start_price: float, decline_pct: float) -> float:
    """The price (USD per share) that is ``decline_pct`` percent below ``start_price``."""
    return _finite_positive("start price", start_price) * (1 - float(decline_pct) / 100)


def nearest_price(prices: pd.Series, price: float) -> tuple[str, float]:
    """The label and value of the entry of ``prices`` (labelled prices, USD per share) nearest ``price``."""
    if prices.empty:
        raise UserError("no prices to compare with")
    label = (prices - price).abs().idxmin()
    return str(label), float(prices.loc[label])


def open_move(ticker: str, reference: date, event: date) -> Move:
    """From the reference day's close to the event day's opening price (prices table, USD per share)."""
    prices = snapshot.load_table("prices")
    rows = prices[prices["ticker"] == ticker].set_index("date")
    close = price_on(price_series(ticker, "close"), reference)
    opening = rows.loc[pd.Timestamp(event), "open"]
    return Move(ticker, "open", reference, event, close, float(opening))


def months_between(earlier: date, later: date) -> int:
    """Calendar months from ``earlier``'s month to ``later``'s month (October 2024 to January 2025: 3)."""
    return (later.year - earlier.year) * 12 + later.month - earlier.month


def last_close_at_or_below(series: pd.Series, day: date) -> tuple[date, float] | None:
    """The latest trading day before ``day`` whose price is at or below ``day``'s, or ``None``."""
    level = price_on(series, day)
    earlier = series[(series.index < pd.Timestamp(day)) & (series <= level)]
    if earlier.empty:
        return None
    return earlier.index[-1].date(), float(earlier.iloc[-1])


@dataclass(frozen=True)
class PressEvent:
    """NVIDIA on 24, 27 and 31 January 2025, and the two share counts around the event."""

    one_day: Move
    week: Move
    opening: Move
    in_force: ShareCount
    next_count: ShareCount


def press_event() -> PressEvent:
    """The fixed event the articles describe, reproduced from the snapshot."""
    one_day = price_move(PRESS_TICKER, PRESS_BASIS, PRESS_REFERENCE, PRESS_EVENT)
    week = price_move(PRESS_TICKER, PRESS_BASIS, PRESS_REFERENCE, PRESS_WEEK_END)
    in_force = share_count(PRESS_TICKER, "in_force", PRESS_REFERENCE, PRESS_EVENT)
    next_count = share_count(PRESS_TICKER, "next", PRESS_REFERENCE, PRESS_EVENT)
    if in_force is None or next_count is None:
        raise UserError(
            f"shares_outstanding: the snapshot lacks {PRESS_TICKER}'s counts around {PRESS_EVENT}"
        )
    return PressEvent(
        one_day, week, open_move(PRESS_TICKER, PRESS_REFERENCE, PRESS_EVENT), in_force, next_count
    )


def claims_by_id(ids: Iterable[str]) -> dict[str, claims.Claim]:
    """The registry's claims with ``ids``, keyed by id in the order given (one read of the registry)."""
    wanted = list(ids)
    found = {claim.id: claim for claim in claims.load_claims() if claim.id in wanted}
    missing = [claim_id for claim_id in wanted if claim_id not in found]
    if missing:
        raise UserError(f"data/claims.yaml: no claim with id {missing[0]!r}")
    return {claim_id: found[claim_id] for claim_id in wanted}


def judged_against(claim: claims.Claim, computed: float) -> Verdict:
    """The verdict ``claim``'s printed figure would get against ``computed`` (its own tolerance)."""
    if claim.reported is None:
        raise UserError(f"claim {claim.id!r} prints no figure to judge")
    tolerance = claim.tolerance or Tolerance(holds=0, rounding=0)
    return verdict(claim.reported, computed, tolerance, claim.relation)


def _cell(value: float, outcome: Verdict, fmt: str) -> str:
    return f"{value:{fmt}} ({claims.VERDICT_LABELS[outcome].lower()})"


def _printed(claim: claims.Claim) -> str:
    return claims.quantity_text(claim.reported, claim.unit) if claim.reported is not None else "—"


def value_candidates(event: PressEvent) -> dict[str, float]:
    """The market-value losses a dollar figure could stand for, USD billions (positive for a loss)."""
    return {
        f"Mon 24→27 Jan, {event.in_force.form} count": -value_change_usd(event.one_day, event.in_force)
        / BILLION,
        f"Mon 24→27 Jan, {event.next_count.form} count": -value_change_usd(event.one_day, event.next_count)
        / BILLION,
        f"Week 24→31 Jan, {event.in_force.form} count": -value_change_usd(event.week, event.in_force)
        / BILLION,
    }


def decline_candidates(event: PressEvent) -> dict[str, float]:
    """The falls a percentage figure could stand for, percent (positive for a fall)."""
    return {
        "Mon 24→27 Jan": event.one_day.decline_pct,
        "Week 24→31 Jan": event.week.decline_pct,
        "24 Jan close → 27 Jan open": event.opening.decline_pct,
    }


def value_reconciliation(event: PressEvent) -> pd.DataFrame:
    """Each printed dollar figure against each candidate loss, and the share count it implies."""
    candidates = value_candidates(event)
    rows = []
    for claim in claims_by_id(VALUE_CLAIMS).values():
        assert claim.reported is not None
        row = {"Seed": claim.seed, "Printed": _printed(claim)}
        for label, loss in candidates.items():
            row[f"{label} (USD bn)"] = _cell(loss, judged_against(claim, loss), ",.1f")
        row["Shares implied by Mon 24→27 Jan"] = (
            f"{implied_share_count(claim.reported * BILLION, event.one_day):,.0f}"
        )
        rows.append(row)
    return pd.DataFrame(rows)


def decline_reconciliation(event: PressEvent) -> pd.DataFrame:
    """Each printed percentage fall against each candidate window, and the end price it implies."""
    candidates = decline_candidates(event)
    week = price_series(PRESS_TICKER, PRESS_BASIS).loc[
        pd.Timestamp(PRESS_EVENT) : pd.Timestamp(PRESS_WEEK_END)
    ]
    prices = pd.concat(
        [
            pd.Series([event.opening.end_price], index=[f"open {PRESS_EVENT:%-d %b}"]),
            pd.Series(week.to_numpy(), index=[f"close {day:%-d %b}" for day in week.index]),
        ]
    )
    rows = []
    for claim in claims_by_id(DECLINE_CLAIMS).values():
        assert claim.reported is not None
        row = {"Seed": claim.seed, "Printed": f"down {_printed(claim)}"}
        for label, fall in candidates.items():
            row[f"{label} (% fall)"] = _cell(fall, judged_against(claim, fall), ".2f")
        price = implied_end_price(event.one_day.start_price, claim.reported)
        label, nearest = nearest_price(prices, price)
        row["Price implied (USD)"] = f"{price:.2f}"
        row["Nearest price 27–31 Jan (USD)"] = f"{nearest:.2f}, {label}"
        rows.append(row)
    return pd.DataFrame(rows)


def styled(table: pd.DataFrame, caption: str, uuid: str) -> Styler:
    """A table for display: no index, a caption and a stable id."""
    return table.style.hide(axis="index").set_caption(caption).set_uuid(uuid)


# --- the record -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CitedLoss:
    """A one-day market-value loss reported by the press, cited (not reproduced from the snapshot)."""

    company: str
    day: date
    loss_usd_b: float
    source: str


# Press reports of earlier record one-day losses, cited for comparison (USD billions).
CITED_LOSSES: tuple[CitedLoss, ...] = (
    # "Meta ... lost more than $232 billion in value Feb. 3": https://san.com/cc/facebook-parent-meta-lost-232-billion-in-value-in-one-day/
    CitedLoss(
        "Meta Platforms",
        date(2022, 2, 3),
        232.0,
        "https://san.com/cc/facebook-parent-meta-lost-232-billion-in-value-in-one-day/",
    ),
    # "Nvidia shares plunged 9.5% on September 3 ... wiping out $279 billion" (Reuters, as reprinted)
    CitedLoss(
        "NVIDIA",
        date(2024, 9, 3),
        279.0,
        "https://businessnews.com.my/2024/09/04/nvidia-record-loss-market-value/",
    ),
)


def daily_value_changes(basis: str = PRESS_BASIS) -> pd.DataFrame:
    """Every one-day market-value change the snapshot can measure, USD billions.

    One row per ticker and trading day whose previous close has a usable share count in force (dated on
    or before it): ``ticker``, ``date``, ``previous``, ``change_pct`` (percent), ``change_usd_b`` and
    ``count_as_of``. Tickers without counts (funds) and days before a ticker's first usable count are
    left out.
    """
    prices = price_frame(basis)
    counts = snapshot.load_table("shares_outstanding")
    frames = []
    for ticker, rows in prices.groupby("ticker"):
        ticker_counts = counts[counts["ticker"] == ticker].sort_values("as_of")
        if ticker_counts.empty:
            continue
        rows = rows.sort_values("date").reset_index(drop=True)
        previous = rows["date"].shift(1)
        in_force = pd.merge_asof(
            pd.DataFrame({"previous": previous.dropna()}),
            ticker_counts.rename(columns={"as_of": "previous_as_of"}),
            left_on="previous",
            right_on="previous_as_of",
        )
        frame = pd.DataFrame(
            {
                "ticker": ticker,
                "date": rows["date"].iloc[1:].to_numpy(),
                "previous": previous.iloc[1:].to_numpy(),
                "start": rows["price"].iloc[:-1].to_numpy(),
                "end": rows["price"].iloc[1:].to_numpy(),
                "shares": in_force["shares"].to_numpy(),
                "note": in_force["share_class_note"].to_numpy(),
                "count_as_of": in_force["previous_as_of"].to_numpy(),
            }
        ).dropna(subset=["shares"])
        usable = frame["note"].map(lambda note: split_problem(str(note)) is None)
        frame = frame[usable]
        listed = frame["shares"] / frame["note"].map(lambda note: shares_per_listed_share(str(note)))
        frame = frame.assign(
            change_pct=100 * (frame["end"] / frame["start"] - 1),
            change_usd_b=(frame["end"] - frame["start"]) * listed / BILLION,
        )
        frames.append(frame[["ticker", "date", "previous", "change_pct", "change_usd_b", "count_as_of"]])
    return pd.concat(frames, ignore_index=True).sort_values(["date", "ticker"], ignore_index=True)


def largest_value_losses(changes: pd.DataFrame, n: int) -> pd.DataFrame:
    """The ``n`` largest one-day losses in ``changes`` (a ``daily_value_changes`` frame), largest first."""
    return changes.nsmallest(n, "change_usd_b").reset_index(drop=True)


def coverage_text(changes: pd.DataFrame) -> str:
    """Which tickers and days the measurable losses cover, per ticker's first day."""
    firsts = changes.groupby("ticker")["date"].min().sort_values()
    earliest = firsts.iloc[0]
    others = firsts[firsts != earliest]
    earliest_names = ", ".join(firsts[firsts == earliest].index)
    text = f"{earliest_names} from {earliest:%Y-%m-%d}"
    if not others.empty:
        text += f"; {len(others)} other stocks from {others.min():%Y-%m-%d} or later"
    return text


def record_chart(changes: pd.DataFrame, n: int = 6) -> alt.Chart:
    """Horizontal bars: the snapshot's largest one-day losses beside the press's cited earlier records."""
    largest = largest_value_losses(changes, n)
    computed = pd.DataFrame(
        {
            "label": [f"{row.ticker}, {row.date:%-d %b %Y}" for row in largest.itertuples()],
            "loss_usd_b": -largest["change_usd_b"],
            "origin": "Computed from the snapshot",
        }
    )
    cited = pd.DataFrame(
        {
            "label": [f"{loss.company}, {loss.day:%-d %b %Y} (press report)" for loss in CITED_LOSSES],
            "loss_usd_b": [loss.loss_usd_b for loss in CITED_LOSSES],
            "origin": "Cited from press reports",
        }
    )
    data = pd.concat([computed, cited], ignore_index=True)
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("loss_usd_b:Q", title="One-day fall in market value (USD billions)"),
            y=alt.Y("label:N", sort="-x", title=None, axis=alt.Axis(labelLimit=260)),
            color=alt.Color(
                "origin:N",
                title=None,
                scale=alt.Scale(
                    domain=["Computed from the snapshot", "Cited from press reports"],
                    range=["#1f4e79", "#9ca3af"],
                ),
                legend=alt.Legend(orient="bottom"),
            ),
            tooltip=[
                alt.Tooltip("label:N", title="Stock and day"),
                alt.Tooltip("loss_usd_b:Q", title="Loss, USD billions", format=",.1f"),
                alt.Tooltip("origin:N", title="Source"),
            ],
        )
        .properties(
            width=420,
            height=alt.Step(24),
            title="Largest one-day losses of market value: measured, and cited",
        )
    )


# --- charts of the run ---------------------------------------------------------------------------------


def chart_window(series: pd.Series, reference: date, event: date) -> pd.Series:
    """``series`` from the first day of the event's month (or the reference day, if earlier) to the end
    of the following month."""
    start = min(pd.Timestamp(reference), pd.Timestamp(event.year, event.month, 1))
    end = pd.Timestamp(event.year, event.month, 1) + pd.offsets.MonthEnd(2)
    return series.loc[start:end]


def price_value_chart(result: Drawdown) -> alt.LayerChart:
    """The price (left axis, USD per share) and, at the run's constant count, market value (right
    axis, USD billions) around the event, with the reference and event closes marked."""
    move = result.move
    series = chart_window(price_series(move.ticker, move.basis), move.start, move.end)
    listed = result.count.listed_shares if result.valued and result.count else None
    data = pd.DataFrame({"date": series.index, "price": series.to_numpy()})
    if listed is not None:
        data["value_usd_b"] = data["price"] * listed / BILLION
    low, high = float(series.min()) * 0.97, float(series.max()) * 1.03
    x = alt.X("date:T", title=None, axis=alt.Axis(format="%-d %b", labelAngle=0))
    tooltip = [
        alt.Tooltip("date:T", title="Day", format="%Y-%m-%d"),
        alt.Tooltip("price:Q", title="USD per share", format=",.2f"),
    ]
    if listed is not None:
        tooltip.append(alt.Tooltip("value_usd_b:Q", title="Market value, USD billions", format=",.1f"))
    price_title = f"{move.ticker} {'close' if move.basis == 'close' else 'adjusted close'} (USD per share)"
    price = (
        alt.Chart(data)
        .mark_line(point=alt.OverlayMarkDef(size=18), color="#1f4e79")
        .encode(
            x=x,
            y=alt.Y("price:Q", title=price_title, scale=alt.Scale(domain=[low, high], zero=False)),
            tooltip=tooltip,
        )
    )
    marks = pd.DataFrame(
        {
            "date": [pd.Timestamp(move.start), pd.Timestamp(move.end)],
            "price": [move.start_price, move.end_price],
            "label": [
                f"{move.start:%-d %b}: {move.start_price:,.2f}",
                f"{move.end:%-d %b}: {move.end_price:,.2f}",
            ],
            # the lower of the two labels goes below its point, the higher above
            "dy": [
                14 if move.start_price < move.end_price else -10,
                14 if move.end_price <= move.start_price else -10,
            ],
        }
    )
    y_marks = alt.Y("price:Q", scale=alt.Scale(domain=[low, high], zero=False))
    rule = alt.Chart(marks.tail(1)).mark_rule(color="#b03a2e", strokeDash=[4, 3]).encode(x=x)
    points = alt.Chart(marks).mark_point(filled=True, size=70, color="#b03a2e").encode(x=x, y=y_marks)
    labels = (
        alt.Chart(marks)
        .mark_text(align="left", dx=7, dy=alt.expr("datum.dy"), color="#b03a2e")
        .encode(x=x, y=y_marks, text="label:N")
    )
    chart = alt.layer(price, rule, points, labels)
    if listed is not None:
        value = (
            alt.Chart(data)
            .mark_line(opacity=0)
            .encode(
                x=x,
                y=alt.Y(
                    "value_usd_b:Q",
                    title="Market value (USD billions)",
                    scale=alt.Scale(domain=[low * listed / BILLION, high * listed / BILLION], zero=False),
                    axis=alt.Axis(orient="right", grid=False),
                ),
            )
        )
        chart = alt.layer(chart, value).resolve_scale(y="independent")
    return chart.properties(width=560, height=300, title=f"{move.ticker} around {move.end:%-d %B %Y}")


def waterfall_data(result: Drawdown) -> pd.DataFrame:
    """Bars of a market-value waterfall (USD billions): value before, the change, value after."""
    values = result.values_usd_b()
    if values is None:
        raise UserError(f"no usable share count for {result.move.ticker}: no market value to chart")
    before, after, change = values
    move = result.move
    return pd.DataFrame(
        {
            "step": [
                f"Close {move.start:%-d %b}",
                f"Change on {move.end:%-d %b}",
                f"Close {move.end:%-d %b}",
            ],
            "low": [0.0, min(before, after), 0.0],
            "high": [before, max(before, after), after],
            "amount": [before, change, after],
            "kind": ["Market value", "Loss" if change < 0 else "Gain", "Market value"],
        }
    )


def waterfall_chart(result: Drawdown) -> alt.LayerChart:
    """The market value at the reference close, the change, and the value at the event close."""
    data = waterfall_data(result)
    order = list(data["step"])
    move = result.move
    bars = (
        alt.Chart(data)
        .mark_bar(size=70)
        .encode(
            x=alt.X("step:N", sort=order, title=None, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("low:Q", title=f"{move.ticker} market value (USD billions)"),
            y2="high:Q",
            color=alt.Color(
                "kind:N",
                title=None,
                scale=alt.Scale(
                    domain=["Market value", "Loss", "Gain"], range=["#1f4e79", "#b03a2e", "#15803d"]
                ),
                legend=None,
            ),
            tooltip=[
                alt.Tooltip("step:N", title="Step"),
                alt.Tooltip("amount:Q", title="USD billions", format="+,.1f"),
            ],
        )
    )
    text = (
        alt.Chart(data)
        .mark_text(dy=-8)
        .encode(x=alt.X("step:N", sort=order), y="high:Q", text=alt.Text("amount:Q", format=",.1f"))
    )
    return alt.layer(bars, text).properties(
        width=420,
        height=300,
        title=f"{move.ticker}'s market value, {move.start:%-d %b} to {move.end:%-d %b %Y}",
    )


def price_value_description(result: Drawdown) -> str:
    """A screen-reader description of ``price_value_chart``, with the run's figures."""
    move = result.move
    text = (
        f"Line chart of {move.ticker}'s daily {PRICE_LABELS[move.basis]} around {move.end:%-d %B %Y}. "
        f"The price goes from USD {move.start_price:,.2f} at the close of {move.start:%-d %B} to USD "
        f"{move.end_price:,.2f} at the close of {move.end:%-d %B}, marked in red, a change of "
        f"{move.change_pct:+.1f}%."
    )
    if result.valued and result.count is not None:
        text += (
            f" A right-hand axis reads the same line as market value at a constant "
            f"{result.count.listed_shares:,.0f} shares."
        )
    return text


def waterfall_description(result: Drawdown) -> str:
    """A screen-reader description of ``waterfall_chart``, with the run's figures."""
    values = result.values_usd_b()
    if values is None:
        raise UserError(f"no usable share count for {result.move.ticker}: no market value to describe")
    before, after, change = values
    move = result.move
    return (
        f"Bar chart of {move.ticker}'s market value: USD {before:,.1f} billion at the close of "
        f"{move.start:%-d %B %Y}, a change of USD {change:+,.1f} billion on {move.end:%-d %B}, and USD "
        f"{after:,.1f} billion at that day's close."
    )


def value_paragraph_html(result: Drawdown) -> str:
    """``value_text`` as an HTML paragraph."""
    return f"<p>{html.escape(value_text(result))}</p>"


def show_value_charts(result: Drawdown) -> None:
    """Display the price-and-value chart and, when a usable count exists, the waterfall (else a note)."""
    show_chart(price_value_chart(result), "drawdown-price-value", price_value_description(result))
    if result.valued:
        show_chart(waterfall_chart(result), "drawdown-waterfall", waterfall_description(result))
    else:
        display(
            HTML(
                '<p class="ds-note">No chart of the market value: this run has no usable share count '
                "(see above).</p>"
            )
        )


def record_description(changes: pd.DataFrame, n: int = 6) -> str:
    """A screen-reader description of ``record_chart``."""
    largest = largest_value_losses(changes, n)
    computed = "; ".join(
        f"{row.ticker} on {row.date:%-d %B %Y}, USD {-row.change_usd_b:,.1f} billion"
        for row in largest.itertuples()
    )
    cited = "; ".join(
        f"{loss.company} on {loss.day:%-d %B %Y}, USD {loss.loss_usd_b:,.0f} billion" for loss in CITED_LOSSES
    )
    return (
        f"Horizontal bar chart of one-day losses of market value. Computed from the snapshot, largest first: "
        f"{computed}. Cited from press reports: {cited}."
    )


# --- what the chapter publishes ---------------------------------------------------------------------------


def run_values(result: Drawdown) -> dict[str, tuple[Any, str]]:
    """The run's own numbers (its ticker, dates, count): key -> (value, unit)."""
    move, count = result.move, result.count
    values = result.values_usd_b()
    before, after, change = values if values is not None else (None, None, None)
    return {
        "ticker": (move.ticker, "text"),
        "reference_date": (move.start.isoformat(), "date"),
        "event_date": (move.end.isoformat(), "date"),
        "price_basis": (move.basis, "text"),
        "price_basis_label": (PRICE_LABELS[move.basis], "text"),
        "reference_price": (move.start_price, "USD per share"),
        "event_price": (move.end_price, "USD per share"),
        "price_change": (move.change, "USD per share"),
        "move_pct": (move.change_pct, "percent"),
        "share_count_origin": (count.origin if count else None, "text"),
        "share_count_as_of": (count.as_of.isoformat() if count and count.as_of else None, "date"),
        "shares_used": (count.listed_shares if result.valued and count else None, "shares"),
        "reference_value_usd_b": (before, "USD billion"),
        "event_value_usd_b": (after, "USD billion"),
        "value_change_usd_b": (change, "USD billion"),
        "value_text": (value_text(result), "text"),
    }


def press_values(event: PressEvent, changes: pd.DataFrame) -> dict[str, tuple[Any, str]]:
    """The press event's numbers (NVIDIA, 24 → 27 and 24 → 31 January 2025): key -> (value, unit)."""
    series = price_series(PRESS_TICKER, PRESS_BASIS)
    lower = last_close_at_or_below(series, PRESS_EVENT)
    if lower is None:
        raise UserError(f"{PRESS_TICKER} never closed lower before {PRESS_EVENT} in the snapshot")
    largest = largest_value_losses(changes, 2)
    top, runner_up = largest.iloc[0], largest.iloc[1]
    losses = value_candidates(event)
    one_day_in_force, one_day_next, week_in_force = losses.values()
    values: dict[str, tuple[Any, str]] = {
        "press_reference_close": (event.one_day.start_price, "USD per share"),
        "press_event_close": (event.one_day.end_price, "USD per share"),
        "press_price_fall": (-event.one_day.change, "USD per share"),
        "press_event_open": (event.opening.end_price, "USD per share"),
        "press_week_end_close": (event.week.end_price, "USD per share"),
        "press_one_day_decline_pct": (event.one_day.decline_pct, "percent"),
        "press_week_decline_pct": (event.week.decline_pct, "percent"),
        "press_open_decline_pct": (event.opening.decline_pct, "percent"),
        "press_count_shares": (event.in_force.shares, "shares"),
        "press_count_as_of": (str(event.in_force.as_of), "date"),
        "press_count_filed": (str(event.in_force.filed), "date"),
        "press_count_form": (event.in_force.form, "text"),
        "press_next_count_shares": (event.next_count.shares, "shares"),
        "press_next_count_as_of": (str(event.next_count.as_of), "date"),
        "press_next_count_filed": (str(event.next_count.filed), "date"),
        "press_next_count_form": (event.next_count.form, "text"),
        "press_reference_value_usd_b": (
            market_value_usd(event.one_day.start_price, event.in_force) / BILLION,
            "USD billion",
        ),
        "press_one_day_loss_usd_b": (one_day_in_force, "USD billion"),
        "press_one_day_loss_next_count_usd_b": (one_day_next, "USD billion"),
        "press_week_loss_usd_b": (week_in_force, "USD billion"),
        "press_last_lower_close_date": (lower[0].isoformat(), "date"),
        "press_last_lower_close": (lower[1], "USD per share"),
        "press_months_since_lower_close": (months_between(lower[0], PRESS_EVENT), "months"),
        "record_loss_usd_b": (-float(top["change_usd_b"]), "USD billion"),
        "record_ticker": (str(top["ticker"]), "text"),
        "record_date": (f"{top['date']:%Y-%m-%d}", "date"),
        "runner_up_loss_usd_b": (-float(runner_up["change_usd_b"]), "USD billion"),
        "runner_up_ticker": (str(runner_up["ticker"]), "text"),
        "runner_up_date": (f"{runner_up['date']:%Y-%m-%d}", "date"),
        "runner_up_decline_pct": (-float(runner_up["change_pct"]), "percent"),
        "snapshot_stock_count": (int(changes["ticker"].nunique()), "stocks"),
        "record_ratio": (float(top["change_usd_b"] / runner_up["change_usd_b"]), "ratio"),
        "record_coverage": (coverage_text(changes), "text"),
    }
    press_claims = claims_by_id((*VALUE_CLAIMS, *DECLINE_CLAIMS))
    for claim_id in VALUE_CLAIMS:
        reported = press_claims[claim_id].reported
        assert reported is not None
        stem = claim_id.removeprefix("nvda-value-loss-").replace("-", "_")
        values[f"printed_{stem}_usd_b"] = (reported, "USD billion")
        values[f"implied_shares_{stem}"] = (implied_share_count(reported * BILLION, event.one_day), "shares")
    for claim_id in DECLINE_CLAIMS:
        claim = press_claims[claim_id]
        assert claim.reported is not None
        stem = claim_id.removeprefix("nvda-").replace("-", "_")
        values[f"implied_price_{stem}"] = (
            implied_end_price(event.one_day.start_price, claim.reported),
            "USD per share",
        )
    for loss in CITED_LOSSES:
        key = f"cited_{loss.company.split()[0].lower()}_{loss.day:%Y}_loss_usd_b"
        values[key] = (loss.loss_usd_b, "USD billion (cited)")
    return values


def chapter_values(params: NvdaDrawdownParams) -> dict[str, tuple[Any, str]]:
    """Every number the drawdown chapter publishes under ``params``: key -> (value, unit)."""
    return {**run_values(drawdown(params)), **press_values(press_event(), daily_value_changes())}


def cited_losses_html() -> str:
    """The cited earlier records as an HTML list with their sources."""
    items = "".join(
        f"<li>{html.escape(loss.company)}, {loss.day:%-d %B %Y}: USD {loss.loss_usd_b:,.0f} billion "
        f'(<a href="{html.escape(loss.source)}">{html.escape(loss.source)}</a>)</li>'
        for loss in CITED_LOSSES
    )
    return f'<ul class="ds-cited">{items}</ul>'


def claims_in(notebook: str, categories: Iterable[str]) -> list[claims.Claim]:
    """The claims ``notebook`` shows whose category is one of ``categories``, in registry order."""
    wanted = set(categories)
    return [claim for claim in claims.claims_for(notebook) if claim.category in wanted]
