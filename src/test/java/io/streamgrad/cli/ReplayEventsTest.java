package io.streamgrad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamgrad.learn.Learner;
import io.streamgrad.learn.LearnerEvent;
import io.streamgrad.learn.ModelFile;
import io.streamgrad.learn.Sample;
import io.streamgrad.learn.StatsSettings;
import io.streamgrad.records.OutputEncoder;
import io.streamgrad.records.OutputRecords;
import io.streamgrad.service.ExitCodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * replay --events: the events of the same samples in the same order, as the learner (and so the
 * stream, EventsTopologyTest) makes them.
 */
class ReplayEventsTest {
  static final String SPEC =
      """
      {"model": "d", "layers": [{"in": 2, "out": 8, "activation": "tanh"},
       {"in": 8, "out": 1, "activation": "identity"}], "loss": "l2",
       "optimizer": {"type": "sgd", "learning_rate": 0.05}, "seed": 7,
       "drift": {"detector": "page_hinkley", "threshold": 5}, "on_drift": "reset_optimizer"}
      """;

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void shouldWriteTheSameEventsAsTheLearnerMakes() throws Exception {
    SplittableRandom random = new SplittableRandom(4);
    StringBuilder lines = new StringBuilder();
    Learner offline = Learner.create(ModelFile.parse(SPEC), StatsSettings.DEFAULT);
    List<JsonNode> expected = new ArrayList<>();
    for (int t = 0; t < 3000; t++) {
      double[] x = random.doubles(2, -1, 1).toArray();
      double y = x[0] + 0.5 * x[1];
      double label = t < 1500 ? y : 1 - y;
      lines.append(
          JSON.writeValueAsString(
              JSON.createObjectNode()
                  .put("id", "s" + t)
                  .put("label", label)
                  .set("features", JSON.valueToTree(x))));
      lines.append('\n');
      offline.learn(new Sample("s" + t, x, new double[] {label}, 0));
      for (LearnerEvent event : offline.takeEvents()) {
        expected.add(JSON.readTree(OutputEncoder.json(OutputRecords.event("d", event, 0))));
      }
    }
    Path model = dir.resolve("model.json");
    Files.writeString(model, SPEC);
    Path samples = dir.resolve("s.jsonl");
    Files.writeString(samples, lines);
    Path events = dir.resolve("events.jsonl");
    CommandRun run =
        CommandRun.of(
            "replay",
            "--model",
            model.toString(),
            "--samples",
            samples.toString(),
            "--out",
            dir.resolve("out.json").toString(),
            "--events",
            events.toString());
    assertEquals(ExitCodes.OK, run.code(), run.said());
    List<JsonNode> written = new ArrayList<>();
    for (String line : Files.readAllLines(events)) {
      written.add(JSON.readTree(line));
    }
    assertTrue(!expected.isEmpty(), "the stream drifts");
    assertEquals(expected, written);
    ObjectNode first = (ObjectNode) written.get(0);
    assertEquals("DRIFT_DETECTED", first.get("type").asText());
    assertEquals("reset_optimizer", first.get("reaction").asText());
    assertTrue(first.get("step").asLong() > 1500 && first.get("step").asLong() < 1650, "" + first);
    assertTrue(run.err().contains("drift detected by page_hinkley"), run.said());
    assertEquals(offline.modelFile(), Files.readString(dir.resolve("out.json")));
  }
}
