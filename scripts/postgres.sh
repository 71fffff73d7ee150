#!/usr/bin/env bash
# Makes sure a PostgreSQL server answers on 127.0.0.1:5432 with trust authentication for
# local test connections: uses the one running, else installs Debian's and starts it.
# Prints the admin URL the tests create their throwaway databases through.
set -euo pipefail

URL="${TALENTD_TEST_PG_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}"

answers() {
  command -v psql >/dev/null 2>&1 && psql "$URL" -Atqc 'SELECT 1' >/dev/null 2>&1
}

if answers; then
  echo "$URL"
  exit 0
fi

echo "postgres.sh: no PostgreSQL answers at $URL; installing and starting one" >&2
if ! command -v pg_ctlcluster >/dev/null 2>&1 || ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql postgresql-client >&2
fi
version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
if ! pg_lsclusters -h 2>/dev/null | awk '{print $1" "$2}' | grep -q "^$version main$"; then
  pg_createcluster "$version" main >&2
fi
hba="/etc/postgresql/$version/main/pg_hba.conf"
# Tests connect over loopback without a password: trust loopback only.
if ! grep -qE '^host\s+all\s+all\s+127\.0\.0\.1/32\s+trust' "$hba"; then
  sed -i '/^host\s\+all\s\+all\s\+127\.0\.0\.1\/32/d' "$hba"
  sed -i '1i host all all 127.0.0.1/32 trust' "$hba"
fi
pg_ctlcluster --skip-systemctl-redirect "$version" main start >&2 2>/dev/null \
  || pg_ctlcluster --skip-systemctl-redirect "$version" main reload >&2
for _ in $(seq 1 30); do
  answers && break
  sleep 1
done
answers || { echo "postgres.sh: PostgreSQL did not come up" >&2; exit 1; }
echo "$URL"
