#!/usr/bin/env bash
# Debian packages talentd needs: cmake to build the Opus decoder; with --tests also
# espeak-ng, sox and ffmpeg, which make the tests' recordings, and Festival with its
# Russian voice (espeak-ng's Russian is too rough for Whisper to recognise the
# language), and Chromium with its WebDriver, which drive the candidate page. Installs
# only what is missing.
set -euo pipefail

need=()
command -v cmake >/dev/null 2>&1 || need+=(cmake)
command -v pkg-config >/dev/null 2>&1 || need+=(pkg-config)
if [ "${1:-}" = "--tests" ]; then
  command -v espeak-ng >/dev/null 2>&1 || need+=(espeak-ng)
  command -v sox >/dev/null 2>&1 || need+=(sox)
  command -v ffmpeg >/dev/null 2>&1 || need+=(ffmpeg)
  command -v text2wave >/dev/null 2>&1 || need+=(festival)
  [ -d /usr/share/festival/voices/russian/msu_ru_nsh_clunits ] || need+=(festvox-ru)
  command -v chromium >/dev/null 2>&1 || need+=(chromium)
  command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)
fi
if [ "${#need[@]}" -gt 0 ]; then
  echo "system-packages.sh: installing ${need[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
