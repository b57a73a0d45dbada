package io.streamgrad.learn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The delayed-label counters: their percentile, and their place (tag 9) in the checkpoint. */
class LabelStatsTest {
  private static Learner waiting() {
    return Learner.create(
        ModelFile.parse(
            "{\"model\": \"m\", \"layers\": [{\"in\": 2, \"out\": 3, \"activation\": \"tanh\"},"
                + " {\"in\": 3, \"out\": 2, \"activation\": \"softmax\"}], \"loss\": \"softmax_ce\","
                + " \"label_wait_ms\": 1000}"),
        StatsSettings.DEFAULT);
  }

  @Test
  void shouldGiveExactPercentilesBelowEightMsAndWithinAnEighthAbove() {
    LabelStats stats = new LabelStats();
    for (long delay = 1; delay <= 100; delay++) {
      stats.recordApplied(delay);
    }
    assertEquals(50.5, stats.meanDelayMs(), 0.0);
    assertEquals(5.0, of(1, 2, 3, 4, 5, 6, 7).delayPercentileMs(0.7), 0.0);
    double p99 = stats.delayPercentileMs(0.99);
    assertTrue(p99 >= 99 && p99 <= 99 * 1.125, "p99 of 1..100 ms: " + p99);
    assertEquals(100.0, stats.delayPercentileMs(1.0), 0.0, "never above the largest delay");
  }

  @Test
  void shouldKeepTheLabelCountsAcrossACheckpointAndLeaveThemOutWhileEmpty() {
    Learner learner = waiting();
    byte[] empty = LearnerCodec.encode(learner);
    assertFalse(containsSection(empty, 9), "no section 9 while nothing was counted: today's bytes");
    Sample sample = new Sample("a", new double[] {0.5, -0.5}, null, 0);
    LearnResult result = learner.learn(sample);
    learner.learnLabel(
        learner.served(sample, result, 10), new Label("a", new double[] {1}, 0), 250);
    learner.labelStats().recordExpired();
    learner.labelStats().recordDropped();

    Learner restored = LearnerCodec.decode(LearnerCodec.encode(learner));
    assertEquals(1, restored.labelStats().applied());
    assertEquals(1, restored.labelStats().expired());
    assertEquals(1, restored.labelStats().dropped());
    assertEquals(250.0, restored.labelStats().meanDelayMs(), 0.0);
    assertArrayEquals(LearnerCodec.encode(learner), LearnerCodec.encode(restored));
  }

  private static boolean containsSection(byte[] state, int tag) {
    java.nio.ByteBuffer in =
        java.nio.ByteBuffer.wrap(state).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    in.position(4);
    while (in.hasRemaining()) {
      int t = in.getInt();
      int length = in.getInt();
      if (t == tag) {
        return true;
      }
      in.position(in.position() + length);
    }
    return false;
  }

  private static LabelStats of(long... delays) {
    LabelStats stats = new LabelStats();
    for (long delay : delays) {
      stats.recordApplied(delay);
    }
    return stats;
  }
}
