package io.streamgrad.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The learner's learning rate: the one its next step uses. */
class LearningRateTest {
  private static final String SPEC =
      "{\"model\": \"m\", \"layers\": [{\"in\": 2, \"out\": 1, \"activation\": \"identity\"}],"
          + " \"loss\": \"l2\", \"optimizer\": {\"type\": \"sgd\", \"learning_rate\": 0.1}";

  @Test
  void shouldTellTheConstantRateWithoutASchedule() {
    Learner learner = Learner.create(ModelFile.parse(SPEC + "}"), StatsSettings.DEFAULT);
    learner.learn(sample(0));
    assertEquals(0.1, learner.learningRate());
  }

  @Test
  void shouldMoveTheRateOnlyWithTheOptimizersSteps() {
    Learner learner =
        Learner.create(
            ModelFile.parse(
                SPEC
                    + ", \"minibatch\": 2, \"lr_schedule\": {\"type\": \"step\", \"step_size\": 2,"
                    + " \"gamma\": 0.5}}"),
            StatsSettings.DEFAULT);
    double[] expected = {0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.05, 0.025};
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], learner.learningRate(), "after " + i + " samples");
      learner.learn(sample(i));
    }
    learner.learn(new Sample("unlabelled", new double[] {1, 2}, null, 0));
    assertEquals(0.025, learner.learningRate(), "a prediction is no step");
  }

  @Test
  void shouldTellWhereACosineCycleRestarts() {
    Learner learner =
        Learner.create(
            ModelFile.parse(
                SPEC + ", \"lr_schedule\": {\"type\": \"cosine_warm_restarts\", \"t_0\": 3}}"),
            StatsSettings.DEFAULT);
    for (int i = 0; i < 3; i++) {
      assertFalse(learner.scheduleRestartsAt(learner.steps()), "step " + learner.steps());
      learner.learn(sample(i));
    }
    assertTrue(learner.scheduleRestartsAt(learner.steps()));
    assertEquals(0.1, learner.learningRate(), 1e-17);
  }

  @Test
  void shouldNeverRestartAnotherSchedule() {
    Learner learner =
        Learner.create(
            ModelFile.parse(
                SPEC + ", \"lr_schedule\": {\"type\": \"exponential\", \"gamma\": 0.9}}"),
            StatsSettings.DEFAULT);
    for (long step = 0; step < 10; step++) {
      assertFalse(learner.scheduleRestartsAt(step));
    }
  }

  private static Sample sample(int i) {
    return new Sample("s" + i, new double[] {i * 0.1, 1.0}, new double[] {0.5}, 0);
  }
}
