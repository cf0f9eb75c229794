"""The web font that renders the site's Chinese quotes in any browser: a subset of Noto Sans CJK SC.

Only the characters the staged site uses are kept (about 700, some 110 kB as WOFF2), so the font stays
small and grows with the claims registry. It is cut at build time from the installed font (Debian's
``fonts-noto-cjk``, or the file ``$DEEPSEEK_SHOCK_CJK_FONT`` names), which must carry the SIL Open Font
License; the subset ships with its copyright notice and the licence text, and is kept per machine,
keyed on the source font and the characters.

A machine without that font still builds: the package ships a subset holding every CJK character of
the five source articles (``fonts/``, about 225 kB; every quote is cut from them), used when it covers
the site. ``python -m deepseek_shock.build.cjk_font`` regenerates it from the installed font.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
from collections.abc import Mapping
from pathlib import Path

from deepseek_shock.build.machine_cache import keep_in_cache
from deepseek_shock.errors import UserError

FONT_ENV = "DEEPSEEK_SHOCK_CJK_FONT"
DEBIAN_FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
FAMILY = "Noto Sans CJK SC"
FONT_PATH = "_static/fonts/noto-sans-cjk-sc-subset.woff2"  # report.css's @font-face names this file
LICENCE_PATH = "_static/fonts/noto-sans-cjk-sc-subset.LICENSE.txt"
OFL_TEXT = Path(__file__).resolve().parent / "licences" / "OFL-1.1.txt"
# Unicode blocks the font serves (report.css's unicode-range): CJK radicals, symbols and punctuation,
# kana, the unified ideographs and their extensions, compatibility ideographs, vertical and small forms,
# full-width forms.
CJK_RANGES: tuple[tuple[int, int], ...] = (
    (0x2E80, 0x2FDF),
    (0x3000, 0x30FF),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0xFE10, 0xFE1F),
    (0xFE30, 0xFE4F),
    (0xFF00, 0xFFEF),
    (0x20000, 0x2FA1F),
)
CJK_CHARACTER = re.compile("[" + "".join(f"{chr(start)}-{chr(end)}" for start, end in CJK_RANGES) + "]")
TEXT_SUFFIXES = (".md", ".ipynb", ".html")
SHIPPED = Path(__file__).resolve().parent / "fonts" / "noto-sans-cjk-sc-articles.woff2"  # + .txt notice
CACHE_KEEP = 8  # subsets kept in the machine's cache (one per state of the site's characters)


def cjk_characters(text: str) -> set[str]:
    """The characters of ``text`` that lie in the blocks the font serves."""
    return set(CJK_CHARACTER.findall(text))


def site_characters(files: Mapping[str, bytes]) -> str:
    """Every CJK character in the staged pages (Markdown, notebooks, templates), sorted, once each.

    A notebook is read as JSON, so characters escaped as ``\\uXXXX`` count too.
    """
    found: set[str] = set()
    for name, content in files.items():
        if not name.endswith(TEXT_SUFFIXES):
            continue
        text = content.decode("utf-8", errors="replace")
        if name.endswith(".ipynb"):
            text = json.dumps(json.loads(text), ensure_ascii=False)
        found |= cjk_characters(text)
    return "".join(sorted(found))


def font_source() -> Path:
    """The installed font to cut the subset from: ``$DEEPSEEK_SHOCK_CJK_FONT``, else Debian's."""
    chosen = os.environ.get(FONT_ENV)
    path = Path(chosen) if chosen else DEBIAN_FONT
    if not path.is_file():
        where = f"{FONT_ENV}={chosen}" if chosen else str(DEBIAN_FONT)
        raise UserError(
            f"no font for the site's Chinese quotes: {where} is not a file; install Debian's "
            f"fonts-noto-cjk (apt-get install fonts-noto-cjk) or set {FONT_ENV} to a {FAMILY} font file "
            "(.ttc or .otf)"
        )
    return path


def face_number(path: Path) -> int:
    """The number of the ``Noto Sans CJK SC`` face in a collection (``-1`` for a single-font file)."""
    from fontTools.ttLib import TTCollection, TTLibError

    if path.suffix.lower() not in (".ttc", ".otc"):
        return -1
    try:
        collection = TTCollection(str(path), lazy=True)
    except (TTLibError, OSError) as err:
        raise UserError(f"{path}: not a font collection ({err})") from None
    names = [font["name"].getDebugName(1) for font in collection.fonts]
    if FAMILY not in names:
        raise UserError(f"{path}: no {FAMILY} face in the collection (it has {', '.join(map(str, names))})")
    return names.index(FAMILY)


def subset_font(path: Path, characters: str) -> tuple[bytes, str]:
    """The WOFF2 subset of ``path``'s SC face holding ``characters``, and the face's copyright notice.

    The font must say in its licence field that it is under the SIL Open Font License. Outlines are
    desubroutinized (WOFF2 then compresses them about half as small again), hinting and OpenType layout
    features are dropped (browsers lay out CJK text without them), names (copyright, licence) are kept.
    """
    from fontTools import subset
    from fontTools.ttLib import TTFont, TTLibError

    try:
        font = TTFont(str(path), fontNumber=face_number(path), lazy=True, recalcTimestamp=False)
        licence = font["name"].getDebugName(13) or ""
    except (TTLibError, OSError, KeyError) as err:
        raise UserError(f"{path}: not a readable font ({err})") from None
    if "Open Font License" not in licence:
        raise UserError(f"{path}: its licence is not the SIL Open Font License, so the site cannot ship it")
    notice = font["name"].getDebugName(0) or ""
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = []
    options.hinting = False
    options.desubroutinize = True
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=characters)
    subsetter.subset(font)
    out = io.BytesIO()
    font.flavor = "woff2"
    font.save(out)
    return out.getvalue(), notice


def licence_text(notice: str) -> str:
    """What ships beside the subset: what it is, the font's copyright notice, and the OFL 1.1."""
    return (
        f"{FAMILY}, subset to the characters this site uses (Noto CJK fonts, "
        "https://github.com/notofonts/noto-cjk).\n"
        f"{notice}\n\n" + OFL_TEXT.read_text(encoding="utf-8")
    )


def cache_key(path: Path, characters: str) -> str:
    """One hash over the source font's identity, fontTools' version and the characters."""
    import fontTools

    stat = path.stat()
    identity = f"{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}|{fontTools.version}|{characters}"
    return hashlib.sha256(identity.encode()).hexdigest()[:20]


def subset_font_cached(cache_dir: Path, characters: str) -> tuple[bytes, str]:
    """``subset_font`` of the installed font, kept in ``cache_dir`` (about 1.3 s when not cached).

    A cache folder that cannot be written only costs the subsetting each time.
    """
    path = font_source()
    stem = cache_dir / f"cjk-{cache_key(path, characters)}"
    font_file, notice_file = stem.with_suffix(".woff2"), stem.with_suffix(".txt")
    if font_file.exists() and notice_file.exists():
        return font_file.read_bytes(), notice_file.read_text(encoding="utf-8")
    font, notice = subset_font(path, characters)
    keep_in_cache(cache_dir, {notice_file: notice.encode(), font_file: font}, "cjk-*.woff2", CACHE_KEEP)
    return font, notice


def shipped_subset(characters: str) -> tuple[bytes, str] | None:
    """The package's subset of the articles' characters and its notice, if it holds ``characters``."""
    from fontTools.ttLib import TTFont

    if not SHIPPED.is_file():
        return None
    font = SHIPPED.read_bytes()
    covered = {chr(code) for code in TTFont(io.BytesIO(font)).getBestCmap()}
    if not set(characters) <= covered:
        return None
    return font, SHIPPED.with_suffix(".txt").read_text(encoding="utf-8")


def font_files(files: Mapping[str, bytes], cache_dir: Path) -> dict[str, bytes]:
    """The subset serving every CJK character of the staged ``files``, and its licence, by staged path.

    Cut from the installed font when there is one; else the package's subset of the articles'
    characters, if it covers the site; else one clear error saying what to install.
    """
    characters = site_characters(files)
    try:
        font, notice = subset_font_cached(cache_dir, characters)
    except UserError:
        shipped = shipped_subset(characters)
        if shipped is None:
            raise
        font, notice = shipped
    return {FONT_PATH: font, LICENCE_PATH: licence_text(notice).encode()}


def article_characters(seeds: Path) -> str:
    """Every CJK character of the source articles in ``seeds`` (``data/seeds/*.txt``), sorted, once each."""
    found = set().union(*(cjk_characters(path.read_text(encoding="utf-8")) for path in seeds.glob("*.txt")))
    return "".join(sorted(found))


def write_shipped_subset(seeds: Path) -> Path:
    """Regenerate the package's subset of the articles' characters from the installed font."""
    font, notice = subset_font(font_source(), article_characters(seeds))
    SHIPPED.parent.mkdir(parents=True, exist_ok=True)
    SHIPPED.write_bytes(font)
    SHIPPED.with_suffix(".txt").write_text(notice, encoding="utf-8")
    return SHIPPED


if __name__ == "__main__":
    from deepseek_shock.paths import data_dir

    print(write_shipped_subset(data_dir() / "seeds"))
