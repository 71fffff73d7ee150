#!/usr/bin/env bash
# Speech-to-text speed, memory and accuracy of talentd next to faster-whisper.
#
#   bash bench/stt.sh
#   BENCH_STT_MODELS="tiny.en" bash bench/stt.sh
#
# Makes a five-minute English interview recording with espeak-ng (two voices: an
# interviewer and a candidate, from the fixed script below; 16 kHz mono wav plus an
# mp3 of it; cached in bench/out/stt/). Then, for each Whisper model in
# BENCH_STT_MODELS (default "tiny.en base"; folders whisper-<model> under
# ${TALENTD_MODELS_DIR:-models}, see scripts/fetch-models.sh), transcribes that wav
# with
#   - talentd: the talentd-stt example `transcribe` (release build), and
#   - faster-whisper 1.2.1 (bench/stt_baseline.py, in a virtualenv at bench/out/venv)
#     on the same CTranslate2 files: CPU, float32, 2 threads, greedy (beam 1, with
#     Whisper's temperature fallback, as talentd does), timestamps on, no VAD, no
#     conditioning on previous text,
# both told the language is English, both under /usr/bin/time -v (wall time, peak
# RSS). Transcribe time excludes model load: each engine times it on its own
# (talentd's summary line `... | load L s | transcribe T s | RTF R`). Word error rate
# is against the script text after normalising case, punctuation and numbers. Prints a table with the targets (RTF <= 0.3 with
# base; talentd within 1.5x of faster-whisper) and writes it to bench/out/stt.txt
# (each run's raw output beside it, in bench/out/stt/).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
models="${BENCH_STT_MODELS:-tiny.en base}"
models_dir="${TALENTD_MODELS_DIR:-$root/models}"
target_dir="${CARGO_TARGET_DIR:-$root/target}"
out_dir="$root/bench/out"
work="$out_dir/stt"
venv="$out_dir/venv"
threads=2
target_seconds=300
faster_whisper_version="1.2.1"
mkdir -p "$work"

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'bench: %s\n' "$*" >&2; exit 1; }

# --- tools -----------------------------------------------------------------------
if [ ! -x /usr/bin/time ]; then
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null 2>&1 || die "/usr/bin/time is missing and cannot be installed without root (apt-get install time)"
        sudo="sudo"
    fi
    log "installing time"
    if ! DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq time >/dev/null 2>&1; then
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq time >/dev/null
    fi
fi
[ -x /usr/bin/time ] || die "/usr/bin/time is not available"
for tool in espeak-ng ffmpeg ffprobe python3 cargo sha256sum; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool is required"
done

# --- 1. the test recording -------------------------------------------------------
# One turn a line: "Q <text>" is the interviewer (en-us+m3), "A <text>" the candidate
# (en-gb+f4). Numbers are written out and spellings differ nowhere between British and
# American English, so that a correct transcript matches the script word for word.
# When the turns are shorter than the target they are spoken again from the top.
read -r -d '' interview <<'EOF' || true
Q Good morning, and thank you for joining us today. Could you start by telling me a little about yourself and your current role?
A Of course. I work as a backend engineer at a small company that builds software for hospitals. Most of my time goes into the services that move patient records between clinics, and I also look after our deployment pipeline. Before that I spent three years at a bank, where I learned how much care it takes to change a system that people rely on every day.
Q What made you apply for this position?
A I read about the product your team is building, and it sounded like the kind of problem I enjoy. You work with a lot of data that arrives from many places, and it has to be correct before anyone can trust it. I would also like to join a larger team, where I can learn from people with more experience than I have.
Q Tell me about a project you are proud of.
A Last year we replaced an old message queue that kept losing data during busy periods. I wrote a short proposal, built a small prototype over two weeks, and then measured it against the old system with real traffic. The new design was simpler and much faster. We moved every service across in about four months without a single outage, and the night shift stopped getting calls about missing records.
Q How do you handle disagreements with colleagues about technical decisions?
A I try to find out what the other person is worried about first. Very often we want the same thing and simply weigh the risks differently. If we still disagree, I suggest a small experiment that can settle the question with evidence rather than opinion. When the decision is made, I support it fully, even if it was not the option I wanted.
Q Describe a time when something went wrong in production.
A One Friday evening a change to our database indexes made the main search page very slow. I was on call, so I rolled the change back within twenty minutes, and then I wrote a clear summary for the team. On Monday we held a short review without blame. We added a load test to the release checklist, and that kind of problem has not happened again.
Q How do you keep your skills up to date?
A I read the release notes of the tools we depend on, and I try one new thing each month in a small side project. I also give short talks to my team, because explaining an idea to other people shows me quickly where my own understanding is weak.
Q What kind of manager helps you do your best work?
A Someone who explains the goal and the reasons behind it, and then trusts me to find the way there. I like regular feedback, both good and bad, and I appreciate a manager who protects the team from too many meetings.
Q Where do you see yourself in a few years?
A I would like to lead the design of a larger system and help newer engineers grow. I do not need a big title, but I would enjoy being the person others come to when a problem is hard and nobody is sure where to start.
Q How do you decide what to work on first when everything feels urgent?
A I ask which task blocks other people, and I start there. Then I look at what would cause the most harm if it waited another day. I write the list down and share it with my manager, so that we agree on the order before I begin.
Q What do you do when you join a team and the code is hard to understand?
A I read the tests before the code, because they show what the authors expected. I draw a simple map of how requests flow through the system, and I ask someone to check it. Then I pick a small bug to fix, which teaches me the build, the review process and the people, all in one week.
Q How do you make sure that the software you write is easy to maintain?
A I keep functions short and give things honest names, so that the next reader does not have to guess. I write tests for the cases that matter most to users, and I remove code that nobody uses. When a part of the system confuses me, I leave a short note that explains why it works the way it does.
Q Tell me about a time you had to learn something new very quickly.
A When our team took over a mobile app from another group, none of us had written one before. I spent the first weekend reading the guides and building a tiny app of my own. By the end of the month I was fixing real bugs, and I wrote a short guide so that the rest of the team could learn faster than I did.
Q Do you have any questions for us?
A Yes, two questions. How does the team share knowledge between projects, and what would success look like for this role after the first six months?
Q Those are good questions. We write design notes for every larger change and review them together each week. After six months we would hope that you own one service completely and help plan the next quarter.
A That sounds very reasonable. Thank you for your time today, I have enjoyed this conversation.
EOF

wav="$work/interview.wav"
mp3="$work/interview.mp3"
reference="$work/interview.txt"
stamp="$work/interview.stamp"
recipe="v1 target=${target_seconds}s voices=en-us+m3,en-gb+f4 gap=0.6s $(espeak-ng --version | head -n1)"
key="$(printf '%s\n%s\n' "$recipe" "$interview" | sha256sum | awk '{print $1}')"

if [ -f "$wav" ] && [ -f "$mp3" ] && [ -f "$reference" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$key" ]; then
    log "reusing the test recording $wav"
else
    log "making the test recording (espeak-ng, about ${target_seconds} s)"
    rm -f "$wav" "$mp3" "$reference" "$stamp"
    turns="$work/turns"
    rm -rf "$turns"
    mkdir -p "$turns"
    mapfile -t lines <<<"$interview"
    durations=()
    # Each distinct turn once: 16 kHz mono, 0.6 s of silence after it.
    for i in "${!lines[@]}"; do
        line="${lines[$i]}"
        case "$line" in
            "Q "*) voice="en-us+m3" ;;
            "A "*) voice="en-gb+f4" ;;
            *) die "interview line $((i + 1)) starts with neither 'Q ' nor 'A '" ;;
        esac
        espeak-ng -v "$voice" -w "$turns/raw-$i.wav" "${line:2}"
        ffmpeg -nostdin -v error -y -i "$turns/raw-$i.wav" -af "apad=pad_dur=0.6" \
            -ar 16000 -ac 1 -c:a pcm_s16le -map_metadata -1 -bitexact "$turns/turn-$i.wav"
        durations+=("$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$turns/turn-$i.wav")")
    done
    # Turns in order (from the top again when needed) while another one brings the
    # total closer to the target.
    : >"$turns/list.txt"
    : >"$reference"
    total=0
    n=0
    i=0
    while :; do
        d="${durations[$i]}"
        closer="$(awk -v t="$total" -v d="$d" -v g="$target_seconds" 'BEGIN {
            a = g - t; if (a < 0) a = -a
            b = g - t - d; if (b < 0) b = -b
            print (b < a) ? 1 : 0 }')"
        [ "$closer" = 1 ] || break
        printf "file '%s'\n" "$turns/turn-$i.wav" >>"$turns/list.txt"
        printf '%s\n' "${lines[$i]:2}" >>"$reference"
        total="$(awk -v t="$total" -v d="$d" 'BEGIN { printf "%.3f", t + d }')"
        n=$((n + 1))
        i=$(((i + 1) % ${#lines[@]}))
    done
    [ "$n" -gt 0 ] || die "no turn fits the target of ${target_seconds} s"
    ffmpeg -nostdin -v error -y -f concat -safe 0 -i "$turns/list.txt" \
        -ar 16000 -ac 1 -c:a pcm_s16le -map_metadata -1 -bitexact "$wav"
    ffmpeg -nostdin -v error -y -i "$wav" -c:a libmp3lame -b:a 64k \
        -map_metadata -1 -bitexact "$mp3"
    rm -rf "$turns"
    printf '%s\n' "$key" >"$stamp"
    log "recorded $n turns, ${total} s"
fi
audio_seconds="$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$wav")"
log "test recording: $wav (${audio_seconds} s; $(wc -w <"$reference") words), $mp3"

# --- 2. faster-whisper -----------------------------------------------------------
fw_ok() {
    "$venv/bin/python" -c '
import importlib.metadata, sys
sys.exit(importlib.metadata.version("faster-whisper") != sys.argv[1])
' "$faster_whisper_version" 2>/dev/null
}
if [ -x "$venv/bin/python" ] && fw_ok; then
    log "reusing faster-whisper $faster_whisper_version in $venv"
else
    log "installing faster-whisper $faster_whisper_version into $venv"
    rm -rf "$venv"
    python3 -m venv "$venv" || die "python3 -m venv failed (Debian: apt-get install python3-venv)"
    "$venv/bin/python" -m pip install -q "faster-whisper==$faster_whisper_version" ||
        die "pip could not install faster-whisper==$faster_whisper_version"
    fw_ok || die "faster-whisper $faster_whisper_version is not importable from $venv"
fi

# --- 3. talentd ------------------------------------------------------------------
log "building the talentd-stt example transcribe (release)"
cargo build --release -p talentd-stt --example transcribe
transcribe_bin="$target_dir/release/examples/transcribe"
[ -x "$transcribe_bin" ] || die "missing $transcribe_bin"

# candle sizes its thread pool from RAYON_NUM_THREADS: the same 2 threads as
# faster-whisper's cpu_threads.
export RAYON_NUM_THREADS="$threads"

# peak_rss_mb FILE / wall_seconds FILE: from /usr/bin/time -v output.
peak_rss_mb() {
    awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024; found = 1 }
        END { exit !found }' "$1" || die "no peak RSS in $1"
}
wall_seconds() {
    awk -F': ' '/Elapsed \(wall clock\) time/ {
            n = split($2, p, ":"); s = 0
            for (i = 1; i <= n; i++) s = s * 60 + p[i]
            printf "%.3f", s; found = 1 }
        END { exit !found }' "$1" || die "no wall time in $1"
}
# value KEY FILE: the number after "KEY=" in FILE.
value() {
    sed -nE "s/^$1=([0-9.]+)\$/\\1/p" "$2" | tail -n1 | grep . || die "no $1= line in $2"
}
# wer_of HYPOTHESIS: "wer errors words" against the script text.
wer_of() {
    python3 bench/stt_baseline.py wer "$reference" "$1" |
        sed -nE 's/^wer=([0-9.]+) errors=([0-9]+) words=([0-9]+)$/\1 \2 \3/p' | grep . ||
        die "cannot score $1"
}

# talentd_timing OUTPUT: "transcribe_seconds load_seconds" from the example's
# summary line (`model M | language L | audio A s | load L s | transcribe T s | RTF R`),
# or nothing when it has none. Fields are found by name, so their order may change.
talentd_timing() {
    python3 - "$1" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8", errors="replace").read()
for line in reversed(text.splitlines()):
    t = re.search(r"(?:^|\|)\s*transcribe\s+([0-9]*\.?[0-9]+)\s*s\b", line)
    if t:
        l = re.search(r"(?:^|\|)\s*load\s+([0-9]*\.?[0-9]+)\s*s\b", line)
        print(t.group(1), l.group(1) if l else "-")
        break
PY
}

load_at_start="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"
rows=()
for model in $models; do
    dir="$models_dir/whisper-$model"
    [ -f "$dir/model.bin" ] || die "missing $dir/model.bin (run scripts/fetch-models.sh)"

    log "talentd, $model"
    t_out="$work/talentd-$model.out"
    t_time="$work/talentd-$model.time"
    /usr/bin/time -v -o "$t_time" "$transcribe_bin" "$dir" "$wav" en >"$t_out" 2>"$t_out.err" ||
        die "talentd transcribe failed on $model: $(tail -n 20 "$t_out.err")"
    python3 bench/stt_baseline.py talentd-text "$t_out" "$work/talentd-$model.txt" >/dev/null ||
        die "cannot read the transcript in $t_out"
    t_wall="$(wall_seconds "$t_time")"
    t_rss="$(peak_rss_mb "$t_time")"
    t_timing="$(talentd_timing "$t_out")"
    if [ -n "$t_timing" ]; then
        read -r t_secs t_load <<<"$t_timing"
    else
        t_secs="$t_wall"
        t_load="-"
        log "warning: no '| transcribe T s |' in $t_out; using wall time (model load included)"
    fi
    t_score="$(wer_of "$work/talentd-$model.txt")"
    read -r t_wer _ _ <<<"$t_score"

    log "faster-whisper, $model"
    f_out="$work/faster-whisper-$model.out"
    f_time="$work/faster-whisper-$model.time"
    /usr/bin/time -v -o "$f_time" "$venv/bin/python" bench/stt_baseline.py transcribe \
        "$dir" "$wav" "$work/faster-whisper-$model.txt" --threads "$threads" \
        >"$f_out" 2>"$f_out.err" ||
        die "faster-whisper failed on $model: $(tail -n 20 "$f_out.err")"
    f_wall="$(wall_seconds "$f_time")"
    f_rss="$(peak_rss_mb "$f_time")"
    f_secs="$(value transcribe_seconds "$f_out")"
    f_load="$(value load_seconds "$f_out")"
    f_score="$(wer_of "$work/faster-whisper-$model.txt")"
    read -r f_wer _ _ <<<"$f_score"

    rows+=("$model talentd $t_secs $t_load $t_wall $t_rss $t_wer")
    rows+=("$model faster-whisper $f_secs $f_load $f_wall $f_rss $f_wer")
done

# --- report ----------------------------------------------------------------------
{
    printf 'speech to text, %.1f s of espeak-ng English (%s words); %s threads; %s CPU cores; load average at start %s; %s\n\n' \
        "$audio_seconds" "$(wc -w <"$reference" | tr -d ' ')" "$threads" "$(nproc)" \
        "$load_at_start" "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
    printf '%-8s %-15s %8s %13s %7s %7s %7s %12s %7s\n' \
        "model" "engine" "audio s" "transcribe s" "RTF" "load s" "wall s" "peak RSS MB" "WER"
    for row in "${rows[@]}"; do
        read -r model engine secs load wall rss wer <<<"$row"
        awk -v m="$model" -v e="$engine" -v a="$audio_seconds" -v s="$secs" -v l="$load" \
            -v w="$wall" -v r="$rss" -v x="$wer" 'BEGIN {
                printf "%-8s %-15s %8.1f %13.2f %7.3f %7s %7.2f %12d %6.1f%%\n",
                    m, e, a, s, s / a, l, w, r, x * 100 }'
    done
    printf '\n'
    for model in $models; do
        t_secs=""
        f_secs=""
        for row in "${rows[@]}"; do
            read -r m engine secs _ <<<"$row"
            [ "$m" = "$model" ] || continue
            case "$engine" in
                talentd) t_secs="$secs" ;;
                faster-whisper) f_secs="$secs" ;;
            esac
        done
        awk -v m="$model" -v t="$t_secs" -v f="$f_secs" -v a="$audio_seconds" 'BEGIN {
            ratio = t / f
            printf "%-8s talentd / faster-whisper transcribe time: %.2f  (target <= 1.5: %s)\n",
                m, ratio, ratio <= 1.5 ? "met" : "missed"
            if (m == "base")
                printf "%-8s talentd RTF: %.3f  (target <= 0.3: %s)\n",
                    m, t / a, t / a <= 0.3 ? "met" : "missed"
        }'
    done
} | tee "$out_dir/stt.txt"
