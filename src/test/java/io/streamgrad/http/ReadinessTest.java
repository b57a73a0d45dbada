package io.streamgrad.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.streamgrad.service.RestoreProgress.Restoring;
import java.util.List;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

class ReadinessTest {
  private static final Restoring MODELS_0 =
      new Restoring("streamgrad-learners", "app-streamgrad-learners-changelog", 0, 40, 100);

  @Test
  void shouldBeReadyWhenRunningAndNothingRestores() {
    Readiness.Answer answer = Readiness.of(KafkaStreams.State.RUNNING, List.of());
    assertEquals(200, answer.status());
    assertEquals("UP", answer.body().get("status").asText());
    assertEquals(0, answer.body().get("restoring").size());
  }

  @Test
  void shouldNotBeReadyWhileKafkaStreamsIsNotRunning() {
    Readiness.Answer answer = Readiness.of(KafkaStreams.State.REBALANCING, List.of());
    assertEquals(503, answer.status());
    assertEquals(503, answer.body().get("error_code").asInt());
    assertEquals("REBALANCING", answer.body().get("kafka_streams").asText());
    assertEquals("not ready: Kafka Streams is REBALANCING", answer.body().get("message").asText());
  }

  @Test
  void shouldNotBeReadyWhileTheStreamWaitsForTheSchemaRegistry() {
    String outage =
        "since 2026-01-01T00:00:00Z, schema registry unreachable looking up schema id 7";
    Readiness.Answer answer =
        Readiness.of(KafkaStreams.State.RUNNING, List.of(), java.util.Optional.of(outage));
    assertEquals(503, answer.status());
    assertEquals(outage, answer.body().get("schema_registry").asText());
    assertEquals(
        "not ready: waiting for the schema registry, " + outage,
        answer.body().get("message").asText());
  }

  @Test
  void shouldNameWhatRestoresWhileRunning() {
    Readiness.Answer answer = Readiness.of(KafkaStreams.State.RUNNING, List.of(MODELS_0));
    assertEquals(503, answer.status());
    var restoring = answer.body().get("restoring").get(0);
    assertEquals("streamgrad-learners", restoring.get("store").asText());
    assertEquals("app-streamgrad-learners-changelog", restoring.get("topic").asText());
    assertEquals(0, restoring.get("partition").asInt());
    assertEquals(40, restoring.get("restored").asLong());
    assertEquals(100, restoring.get("total").asLong());
  }
}
