"""The embedded data snapshot: its loader's verification, its builder's validation, its docs page.

Nothing here reads the shared reference folder: loader tests use the committed snapshot (or a copy of
it under ``tmp_path``), builder tests a tiny synthetic source folder.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from deepseek_shock import paths
from deepseek_shock.build.data_page import data_sources_markdown
from deepseek_shock.data.snapshot import (
    DEFAULT_SNAPSHOT,
    SnapshotError,
    available_snapshots,
    load_manifest,
    load_table,
    table_path,
    table_sha256,
    training_metric,
    training_models,
    verify_snapshot,
)
from deepseek_shock.data.snapshot_build import build_snapshot

REPO_SNAPSHOTS = Path(__file__).resolve().parents[1] / "data" / "snapshots"

SOURCE_FILES = {
    "prices/daily_ohlcv.csv": """date,ticker,open,high,low,close,adj_close,volume
2025-01-24,NVDA,148.37,148.97,141.88,142.62,142.2482,234657600
2025-01-27,NVDA,124.80,128.40,116.70,118.42,118.1112,818830900
2023-12-29,NVDA,49.813,49.997,48.751,49.522,49.3789,389293000
2025-01-24,AMD,120.00,121.50,119.10,121.00,121.00,30000000
""",
    "prices/adj_close_secondary.csv": """date,ticker,adj_close
2025-01-24,NVDA,142.4073
2025-01-24,AAPL,222.0000
""",
    "prices/us_indexes_fred.csv": """date,series,value
2025-01-24,SP500,6101.24
2025-01-27,SP500,6012.28
2025-01-20,VIXCLS,15.97
""",
    "fundamentals/nvda_shares_outstanding.csv": """\
as_of_date,shares_outstanding,split_basis,concept,form,filed,source
2024-05-24,2460000000,pre-split,dei:EntityCommonStockSharesOutstanding,10-Q,,extract
2024-11-15,24490000000,post-split,dei:EntityCommonStockSharesOutstanding,10-Q,2024-11-20,extract
""",
    "fundamentals/shares_outstanding.csv": """ticker,as_of,shares,share_class_note,filing,source
NVDA,2024-11-15,24490000000,post-split,10-Q (quarter ended 2024-10-27) filed 2024-11-20,extract
NVDA,2024-05-24,2460000000,PRE-split,"10-Q (quarter ended April 2024), filing date not recorded",extract
AMD,2024-10-23,1622807346,common stock,10-Q (SEC fy 2024 Q3) filed 2024-10-30,extract
""",
    "fundamentals/hyperscaler_capex_revenue.csv": "company,ticker,fiscal_year,fiscal_year_end,revenue_usd,"
    """capex_usd,capex_definition,finance_lease_note,revenue_source,capex_source,notes
Microsoft,MSFT,2024,2024-06-30,245122000000,44477000000,Additions,excl. leases,10-K,10-K,
Microsoft,MSFT,2016,2016-06-30,85320000000,8343000000,Additions,excl. leases,10-K,10-K,"restated; 91,154"
""",
    "energy/us_datacenter_electricity_lbnl.csv": """\
year,value_twh,value_type,share_of_us_electricity_pct,report,source,quote,source_grade
2028,580,projection_high,12,LBNL,DOE,"quote, with comma",primary
2028,325,projection_low,6.7,LBNL,DOE,quote,primary
2014,58,estimate,,LBNL,DOE,quote,primary
""",
    "energy/us_electricity_total_eia.csv": """year,retail_sales_twh,direct_use_twh,total_end_use_twh,source
2023,3861.342,,,EPM
2013,3724.868,143.462,3868.330,EPA
""",
    "training/training_compute.csv": """model,metric,value,unit,source,quote
DeepSeek-V3,total_training_gpu_hours,2788000,H800 GPU-hours,report,"requires only ""2.788M"" GPU hours"
Llama 3.1 405B,training_gpu_hours,30840000,H100-80GB GPU-hours,model card,30.84M
""",
    "extracts-2/index_levels.csv": """date,ticker,close,source
2025-01-24,^NDX,21774.01,repo data/^NDX.csv@0123456789ab
2025-01-27,^NDX,21127.28,repo data/^NDX.csv@0123456789ab
""",
    "extracts-2/index_levels_secondary.csv": """date,ticker,close,source
2025-01-24,^NDX,21774.01,other data/^NDX.csv@0123456789ab
""",
    "extracts-2/etf_closes_unadjusted.csv": """date,ticker,close,adj_close,source
2025-01-24,XLK,239.300003,237.1,repo data/XLK.csv@0123456789ab
""",
    "extracts-2/other_etf_stock_closes.csv": """date,ticker,close,basis,source
2025-01-24,TSLA,406.58,adj,one data/TSLA.csv@0123456789ab
2025-01-24,TSLA,406.58,adj,two data/TSLA.csv@0123456789ab
""",
    "extracts-2/nvda_2023_presplit.csv": "date,ticker,close_presplit_unadjusted,"
    """adj_close_presplit_2024vintage,adj_close_splitadj_2026vintage,source
2022-12-30,NVDA,146.139999,146.068329,14.5816,repo data/NVDA.csv@0
""",
    "extracts-3/markets_closes.csv": """date,ticker,open,high,low,close,adj_close,basis,source
2025-01-27,^N225,39926.3,40174.7,39469.1,39565.8,,index level,repo data/^N225.csv@0
""",
    "extracts-2/usd_cny.csv": """date,series,value,source
2025-01-27,DEXCHUS,7.2507,repo data/DEXCHUS.csv@0123456789ab
""",
    "extracts-2/us_real_gdp.csv": """date,series,value,source
2025-01-01,A191RL1Q225SBEA,-0.6,repo data/A191RL1Q225SBEA.csv@0123456789ab
2024,GDPC1_annual_avg_growth_pct_DERIVED,2.79,derived from the rows above
""",
    "extracts-3/filings_cash_flows.csv": "company,ticker,fiscal_year,fiscal_year_end,"
    """operating_cash_flow_musd,capex_musd,filing_accession,source,note
Microsoft,MSFT,2024,2024-06-30,118548,44477,0000950170-24-087843,repo@0123456789ab,first-reported
Amazon,AMZN,2025,2025-12-31,139514,,,companyfacts,capex not tagged
""",
    "extracts-2/ocf_msft_aapl.csv": "ticker,fiscal_year,fiscal_year_end,"
    """net_cash_from_operating_activities_usd_m,accession,source,same_value_in_later_10k
MSFT,2024,"Jun 30, 2024",118548,0000950170-24-087843,repo statements@0123456789ab,
""",
    "extracts-3/filings_nvda_quarters.csv": "fiscal_year,fiscal_quarter,period_start,period_end,revenue_musd,"
    """net_income_musd,form,source,note
2025,Q4,2024-10-28,2025-01-26,39331,22091,derived,companyfacts,year minus nine months
""",
    "extracts-2/nvda_quarterly_fy2024_2025.csv": "fiscal_quarter,quarter_end,"
    """revenue_usd_m,net_income_usd_m,source,note
Q4 FY2025,2025-01-26,39331,22091,release copy,Q4 FY25 column
""",
    "extracts-3/sp500_constituents.csv": """ticker,name,gics_sector,list_as_of,source
NVDA,Nvidia,Information Technology,2024-12-27,datasets data/constituents.csv@0123456789ab
""",
    "extracts-3/sp500_member_closes.csv": """date,ticker,close,basis,source
2025-01-24,NVDA,142.6,adjusted,repo data/NVDA.csv@0123456789ab
""",
    "extracts-3/sp500_member_closes_secondary.csv": """date,ticker,close,basis,source
2025-01-24,NVDA,142.6,adjusted,other data/NVDA.csv@0123456789ab
""",
    "extracts-3/sp500_member_shares.csv": """ticker,as_of,shares,market_cap_usd,price_usd,source
NVDA,2024-12-31,24489998458,3288658000000,134.29,datasets data/constituents-financials.csv@0123456789ab
ANSS,2024-12-31,,,,datasets data/constituents-financials.csv@0123456789ab
""",
    "extracts-3/sp500_weights.csv": "as_of,ticker,name,weight_pct,sector,fund,fund_shares_held,price,"
    """market_value_usd,as_of_basis,source
2024-12-06,NVDA,NVIDIA CORP,6.79,Information Technology,IVV,277841094.00,142.44,39575685429.36,header,r@0
""",
    "nasdaq100_members.csv": """ticker,list_as_of,source
AAPL,2025-01-01,repo list.yaml@0
""",
    "hstech_closes.csv": """date,hstech_close,hsi_close,source
2025-01-27,4687.34,20197.77,repo hsi5f.csv@0
""",
    "documents-found.csv": "id,fact,value,unit,fact_date,source,source_kind,source_date,exact_words,note"
    """
yicai-date,Yicai's article published,2025-02-11,date,2025-02-11,https://example.org/a,secondary,2025-02-11,dated,
""",
    "extracts-3/documents.csv": "id,fact,value,unit,fact_date,source,source_kind,source_date,exact_words,note"
    """
r1-release,DeepSeek-R1 released,2025-01-20,date,2025-01-20,a/b commit,primary,2025-01-20,Release DeepSeek-R1,
""",
}


@pytest.fixture(autouse=True)
def default_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test starts on the repository's own data and the default snapshot."""
    monkeypatch.delenv("DEEPSEEK_SHOCK_ROOT", raising=False)
    monkeypatch.delenv("DEEPSEEK_SHOCK_SNAPSHOT", raising=False)


@pytest.fixture
def snapshot_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the committed default snapshot under ``tmp_path``, made the project root."""
    folder = tmp_path / "data" / "snapshots" / DEFAULT_SNAPSHOT
    shutil.copytree(REPO_SNAPSHOTS / DEFAULT_SNAPSHOT, folder)
    monkeypatch.setenv("DEEPSEEK_SHOCK_ROOT", str(tmp_path))
    return folder


def write_source(root: Path, changes: dict[str, str] | None = None) -> Path:
    """The synthetic source folder, with some files' text replaced by ``changes``."""
    for name, content in {**SOURCE_FILES, **(changes or {})}.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    return root


def sha256_of(path: Path) -> str:
    """The SHA-256 of a file's bytes, hex."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def nvda_close(prices: pd.DataFrame, day: str) -> float:
    """NVDA's close on ``day`` (USD per share)."""
    row = prices[(prices["ticker"] == "NVDA") & (prices["date"] == pd.Timestamp(day))]
    assert len(row) == 1
    return float(row["close"].iloc[0])


# --- the committed snapshot -------------------------------------------------------------------------


def test_committed_snapshot_is_available_and_verifies() -> None:
    assert DEFAULT_SNAPSHOT in available_snapshots()
    verify_snapshot()
    manifest = load_manifest()
    assert manifest["snapshot_id"] == DEFAULT_SNAPSHOT
    for table, entry in manifest["tables"].items():
        assert table_sha256(table) == sha256_of(table_path(table)) == entry["sha256"]


def test_prices_columns_dtypes_and_check_values() -> None:
    prices = load_table("prices")
    assert list(prices.columns) == ["date", "ticker", "open", "high", "low", "close", "adj_close", "volume"]
    assert pd.api.types.is_datetime64_dtype(prices["date"])
    assert pd.api.types.is_string_dtype(prices["ticker"])
    assert prices["volume"].dtype == "int64"
    assert all(prices[c].dtype == "float64" for c in ["open", "high", "low", "close", "adj_close"])
    assert nvda_close(prices, "2025-01-23") == 147.22
    assert nvda_close(prices, "2025-01-24") == 142.62
    assert nvda_close(prices, "2025-01-27") == 118.42
    assert nvda_close(prices, "2025-01-28") == 128.99
    assert not prices.duplicated(["date", "ticker"]).any()


def test_load_table_returns_a_fresh_copy() -> None:
    first = load_table("prices")
    first.loc[:, "close"] = -1.0
    assert (load_table("prices")["close"] > 0).all()


def test_every_table_loads_with_manifest_columns() -> None:
    for table, entry in load_manifest()["tables"].items():
        frame = load_table(table)
        assert list(frame.columns) == [c["name"] for c in entry["columns"]]
        assert len(frame) == entry["rows"]


def test_shares_outstanding_has_each_nvda_count_once_with_filing_dates() -> None:
    shares = load_table("shares_outstanding")
    nvda = shares[shares["ticker"] == "NVDA"].set_index("as_of")
    assert len(nvda) == 4
    assert nvda.loc[pd.Timestamp("2024-11-15"), "shares"] == 24_490_000_000
    assert nvda.loc[pd.Timestamp("2024-11-15"), "filed"] == pd.Timestamp("2024-11-20")
    assert pd.isna(nvda.loc[pd.Timestamp("2024-05-24"), "filed"])
    assert not shares.duplicated(["ticker", "as_of"]).any()


def test_missing_values_stay_missing() -> None:
    eia = load_table("us_electricity").set_index("year")
    assert 2024 not in eia.index
    assert pd.isna(eia.loc[2022, "direct_use_twh"]) and eia.loc[2021, "direct_use_twh"] == 138.915
    assert eia.loc[2013, "total_end_use_twh"] == 3868.33


def test_training_accessors() -> None:
    assert training_metric("DeepSeek-V3", "total_training_gpu_hours") == 2_788_000
    assert training_metric("Llama 3.1 405B", "training_gpu_hours") == 30_840_000
    assert "Llama 3.1 405B" in training_models("training_gpu_hours")


def test_unknown_training_model_metric_and_table_list_what_exists() -> None:
    with pytest.raises(SnapshotError, match=r"unknown training model 'GPT-5'.*DeepSeek-V3"):
        training_metric("GPT-5", "total_training_gpu_hours")
    with pytest.raises(SnapshotError, match=r"no training metric 'flops'.*total_training_gpu_hours"):
        training_metric("DeepSeek-V3", "flops")
    with pytest.raises(SnapshotError, match=r"unknown training metric 'flops'.*training_gpu_hours"):
        training_models("flops")
    with pytest.raises(SnapshotError, match=r"unknown data table 'ndx'.*prices"):
        load_table("ndx")


def test_unknown_snapshot_lists_available(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(SnapshotError, match=rf"unknown data snapshot '1999-01-01'.*{DEFAULT_SNAPSHOT}"):
        load_table("prices", "1999-01-01")
    monkeypatch.setenv("DEEPSEEK_SHOCK_SNAPSHOT", "nope")
    with pytest.raises(SnapshotError, match=r"'nope' \(from --snapshot or \$DEEPSEEK_SHOCK_SNAPSHOT\)"):
        verify_snapshot()


def test_data_sources_page_renders_from_manifest() -> None:
    page = data_sources_markdown(download_prefix="../data/snapshots/x")
    manifest = load_manifest()
    assert page.startswith("# Data and sources\n")
    assert "## Known gaps" in page
    for table, entry in manifest["tables"].items():
        assert f"{{download}}`{entry['file']} <../data/snapshots/x/{entry['file']}>`" in page
        assert f"(`{table}`)" in page
    assert "EIA 2024 annual US electricity retail sales are missing" in page
    assert "^NDX" in page
    assert "data/prices/\\<TICKER\\>.csv" in page


# --- tampering with a copy --------------------------------------------------------------------------


def test_altered_byte_is_refused_naming_the_file(snapshot_copy: Path) -> None:
    assert nvda_close(load_table("prices"), "2025-01-24") == 142.62  # cached before the change
    path = snapshot_copy / "prices.csv"
    data = path.read_bytes()
    path.write_bytes(data.replace(b"142.62", b"142.63", 1))
    expected = f"data file data/snapshots/{DEFAULT_SNAPSHOT}/prices.csv does not match its manifest"
    with pytest.raises(SnapshotError, match=expected) as error:
        load_table("prices")
    assert "git checkout" in str(error.value)
    with pytest.raises(SnapshotError, match="prices.csv does not match"):
        verify_snapshot()


def test_deleted_file_is_refused_naming_the_file(snapshot_copy: Path) -> None:
    (snapshot_copy / "training_compute.csv").unlink()
    with pytest.raises(
        SnapshotError, match=f"data/snapshots/{DEFAULT_SNAPSHOT}/training_compute.csv is missing"
    ):
        training_metric("DeepSeek-V3", "total_training_gpu_hours")
    with pytest.raises(SnapshotError, match="training_compute.csv is missing"):
        verify_snapshot()


def test_malformed_manifest_is_refused_naming_it(snapshot_copy: Path) -> None:
    manifest_path = snapshot_copy / "manifest.json"
    text = manifest_path.read_text(encoding="utf-8")
    manifest_path.write_text(text[: len(text) // 2], encoding="utf-8")
    with pytest.raises(SnapshotError, match=r"manifest data/snapshots/.*/manifest.json is not valid JSON"):
        load_table("prices")
    manifest = json.loads(text)
    del manifest["tables"]["prices"]["sha256"]
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(SnapshotError, match=r"manifest.json is malformed: table 'prices'.*sha256"):
        load_table("indexes")
    manifest_path.unlink()
    with pytest.raises(SnapshotError, match=r"manifest.json is missing"):
        load_manifest()


def test_row_count_mismatch_fails_verification(snapshot_copy: Path) -> None:
    manifest_path = snapshot_copy / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["tables"]["indexes"]["rows"] += 1
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(SnapshotError, match=r"indexes.csv has 1262 rows, its manifest 1263"):
        verify_snapshot()


# --- the builder ------------------------------------------------------------------------------------


def test_build_writes_sorted_tables_with_matching_manifest(tmp_path: Path) -> None:
    folder = build_snapshot(write_source(tmp_path / "src"), tmp_path / "out", "2030-01-01", "2030-01-01")
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["snapshot_id"] == "2030-01-01" and str(tmp_path) not in manifest["built_from"]
    [module] = re.findall(r"\bby (deepseek_shock[\w.]*)", manifest["built_from"])
    assert importlib.util.find_spec(module) is not None  # the module that wrote it, by its real name
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        ["manifest.json", *(e["file"] for e in manifest["tables"].values())]
    )
    for entry in manifest["tables"].values():
        data = (folder / entry["file"]).read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        assert entry["rows"] == data.count(b"\n") - 1 and b"\r" not in data
        assert entry["source"] and entry["adjustment_basis"] and entry["caveats"]
    assert (folder / "prices.csv").read_text(encoding="utf-8").splitlines()[1:] == [
        "2025-01-24,AMD,120.00,121.50,119.10,121.00,121.00,30000000",
        "2023-12-29,NVDA,49.813,49.997,48.751,49.522,49.3789,389293000",
        "2025-01-24,NVDA,148.37,148.97,141.88,142.62,142.2482,234657600",
        "2025-01-27,NVDA,124.80,128.40,116.70,118.42,118.1112,818830900",
    ]
    assert "2013,3724.868,143.462,3868.330,EPA" in (folder / "us_electricity.csv").read_text(encoding="utf-8")


def test_built_shares_table_merges_nvda_filing_dates(tmp_path: Path) -> None:
    folder = build_snapshot(write_source(tmp_path / "src"), tmp_path / "out", "s", "2030-01-01")
    lines = (folder / "shares_outstanding.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "ticker,as_of,shares,share_class_note,form,filed,filing,source"
    assert [line.split(",")[:6] for line in lines[1:]] == [
        ["AMD", "2024-10-23", "1622807346", "common stock", "10-Q", "2024-10-30"],
        ["NVDA", "2024-05-24", "2460000000", "PRE-split", "10-Q", ""],
        ["NVDA", "2024-11-15", "24490000000", "post-split", "10-Q", "2024-11-20"],
    ]


def test_built_snapshot_loads_through_the_loader(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    build_snapshot(
        write_source(tmp_path / "src"), tmp_path / "data" / "snapshots", "2030-01-01", "2030-01-01"
    )
    monkeypatch.setenv("DEEPSEEK_SHOCK_ROOT", str(tmp_path))
    assert paths.snapshots_dir() == tmp_path.resolve() / "data" / "snapshots"
    verify_snapshot("2030-01-01")
    lbnl = load_table("datacenter_electricity", "2030-01-01")
    assert list(lbnl["value_type"]) == ["estimate", "projection_high", "projection_low"]
    assert pd.isna(lbnl["share_of_us_electricity_pct"].iloc[0])
    assert training_metric("DeepSeek-V3", "total_training_gpu_hours", "2030-01-01") == 2_788_000


def test_build_is_deterministic(tmp_path: Path) -> None:
    source = write_source(tmp_path / "src")
    first = build_snapshot(source, tmp_path / "a", "2030-01-01", "2030-01-01")
    second = build_snapshot(source, tmp_path / "b", "2030-01-01", "2030-01-01")
    files = sorted(p.name for p in first.iterdir())
    assert files == sorted(p.name for p in second.iterdir())
    assert all((first / name).read_bytes() == (second / name).read_bytes() for name in files)


def test_build_refuses_to_overwrite(tmp_path: Path) -> None:
    source = write_source(tmp_path / "src")
    folder = build_snapshot(source, tmp_path / "out", "2030-01-01", "2030-01-01")
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    with pytest.raises(SnapshotError, match="already exists; snapshots are immutable"):
        build_snapshot(source, tmp_path / "out", "2030-01-01", "2030-02-02")
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


@pytest.mark.parametrize(
    ("file", "bad_line", "message"),
    [
        (
            "prices/daily_ohlcv.csv",
            "2025-01-27,NVDA,1,1,1,1,1,1",
            r"daily_ohlcv.csv: line 6 duplicates line 3 \(ticker=NVDA, date=2025-01-27\)",
        ),
        (
            "prices/daily_ohlcv.csv",
            "2025-01-28,NVDA,1,1,1,-118.42,1,1",
            r"daily_ohlcv.csv: line 6, column 'close'.*",
        ),
        ("prices/daily_ohlcv.csv", "2025-01-28,NVDA,1,1,1,1,1,-5", r"line 6, column 'volume'.*non-negative"),
        (
            "prices/daily_ohlcv.csv",
            "2025-01-28,NVDA,1,1,1,1,1,1.5",
            r"column 'volume': '1.5'; expected a whole",
        ),
        ("prices/daily_ohlcv.csv", "01/28/2025,NVDA,1,1,1,1,1,1", r"line 6, column 'date'.*ISO date"),
        ("prices/us_indexes_fred.csv", "2025-02-30,SP500,1", r"us_indexes_fred.csv: line 5, column 'date'"),
        (
            "energy/us_electricity_total_eia.csv",
            "2024,,,,EPM",
            r"column 'retail_sales_twh'.*expected a value",
        ),
        ("prices/adj_close_secondary.csv", "2025-01-27,NVDA", r"adj_close_secondary.csv: line 4 has 2 cells"),
        (
            "training/training_compute.csv",
            "DeepSeek-V3,cost,1,USD,report," + "x" * 200_000,
            r"training_compute.csv: line 4: field larger than field limit .*; expected a well-formed CSV$",
        ),
    ],
)
def test_build_rejects_bad_rows_naming_file_and_row(
    tmp_path: Path, file: str, bad_line: str, message: str
) -> None:
    source = write_source(tmp_path / "src", {file: SOURCE_FILES[file] + bad_line + "\n"})
    with pytest.raises(SnapshotError, match=message):
        build_snapshot(source, tmp_path / "out", "2030-01-01", "2030-01-01")
    assert list((tmp_path / "out").iterdir()) == []  # no partial snapshot left behind


def test_negative_price_message_says_what_was_expected(tmp_path: Path) -> None:
    bad = SOURCE_FILES["prices/daily_ohlcv.csv"].replace("148.37", "-148.37")
    source = write_source(tmp_path / "src", {"prices/daily_ohlcv.csv": bad})
    with pytest.raises(
        SnapshotError, match=r"line 2, column 'open': '-148.37'; expected a non-negative number"
    ):
        build_snapshot(source, tmp_path / "out", "2030-01-01", "2030-01-01")


def test_build_rejects_missing_column_and_disagreeing_nvda_file(tmp_path: Path) -> None:
    no_volume = "date,ticker,open,high,low,close,adj_close\n2025-01-24,NVDA,1,1,1,1,1\n"
    source = write_source(tmp_path / "src", {"prices/daily_ohlcv.csv": no_volume})
    with pytest.raises(SnapshotError, match=r"daily_ohlcv.csv: header .*missing columns \['volume'\]"):
        build_snapshot(source, tmp_path / "out", "2030-01-01", "2030-01-01")
    nvda = SOURCE_FILES["fundamentals/nvda_shares_outstanding.csv"].replace("2024-11-20", "2024-11-21")
    source = write_source(tmp_path / "src2", {"fundamentals/nvda_shares_outstanding.csv": nvda})
    with pytest.raises(SnapshotError, match=r"nvda_shares_outstanding.csv: line 3, column 'filed'"):
        build_snapshot(source, tmp_path / "out", "2030-01-01", "2030-01-01")


def test_build_rejects_bad_id_and_date(tmp_path: Path) -> None:
    source = write_source(tmp_path / "src")
    with pytest.raises(SnapshotError, match="snapshot id '../x'"):
        build_snapshot(source, tmp_path / "out", "../x", "2030-01-01")
    with pytest.raises(SnapshotError, match="retrieved_at '22/11/2026'"):
        build_snapshot(source, tmp_path / "out", "2030-01-01", "22/11/2026")


def test_memoized_reuses_a_value_until_its_table_changes_and_hands_out_copies(project) -> None:
    from deepseek_shock.data import snapshot

    calls: list[str] = []

    @snapshot.memoized("us_electricity")
    def frame(label: str) -> pd.DataFrame:
        calls.append(label)
        return pd.DataFrame({"label": [label]})

    first = frame("a")
    first.loc[0, "label"] = "changed by the caller"
    assert frame("a").loc[0, "label"] == "a"  # the cached frame was not touched
    assert calls == ["a"]
    frame("b")
    assert calls == ["a", "b"]
    table = snapshot.table_path("us_electricity")
    table.write_bytes(table.read_bytes() + b"\n")  # a new file state
    frame("a")
    assert calls == ["a", "b", "a"]


def test_a_second_source_folder_adds_its_files(tmp_path: Path) -> None:
    shared = write_source(tmp_path / "shared")
    project = tmp_path / "reference"
    project.mkdir()
    for name in ("documents-found.csv", "nasdaq100_members.csv", "hstech_closes.csv"):
        (shared / name).rename(project / name)
    with pytest.raises(
        SnapshotError, match=r"(documents-found|nasdaq100_members|hstech_closes).csv: source file is missing"
    ):
        build_snapshot(shared, tmp_path / "out", "one-root", "2030-01-01")
    folder = build_snapshot([shared, project], tmp_path / "out", "two-roots", "2030-01-01")
    manifest = json.loads((folder / "manifest.json").read_text())
    documents = manifest["tables"]["documents"]
    assert set(documents["source_files"]) == {"extracts-3/documents.csv", "documents-found.csv"}
    assert documents["rows"] == 2
    assert "yicai-date" in (folder / "documents.csv").read_text()


def test_hang_seng_tech_copy_agrees_with_the_hang_seng_series_and_the_press() -> None:
    """The one public copy of the Hang Seng TECH closes: its Hang Seng Index column equals the
    index_levels copy on every day, and its TECH closes give the moves the press printed."""
    from deepseek_shock.chapters.market.levels import hang_seng_tech, index_level
    from deepseek_shock.data.documents import stating

    copy, hsi = hang_seng_tech("hsi_close"), index_level("^HSI")
    assert len(copy) == 61
    assert (copy - hsi.reindex(copy.index)).abs().max() < 0.01
    tech = hang_seng_tech()
    assert tech[pd.Timestamp("2025-02-14")] == stating("hstech-2025-02-14").figures[0] == 5526.22
    day = 100 * (tech / tech.shift(1) - 1)
    assert round(day[pd.Timestamp("2025-01-24")], 2) == stating("hstech-2025-01-24").figures[0]  # 3.15
    assert round(day[pd.Timestamp("2025-01-28")], 2) == stating("hstech-2025-01-28").figures[0]  # 0.77
    year_to_date = 100 * (tech[pd.Timestamp("2025-02-21")] / tech[pd.Timestamp("2024-12-31")] - 1)
    assert round(year_to_date, 2) == stating("hstech-star50-2025-02-21").figures[1]  # 31.14
