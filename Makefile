# The two commands of the README. Both create .venv when missing and install the project into it.
PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed-stamp

.PHONY: run test bench clean

$(STAMP): pyproject.toml
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	exec $(VENV)/bin/python -m erdm run

test: $(STAMP)
	$(VENV)/bin/python -m pytest -p no:cacheprovider

# At most ~5 minutes; writes bench/report.md and bench/report.json (BENCH_LEDGER_ROWS, BENCH_DRILLS, BENCH_CONSOLE_DEPOTS adjust the sizes).
bench: $(STAMP)
	$(VENV)/bin/python -m bench

clean:
	rm -rf $(VENV) var *.egg-info
