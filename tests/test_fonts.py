"""The fonts the site ships: a Chinese subset holding exactly the characters the pages use, and the
theme's icon font trimmed to the icons the pages show."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pydata_sphinx_theme
import pytest
from fontTools.ttLib import TTFont

from deepseek_shock.build import cjk_font, icon_font
from deepseek_shock.errors import UserError
from deepseek_shock.paths import data_dir, project_root

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")  # Debian's fonts-dejavu-core: not OFL
THEME_STATIC = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "static"


def cmap(font: bytes) -> set[int]:
    return set(TTFont(io.BytesIO(font)).getBestCmap())


def test_site_characters_are_every_cjk_character_of_the_pages_once():
    notebook = json.dumps({"cells": [{"source": "報告 \u4e2d"}]}, ensure_ascii=True)  # escaped in the file
    files = {
        "book/a.md": "# 中文「引語」 and English".encode(),
        "notebooks/n.ipynb": notebook.encode(),
        "_templates/t.html": "<p>，</p>".encode(),
        "data/table.csv": "不算".encode(),  # a download, not a page
    }
    assert cjk_font.site_characters(files) == "".join(sorted("中文「」引語報告，"))


def test_cjk_characters_are_those_of_the_served_blocks_up_to_their_edges():
    inside = "\u2e80\u30ff\u3400\u9fff\uf900\ufe10\ufe4f\uff01\uffef\U00020000\U0002fa1f"
    outside = "A é — \u2e7f\u3100\ufe20\ufff0\U0001f600\U0002fa20"
    assert cjk_font.cjk_characters(inside + outside) == set(inside)


def test_the_css_serves_the_ranges_the_subset_is_cut_from():
    css = (project_root() / "_static" / "report.css").read_text()
    ranges = css.split("unicode-range:")[1].split(";")[0]
    written = [part.strip().removeprefix("U+") for part in ranges.split(",")]
    assert written == [f"{start:X}-{end:X}" for start, end in cjk_font.CJK_RANGES]
    assert Path(cjk_font.FONT_PATH).name in css


def test_a_missing_font_is_one_clear_error(monkeypatch, tmp_path):
    monkeypatch.setenv(cjk_font.FONT_ENV, str(tmp_path / "none.ttc"))
    with pytest.raises(UserError, match=r"install Debian's fonts-noto-cjk .* or set DEEPSEEK_SHOCK_CJK_FONT"):
        cjk_font.font_source()


def test_a_font_not_under_the_open_font_license_is_refused():
    with pytest.raises(UserError, match="not the SIL Open Font License"):
        cjk_font.subset_font(DEJAVU, "中")


def test_the_subset_holds_the_characters_asked_for_and_the_licence_goes_with_it():
    characters = "因此最終訓練運行的總成本僅為萬美元。"
    font, notice = cjk_font.subset_font(cjk_font.font_source(), characters)
    assert font[:4] == b"wOF2"
    assert {ord(character) for character in characters} <= cmap(font)
    assert len(cmap(font)) < 40 and len(font) < 20_000
    assert TTFont(io.BytesIO(font))["name"].getDebugName(1) == cjk_font.FAMILY
    text = cjk_font.licence_text(notice)
    assert notice in text and "SIL OPEN FONT LICENSE Version 1.1" in text


def test_the_subset_is_cut_once_per_set_of_characters(monkeypatch, tmp_path):
    calls: list[str] = []

    def fake_subset(path: Path, characters: str) -> tuple[bytes, str]:
        calls.append(characters)
        return b"font " + characters.encode(), "© notice"

    monkeypatch.setattr(cjk_font, "subset_font", fake_subset)
    cache = tmp_path / "cache"
    assert cjk_font.subset_font_cached(cache, "中") == (b"font " + "中".encode(), "© notice")
    assert cjk_font.subset_font_cached(cache, "中") == (b"font " + "中".encode(), "© notice")
    assert cjk_font.subset_font_cached(cache, "文")[0] == b"font " + "文".encode()
    assert calls == ["中", "文"]
    (tmp_path / "a-file").write_text("not a folder")
    assert cjk_font.subset_font_cached(tmp_path / "a-file" / "cache", "中")[1] == "© notice"
    assert len(calls) == 3
    files = cjk_font.font_files({"book/x.md": "中文".encode()}, cache)
    assert files[cjk_font.FONT_PATH] == b"font " + "中文".encode()
    assert b"SIL OPEN FONT LICENSE" in files[cjk_font.LICENCE_PATH]


def test_icon_rules_are_kept_only_for_icons_the_site_names():
    css = (
        '.a{color:red}.fa-bars:before,.fa-navicon:before{content:"\\f0c9"}'
        '.fa-moon:before{content:"\\f186"}.b{--pst-icon:"\\f35d"}'
    )
    trimmed = icon_font.trimmed_stylesheet(css, {"fa-navicon", "fa-solid"})
    assert (
        trimmed == '.a{color:red}.fa-bars:before,.fa-navicon:before{content:"\\f0c9"}.b{--pst-icon:"\\f35d"}'
    )
    assert icon_font.glyphs_named(trimmed) == {0xF0C9, 0xF35D}


def test_trimming_a_site_keeps_the_glyphs_of_the_icons_it_shows(tmp_path):
    site = tmp_path / "html"
    shutil.copytree(THEME_STATIC / "styles", site / "_static" / "styles")
    shutil.copytree(THEME_STATIC / "vendor", site / "_static" / "vendor")
    (site / "index.html").write_text('<i class="fa-solid fa-magnifying-glass"></i>')
    solid = site / icon_font.WEBFONTS / "fa-solid-900.woff2"
    before = solid.stat().st_size
    assert icon_font.trim_icons(site)
    css = (site / icon_font.THEME_CSS).read_text()
    assert ".fa-magnifying-glass:before" in css and ".fa-moon:before" not in css
    kept = cmap(solid.read_bytes())
    assert 0xF002 in kept  # the magnifying glass
    assert 0xF186 not in kept  # the moon
    assert solid.stat().st_size < before / 10
    assert kept <= icon_font.glyphs_named(css) | {0x20}


def test_a_trimmed_icon_font_is_the_same_bytes_whenever_it_is_made(monkeypatch):
    """A rebuilt site is byte-identical to the last one: the font keeps its own timestamp."""
    font = (THEME_STATIC / icon_font.WEBFONTS.removeprefix("_static/") / "fa-solid-900.woff2").read_bytes()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    first = icon_font.trimmed_font(font, {0xF002})
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    assert icon_font.trimmed_font(font, {0xF002}) == first


def test_an_icon_font_is_trimmed_once_per_set_of_glyphs(monkeypatch, tmp_path):
    calls: list[set[int]] = []

    def fake_trim(font: bytes, codepoints: set[int]) -> bytes:
        calls.append(codepoints)
        return font + bytes(sorted(code % 256 for code in codepoints))

    monkeypatch.setattr(icon_font, "trimmed_font", fake_trim)
    monkeypatch.setattr(icon_font, "CACHE_KEEP", 2)
    cache = tmp_path / "cache"
    assert icon_font.trimmed_font_cached(cache, b"font", {0xF002}) == b"font\x02"
    assert icon_font.trimmed_font_cached(cache, b"font", {0xF002}) == b"font\x02"
    assert calls == [{0xF002}]
    icon_font.trimmed_font_cached(cache, b"other", {0xF002})
    icon_font.trimmed_font_cached(cache, b"font", {0xF003})
    assert len(calls) == 3
    assert len(list(cache.glob("icons-*.woff2"))) == 2  # the oldest dropped
    (tmp_path / "a-file").write_text("not a folder")
    assert icon_font.trimmed_font_cached(tmp_path / "a-file" / "cache", b"font", {0xF002}) == b"font\x02"


def test_a_stylesheet_without_icon_rules_is_left_alone(tmp_path):
    stylesheet = tmp_path / icon_font.THEME_CSS
    stylesheet.parent.mkdir(parents=True)
    stylesheet.write_text(".a{color:red}")
    assert not icon_font.trim_icons(tmp_path)
    assert stylesheet.read_text() == ".a{color:red}"


def test_the_shipped_subset_holds_every_character_of_the_articles():
    characters = cjk_font.article_characters(data_dir() / "seeds")
    assert len(characters) > 1000
    assert {ord(character) for character in characters} <= cmap(cjk_font.SHIPPED.read_bytes())


def test_without_an_installed_font_the_shipped_subset_serves_the_site(monkeypatch, tmp_path):
    monkeypatch.setenv(cjk_font.FONT_ENV, str(tmp_path / "none.ttc"))
    files = cjk_font.font_files({"book/page.md": "報告「中文」".encode()}, tmp_path / "cache")
    assert files[cjk_font.FONT_PATH] == cjk_font.SHIPPED.read_bytes()
    assert b"SIL OPEN FONT LICENSE" in files[cjk_font.LICENCE_PATH]
    beyond = "鑫"  # in no source article
    assert beyond not in cjk_font.article_characters(data_dir() / "seeds")
    with pytest.raises(UserError, match="install Debian's fonts-noto-cjk"):
        cjk_font.font_files({"book/page.md": f"報告{beyond}".encode()}, tmp_path / "cache")
