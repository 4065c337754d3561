# The few verbs a person types. Everything installs into .venv from PyPI.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
OUT ?= out

PDF := $(OUT)/shortlist.pdf

.PHONY: demo render test lint typecheck unit notebooks bench sample clean

$(BIN)/matchmaker: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.dev: $(BIN)/matchmaker
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

demo: $(BIN)/matchmaker
	@mkdir -p $(OUT)
	$(BIN)/matchmaker pair sample_data/candidacies.xlsx --partners sample_data/partners.csv \
		--reviews sample_data/reviews --out $(OUT)/shortlist.xlsx --json $(OUT)/result.json

# The shortlist as the committee prints it (LibreOffice: apt-get install libreoffice-calc poppler-utils).
render: demo
	soffice --headless --convert-to pdf --outdir $(OUT) $(OUT)/shortlist.xlsx
	pdftoppm -png -r 60 $(PDF) $(OUT)/page

test: $(VENV)/.dev lint typecheck notebooks unit

lint: $(VENV)/.dev
	$(BIN)/ruff check matchmaker tests benchmarks
	$(BIN)/ruff format --check matchmaker tests benchmarks

typecheck: $(VENV)/.dev
	$(BIN)/mypy

unit: $(VENV)/.dev
	$(BIN)/pytest -q

notebooks: $(VENV)/.dev
	$(BIN)/pytest -q --nbmake notebooks -p no:cacheprovider -o filterwarnings=

bench: $(VENV)/.dev
	$(BIN)/python benchmarks/bench_intake.py
	$(BIN)/python benchmarks/bench_pairing.py

sample: $(BIN)/matchmaker
	$(BIN)/python -m matchmaker.sample sample_data

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache .mypy_cache .ruff_cache
