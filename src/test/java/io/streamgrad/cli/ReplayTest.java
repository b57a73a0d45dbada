package io.streamgrad.cli;

import static io.streamgrad.BundledData.digitsCsv;
import static io.streamgrad.BundledData.digitsSpec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamgrad.learn.LearnResult;
import io.streamgrad.learn.Learner;
import io.streamgrad.learn.ModelFile;
import io.streamgrad.learn.Sample;
import io.streamgrad.learn.StatsSettings;
import io.streamgrad.records.SampleFile;
import io.streamgrad.service.ExitCodes;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayTest {
  @TempDir Path dir;

  @Test
  void shouldLearnTheHandwrittenDigitsWellBelowChance() throws Exception {
    Learner learner = Learner.create(ModelFile.parse(digitsSpec()), StatsSettings.DEFAULT);
    List<Sample> samples = SampleFile.readAll(digitsCsv(dir), "label");
    assertEquals(1797, samples.size());
    double early = 0;
    double late = 0;
    int lateErrors = 0;
    for (int pass = 0; pass < 2; pass++) {
      for (int s = 0; s < samples.size(); s++) {
        LearnResult result = learner.learn(samples.get(s));
        if (pass == 0 && s < 200) {
          early += result.loss();
        }
        if (pass == 1 && s >= samples.size() - 500) {
          late += result.loss();
          lateErrors += result.decision() == (int) samples.get(s).label()[0] ? 0 : 1;
        }
      }
    }
    assertTrue(late / 500 < 0.5 * early / 200, "loss falls: " + early / 200 + " -> " + late / 500);
    assertTrue(
        lateErrors / 500.0 < 0.15, "zero-one error well below chance (0.9): " + lateErrors / 500.0);
  }

  @Test
  void shouldWriteTheModelAndReportBadLinesWithTheirNumbers() throws Exception {
    Path model = dir.resolve("model.json");
    Files.writeString(
        model,
        "{\"model\": \"r\", \"layers\": [{\"in\": 2, \"out\": 1, \"activation\": \"identity\"}], \"loss\": \"l2\"}");
    Path samples = dir.resolve("s.jsonl");
    Files.writeString(
        samples,
        String.join(
            "\n",
            "{\"id\": \"1\", \"features\": [1, 2], \"label\": 3}",
            "{\"id\": \"2\", \"features\": [1], \"label\": 3}",
            "not json",
            "{\"id\": \"4\", \"features\": [2, 1]}"));
    Path out = dir.resolve("out.json");
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream saved = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    int code;
    try {
      code =
          Main.execute(
              "replay",
              "--model",
              model.toString(),
              "--samples",
              samples.toString(),
              "--out",
              out.toString());
    } finally {
      System.setErr(saved);
    }
    String log = err.toString(StandardCharsets.UTF_8);
    assertEquals(0, code, log);
    assertTrue(log.contains("line 2 skipped: WRONG_FEATURE_COUNT"), log);
    assertTrue(
        log.contains("line 3 skipped: UNDECODABLE")
            || log.contains("line 3 skipped: MALFORMED_JSON"),
        log);
    assertEquals(1, ModelFile.parse(Files.readString(out)).steps());

    int strict =
        Main.execute(
            "replay",
            "--strict",
            "--model",
            model.toString(),
            "--samples",
            samples.toString(),
            "--out",
            out.toString());
    assertEquals(ExitCodes.FAILURE, strict);
    int missing =
        Main.execute(
            "replay",
            "--model",
            dir.resolve("nope.json").toString(),
            "--samples",
            samples.toString(),
            "--out",
            out.toString());
    assertEquals(ExitCodes.USAGE, missing);
  }
}
