#!/usr/bin/env bash
# Starts, stops or reports a local three-node Apache Kafka cluster (KRaft; each node broker and
# controller) on loopback, without Docker, from the jar the build made (Kafka's broker is inside it;
# run `mvn -B -q package -DskipTests` once). Every topic gets replication factor 3 and
# min.insync.replicas=2 by default, the internal ones too: the layout of a production cluster, to
# try failover on a laptop.
#   ops/cluster.sh start          # prints the bootstrap string as its last line
#   ops/cluster.sh status
#   ops/cluster.sh kill-broker N  # SIGKILL of node N (1..3); `start` brings it back
#   ops/cluster.sh stop           # data kept in $KAFKA_CLUSTER_DIR; delete it to start afresh
# Ports: node N listens for clients on $KAFKA_CLUSTER_PORT+N-1 (default 19092..19094) and for the
# controller quorum on $KAFKA_CLUSTER_CONTROLLER_PORT+N-1 (default 19192..19194).
set -euo pipefail
cd "$(dirname "$0")/.."
BASE_PORT=${KAFKA_CLUSTER_PORT:-19092}
BASE_CONTROLLER_PORT=${KAFKA_CLUSTER_CONTROLLER_PORT:-19192}
DIR=${KAFKA_CLUSTER_DIR:-/tmp/streamgrad-cluster}
CP="target/streamgrad.jar"
NODES="1 2 3"

[ -f "$CP" ] || { echo "build first: mvn -B -q package -DskipTests" >&2; exit 2; }

port() { echo $((BASE_PORT + $1 - 1)); }
controller_port() { echo $((BASE_CONTROLLER_PORT + $1 - 1)); }
pid_file() { echo "$DIR/node-$1.pid"; }
running() { [ -f "$(pid_file "$1")" ] && kill -0 "$(cat "$(pid_file "$1")")" 2>/dev/null; }
bootstrap() {
  local servers=""
  for n in $NODES; do servers="${servers:+$servers,}127.0.0.1:$(port "$n")"; done
  echo "$servers"
}

write_config() {
  local n=$1 voters=""
  for v in $NODES; do voters="${voters:+$voters,}$v@127.0.0.1:$(controller_port "$v")"; done
  cat > "$DIR/node-$n.properties" <<PROPS
process.roles=broker,controller
node.id=$n
controller.quorum.voters=$voters
listeners=PLAINTEXT://127.0.0.1:$(port "$n"),CONTROLLER://127.0.0.1:$(controller_port "$n")
advertised.listeners=PLAINTEXT://127.0.0.1:$(port "$n")
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$DIR/data-$n
default.replication.factor=3
min.insync.replicas=2
offsets.topic.replication.factor=3
transaction.state.log.replication.factor=3
transaction.state.log.min.isr=2
share.coordinator.state.topic.replication.factor=3
share.coordinator.state.topic.min.isr=2
offsets.topic.num.partitions=3
transaction.state.log.num.partitions=3
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
broker.session.timeout.ms=4000
broker.heartbeat.interval.ms=1000
transaction.abort.timed.out.transaction.cleanup.interval.ms=1000
PROPS
}

case "${1:-}" in
  start)
    mkdir -p "$DIR"
    if [ ! -f "$DIR/cluster.id" ]; then
      java -cp "$CP" kafka.tools.StorageTool random-uuid > "$DIR/cluster.id"
    fi
    for n in $NODES; do
      running "$n" && continue
      write_config "$n"
      if [ ! -d "$DIR/data-$n" ]; then
        java -cp "$CP" kafka.tools.StorageTool format --cluster-id "$(cat "$DIR/cluster.id")" \
          --config "$DIR/node-$n.properties" >/dev/null
      fi
      nohup java -Xmx512m -cp "$CP" kafka.Kafka "$DIR/node-$n.properties" >> "$DIR/node-$n.log" 2>&1 &
      echo $! > "$(pid_file "$n")"
      echo "node $n started (pid $!), log $DIR/node-$n.log"
    done
    for n in $NODES; do
      for _ in $(seq 1 120); do
        if (exec 3<>/dev/tcp/127.0.0.1/"$(port "$n")") 2>/dev/null; then break; fi
        running "$n" || { echo "node $n exited; see $DIR/node-$n.log" >&2; exit 1; }
        sleep 0.5
      done
    done
    bootstrap
    ;;
  stop)
    for n in $NODES; do
      if running "$n"; then
        kill "$(cat "$(pid_file "$n")")"
      fi
    done
    for n in $NODES; do
      for _ in $(seq 1 60); do running "$n" || break; sleep 0.5; done
      rm -f "$(pid_file "$n")"
    done
    echo "cluster stopped (data kept in $DIR; delete it to start afresh)"
    ;;
  status)
    up=0
    for n in $NODES; do
      if running "$n"; then
        echo "node $n running (pid $(cat "$(pid_file "$n")")) on 127.0.0.1:$(port "$n")"; up=$((up + 1))
      else
        echo "node $n not running"
      fi
    done
    echo "$up of 3 nodes running; bootstrap $(bootstrap)"
    [ "$up" -gt 0 ]
    ;;
  kill-broker)
    n=${2:-}
    case "$n" in 1|2|3) ;; *) echo "usage: $0 kill-broker 1|2|3" >&2; exit 2 ;; esac
    if running "$n"; then
      kill -9 "$(cat "$(pid_file "$n")")"; rm -f "$(pid_file "$n")"
      echo "node $n killed (SIGKILL); \`$0 start\` brings it back"
    else
      echo "node $n is not running"; exit 1
    fi
    ;;
  *) echo "usage: $0 start|stop|status|kill-broker N" >&2; exit 2 ;;
esac
