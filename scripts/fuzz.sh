#!/usr/bin/env bash
# Fuzzes the transcript parsers (WebVTT, SRT, `Speaker: text` lines, JSON segments) with
# cargo-fuzz and libFuzzer, one target after the other, each in one process for SECONDS
# (default 60). Prints each target's executions and findings; a finding's input is kept
# under fuzz/artifacts/<target>/ and the script exits 1.
#
#   scripts/fuzz.sh [SECONDS]
#   FUZZ_TARGETS="transcript_vtt" FUZZ_SANITIZER=none scripts/fuzz.sh 300
#
# Works on a stable toolchain: RUSTC_BOOTSTRAP=1 lets cargo-fuzz pass its `-Z` flags
# (the sanitizer runtimes ship with stable too). The corpus grows in fuzz/corpus/ from
# the seeds in fuzz/seeds/ and the interview transcripts of the analysis tests.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

secs="${1:-60}"
targets="${FUZZ_TARGETS:-transcript_text transcript_vtt transcript_srt transcript_json}"
sanitizer="${FUZZ_SANITIZER:-address}"

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "fuzz.sh: installing cargo-fuzz" >&2
  cargo install cargo-fuzz --locked
fi
export RUSTC_BOOTSTRAP=1

# Seeds: the format examples, and every text transcript the tests use.
for t in $targets; do
  mkdir -p "fuzz/corpus/$t" "fuzz/artifacts/$t" "fuzz/logs"
  cp -n "fuzz/seeds/$t"/* "fuzz/corpus/$t/" 2>/dev/null || true
done
if [[ " $targets " == *" transcript_text "* ]]; then
  cp -n crates/analysis/tests/data/interviews/*.txt fuzz/corpus/transcript_text/ 2>/dev/null || true
fi

# Debug assertions on: an arithmetic overflow is a finding too.
for t in $targets; do
  cargo fuzz build -a -s "$sanitizer" "$t"
done

failed=0
summary=()
for t in $targets; do
  log="fuzz/logs/$t.log"
  before=$(ls "fuzz/artifacts/$t" | wc -l)
  echo "fuzz.sh: $t for ${secs}s" >&2
  set +e
  cargo fuzz run -a -s "$sanitizer" "$t" "$root/fuzz/corpus/$t" -- \
    -max_total_time="$secs" -dict="$root/fuzz/transcript.dict" -max_len=16384 \
    -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$root/fuzz/artifacts/$t/" >"$log" 2>&1
  rc=$?
  set -e
  execs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | tail -n 1 | awk '{print $2}')
  cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+' "$log" | tail -n 1)
  after=$(ls "fuzz/artifacts/$t" | wc -l)
  findings=$((after - before))
  if [[ $rc -ne 0 && $findings -eq 0 ]]; then
    findings=1 # stopped without leaving an input: see the log
  fi
  [[ $findings -gt 0 ]] && failed=1
  summary+=("$(printf '%-16s executions %-10s findings %-3s %s' "$t" "${execs:-?}" "$findings" "${cov:-}")")
  if [[ $findings -gt 0 ]]; then
    tail -n 40 "$log" >&2
  fi
done

echo
echo "fuzz.sh: ${secs}s per target, sanitizer $sanitizer (logs in fuzz/logs/)"
printf '%s\n' "${summary[@]}"
ls fuzz/artifacts/*/ 2>/dev/null | grep -E '^(crash|timeout|oom|leak|slow-unit)-' >/dev/null \
  && { echo "inputs of findings:"; find fuzz/artifacts -type f | sort; }
exit "$failed"
