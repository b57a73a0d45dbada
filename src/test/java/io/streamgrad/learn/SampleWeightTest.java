package io.streamgrad.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamgrad.nn.Trainer;
import org.junit.jupiter.api.Test;

/** A sample's weight in the learner: what it trains, scores and rejects. */
class SampleWeightTest {
  private static final String SPEC =
      "{\"model\": \"m\", \"layers\": [{\"in\": 3, \"out\": 4, \"activation\": \"tanh\"},"
          + " {\"in\": 4, \"out\": 3, \"activation\": \"softmax\"}], \"loss\": \"softmax_ce\","
          + " \"optimizer\": {\"type\": \"rmsprop\", \"learning_rate\": 0.01, \"momentum\": 0.9},"
          + " \"lr_schedule\": {\"type\": \"step\", \"step_size\": 2, \"gamma\": 0.5},"
          + " \"class_weights\": [1, 0, 2], \"minibatch\": 3, \"seed\": 5}";

  @Test
  void shouldTrainToTheSameBitsWhenSamplesOfWeightZeroAreLeftOut() {
    Learner with = Learner.create(ModelFile.parse(SPEC), StatsSettings.DEFAULT);
    Learner without = Learner.create(ModelFile.parse(SPEC), StatsSettings.DEFAULT);
    for (int i = 0; i < 40; i++) {
      // class 1 weighs 0 in the spec, and every fifth sample carries weight 0 itself
      Sample sample = sample(i, i % 5 == 0 ? 0.0 : 1.0 + (i % 2));
      LearnResult result = with.learn(sample);
      if (sample.label()[0] == 1.0 || sample.weight() == 0.0) {
        assertEquals(Trainer.Outcome.SKIPPED, result.outcome());
      } else {
        without.learn(sample);
      }
    }
    assertTrue(with.steps() > 5);
    assertEquals(without.modelFile(), with.modelFile());
  }

  @Test
  void shouldScoreASampleOfWeightZero() {
    Learner learner = Learner.create(ModelFile.parse(SPEC), StatsSettings.DEFAULT);
    LearnResult result = learner.learn(sample(0, 0.0));
    assertEquals(1, learner.stats().labelled());
    assertEquals(result.loss(), learner.stats().meanLoss(), 0.0);
  }

  @Test
  void shouldReportTheUnweightedLoss() {
    Learner heavy = Learner.create(ModelFile.parse(SPEC), StatsSettings.DEFAULT);
    Learner plain = Learner.create(ModelFile.parse(SPEC), StatsSettings.DEFAULT);
    double heavyLoss = heavy.learn(sample(2, 7.5)).loss(); // class 2, class weight 2
    assertEquals(plain.learn(sample(2, 1.0)).loss(), heavyLoss, 0.0);
    assertEquals(plain.stats().meanLoss(), heavy.stats().meanLoss(), 0.0);
  }

  @Test
  void shouldRejectAWeightThatIsNegativeOrNotFinite() {
    Learner learner = Learner.create(ModelFile.parse(SPEC), StatsSettings.DEFAULT);
    for (double weight : new double[] {-1.0, Double.NaN, Double.POSITIVE_INFINITY}) {
      RejectedException e =
          assertThrows(RejectedException.class, () -> learner.learn(sample(1, weight)));
      assertEquals(ReasonCode.BAD_WEIGHT, e.reason());
    }
    assertEquals(0, learner.stats().samples());
  }

  private static Sample sample(int i, double weight) {
    double[] x = {Math.sin(i), Math.cos(0.7 * i), (i % 5) - 2.0};
    return new Sample("s" + i, x, new double[] {i % 3}, 0, weight);
  }
}
