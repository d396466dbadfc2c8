# termkam: `make run` (demo library, or PHOTOS=DIR for yours) and `make test`.
VENV := .venv
BIN := $(VENV)/bin
SETUP_INPUTS := pyproject.toml scripts/setup.sh scripts/model-packages.txt

.PHONY: run test lint bench

$(VENV)/.installed: $(SETUP_INPUTS)
	scripts/setup.sh
	touch $@

$(VENV)/.installed-test: $(SETUP_INPUTS)
	scripts/setup.sh --test
	touch $(VENV)/.installed $@

run: $(VENV)/.installed
ifdef PHOTOS
	$(BIN)/termkam scan "$(PHOTOS)" && $(BIN)/termkam
else
	$(BIN)/termkam demo
endif

test: $(VENV)/.installed-test
	$(BIN)/termkam samples fetch
	$(BIN)/python -m pytest

lint: $(VENV)/.installed-test
	$(BIN)/ruff check engine models tui tests bench

bench: $(VENV)/.installed
	$(BIN)/python bench/scan.py
