#!/usr/bin/env bash
# A load generator: random labelled samples for N models at a fixed rate for a fixed time.
#   ops/load.sh [BOOTSTRAP_SERVERS] [MODELS] [SIZE] [RATE_PER_S] [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f target/streamgrad.jar ] || { echo "build first: mvn -B -q package -DskipTests" >&2; exit 2; }
exec java -jar target/streamgrad.jar load --bootstrap-servers "${1:-127.0.0.1:9092}" --models "${2:-4}" \
  --size "${3:-8-32-1}" --rate "${4:-1000}" --seconds "${5:-60}"
