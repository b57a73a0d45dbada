#!/usr/bin/env bash
# Starts, stops or reports a local single-node Apache Kafka broker (KRaft) without Docker, from the
# jar the build made (Kafka's broker is inside it; run `mvn -B -q package -DskipTests` once).
#   ops/broker.sh start   # PLAINTEXT on 127.0.0.1:${KAFKA_PORT:-9092}, data in ${KAFKA_DIR:-/tmp/streamgrad-kafka}
#   ops/broker.sh stop
#   ops/broker.sh status
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${KAFKA_PORT:-9092}
CONTROLLER_PORT=${KAFKA_CONTROLLER_PORT:-9093}
DIR=${KAFKA_DIR:-/tmp/streamgrad-kafka}
PID_FILE="$DIR/broker.pid"
CP="target/streamgrad.jar"

[ -f target/streamgrad.jar ] || { echo "build first: mvn -B -q package -DskipTests" >&2; exit 2; }

case "${1:-}" in
  start)
    if [ -f "$PID_FILE" ] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null; then
      echo "broker already running (pid $(cat "$PID_FILE")) on 127.0.0.1:$PORT"; exit 0
    fi
    mkdir -p "$DIR"
    cat > "$DIR/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:$CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$PORT
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$DIR/data
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
PROPS
    if [ ! -d "$DIR/data" ]; then
      java -cp "$CP" kafka.tools.StorageTool format --cluster-id "$(java -cp "$CP" kafka.tools.StorageTool random-uuid)" \
        --config "$DIR/server.properties" --standalone >/dev/null
    fi
    nohup java -Xmx1g -cp "$CP" kafka.Kafka "$DIR/server.properties" > "$DIR/broker.log" 2>&1 &
    echo $! > "$PID_FILE"
    for _ in $(seq 1 60); do
      if (exec 3<>/dev/tcp/127.0.0.1/"$PORT") 2>/dev/null; then
        echo "broker running (pid $(cat "$PID_FILE")) on 127.0.0.1:$PORT; log: $DIR/broker.log"; exit 0
      fi
      sleep 0.5
    done
    echo "broker did not open port $PORT in 30 s; see $DIR/broker.log" >&2; exit 1
    ;;
  stop)
    if [ -f "$PID_FILE" ] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null; then
      kill "$(cat "$PID_FILE")"
      for _ in $(seq 1 60); do kill -0 "$(cat "$PID_FILE")" 2>/dev/null || break; sleep 0.5; done
      rm -f "$PID_FILE"; echo "broker stopped (data kept in $DIR; delete it to start afresh)"
    else
      echo "no broker running"
    fi
    ;;
  status)
    if [ -f "$PID_FILE" ] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null; then
      echo "running (pid $(cat "$PID_FILE")) on 127.0.0.1:$PORT"
    else
      echo "not running"; exit 1
    fi
    ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
