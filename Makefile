# The DeepSeek Shock, Reproduced. `make book` builds the site; `make serve` previews it, rebuilt on
# every change; `make test` runs the tests; `make publish VERSION=vX.Y.Z` publishes an edition into
# site/; `make bench` measures build and rerun speed.
# The virtualenv is (re)built only when the lock file changes; node_modules/ (axe-core, for the
# browser tests) only when package-lock.json changes.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
AXE := node_modules/axe-core/axe.min.js
HOST = 127.0.0.1
PORT = 8000

.PHONY: book test bench lint format lock serve serve-site publish clean

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

book: $(STAMP)
	$(BIN)/deepseek-shock build

$(AXE): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(AXE)

test: $(STAMP) $(AXE)
	$(BIN)/pytest

# Publish the book as edition VERSION into site/VERSION/; FORCE=1 replaces a published version.
publish: $(STAMP)
	@test -n "$(VERSION)" || { echo "make publish: VERSION is required, e.g. make publish VERSION=v1.0.0" >&2; exit 2; }
	$(BIN)/deepseek-shock publish $(VERSION) $(if $(FORCE),--force,)

lint: $(STAMP)
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests

format: $(STAMP)
	$(BIN)/ruff format src tests
	$(BIN)/ruff check --fix src tests

# Re-pin every dependency from pyproject.toml's ranges into requirements.lock and environment.yml.
lock:
	rm -rf .venv-lock
	$(PYTHON) -m venv .venv-lock
	.venv-lock/bin/pip install --quiet --disable-pip-version-check ".[test]" setuptools
	.venv-lock/bin/pip freeze --exclude-editable --all | grep -v '^deepseek-shock' | grep -v '^pip==' | LC_ALL=C sort -f > requirements.lock
	rm -rf .venv-lock
	$(PYTHON) -c "import sys; sys.path.insert(0, 'src'); from deepseek_shock.build.environment import write_environment_yml; write_environment_yml()"

# Preview the book at http://$(HOST):$(PORT)/: warm kernels and Sphinx, rebuilt and reloaded on
# every change to params/, notebooks/, data/ or book/, until Ctrl-C.
serve: $(STAMP)
	$(BIN)/deepseek-shock serve --host $(HOST) --port $(PORT)

# Build and rerun speed, the preview's included, against plain Jupyter Book; writes bench/results.json.
bench: $(STAMP)
	$(BIN)/python bench/run.py --repeat 3

# Serve the published editions (site/) as GitHub Pages would.
serve-site:
	$(PYTHON) -m http.server --directory site 8000 --bind 127.0.0.1

clean:
	rm -rf _build
