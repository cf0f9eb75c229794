"""The Jupyter Book process started ahead of time: it runs its one command, or steps aside."""

from __future__ import annotations

import inspect

import myst_nb

from deepseek_shock.build.warm_book import AHEAD, WarmBook, book_extensions


def test_the_warm_process_runs_its_command_and_reports_its_status(tmp_path):
    with WarmBook() as book:
        assert book.wait_ready()
        completed = book.run(["build", str(tmp_path / "no-such-book")])
    assert completed is not None
    assert completed.returncode != 0
    assert "no-such-book" in completed.stdout + completed.stderr


def test_an_unused_warm_process_is_stopped(tmp_path):
    with WarmBook() as book:
        pass
    assert book.process.returncode is not None


def test_a_dead_warm_process_is_not_used(tmp_path):
    book = WarmBook()
    book.process.kill()
    book.process.wait()
    assert book.run(["--help"]) is None  # the caller runs jupyter-book afresh
    book.close()


def test_the_extensions_preloaded_are_the_books():
    assert "myst_nb" in book_extensions()
    assert "sphinx_book_theme" in book_extensions()


def test_what_is_imported_ahead_includes_the_module_myst_nb_imports_as_sphinx_sets_it_up():
    assert "from .sphinx_ext import" in inspect.getsource(myst_nb.setup)
    assert "myst_nb.sphinx_ext" in AHEAD
