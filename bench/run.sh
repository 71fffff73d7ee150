#!/usr/bin/env bash
# Throughput and latency of talentd next to a bare axum server on the same machine.
#
#   bash bench/run.sh                  # 10 s per run
#   BENCH_SECONDS=30 bash bench/run.sh
#
# Runs `wrk -t1 -c32 --latency` first against `GET /hello` of the bare axum example
# (crates/api/examples/hello.rs), then against `GET /v1/projects/{id}` of
# `talentd serve` on SQLite (authenticated, on the unlimited plan, so no request is
# rate-limited). Prints requests/s, p50 and p99 for both and their ratio, and writes
# the table to bench/out/latest.txt (raw wrk output beside it).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
seconds="${BENCH_SECONDS:-10}"
target_dir="${CARGO_TARGET_DIR:-$root/target}"
out_dir="$root/bench/out"
mkdir -p "$out_dir"

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'bench: %s\n' "$*" >&2; exit 1; }

# --- wrk -------------------------------------------------------------------------
if ! command -v wrk >/dev/null 2>&1; then
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null 2>&1 || die "wrk is missing and cannot be installed without root (apt-get install wrk)"
        sudo="sudo"
    fi
    log "installing wrk"
    if ! DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq wrk >/dev/null 2>&1; then
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq wrk >/dev/null
    fi
fi
command -v wrk >/dev/null 2>&1 || die "wrk is not available"
command -v curl >/dev/null 2>&1 || die "curl is required"
command -v python3 >/dev/null 2>&1 || die "python3 is required"

# --- build -----------------------------------------------------------------------
log "building release binaries"
cargo build --release -p talentd
cargo build --release -p talentd-api --example hello
talentd_bin="$target_dir/release/talentd"
hello_bin="$target_dir/release/examples/hello"
[ -x "$talentd_bin" ] || die "missing $talentd_bin"
[ -x "$hello_bin" ] || die "missing $hello_bin"

# --- servers, always stopped -----------------------------------------------------
tmp="$(mktemp -d)"
pids=()
cleanup() {
    local pid
    for pid in "${pids[@]+"${pids[@]}"}"; do
        if kill -0 "$pid" 2>/dev/null; then
            kill -TERM "$pid" 2>/dev/null || true
            wait "$pid" 2>/dev/null || true
        fi
    done
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# wait_for_line LOG PID PATTERN: waits (30 s at most) for a line of LOG matching the
# extended regex PATTERN while process PID lives; prints the first match.
wait_for_line() {
    local file="$1" pid="$2" pattern="$3" i line
    for ((i = 0; i < 300; i++)); do
        if line="$(grep -E -m1 "$pattern" "$file" 2>/dev/null)"; then
            printf '%s\n' "$line"
            return 0
        fi
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    printf 'bench: no line matching /%s/ from pid %s; its output:\n' "$pattern" "$pid" >&2
    cat "$file" "$file.err" >&2 2>/dev/null || true
    return 1
}

stop() {
    local pid="$1"
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

# run_wrk NAME URL [wrk args...]: runs wrk, keeps its output as bench/out/NAME.wrk.txt
# and fails on any error response or socket error.
run_wrk() {
    local name="$1" url="$2"
    shift 2
    local file="$out_dir/$name.wrk.txt"
    log "wrk -t1 -c32 -d${seconds}s --latency $url"
    wrk -t1 -c32 -d"${seconds}s" --latency "$@" "$url" >"$file"
    cat "$file" >&2
    if grep -q 'Non-2xx or 3xx responses' "$file"; then
        die "$name: some responses were errors (see $file)"
    fi
    if grep -q 'Socket errors' "$file"; then
        log "warning: $name: wrk reported socket errors (see $file)"
    fi
}

# figures FILE: "requests/s p50_ms p99_ms" from wrk --latency output.
figures() {
    awk '
        function ms(v,   n, u) {
            n = v + 0
            u = v
            sub(/^[0-9.]+/, "", u)
            if (u == "us") return n / 1000
            if (u == "ms") return n
            if (u == "s") return n * 1000
            if (u == "m") return n * 60000
            if (u == "h") return n * 3600000
            return -1
        }
        $1 == "50%" { p50 = ms($2) }
        $1 == "99%" { p99 = ms($2) }
        $1 == "Requests/sec:" { rps = $2 }
        END {
            if (rps == "" || p50 == "" || p99 == "" || p50 < 0 || p99 < 0) exit 1
            printf "%s %.3f %.3f\n", rps, p50, p99
        }
    ' "$1" || die "cannot read the figures of $1"
}

# --- 1. bare axum ----------------------------------------------------------------
log "starting the bare axum example"
"$hello_bin" 127.0.0.1:0 >"$tmp/hello.log" 2>"$tmp/hello.log.err" &
hello_pid=$!
pids+=("$hello_pid")
hello_addr="$(wait_for_line "$tmp/hello.log" "$hello_pid" '^listening on ' | awk '{print $3}')"
hello_url="http://$hello_addr/hello"
curl -fsS --noproxy '*' "$hello_url" >/dev/null || die "GET $hello_url failed"
run_wrk hello "$hello_url"
stop "$hello_pid"
read -r hello_rps hello_p50 hello_p99 < <(figures "$out_dir/hello.wrk.txt")

# --- 2. talentd on SQLite --------------------------------------------------------
data="$tmp/talentd-data"
export TALENTD_DEMO=false
unset DATABASE_URL TALENTD_DATA_DIR TALENTD_LISTEN TALENTD_ROLE TALENTD_PUBLIC_URL
log "creating an organisation on the unlimited plan"
org_json="$("$talentd_bin" orgs create --name bench --plan unlimited --data-dir "$data")"
key="$(python3 -c 'import json, sys; print(json.loads(sys.argv[1])["api_key"])' "$org_json")"

log "starting talentd serve"
"$talentd_bin" serve --listen 127.0.0.1:0 --data-dir "$data" \
    >"$tmp/talentd.log" 2>"$tmp/talentd.log.err" &
talentd_pid=$!
pids+=("$talentd_pid")
talentd_addr="$(wait_for_line "$tmp/talentd.log" "$talentd_pid" '^talentd is listening on ' |
    sed -E 's|^talentd is listening on http://([^ ]+).*|\1|')"
base="http://$talentd_addr"

code="$(curl -sS --noproxy '*' -o "$tmp/project.json" -w '%{http_code}' \
    -X POST "$base/v1/projects" \
    -H "Authorization: Bearer $key" \
    -H 'Content-Type: application/json' \
    -d '{"project_name":"Bench","instructions":"Benchmark project"}')"
case "$code" in
    2??) ;;
    *) die "POST /v1/projects answered $code: $(cat "$tmp/project.json")" ;;
esac
project_id="$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["id"])' "$tmp/project.json")"
project_url="$base/v1/projects/$project_id"

code="$(curl -sS --noproxy '*' -o "$tmp/get.json" -w '%{http_code}' \
    -H "Authorization: Bearer $key" "$project_url")"
[ "$code" = 200 ] || die "GET /v1/projects/$project_id answered $code: $(cat "$tmp/get.json")"

run_wrk talentd "$project_url" -H "Authorization: Bearer $key"
stop "$talentd_pid"
read -r talentd_rps talentd_p50 talentd_p99 < <(figures "$out_dir/talentd.wrk.txt")

# --- report ----------------------------------------------------------------------
{
    printf 'wrk -t1 -c32 -d%ss --latency; %s CPU cores; %s\n\n' "$seconds" "$(nproc)" "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
    printf '%-42s %12s %9s %9s\n' "server" "requests/s" "p50 ms" "p99 ms"
    printf '%-42s %12.0f %9.3f %9.3f\n' "axum hello" "$hello_rps" "$hello_p50" "$hello_p99"
    printf '%-42s %12.0f %9.3f %9.3f\n' "talentd GET /v1/projects/{id} (SQLite)" \
        "$talentd_rps" "$talentd_p50" "$talentd_p99"
    printf '\nratio (talentd / hello requests/s): %s\n' \
        "$(awk -v a="$talentd_rps" -v b="$hello_rps" 'BEGIN { printf "%.2f", a / b }')"
} | tee "$out_dir/latest.txt"
