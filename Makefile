# Handbill's two commands. Each one sets up what it needs on a fresh Debian
# machine (system libraries, a virtual environment with the pinned packages
# from pyproject.toml) and is safe to run again.
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

.PHONY: build test setup setup-test rebuild clean

build: setup
	$(BIN)/invoke build

test: setup-test
	$(BIN)/python -m pytest

setup: $(VENV)/.installed-system $(VENV)/.installed

setup-test: setup $(VENV)/.installed-test-system $(VENV)/.installed-test

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
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed-system: | $(VENV)/bin/python
	$(call install_system_packages,$(SYSTEM_PACKAGES))
	touch $@

$(VENV)/.installed-test-system: | $(VENV)/bin/python
	$(call install_system_packages,$(TEST_SYSTEM_PACKAGES))
	touch $@

# Installs one list of exact pins from pyproject.toml ($(1): the list, as a
# Python expression on the [project] table) and marks it done.
define install_pinned
	$(BIN)/python -c 'import tomllib; project = tomllib.load(open("pyproject.toml", "rb"))["project"]; print("\n".join($(1)))' > $@.txt
	$(BIN)/python -m pip install -q -r $@.txt
	touch $@
endef

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(call install_pinned,project["dependencies"])

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(call install_pinned,project["optional-dependencies"]["test"])
