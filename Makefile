# Two commands take a fresh machine from clone to running: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INDEX_DIR ?= data/index
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
# pip must never reach for a CUDA build of torch: the CPU build 2.13.0 is installed first, by
# itself, so the sentence-transformers extra finds it satisfied.
TORCH := torch==2.13.0

.PHONY: install install-test run index test lint format bench eval calibrate clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

install-test: $(VENV)/.installed-test

$(VENV)/.installed-test: $(VENV)/.installed
	@# Tests write real PDFs with Cyrillic text, in Debian's DejaVu font.
	@test -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf || \
		(apt-get update -qq && apt-get install -y -qq fonts-dejavu-core)
	@# The browser tests drive Debian's chromium (Playwright never downloads one); a CJK font
	@# keeps the Chinese example questions legible in their screenshots.
	@test -x /usr/bin/chromium || \
		(apt-get update -qq && apt-get install -y -qq chromium)
	@test -n "$$(fc-list :lang=zh 2>/dev/null)" || \
		(apt-get update -qq && apt-get install -y -qq fonts-wqy-zenhei)
	$(BIN)/python -m pip install --quiet '$(TORCH)'
	$(BIN)/python -m pip install --quiet -e '.[dev,test,sentence-transformers]' '$(TORCH)'
	touch $@

index: install
	@# An index an older version wrote (another format) is rebuilt from its own documents.
	@test ! -f $(INDEX_DIR)/manifest.json || \
		$(BIN)/zharshy --index-dir $(INDEX_DIR) status > /dev/null 2>&1 || \
		$(BIN)/zharshy --index-dir $(INDEX_DIR) rebuild
	@# New and changed announcements, and those this version cuts differently, are embedded;
	@# the rest are left as they are (a second run takes a second or two).
	@$(BIN)/zharshy --index-dir $(INDEX_DIR) ingest corpus/ || test $$? -eq 3

# The web server: staff page at http://127.0.0.1:7860/, REST API at /api, OpenAPI at /docs.
run: index
	$(BIN)/zharshy --index-dir $(INDEX_DIR) ask "Когда ALT University получил проект «Мастерская Лу Бань»?"
	@echo
	@echo 'Starting the server: page http://127.0.0.1:7860/  API http://127.0.0.1:7860/api  docs http://127.0.0.1:7860/docs'
	@echo 'Set ZHARSHY_API_KEY (16+ characters) to allow uploads and changes; without it the server is read-only.'
	$(BIN)/zharshy --index-dir $(INDEX_DIR) serve

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# pytest exits 5 when it collects no test: that is a broken suite, not a pass.
test: install-test lint
	$(BIN)/python -m pytest -q -p no:cacheprovider; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: failing on purpose" >&2; exit 1; fi; \
	exit $$rc

# Speed on this machine: ingest (cold and unchanged) and question latency; see docs/performance.md.
bench: install
	$(BIN)/python scripts/bench.py

# Quality on the dev question set; see docs/quality.md.
eval: index
	$(BIN)/zharshy --index-dir $(INDEX_DIR) eval corpus/questions.jsonl

# Refit the sentence choice and the confidence on the dev set and ship them with the package
# (qa/calibration.json), for the bundled model; see docs/quality.md.
calibrate: index
	$(BIN)/zharshy --index-dir $(INDEX_DIR) eval corpus/questions.jsonl --calibrate
	cp $(INDEX_DIR)/calibration.json qa/calibration.json

clean:
	rm -rf $(VENV) data build *.egg-info .mypy_cache .ruff_cache
