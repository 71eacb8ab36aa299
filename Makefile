# Two entry points for a fresh machine with Python 3.11 (see README): `make demo` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
SQL_DEMO := select r.source_path, r.region, r.report_year, count(m.report_id) as quantities, \
  count(m.indicator) as indicators from reports r left join metrics m using (report_id) \
  group by all order by r.region

.PHONY: setup demo test lint

setup: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -c constraints.txt -e '.[test]'
	touch $@

# the Data Docs' front-end assets (Bootstrap, jQuery, Vega, ...), pinned in package-lock.json
node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	touch $@

demo: setup
	$(BIN)/fazhi run raw
	$(BIN)/fazhi sql "$(SQL_DEMO)"

lint: setup
	$(BIN)/ruff check flows stages warehouse tests bench scripts

test: lint
	$(BIN)/pytest -q
