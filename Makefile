# delivery_sevensenders: `make sandbox` serves the local API, `make test` runs the tests.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-sandbox.txt requirements-test.txt sevensenders_sandbox/pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: help install sandbox test bench run clean wheels pot

help:
	@echo "make sandbox  - serve the Seven Senders sandbox on http://127.0.0.1:8765/v2"
	@echo "make test     - install what is needed, run linters and every available test layer"
	@echo "make bench    - run the benchmarks under bench/"
	@echo "make run      - sandbox + Odoo (18.0 or 19.0) with the addon on a demo database (needs ODOO_BIN)"
	@echo "make pot      - export the addon's .pot with Odoo (--i18n-export) and merge the .po files"
	@echo "make wheels   - build the addons' wheels per series (18.0, 19.0) and the sandbox's into var/wheels, check them"

$(STAMP): requirements.txt requirements-sandbox.txt requirements-test.txt sevensenders_sandbox/pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements-test.txt
	$(PY) -m pip install -q --disable-pip-version-check --no-deps -e ./sevensenders_sandbox
	rm -f $(VENV)/.installed-*; touch $(STAMP)

install: $(STAMP)

sandbox: $(STAMP)
	$(VENV)/bin/sevensenders-sandbox $(ARGS)

test: $(STAMP)
	PY=$(PY) tools/run-tests.sh

bench: $(STAMP)
	PYTHONPATH=delivery_sevensenders:. $(PY) bench/client_overhead.py

run: $(STAMP)
	PY=$(PY) tools/run-demo.sh

pot:
	tools/make-pot.sh

wheels: $(STAMP)
	tools/check-wheels.sh $(PY)

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache .hypothesis
