#!/usr/bin/env bash
# Load over several API replicas sharing one PostgreSQL, and the rate limits held
# exactly across them.
#
#   bash bench/load.sh                  # 10 s per run
#   BENCH_SECONDS=30 bash bench/load.sh
#
# Runs the load generator (crates/talentd/examples/load.rs: authenticated
# `GET /v1/projects`, 32 connections) against, in one run:
#   1. one replica on SQLite (limits in memory): the baseline;
#   2. two `--role api` replicas on one PostgreSQL (limits counted in PostgreSQL);
#   3. the same two replicas with limits counted in Redis.
# After each throughput run, a burst of 900 requests of one enterprise key (300 a
# minute) is spread over the replicas; exactly 300 must pass. Prints requests/s, p50,
# p99, the burst's counts and the ratios against the baseline; writes the table to
# bench/out/load.txt.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
seconds="${BENCH_SECONDS:-10}"
target_dir="${CARGO_TARGET_DIR:-$root/target}"
out_dir="$root/bench/out"
mkdir -p "$out_dir"
log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'bench: %s\n' "$*" >&2; exit 1; }

pg_admin="$(bash scripts/postgres.sh)"
redis_url="$(bash scripts/redis.sh)"

log "building release binaries"
cargo build --release -p talentd --bin talentd --example load
talentd_bin="$target_dir/release/talentd"
load_bin="$target_dir/release/examples/load"

tmp="$(mktemp -d)"
db="talentd_bench_$$"
pids=()
cleanup() {
    local pid
    for pid in "${pids[@]+"${pids[@]}"}"; do
        kill -TERM "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    psql "$pg_admin" -qc "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true
    rm -rf "$tmp"
}
trap cleanup EXIT

export TALENTD_DEMO=false
unset DATABASE_URL TALENTD_DATA_DIR TALENTD_LISTEN TALENTD_ROLE TALENTD_PUBLIC_URL TALENTD_REDIS_URL

# start NAME ARGS...: starts `talentd serve` and prints its base URL.
start() {
    local name="$1"
    shift
    "$talentd_bin" serve --listen 127.0.0.1:0 "$@" >"$tmp/$name.log" 2>"$tmp/$name.err" &
    local pid=$!
    pids+=("$pid")
    local i line
    for ((i = 0; i < 300; i++)); do
        if line="$(grep -E -m1 '^talentd is listening on ' "$tmp/$name.log" 2>/dev/null)"; then
            sed -E 's|^talentd is listening on (http://[^ ]+).*|\1|' <<<"$line"
            return 0
        fi
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    cat "$tmp/$name.err" >&2
    die "$name did not start"
}

stop_all() {
    local pid
    for pid in "${pids[@]+"${pids[@]}"}"; do
        kill -TERM "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    pids=()
}

key_of() { python3 -c 'import json, sys; print(json.loads(sys.argv[1])["api_key"])' "$1"; }

# run NAME TARGETS UNLIMITED_KEY LIMITED_KEY
run() {
    log "load: $1"
    "$load_bin" --targets "$2" --key "$3" --seconds "$seconds" --concurrency 32 \
        --limited-key "$4" --limit 300 | tee "$out_dir/load-$1.json"
}

# --- 1. one replica on SQLite ------------------------------------------------------
data="$tmp/sqlite"
u="$(key_of "$("$talentd_bin" orgs create --name load --plan unlimited --data-dir "$data")")"
l="$(key_of "$("$talentd_bin" orgs create --name burst --plan enterprise --data-dir "$data")")"
one="$(start sqlite --role api --data-dir "$data")"
run baseline "$one" "$u" "$l" >/dev/null
stop_all

# --- 2. two replicas on PostgreSQL --------------------------------------------------
psql "$pg_admin" -qc "CREATE DATABASE $db" >/dev/null
pg_url="${pg_admin%/*}/$db"
u="$(key_of "$("$talentd_bin" orgs create --name load --plan unlimited --database-url "$pg_url" --data-dir "$tmp/pg")")"
l="$(key_of "$("$talentd_bin" orgs create --name burst --plan enterprise --database-url "$pg_url" --data-dir "$tmp/pg")")"
a="$(start pg-a --role api --database-url "$pg_url" --data-dir "$tmp/pg-a")"
b="$(start pg-b --role api --database-url "$pg_url" --data-dir "$tmp/pg-b")"
run postgres "$a,$b" "$u" "$l" >/dev/null
stop_all

# --- 3. the same with Redis ----------------------------------------------------------
l="$(key_of "$("$talentd_bin" orgs create --name burst-redis --plan enterprise --database-url "$pg_url" --data-dir "$tmp/pg")")"
a="$(start redis-a --role api --database-url "$pg_url" --data-dir "$tmp/pg-a" --redis-url "$redis_url")"
b="$(start redis-b --role api --database-url "$pg_url" --data-dir "$tmp/pg-b" --redis-url "$redis_url")"
run redis "$a,$b" "$u" "$l" >/dev/null
stop_all

python3 - "$out_dir" "$seconds" <<'PY' | tee "$out_dir/load.txt"
import json, sys, os
out, seconds = sys.argv[1], sys.argv[2]
rows = [("baseline", "1 replica, SQLite, limits in memory"),
        ("postgres", "2 replicas, PostgreSQL, limits in PostgreSQL"),
        ("redis", "2 replicas, PostgreSQL, limits in Redis")]
data = {k: json.load(open(os.path.join(out, f"load-{k}.json"))) for k, _ in rows}
base = data["baseline"]["rps"]
print(f"GET /v1/projects, 32 connections, {seconds} s each; {os.cpu_count()} CPU cores, load generator on the same machine\n")
print(f"{'setup':46} {'req/s':>8} {'ratio':>6} {'p50 ms':>7} {'p99 ms':>7} {'errors':>6}  burst of 900 (limit 300)")
ok = True
for k, label in rows:
    d, b = data[k], data[k]["burst"]
    ok &= b["exact"] and d["errors"] == 0
    print(f"{label:46} {d['rps']:>8.0f} {d['rps']/base:>6.2f} {d['p50_ms']:>7.2f} {d['p99_ms']:>7.2f} {d['errors']:>6}  "
          f"{b['allowed']} allowed, {b['refused']} refused, {b['other']} other: {'exact' if b['exact'] else 'NOT EXACT'}")
sys.exit(0 if ok else 1)
PY
