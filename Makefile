# Two entry points, both safe on a fresh machine (they create .venv and install what is missing):
#   make        builds the participant release and the compiled book
#   make test   runs the whole test suite (unit, notebooks, grading end to end, book, browser), on every core
# While working: make test-unit (pure Python, about 50 s of CPU), make test-fast (all but browser and hub).
VENV   ?= .venv
PYTHON ?= python3
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed

.PHONY: all setup system-deps binder-env js-deps hub-env lint test test-unit test-fast release book benchmarks clean

all: setup
	$(BIN)/coursekit book

# Every environment installs the exact versions of constraints.txt, the one lock file.
CONSTRAINTS = constraints.txt

$(STAMP): pyproject.toml $(CONSTRAINTS)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c $(CONSTRAINTS) -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

# Debian packages the tests need: Chromium for the browser tests (Playwright cannot download browsers offline)
# and PostgreSQL, whose server the grading tests start in a temporary folder.
system-deps:
	@missing=""; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "Missing Debian packages:$$missing. Run 'sudo apt-get install$$missing' (the tests need them)." >&2; exit 1; fi; \
	fi

# The course package as a wheel, built offline whenever src/ changes, by a small build environment with the
# pinned setuptools and wheel (registry access needed only when that environment is first made).
BUILD_VENV = .build-venv
WHEEL_DIR  = _build/wheel
PINS       = $(CONSTRAINTS) binder/requirements.txt deploy/requirements-hub.txt pyproject.toml
$(BUILD_VENV)/.installed: $(CONSTRAINTS)
	rm -rf $(BUILD_VENV)
	$(PYTHON) -m venv $(BUILD_VENV)
	$(BUILD_VENV)/bin/python -m pip install --quiet -c $(CONSTRAINTS) setuptools wheel
	touch $@

$(WHEEL_DIR)/.built: $(BUILD_VENV)/.installed pyproject.toml $(shell find src -type f -not -name "*.pyc" -not -path "*.egg-info/*")
	rm -rf $(WHEEL_DIR) build  # setuptools keeps deleted modules in build/lib: start clean
	$(BUILD_VENV)/bin/python -m pip wheel --quiet --no-deps --no-build-isolation --no-index -w $(WHEEL_DIR) .
	touch $@

# The environment Binder and JupyterHub images get: built from exactly binder/requirements.txt (and so from
# constraints.txt), rebuilt only when the pins change (registry access needed then, at set-up time). A
# source change only reinstalls the course's own wheel, offline; the tests then run every released
# notebook in it.
BINDER_VENV = .binder-venv
$(BINDER_VENV)/.installed: $(PINS)
	rm -rf $(BINDER_VENV)
	$(PYTHON) -m venv $(BINDER_VENV)
	$(BINDER_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(BINDER_VENV)/bin/python -m pip install --quiet -r binder/requirements.txt
	cat $(PINS) | sha256sum | cut -d' ' -f1 > $@

$(BINDER_VENV)/.course-wheel: $(BINDER_VENV)/.installed $(WHEEL_DIR)/.built
	$(BINDER_VENV)/bin/python -m pip install --quiet --no-deps --no-index --force-reinstall $(WHEEL_DIR)/coursekit-*.whl
	touch $@

binder-env: $(BINDER_VENV)/.course-wheel

# axe-core, pinned in package.json and package-lock.json, which the book's browser tests inject into pages
# to check accessibility (npm registry access needed here, at set-up time only).
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --silent

js-deps: node_modules/.package-lock.json

# The course environment a JupyterHub runs every user's server in (deploy/setup-workshop-hub env), outside
# this folder so every account can run it; as root only (the hub test needs root). Registry access needed here.
hub-env: $(WHEEL_DIR)/.built
	@if [ "$$(id -u)" = 0 ]; then COURSEKIT_WHEEL_DIR="$(abspath $(WHEEL_DIR))" deploy/setup-workshop-hub env; \
	else echo "hub-env: not root, the hub test will skip"; fi

# The tiers (markers in pyproject.toml; tests/conftest.py fails an unmarked test that starts anything heavy).
# In parallel with pytest-xdist: --dist loadscope keeps each test module, each notebook and the Unix-account
# tests on one worker; the book is built once per run, outside the checkout, and shared by the workers.
PYTEST = $(BIN)/python -m pytest -p no:cacheprovider
JOBS  ?= auto

lint: setup
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

test: setup system-deps binder-env js-deps hub-env lint
	$(PYTEST) -n $(JOBS) --dist loadscope tests notebooks --nbval-lax

# No kernel, browser, nbgrader, Sphinx, Node or server: about 60 s of CPU, 31 s on two cores.
test-unit: lint
	$(PYTEST) -n $(JOBS) --dist loadscope tests -m "not slow and not browser and not hub"

# Everything but Chromium and the hub: kernels, nbgrader, the book, grading end to end.
test-fast: lint
	$(PYTEST) -n $(JOBS) --dist loadscope tests -m "not browser and not hub"

release: setup
	$(BIN)/coursekit release

book: setup
	$(BIN)/coursekit book

benchmarks: setup
	for b in benchmarks/bench_*.py; do $(BIN)/python $$b || exit 1; done

clean:
	rm -rf _build release autograded submitted feedback exchange quarantine gradebook.db .nbgrader.log
	rm -f gradebook.db-journal grades*.csv *.xlsx report*.html
