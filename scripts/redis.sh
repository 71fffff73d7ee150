#!/usr/bin/env bash
# Makes sure a Redis server answers on 127.0.0.1:6379: uses the one running, else
# installs Debian's and starts it (in memory only). Prints the URL the tests use.
set -euo pipefail

URL="${TALENTD_TEST_REDIS_URL:-redis://127.0.0.1:6379}"

answers() {
  command -v redis-cli >/dev/null 2>&1 && [ "$(redis-cli -u "$URL" ping 2>/dev/null)" = "PONG" ]
}

if answers; then
  echo "$URL"
  exit 0
fi

echo "redis.sh: no Redis answers at $URL; installing and starting one" >&2
if ! command -v redis-server >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq >&2
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends redis-server >&2
fi
redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
  --dir /tmp --logfile /tmp/talentd-test-redis.log >&2
for _ in $(seq 1 30); do
  answers && break
  sleep 0.5
done
answers || { echo "redis.sh: Redis did not come up" >&2; exit 1; }
echo "$URL"
