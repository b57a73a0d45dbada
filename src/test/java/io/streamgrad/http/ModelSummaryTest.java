package io.streamgrad.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamgrad.learn.Learner;
import io.streamgrad.learn.ModelFile;
import io.streamgrad.learn.Sample;
import io.streamgrad.learn.StatsSettings;
import org.junit.jupiter.api.Test;

class ModelSummaryTest {
  @Test
  void shouldShowTheDriftsDivergencesAndRateScaleOfTheLearner() {
    Learner learner =
        Learner.create(
            ModelFile.parse(
                "{\"model\": \"m\", \"layers\": [{\"in\": 1, \"out\": 1, \"activation\":"
                    + " \"identity\"}], \"loss\": \"l2\", \"optimizer\": {\"type\": \"sgd\","
                    + " \"learning_rate\": 0.01}, \"drift\": {\"detector\": \"page_hinkley\","
                    + " \"threshold\": 5}}"),
            StatsSettings.DEFAULT);
    for (int i = 0; i < 200; i++) {
      // The target jumps from 0 to 50 at sample 100: the loss rises by orders of magnitude.
      learner.learn(new Sample("s" + i, new double[] {0}, new double[] {i < 100 ? 0 : 50}, 0));
      learner.takeEvents();
    }
    assertTrue(learner.drifts() > 0, "the jump is a drift");
    ObjectNode node = new ObjectMapper().createObjectNode();
    ModelSummary.write(node, "m", learner);
    assertEquals(learner.drifts(), node.get("drifts").asLong());
    assertEquals(0, node.get("divergences").asLong());
    assertEquals(1.0, node.get("learning_rate_scale").asDouble());
  }
}
