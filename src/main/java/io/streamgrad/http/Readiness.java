package io.streamgrad.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamgrad.service.RestoreProgress.Restoring;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The answer of {@code GET /health/ready}: ready only when Kafka Streams is RUNNING and no store is
 * restoring, since until then the models it would serve are missing or behind. A pure function of
 * the state and the restores, so that it is tested without a broker.
 */
final class Readiness {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The status code and the JSON body to send. */
  record Answer(int status, ObjectNode body) {}

  private Readiness() {}

  static Answer of(KafkaStreams.State state, List<Restoring> restoring) {
    return of(state, restoring, Optional.empty());
  }

  /**
   * @param schemaRegistryOutage why the schema registry does not answer a lookup the stream waits
   *     for, or empty
   */
  static Answer of(
      KafkaStreams.State state, List<Restoring> restoring, Optional<String> schemaRegistryOutage) {
    boolean ready =
        state == KafkaStreams.State.RUNNING
            && restoring.isEmpty()
            && schemaRegistryOutage.isEmpty();
    ObjectNode body = JSON.createObjectNode();
    if (!ready) {
      // The error shape of every other error of the API, plus what a probe's reader needs.
      body.put("error_code", 503)
          .put(
              "message",
              state != KafkaStreams.State.RUNNING
                  ? "not ready: Kafka Streams is " + state
                  : !restoring.isEmpty()
                      ? "not ready: restoring " + restoring.size() + " store partition(s)"
                      : "not ready: waiting for the schema registry, "
                          + schemaRegistryOutage.get());
    }
    body.put("status", ready ? "UP" : "DOWN").put("kafka_streams", state.name());
    schemaRegistryOutage.ifPresent(outage -> body.put("schema_registry", outage));
    ArrayNode list = body.putArray("restoring");
    for (Restoring r : restoring) {
      list.addObject()
          .put("store", r.store())
          .put("topic", r.topic())
          .put("partition", r.partition())
          .put("restored", r.restored())
          .put("total", r.total());
    }
    return new Answer(ready ? 200 : 503, body);
  }
}
