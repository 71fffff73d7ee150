#!/usr/bin/env bash
# talentd's whole test suite: formatting, lints, every test on the embedded SQLite, then
# the store and API tests again on PostgreSQL (PostgreSQL, Redis and an S3-compatible
# server are installed and started if none runs).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/system-packages.sh --tests
PG_URL=$(bash scripts/postgres.sh)
# The multi-process test runs on PostgreSQL in every pass.
export TALENTD_TEST_PG_URL="$PG_URL"
# The shared rate-limit tests count in Redis.
export TALENTD_TEST_REDIS_URL="$(bash scripts/redis.sh)"
# Recordings kept in a bucket: an S3-compatible server (moto's, from PyPI).
export TALENTD_TEST_S3_ENDPOINT="$(bash scripts/s3.sh)"
# The analysis tests run the real embedding model.
export TALENTD_MODELS_DIR="${TALENTD_MODELS_DIR:-$PWD/models}"
bash scripts/fetch-models.sh

cleanup() {
  # Throwaway databases made by the PostgreSQL run.
  psql "$PG_URL" -Atqc "SELECT datname FROM pg_database WHERE datname LIKE 'talentd_t_%'" 2>/dev/null \
    | while read -r db; do psql "$PG_URL" -qc "DROP DATABASE IF EXISTS \"$db\"" >/dev/null 2>&1 || true; done
}
trap cleanup EXIT
cleanup

if cargo nextest --version >/dev/null 2>&1; then
  run_tests() { cargo nextest run --no-fail-fast "$@"; }
  # Built as part of the whole workspace (the same features as the SQLite run, so
  # nothing is compiled again), only the store and API tests run.
  run_pg_tests() { cargo nextest run --no-fail-fast --workspace -E 'package(talentd-store) | package(talentd-api)'; }
else
  run_tests() { cargo test --no-fail-fast "$@"; }
  run_pg_tests() { cargo test --no-fail-fast -p talentd-store -p talentd-api; }
fi

echo "== cargo fmt --check"
cargo fmt --all -- --check
echo "== cargo clippy"
cargo clippy --workspace --all-targets --quiet -- -D warnings
echo "== tests on SQLite"
run_tests --workspace
echo "== tests on PostgreSQL"
TALENTD_TEST_DATABASE_URL="$PG_URL" run_pg_tests
