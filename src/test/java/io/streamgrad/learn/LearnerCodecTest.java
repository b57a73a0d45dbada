package io.streamgrad.learn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
    assertSameLearner(expected, restored);
    continueBoth(expected, restored);
    assertSameLearner(expected, restored);
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
    assertArrayEquals(LearnerCodec.encode(expected), LearnerCodec.encode(actual));
  }
}
