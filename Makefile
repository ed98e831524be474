# Handbill's two commands. Each one sets up what it needs on a fresh Debian
# machine (system libraries, a virtual environment with the pinned packages
# from requirements.lock) and is safe to run again.
#
#   make build   build the sample site, handouts included, into output/
#   make test    run the whole test suite

PYTHON      ?= python3
VENV        := .venv
BIN         := $(VENV)/bin
# WeasyPrint needs Pango and fonts; the browser tests need Chromium; the
# handout previews and QR tests read PDFs with pdfium (shipped in its wheel);
# the publishing tests deploy with rsync.
SYSTEM_PACKAGES      := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-liberation2
TEST_SYSTEM_PACKAGES := chromium rsync
# The audit tests run Lighthouse, pinned in tools/audit/package-lock.json, with
# the image's Node.js (18.16 or later) and npm.
AUDIT := tools/audit

.PHONY: build test setup setup-test rebuild clean lock compare-builds

build: setup
	$(BIN)/invoke build

test: setup-test
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -n auto

setup: $(VENV)/.installed-system $(VENV)/.installed

setup-test: setup $(VENV)/.installed-test-system $(AUDIT)/node_modules/.installed

rebuild: setup
	$(BIN)/invoke rebuild

clean:
	rm -rf output cache

define install_system_packages
	@missing=$$(for p in $(1); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing system packages:" $$missing; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi
endef

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed-system: | $(VENV)/bin/python
	$(call install_system_packages,$(SYSTEM_PACKAGES))
	touch $@

$(VENV)/.installed-test-system: | $(VENV)/bin/python
	$(call install_system_packages,$(TEST_SYSTEM_PACKAGES))
	touch $@

$(AUDIT)/node_modules/.installed: $(AUDIT)/package.json $(AUDIT)/package-lock.json
	@command -v node >/dev/null && command -v npm >/dev/null || { \
		echo "make test needs Node.js (18.16 or later) and npm for Lighthouse ($(AUDIT)); install them, then run make test again" >&2; exit 1; }
	npm ci --prefix $(AUDIT) --no-audit --no-fund --loglevel=error
	touch $@

# Every package, transitive ones included, at the exact version and hashes of
# requirements.lock; then the project itself, editable, so that the plugins
# and tools are imported from this checkout under their own names.
$(VENV)/.installed: requirements.lock pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install -q --require-hashes -r requirements.lock
	$(BIN)/python -m pip install -q --no-deps --no-build-isolation -e .
	touch $@

# Writes requirements.lock again from pyproject.toml's ranges (run after
# changing a dependency; commit both).
lock: setup
	$(BIN)/uv pip compile pyproject.toml requirements-build.in --all-extras --universal \
		--python-version 3.11.5 --generate-hashes --quiet -o requirements.lock

# Builds the sample site from revision BASE and from the working tree, with
# the clock stopped, and compares the two output trees byte for byte.
compare-builds: setup
	$(call install_system_packages,faketime)
	$(BIN)/python scripts/compare_builds.py --base $(BASE)
