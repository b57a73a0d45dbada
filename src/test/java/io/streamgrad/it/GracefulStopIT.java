package io.streamgrad.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamgrad.learn.ModelFile;
import io.streamgrad.service.EmbeddedBroker;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM (what an orchestrator sends first) stops {@code run} cleanly and it leaves the consumer
 * group: the other instance takes its models over at once, not after the 45 s session timeout that
 * a silently vanished member costs.
 */
class GracefulStopIT {
  private static final String PREFIX = "graceful";

  /** The bound this test holds the takeover to: well under Kafka's session.timeout.ms of 45 s. */
  private static final Duration TAKEOVER_BOUND = Duration.ofSeconds(15);

  /** Service.close gives Kafka Streams 30 s; the process must be gone within that and a margin. */
  private static final Duration EXIT_BOUND = Duration.ofSeconds(35);

  @Test
  void shouldHandTheModelsOfAnInstanceStoppedWithSigtermToTheOtherWellBeforeTheSessionTimeout()
      throws Exception {
    try (EmbeddedBroker broker = EmbeddedBroker.start()) {
      Map<String, String> settings = new HashMap<>();
      settings.put("commit.interval.ms", "200");
      settings.put("topics.partitions", String.valueOf(CrashIT.PARTITIONS));
      for (String topic : List.of("samples", "models", "predictions", "loss", "dead-letters")) {
        settings.put("topic." + topic, PREFIX + "." + topic);
      }
      // Kafka's default session timeout (45 s) on purpose: only leaving the group is fast.
      ChildService stopped =
          new ChildService(broker.bootstrapServers(), PREFIX, settings, CrashIT.LOGS);
      ChildService survivor =
          new ChildService(broker.bootstrapServers(), PREFIX, settings, CrashIT.LOGS);
      try {
        stopped.start();
        survivor.start();
        stopped.awaitRunning(Duration.ofSeconds(60));
        survivor.awaitRunning(Duration.ofSeconds(60));
        ItSupport.publishCrashSpecsWithSamples(broker.bootstrapServers(), PREFIX, 20);
        Set<String> owned = awaitSplit(stopped, survivor, Duration.ofSeconds(90));
        assertFalse(owned.isEmpty(), "the instance to stop owns models");

        long start = System.nanoTime();
        int exit = stopped.terminate(EXIT_BOUND);
        Duration exited = Duration.ofNanos(System.nanoTime() - start);
        // 143 = 128 + SIGTERM: the JVM's exit status after it ran the shutdown hooks.
        assertEquals(143, exit, "exit status after SIGTERM; see " + stopped.log());
        assertTrue(
            Files.readString(stopped.log()).contains("left the consumer group"),
            "run closed Kafka Streams before it exited; see " + stopped.log());
        Set<String> waiting = new TreeSet<>(owned);
        long deadline = start + TAKEOVER_BOUND.toNanos();
        while (!waiting.isEmpty() && System.nanoTime() < deadline) {
          waiting.removeIf(model -> ownsModel(survivor, model));
          Thread.sleep(100);
        }
        Duration takenOver = Duration.ofNanos(System.nanoTime() - start);
        assertEquals(
            Set.of(),
            waiting,
            "models of the stopped instance the survivor did not serve within " + TAKEOVER_BOUND);
        System.out.printf(
            "GracefulStopIT: %d models taken over; SIGTERM to exit %d ms, to the survivor serving"
                + " them all %d ms%n",
            owned.size(), exited.toMillis(), takenOver.toMillis());
      } finally {
        stopped.stop();
        survivor.stop();
      }
    }
  }

  /** The models the first instance owns, once each model is served by exactly one of the two. */
  private static Set<String> awaitSplit(ChildService first, ChildService second, Duration timeout)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      Set<String> ownedByFirst = new TreeSet<>();
      int split = 0;
      for (String model : CrashIT.SPECS.keySet()) {
        boolean inFirst = ownsModel(first, model);
        if (inFirst != ownsModel(second, model)) {
          split++;
          if (inFirst) {
            ownedByFirst.add(model);
          }
        }
      }
      if (split == CrashIT.SPECS.size() && !ownedByFirst.isEmpty() && ownedByFirst.size() < split) {
        return ownedByFirst;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("the models were not split between the two instances");
  }

  /** Whether the instance answers for the model from its own tasks, without forwarding. */
  private static boolean ownsModel(ChildService instance, String model) {
    try {
      var response = instance.get("/models/" + model + "?scope=local");
      return response.statusCode() == 200 && ModelFile.parse(response.body()).model().equals(model);
    } catch (Exception notAnswering) {
      return false;
    }
  }
}
