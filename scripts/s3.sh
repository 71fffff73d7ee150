#!/usr/bin/env bash
# Makes sure an S3-compatible server answers for the tests: moto's server from PyPI on
# 127.0.0.1:9327 (installed and started if none answers), with the bucket
# `talentd-test`. Prints the endpoint.
set -euo pipefail

PORT="${TALENTD_TEST_S3_PORT:-9327}"
ENDPOINT="http://127.0.0.1:$PORT"

answers() {
  python3 - "$ENDPOINT" <<'PY' >/dev/null 2>&1
import sys, urllib.request
urllib.request.urlopen(sys.argv[1] + "/", timeout=2)
PY
}

if ! answers; then
  if ! python3 -c "import moto.server, boto3" >/dev/null 2>&1; then
    echo "s3.sh: installing moto's S3 server" >&2
    python3 -m pip install --quiet --disable-pip-version-check "moto[server]" >&2
  fi
  echo "s3.sh: starting an S3-compatible server on $ENDPOINT" >&2
  nohup python3 -m moto.server -H 127.0.0.1 -p "$PORT" >/tmp/talentd-test-s3.log 2>&1 &
  for _ in $(seq 1 60); do
    answers && break
    sleep 0.5
  done
  answers || { echo "s3.sh: the S3 server did not come up (see /tmp/talentd-test-s3.log)" >&2; exit 1; }
fi
python3 - "$ENDPOINT" <<'PY' >&2
import sys, boto3
s3 = boto3.client("s3", endpoint_url=sys.argv[1], region_name="us-east-1",
                  aws_access_key_id="talentd", aws_secret_access_key="talentd-secret")
if "talentd-test" not in [b["Name"] for b in s3.list_buckets().get("Buckets", [])]:
    s3.create_bucket(Bucket="talentd-test")
PY
echo "$ENDPOINT"
