#!/usr/bin/env bash
# Creates Streamgrad's topics that are missing, with their settings: the samples and models topics
# with the same partition count (a model's spec and samples must meet in one task), the models
# topic compacted, size limits for big models and dead letters.
#   ops/create-topics.sh [BOOTSTRAP_SERVERS] [PARTITIONS] [REPLICATION_FACTOR]
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f target/streamgrad.jar ] || { echo "build first: mvn -B -q package -DskipTests" >&2; exit 2; }
exec java -jar target/streamgrad.jar topics --bootstrap-servers "${1:-127.0.0.1:9092}" \
  --partitions "${2:-1}" --replication-factor "${3:-1}"
