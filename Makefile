# The two commands of the README. Both create .venv when missing and install the project into it.
PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed-stamp

.PHONY: run test bench clean debian-packages

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

# What the PDF documents need from Debian at run time (WeasyPrint's Pango, the CJK font); as root, once.
DEBIAN_RUNTIME_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk

debian-packages:
	apt-get update
	apt-get install -y --no-install-recommends $(DEBIAN_RUNTIME_PACKAGES)

clean:
	rm -rf $(VENV) var *.egg-info
