package io.streamgrad.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScheduleRestartEventTest {
  private static Learner learner(String schedule, int minibatch) {
    return Learner.create(
        ModelFile.parse(
            "{\"model\": \"m\", \"layers\": [{\"in\": 2, \"out\": 1, \"activation\": \"identity\"}],"
                + " \"loss\": \"l2\", \"optimizer\": {\"type\": \"sgd\", \"learning_rate\": 0.1},"
                + " \"minibatch\": "
                + minibatch
                + schedule
                + "}"),
        StatsSettings.DEFAULT);
  }

  private static List<LearnerEvent> learnAll(Learner learner, int samples) {
    List<LearnerEvent> events = new ArrayList<>();
    for (int i = 0; i < samples; i++) {
      learner.learn(new Sample("s" + i, new double[] {i % 3, 1}, new double[] {0.5}, 0));
      events.addAll(learner.takeEvents());
    }
    return events;
  }

  @Test
  void shouldSayWhereEachCosineCycleRestarts() {
    // t_0 = 2, t_mult = 2: cycles of 2, 4, 8 steps start at steps 0, 2, 6 and 14.
    Learner learner =
        learner(
            ", \"lr_schedule\": {\"type\": \"cosine_warm_restarts\", \"t_0\": 2, \"t_mult\": 2}",
            1);
    List<LearnerEvent> events = learnAll(learner, 16);
    assertEquals(List.of(2L, 6L, 14L), events.stream().map(LearnerEvent::step).toList());
    for (LearnerEvent event : events) {
      assertEquals(LearnerEvent.Type.SCHEDULE_RESTARTED, event.type());
      assertEquals(0.1, event.evidence().get("learning_rate"), 1e-15, "back to the base rate");
    }
  }

  @Test
  void shouldCountStepsNotSamplesWithAMinibatch() {
    // Minibatch 2: 12 samples are 6 steps, the cycles restart after steps 2 and 6 only.
    Learner learner =
        learner(
            ", \"lr_schedule\": {\"type\": \"cosine_warm_restarts\", \"t_0\": 2, \"t_mult\": 2}",
            2);
    assertEquals(List.of(2L, 6L), learnAll(learner, 14).stream().map(LearnerEvent::step).toList());
  }

  @Test
  void shouldSayNothingForAScheduleThatDoesNotRestart() {
    assertEquals(
        List.of(),
        learnAll(learner(", \"lr_schedule\": {\"type\": \"step\", \"step_size\": 2}", 1), 16));
    assertEquals(List.of(), learnAll(learner("", 1), 16));
  }
}
