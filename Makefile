.PHONY: run test

# Serve the site with demo content on SQLite (PORT=8000 by default).
run:
	bash scripts/run

# The whole test suite: PostgreSQL (with browser tests), then SQLite.
test:
	bash scripts/test
