package io.streamgrad.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamgrad.stream.StreamSettings;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.streams.errors.StreamsException;
import org.junit.jupiter.api.Test;

class AccessDeniedTest {
  private static final StreamSettings TOPICS = StreamSettings.defaults();

  private static String message(Throwable failure, String doing) {
    return AccessDenied.in(failure, "app", TOPICS, doing).orElseThrow().getMessage();
  }

  @Test
  void shouldNameReadOnTheGroupFoundAmongTheCauses() {
    var failure = new StreamsException(GroupAuthorizationException.forGroupId("app"));
    assertTrue(
        message(failure, null).startsWith("Kafka denied READ on group app ("),
        message(failure, null));
  }

  @Test
  void shouldNameReadOnAnInputTopicAndWriteOnAnOutputTopic() {
    assertTrue(
        message(new TopicAuthorizationException(Set.of(TOPICS.samplesTopic())), null)
            .startsWith("Kafka denied READ on topic " + TOPICS.samplesTopic()));
    assertTrue(
        message(new TopicAuthorizationException(Set.of(TOPICS.predictionsTopic())), null)
            .startsWith("Kafka denied WRITE on topic " + TOPICS.predictionsTopic()));
  }

  @Test
  void shouldNameTheOperationTheCallerWasDoing() {
    assertTrue(
        message(new TopicAuthorizationException(Set.of(TOPICS.lossTopic())), "CREATE")
            .startsWith("Kafka denied CREATE on topic " + TOPICS.lossTopic()));
  }

  @Test
  void shouldNameTheTransactionalIdPrefix() {
    assertTrue(
        message(new TransactionalIdAuthorizationException("denied"), null)
            .startsWith("Kafka denied WRITE on transactional id app-* (prefixed)"));
  }

  @Test
  void shouldFindNoDenialInAnotherFailure() {
    assertEquals(
        Optional.empty(),
        AccessDenied.in(new StreamsException(new TimeoutException("slow")), "app", TOPICS, null));
  }
}
