# Two commands set everything up on a fresh machine:  make run  and  make test.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip

.PHONY: run test lint torture bench screenshots system-deps package verify-html clean

# The virtual environment, rebuilt when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e '.[gui]'
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed pyproject.toml
	$(PIP) install --quiet -e '.[gui,dev]'
	touch $@

# Debian packages the program and tests need (Xvfb, a window manager and the accessibility bus
# for the journey tests, Qt's X11 plugin libraries, ssh-keygen, zip):
# installed when missing and we are root; otherwise the script says what to install.
system-deps:
	sh packaging/install-system-deps.sh

run: $(VENV)/.installed system-deps
	$(VENV)/bin/evidence-kit-gui

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check evidence_kit tests bench
	$(VENV)/bin/ruff format --check evidence_kit tests bench
	$(VENV)/bin/mypy

test: $(VENV)/.installed-dev system-deps lint
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -n 2 -q

# The crash-safety test with 200 kills instead of 20, and the 1 GB download import's memory.
torture: $(VENV)/.installed-dev
	EVIDENCE_KIT_TORTURE_TRIALS=200 $(PY) -m pytest -q tests/e2e/test_crash_safety.py
	EVIDENCE_KIT_BIG_DOWNLOAD=1 $(PY) -m pytest -q -s tests/importers/test_download_memory.py

bench: $(VENV)/.installed-dev system-deps
	$(PIP) install --quiet -e '.[gui,dev,bench]'
	for script in bench/*_bench.py; do $(PY) $$script || exit 1; done

screenshots: $(VENV)/.installed-dev system-deps
	$(PY) packaging/make_screenshots.py docs/screenshots

# The browser verifier, assembled from packaging/verify-html/ (no network, no Node.js needed).
verify-html: $(VENV)/.installed-dev
	$(PY) packaging/build_verify_html.py

# Desktop builds (PyInstaller, one folder, both programs) and, on Linux, the .deb; each smoke-tested
# (see packaging/build.py). Slow (minutes): not part of `make test`.
package: $(VENV)/.installed-dev
	sh packaging/install-system-deps.sh package
	$(PIP) install --quiet 'pyinstaller>=6.0'
	$(PY) packaging/build.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build dist
