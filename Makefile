# The two commands a newcomer needs: `make run` and `make test`. Everything they need is installed here.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
FRONTEND_STAMP := frontend/node_modules/.installed
FRONTEND_SOURCES := $(shell find frontend/src -type f 2>/dev/null) frontend/index.html frontend/vite.config.ts frontend/tsconfig.json frontend/package.json frontend/openapi.json
PORT ?= 8000
STAGE ?= dev
# checkov pins an older boto3 than the app's, so it lives in a venv of its own.
CHECKOV_VENV := .venv-checkov
CHECKOV_STAMP := $(CHECKOV_VENV)/.installed

.PHONY: run test lint typecheck unit infra api e2e bench bench-full frontend chromium fonts font-layer pdf-layer clean reminders reconcile package deploy cloudformation openapi generate mutations

run: $(STAMP) fonts frontend/dist/index.html
	$(PY) -m scripts.local_stack --port $(PORT)

test: lint typecheck unit infra api e2e

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

typecheck: $(STAMP)
	$(PY) -m mypy

unit: $(STAMP) fonts
	$(PY) -m pytest tests/unit -q

# The packaged template: cfn-lint, checkov, what it must say, and a deploy into the emulator's CloudFormation.
infra: $(STAMP) $(CHECKOV_STAMP)
	CHECKOV=$(CHECKOV_VENV)/bin/checkov $(PY) -m pytest tests/infra -q

api: $(STAMP) fonts
	$(PY) -m pytest tests/api -q

e2e: $(STAMP) fonts frontend/dist/index.html chromium
	$(PY) -m pytest tests/e2e -q

bench: $(STAMP) fonts frontend/dist/index.html
	$(PY) -m bench

# The same with 10,000 staff and clients in the large practice (DESIGN's figure; about 5 minutes).
bench-full: $(STAMP) fonts frontend/dist/index.html
	$(PY) -m bench --large 10000

# Delete each security check in turn and make sure a test fails (about 15 minutes; docs/testing.md).
mutations: $(STAMP) fonts
	$(PY) -m scripts.mutations

# Run the hourly intake-reminder job once against the stack `make run` started (in another terminal).
reminders: $(STAMP)
	$(PY) -m scripts.send_reminders --port $(PORT)

# Compare each connected practice's Stripe account with the ledger, against the stack `make run` started.
reconcile: $(STAMP)
	$(PY) -m scripts.reconcile_payments --port $(PORT)

cloudformation: $(STAMP)
	$(PY) -m scripts.cloudformation > .chalice/resources.json

# The template for review (build/$(STAGE)/sam.json), without deploying; then the deploy itself (docs/operations.md).
package: $(STAMP)
	$(PY) -m scripts.deploy package --stage $(STAGE)

deploy: $(STAMP) frontend/dist/index.html font-layer pdf-layer
	$(PY) -m scripts.deploy deploy --stage $(STAGE)

# The API contract the frontend's types are generated from (tests/unit/test_openapi_snapshot.py checks it).
openapi: $(STAMP)
	$(PY) -m scripts.openapi > frontend/openapi.json

# Everything derived from the route declarations: the route map, docs/authorization.md's table, the API contract.
generate: $(STAMP)
	$(PY) -m scripts.generate
	$(PY) -m scripts.openapi > frontend/openapi.json

$(STAMP): requirements.txt requirements-pdf.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip<26.3"
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

$(CHECKOV_STAMP): requirements-checkov.txt
	test -x $(CHECKOV_VENV)/bin/python || $(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/pip install --quiet -r requirements-checkov.txt
	touch $(CHECKOV_STAMP)

$(FRONTEND_STAMP): frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund
	touch $(FRONTEND_STAMP)

frontend/dist/index.html: $(FRONTEND_STAMP) $(FRONTEND_SOURCES)
	cd frontend && npm run build

frontend: frontend/dist/index.html

# Debian's Chromium drives the end-to-end tests (Playwright cannot download browsers here).
chromium:
	@if ! command -v chromium >/dev/null && ! command -v chromium-browser >/dev/null && [ -z "$$CHROMIUM_PATH" ]; then \
		echo "Installing Debian's chromium for the end-to-end tests"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; \
	fi

# Signed PDFs read Arabic, Hebrew and CJK fonts from Debian's packages (the Lambda font layer in production);
# this installs them with apt-get when any is missing, like chromium above.
fonts: $(STAMP)
	$(PY) -m scripts.install_fonts

# The Lambda layer with those fonts: build/font-layer.zip (docs/operations.md, "Font layer").
font-layer: $(STAMP)
	$(PY) -m scripts.build_font_layer

# The Lambda layer with the PDF libraries (requirements-pdf.txt, Linux wheels): build/pdf-layer.zip.
pdf-layer: $(STAMP)
	$(PY) -m scripts.build_pdf_layer

clean:
	rm -rf $(VENV) $(CHECKOV_VENV) frontend/node_modules frontend/dist .pytest_cache .mypy_cache .ruff_cache
