"""The landing page's headline findings: a few claims, each with its verdict, figures and chapter.

``book/headlines.yaml`` names them (a heading and a claim id each, in order); everything a headline
shows besides its heading comes from the registry and the ledger's rows, so no figure is typed.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from deepseek_shock.claims.cards import finding_html
from deepseek_shock.claims.registry import KEBAB, load_claims
from deepseek_shock.errors import UserError
from deepseek_shock.paths import project_root

HEADLINES_FILE = "book/headlines.yaml"


class Headline(BaseModel):
    """One headline: the heading it stands under and the claim it reports."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    heading: str = Field(min_length=1, description="A few words naming the topic, no digits")
    claim: str = Field(pattern=KEBAB, description="The id of a claim in data/claims.yaml")

    @field_validator("heading")
    @classmethod
    def _no_digits(cls, heading: str) -> str:
        if re.search(r"\d", heading):
            raise ValueError("a heading holds no digits: the figures come from the ledger")
        return heading


def load_headlines(path: Path | None = None) -> list[Headline]:
    """The headlines in ``path`` (default ``book/headlines.yaml``), each naming a claim in the registry.

    A file that is not UTF-8, malformed YAML, a missing or unknown field, or an unknown claim id is one
    ``UserError``.
    """
    path = path or project_root() / HEADLINES_FILE
    try:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UserError(f"{HEADLINES_FILE} is missing: the landing page needs its headlines") from None
    except UnicodeDecodeError:
        raise UserError(f"{HEADLINES_FILE} is not UTF-8 text: expected it saved as UTF-8") from None
    except yaml.YAMLError:
        raise UserError(f"{HEADLINES_FILE}: malformed YAML") from None
    if not isinstance(loaded, dict) or not isinstance(loaded.get("headlines"), list) or len(loaded) != 1:
        raise UserError(f"{HEADLINES_FILE}: expected a single key 'headlines' holding a list")
    known = {claim.id for claim in load_claims()}
    headlines = []
    for number, entry in enumerate(loaded["headlines"], start=1):
        try:
            headline = Headline.model_validate(entry)
        except ValidationError as err:
            first = err.errors()[0]
            field = ".".join(str(part) for part in first["loc"]) or "entry"
            message = str(first["msg"]).removeprefix("Value error, ")
            raise UserError(f"{HEADLINES_FILE}: headline {number}: {field}: {message}") from None
        if headline.claim not in known:
            raise UserError(
                f"{HEADLINES_FILE}: headline {number}: claim: no claim with id {headline.claim!r} in "
                "data/claims.yaml"
            )
        headlines.append(headline)
    return headlines


def first_sentence(text: str) -> str:
    """The first sentence of ``text`` (up to the first full stop followed by a space), whitespace folded."""
    folded = " ".join(text.split())
    match = re.search(r"\.\s", folded)
    return folded[: match.start() + 1] if match else folded


def headlines_html(
    headlines: Iterable[Headline],
    rows: Iterable[Mapping[str, Any]],
    chapters: Mapping[str, tuple[str, str]],
) -> str:
    """The headline findings as a list: each one's heading, its claim with the verdict in a word and a
    colour and the printed and reproduced figures, what was measured, and a link to its chapter.

    ``rows`` are the ledger's; ``chapters`` maps a notebook to (its page's address, its title).
    """
    claims = {claim.id: claim for claim in load_claims()}
    computed = {row["id"]: row["computed"] for row in rows}
    items = []
    for headline in headlines:
        claim = claims[headline.claim]
        if claim.notebook not in chapters:
            raise UserError(
                f"{HEADLINES_FILE}: claim {claim.id!r} is not shown by any chapter; a headline links to one"
            )
        href, title = chapters[claim.notebook]
        finding = finding_html(claim, computed.get(claim.id), f"{href}#claim-{claim.id}")
        items.append(
            '<li class="ds-headline">'
            f'<h3 class="ds-headline-heading">{html.escape(headline.heading)}</h3>'
            f'<ul class="ds-findings-list">{finding}</ul>'
            f'<p class="ds-headline-measured"><strong>Measured:</strong> '
            f"{html.escape(first_sentence(claim.definition))}</p>"
            f'<p class="ds-headline-chapter"><a href="{html.escape(href)}">'
            f"Chapter: {html.escape(title)}</a></p>"
            "</li>"
        )
    return f'<ul class="ds-headlines">{"".join(items)}</ul>'
