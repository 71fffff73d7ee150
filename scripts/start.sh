#!/usr/bin/env bash
# Fetches the models, builds talentd and runs it on the embedded SQLite default (./data). On first start it
# creates a demo organisation and prints its API key (once), the API base URL and the
# docs URL. Extra arguments go to `talentd serve` (e.g. --listen 0.0.0.0:8080).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-packages.sh
bash scripts/fetch-models.sh
cargo build --release -p talentd
exec target/release/talentd serve "$@"
