#!/usr/bin/env bash
# Times retention planning and expiry for 2,000 backups (4,000 objects) in S3Proxy (filesystem back end).
# Usage: bench/retention-expiry.sh [backups]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B test -Dtest=ExpiryBenchmark -Dbench=true -Dbench.backups="${1:-2000}" -Dsurefire.failIfNoSpecifiedTests=false \
  | grep -E '^BENCH'
