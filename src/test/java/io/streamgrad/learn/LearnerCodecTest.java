package io.streamgrad.learn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class LearnerCodecTest {

  @Test
  void shouldContinueBitIdenticallyAfterARoundTrip() {
    Learner original = LearnerStateFixtures.adamClassifierMidMinibatch();
    Learner restored = LearnerCodec.decode(LearnerCodec.encode(original));
    assertSameLearner(original, restored);
    continueBoth(original, restored);
    assertSameLearner(original, restored);
  }

  @Test
  void shouldReadAStateWrittenInVersion1() throws IOException {
    byte[] version1;
    try (InputStream in =
        LearnerCodecTest.class.getResourceAsStream("/learner-state/v1-adam-classifier.bin")) {
      version1 = in.readAllBytes();
    }
    assertEquals(1, version1[3], "the fixture is a version 1 state");
    Learner expected = LearnerStateFixtures.adamClassifierMidMinibatch();
    Learner restored = LearnerCodec.decode(version1);
    assertRestoredWithFreshMetrics(expected, restored);
  }

  @Test
  void shouldStartTheMetricsAfreshFromAStateWrittenBeforeTheirSection() {
    Learner expected = LearnerStateFixtures.adamClassifierMidMinibatch();
    byte[] withoutMetrics = withoutSection(LearnerCodec.encode(expected), 6);
    assertRestoredWithFreshMetrics(expected, LearnerCodec.decode(withoutMetrics));
  }

  @Test
  void shouldRestoreTheMetricsOfEveryKindOfModelBitForBit() {
    String[] models = {
      "{\"model\": \"r\", \"layers\": [{\"in\": 3, \"out\": 2, \"activation\": \"identity\"}],"
          + " \"loss\": \"l2\"}",
      "{\"model\": \"b\", \"layers\": [{\"in\": 3, \"out\": 1, \"activation\": \"sigmoid\"}],"
          + " \"loss\": \"bce\"}",
      "{\"model\": \"h\", \"layers\": [{\"in\": 3, \"out\": 2, \"activation\": \"tanh\"}],"
          + " \"loss\": \"hinge\"}"
    };
    for (String model : models) {
      Learner original = Learner.create(ModelFile.parse(model), new StatsSettings(5, 8));
      feed(original, 13, model.contains("hinge") ? -1 : 0);
      Learner restored = LearnerCodec.decode(LearnerCodec.encode(original));
      assertSameLearner(original, restored);
      feed(original, 7, model.contains("hinge") ? -1 : 0);
      feed(restored, 7, model.contains("hinge") ? -1 : 0);
      assertSameLearner(original, restored);
    }
  }

  @Test
  void shouldKeepMetricsOffAcrossARoundTrip() {
    ModelSpec spec = LearnerStateFixtures.adamClassifierMidMinibatch().spec();
    Learner original = Learner.create(spec, new StatsSettings(5, 8, false));
    continueOne(original);
    Learner restored = LearnerCodec.decode(LearnerCodec.encode(original));
    assertFalse(restored.stats().settings().metrics());
    continueOne(restored);
    assertEquals(MetricValues.NONE, restored.stats().metrics());
    assertEquals(MetricValues.NONE, restored.stats().windowMetrics());
    assertTrue(restored.stats().windowErrorRate() >= 0, "the error rate stays");
  }

  /** Everything but the metrics as in expected; the metrics from the samples after the restore. */
  private static void assertRestoredWithFreshMetrics(Learner expected, Learner restored) {
    assertEquals(MetricValues.NONE, restored.stats().metrics());
    assertSameModelAndLosses(expected, restored);
    int right = 0;
    for (int i = 0; i < 9; i++) {
      double[] x = {i * 0.3, -i * 0.1, 1.0};
      double[] y = {i % 2};
      expected.learn(new Sample("c" + i, x, y, 0));
      LearnResult result = restored.learn(new Sample("c" + i, x, y, 0));
      right += result.decision() == i % 2 ? 1 : 0;
    }
    assertSameModelAndLosses(expected, restored);
    assertEquals(right / 9.0, restored.stats().metrics().accuracy(), 1e-15);
    assertTrue(restored.stats().settings().metrics());
  }

  /** The state with one section taken out, as a writer that did not know it would write it. */
  private static byte[] withoutSection(byte[] state, int tag) {
    java.nio.ByteBuffer in =
        java.nio.ByteBuffer.wrap(state).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.write(state, 0, 4);
    in.position(4);
    while (in.hasRemaining()) {
      int start = in.position();
      int sectionTag = in.getInt();
      int length = in.getInt();
      in.position(in.position() + length);
      if (sectionTag != tag) {
        out.write(state, start, 8 + length);
      }
    }
    assertTrue(out.size() < state.length, "the state had section " + tag);
    return out.toByteArray();
  }

  private static void feed(Learner learner, int samples, double negative) {
    for (int i = 0; i < samples; i++) {
      double[] x = {Math.sin(i), Math.cos(1.3 * i), i % 3 - 1.0};
      int outputs = learner.architecture().outputs();
      double[] y = new double[outputs];
      for (int k = 0; k < outputs; k++) {
        y[k] = (i + k) % 3 == 0 ? 1 : negative;
      }
      if (learner.architecture().loss() == io.streamgrad.nn.Loss.L2) {
        y[0] = 0.5 * i;
      }
      learner.learn(new Sample("f" + i, x, y, 0));
    }
  }

  @Test
  void shouldRefuseASectionItDoesNotKnow() {
    byte[] state = LearnerCodec.encode(LearnerStateFixtures.adamClassifierMidMinibatch());
    byte[] extended = Arrays.copyOf(state, state.length + 9);
    extended[state.length] = 99; // tag 99, little-endian
    extended[state.length + 4] = 1; // one byte long
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> LearnerCodec.decode(extended));
    assertTrue(e.getMessage().contains("tag 99"), e.getMessage());
  }

  @Test
  void shouldSayATruncatedStateIsTruncated() {
    byte[] state = LearnerCodec.encode(LearnerStateFixtures.adamClassifierMidMinibatch());
    for (int cut : new int[] {2, 6, 20, state.length / 2, state.length - 1}) {
      byte[] truncated = Arrays.copyOf(state, cut);
      assertThrows(IllegalArgumentException.class, () -> LearnerCodec.decode(truncated));
    }
  }

  private static void continueOne(Learner learner) {
    for (int i = 0; i < 9; i++) {
      learner.learn(
          new Sample("c" + i, new double[] {i * 0.3, -i * 0.1, 1.0}, new double[] {i % 2}, 0));
    }
  }

  @Test
  void shouldContinueBitIdenticallyWithEveryPieceOfOptimizerState() {
    // RMSprop centered with momentum fills all three buffers; a schedule and class weights ride
    // along in the spec, a partial minibatch in its section.
    Learner original =
        Learner.create(
            ModelFile.parse(
                "{\"model\": \"m\", \"layers\": [{\"in\": 3, \"out\": 4, \"activation\":"
                    + " \"tanh\"}, {\"in\": 4, \"out\": 2, \"activation\": \"softmax\"}],"
                    + " \"loss\": \"softmax_ce\", \"optimizer\": {\"type\": \"rmsprop\","
                    + " \"momentum\": 0.5, \"centered\": true}, \"lr_schedule\": {\"type\":"
                    + " \"cosine_warm_restarts\", \"t_0\": 2, \"t_mult\": 2},"
                    + " \"class_weights\": [1, 2.5], \"minibatch\": 3}"),
            new StatsSettings(5, 8));
    for (int i = 0; i < 11; i++) {
      double[] x = {Math.sin(i), Math.cos(i * 0.7), (i % 5) - 2.0};
      original.learn(new Sample("s" + i, x, new double[] {i % 2}, 0, 0.5 * (i % 4)));
    }
    Learner restored = LearnerCodec.decode(LearnerCodec.encode(original));
    assertSameLearner(original, restored);
    continueBoth(original, restored);
    assertSameLearner(original, restored);
  }

  private static void continueBoth(Learner a, Learner b) {
    for (int i = 0; i < 9; i++) {
      double[] x = {i * 0.3, -i * 0.1, 1.0};
      double[] y = {i % 2};
      a.learn(new Sample("c" + i, x, y, 0));
      b.learn(new Sample("c" + i, x, y, 0));
    }
  }

  private static void assertSameLearner(Learner expected, Learner actual) {
    assertSameModelAndLosses(expected, actual);
    assertEquals(expected.stats().metrics(), actual.stats().metrics());
    assertEquals(expected.stats().windowMetrics(), actual.stats().windowMetrics());
    assertArrayEquals(LearnerCodec.encode(expected), LearnerCodec.encode(actual));
  }

  private static void assertSameModelAndLosses(Learner expected, Learner actual) {
    assertEquals(expected.modelFile(), actual.modelFile());
    assertArrayEquals(expected.parametersCopy(), actual.parametersCopy());
    assertEquals(expected.trainer().pending(), actual.trainer().pending());
    RunningStats e = expected.stats();
    RunningStats s = actual.stats();
    assertEquals(e.samples(), s.samples());
    assertEquals(e.labelled(), s.labelled());
    assertEquals(
        Double.doubleToRawLongBits(e.meanLoss()), Double.doubleToRawLongBits(s.meanLoss()));
    assertEquals(
        Double.doubleToRawLongBits(e.ewmaLoss()), Double.doubleToRawLongBits(s.ewmaLoss()));
    assertEquals(
        Double.doubleToRawLongBits(e.windowLoss()), Double.doubleToRawLongBits(s.windowLoss()));
    assertEquals(
        Double.doubleToRawLongBits(e.windowErrorRate()),
        Double.doubleToRawLongBits(s.windowErrorRate()));
  }
}
