package io.streamgrad.learn;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Learners built the same way every time, for the committed learner states of earlier formats:
 * {@code main} writes one (run it once, against the code of that format), {@link LearnerCodecTest}
 * reads it back with today's code.
 */
final class LearnerStateFixtures {
  private LearnerStateFixtures() {}

  /** Adam with a partial minibatch, a classifier's statistics, a window that has wrapped. */
  static Learner adamClassifierMidMinibatch() {
    ModelSpec spec =
        ModelFile.parse(
            "{\"model\": \"fixture\", \"layers\": [{\"in\": 3, \"out\": 4, \"activation\":"
                + " \"tanh\"}, {\"in\": 4, \"out\": 2, \"activation\": \"softmax\"}], \"loss\":"
                + " \"softmax_ce\", \"optimizer\": {\"type\": \"adam\", \"learning_rate\": 0.01},"
                + " \"minibatch\": 4, \"seed\": 7}");
    Learner learner = Learner.create(spec, new StatsSettings(5, 8));
    for (int i = 0; i < 23; i++) {
      double[] x = {Math.sin(i), Math.cos(i * 0.7), (i % 5) - 2.0};
      double[] y = i % 7 == 3 ? null : new double[] {(i * 31 % 11) % 2};
      learner.learn(new Sample("s" + i, x, y, 0));
    }
    return learner;
  }

  public static void main(String[] args) throws IOException {
    Path out = Path.of(args[0]);
    Files.write(out, LearnerCodec.encode(adamClassifierMidMinibatch()));
  }
}
