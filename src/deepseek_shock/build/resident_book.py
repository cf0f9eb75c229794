"""A staged book rendered by a Sphinx application kept in this process from one build to the next.

``jupyter-book build`` starts a process, imports Sphinx and the book's extensions, sets an
application up and unpickles its environment before it reads a changed page (about 1.5 s here).
The preview server keeps the application instead: the environment stays in memory, and a build
reads only the staged files whose bytes changed, then writes their pages, the index and the search
index (a few tenths of a second). The pages are the ones ``jupyter-book build`` writes from the
same files (a test compares them).

The application is configured as ``jupyter-book build --warningiserror --keep-going`` configures
it (through Jupyter Book's own ``get_final_config``), and a new one is set up when the book's
``_config.yml`` or ``_toc.yml`` change, or after a build that raised. Sphinx registers directives,
roles and nodes process-wide; the applications of one process share them (they are the same
extensions), and share what never changes between builds: compiled templates and word stems.
"""

from __future__ import annotations

import io
import logging as stdlib_logging
import re
from pathlib import Path
from typing import Any

import yaml
from jinja2 import BytecodeCache
from jinja2.bccache import Bucket
from jupyter_book.config import get_final_config
from sphinx.application import Sphinx
from sphinx.search.en import SearchEnglish
from sphinx.util import logging
from sphinx.util.docutils import patch_docutils

from deepseek_shock.errors import UserError

CONFIG_FILES = ("_config.yml", "_toc.yml")


class RememberedEnglish(SearchEnglish):
    """Sphinx's English search language, every word's stem remembered while the process lives.

    Each build stems every word of the pages it writes (pure-Python Porter stemming: about 0.2 s
    for a chapter and the ledger); a word's stem never changes.
    """

    stems: dict[str, str] = {}

    def stem(self, word: str) -> str:
        """The stem of ``word``, as Sphinx's English search language gives it."""
        if word not in self.stems:
            self.stems[word] = super().stem(word)
        return self.stems[word]


class CompiledTemplates(BytecodeCache):
    """The Jinja templates compiled by any Sphinx application of this process, by template file.

    Every application compiles the theme's templates again (about 0.2 s) before its first page; a
    run's one-page book gets a new application, so it reuses those the book's compiled. Jinja
    checks each template's source against its compiled form.
    """

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        """Fill ``bucket`` from a compilation kept earlier, if there is one."""
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        """Keep ``bucket``'s compilation."""
        self.compiled[bucket.key] = bucket.bytecode_to_string()


TEMPLATES = CompiledTemplates()


class ResidentBook:
    """The book staged in ``stage``, rendered into ``output/html``; the Sphinx application kept."""

    def __init__(self, stage: Path, output: Path) -> None:
        self.stage = stage
        self.output = output
        self.app: Any = None
        self.config: bytes = b""
        self.warnings = io.StringIO()
        self.read: list[str] = []
        self.assets: tuple[list, list, list, list] = ([], [], [], [])

    @property
    def html(self) -> Path:
        """Where the pages are written."""
        return self.output / "html"

    def staged_config(self) -> bytes:
        """The staged ``_config.yml`` and ``_toc.yml``: when they change, the application is set up anew."""
        return b"\0".join((self.stage / name).read_bytes() for name in CONFIG_FILES)

    def application(self) -> Any:
        """The Sphinx application for the staged configuration, as ``jupyter-book build`` sets it up."""
        config = self.staged_config()
        if self.app is not None and config == self.config:
            return self.app
        self.app = None
        sphinx_config, _ = get_final_config(
            user_yaml=self.stage / "_config.yml",
            cli_config={
                "external_toc_path": (self.stage / "_toc.yml").as_posix(),
                "latex_individualpages": False,
            },
            sourcedir=self.stage,
            use_external_toc=True,
        )
        app = Sphinx(
            srcdir=self.stage,
            confdir=None,
            outdir=self.html,
            doctreedir=self.output / ".doctrees",
            buildername="html",
            confoverrides=sphinx_config,
            status=None,
            warning=self.warnings,
            freshenv=False,
            warningiserror=False,  # counted after each build instead, as --keep-going does
            parallel=1,
        )
        if app.config["use_multitoc_numbering"] and "numbered: true" in yaml.dump(
            app.config.external_site_map.as_json()
        ):
            app.setup_extension("sphinx_multitoc_numbering")
        app.connect("env-before-read-docs", lambda app, env, docnames: self.read.extend(sorted(docnames)))
        app.add_search_language(RememberedEnglish)
        app.builder.templates.environment.bytecode_cache = TEMPLATES
        # A script or stylesheet a page adds for itself (the theme's ``pagename``, for one) stays
        # recorded with the application and the builder, and the next build would add it to every
        # page; each build starts from what the extensions added as the application was set up.
        self.assets = (
            list(app.registry.js_files),
            list(app.registry.css_files),
            list(app.builder._js_files),
            list(app.builder._css_files),
        )
        self.app, self.config = app, config
        return app

    def build(self) -> list[str]:
        """Render what changed in the stage since the last build; the documents Sphinx re-read.

        A warning fails the build, as ``--warningiserror`` does (the pages it could write are
        written): one UserError naming the first problem.
        """
        self.read = []
        try:
            with patch_docutils(None):
                app = self.application()
                scripts, stylesheets, builder_scripts, builder_stylesheets = self.assets
                app.registry.js_files[:], app.registry.css_files[:] = scripts, stylesheets
                app.builder._js_files[:], app.builder._css_files[:] = builder_scripts, builder_stylesheets
                self.warnings.seek(0), self.warnings.truncate()
                logging.setup(app, app._status, self.warnings)  # Sphinx's log is process-wide
                app._warncount, app.statuscode = 0, 0
                app.build(force_all=False, filenames=[])
        except Exception as error:
            self.app = None  # Sphinx dropped its saved environment: the next build starts afresh
            raise UserError(f"Jupyter Book failed: {type(error).__name__}: {error}") from None
        finally:
            # The theme's a11y_pygments, imported on the way, sets the root logger to INFO
            # (logging.basicConfig): every library's chatter would reach the terminal.
            stdlib_logging.getLogger().setLevel(stdlib_logging.WARNING)
        if app._warncount:
            text = re.sub(r"\x1b\[[0-9;]*m", "", self.warnings.getvalue())
            lines = [line.strip() for line in text.splitlines() if line.strip()]
            problem = next((line for line in lines if "WARNING" in line or "ERROR" in line), lines[0])
            raise UserError(f"Jupyter Book failed: {problem}")
        return self.read
