# `make run`: set up and serve Echo with its Celery worker and beat.
# `make test`: set up, lint and run every test.
# `make bench`: measure Echo as production serves it (see README, "Benchmark").
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export DEBUG ?= true

.PHONY: run test install lint migrate demo totp clean bench bench-smoke

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

var:
	mkdir -p var

migrate: install var
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py createcachetable
	$(BIN)/python manage.py compilemessages --ignore=.venv -v0

demo: migrate
	$(BIN)/python manage.py load_demo

run: demo
	@echo "Echo on http://127.0.0.1:8000/ (Ctrl-C stops the site and the worker)"
	# The worker gets its own session: Ctrl-C reaches it once, through the trap.
	setsid $(BIN)/celery -A echo worker --beat --loglevel=INFO --concurrency=2 \
	  --schedule=var/celerybeat-schedule & worker=$$!; \
	trap 'kill -TERM $$worker 2>/dev/null; wait $$worker' INT TERM EXIT; \
	$(BIN)/python manage.py runserver 127.0.0.1:8000

lint: install
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

test: lint var
	$(BIN)/python manage.py compilemessages --ignore=.venv -v0
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest

# Data sets on the local PostgreSQL, kept between runs; BENCH_ARGS=--rebuild seeds them again.
bench: install var
	$(BIN)/python -m bench $(BENCH_ARGS)

# Tiny data sets and short runs: does the benchmark still work?
bench-smoke: install var
	$(BIN)/python -m bench --smoke $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var

totp: install
	@$(BIN)/python manage.py demo_totp
