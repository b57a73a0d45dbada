package io.streamgrad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamgrad.service.ExitCodes;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

/** The accounting behind produce and load, fed the callbacks a producer would call. */
class DeliveriesTest {
  private static final RecordMetadata ACK =
      new RecordMetadata(new TopicPartition("t", 0), 0, 0, 0, 0, 0);

  private static String report(Deliveries deliveries, int[] code) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    code[0] = deliveries.report(new PrintStream(out, true, StandardCharsets.UTF_8), "samples");
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void shouldPrintEachCauseOnceWithItsCount() {
    Deliveries deliveries = new Deliveries();
    deliveries.onCompletion(ACK, null);
    for (int i = 0; i < 1000; i++) {
      deliveries.onCompletion(null, new RecordTooLargeException("too large"));
    }
    deliveries.onCompletion(null, new TimeoutException("expired"));
    int[] code = new int[1];

    String said = report(deliveries, code);

    assertEquals(ExitCodes.FAILURE, code[0], said);
    assertTrue(said.contains("1000 failed: RecordTooLargeException: too large"), said);
    assertTrue(said.contains("1 failed: TimeoutException: expired"), said);
    assertEquals(3, said.lines().count(), "one line per cause: " + said);
  }

  @Test
  void shouldSayUnreachableWhenNothingArrivedForWantOfABroker() {
    Deliveries deliveries = new Deliveries();
    deliveries.onCompletion(null, new TimeoutException("expired"));
    int[] code = new int[1];

    String said = report(deliveries, code);

    assertEquals(ExitCodes.UNREACHABLE, code[0], said);
  }
}
