package io.streamgrad.cli;

import static io.streamgrad.BundledData.digitsCsv;
import static io.streamgrad.BundledData.digitsSpec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamgrad.learn.Learner;
import io.streamgrad.learn.ModelFile;
import io.streamgrad.learn.Sample;
import io.streamgrad.learn.StatsSettings;
import io.streamgrad.records.SampleAvroFile;
import io.streamgrad.records.SampleFile;
import io.streamgrad.service.ExitCodes;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** replay reads .jsonl, .csv and .avro into the same bits, in file order, across its threads. */
class ReplayFormatsTest {
  @TempDir Path dir;

  @Test
  void shouldTrainTheSameBitsFromJsonLinesCsvAndAvroAsTheLearnerInOrder() throws Exception {
    Path model = dir.resolve("digits.json");
    Files.writeString(model, digitsSpec());
    Path csv = digitsCsv(dir);
    List<Sample> samples = SampleFile.readAll(csv, "label");
    Path jsonl = dir.resolve("digits.jsonl");
    List<String> lines = new ArrayList<>();
    for (Sample sample : samples) {
      lines.add(SampleFile.toJson(sample));
    }
    Files.write(jsonl, lines);
    Path avro = dir.resolve("digits.avro");
    try (OutputStream out = Files.newOutputStream(avro)) {
      SampleAvroFile.write(samples, out);
    }

    Learner inMemory = Learner.create(ModelFile.parse(digitsSpec()), StatsSettings.DEFAULT);
    for (Sample sample : samples) {
      inMemory.learn(sample);
    }
    String expected = inMemory.modelFile();

    String predictions = null;
    for (Path file : List.of(csv, jsonl, avro)) {
      String name = file.getFileName().toString();
      Path out = dir.resolve(name + ".model.json");
      Path predicted = dir.resolve(name + ".predictions.jsonl");
      CommandRun run =
          CommandRun.of(
              "replay",
              "--model",
              model.toString(),
              "--samples",
              file.toString(),
              "--out",
              out.toString(),
              "--predictions",
              predicted.toString());
      assertEquals(ExitCodes.OK, run.code(), run.said());
      assertEquals(expected, Files.readString(out), name + ": the bits of the in-memory run");
      String written = Files.readString(predicted);
      assertEquals(samples.size(), written.lines().count(), name);
      if (predictions != null) {
        assertEquals(predictions, written, name + ": the same predictions, in the same order");
      }
      predictions = written;
      assertTrue(run.err().contains("100.0%"), "the last line says the file is done\n" + run.err());
    }
  }

  @Test
  void shouldReportBadLinesWithTheirNumbersInFileOrderAcrossBatches() throws Exception {
    Path model = dir.resolve("m.json");
    Files.writeString(
        model,
        "{\"model\": \"r\", \"layers\": [{\"in\": 2, \"out\": 1, \"activation\": \"identity\"}],"
            + " \"loss\": \"l2\"}");
    StringBuilder text = new StringBuilder();
    List<Integer> bad = List.of(3, 300, 513, 777, 1200);
    for (int n = 1; n <= 1500; n++) {
      String line =
          switch (bad.indexOf(n)) {
            case 0 -> "not json";
            case 1 -> "{\"id\": \"" + n + "\", \"features\": [1], \"label\": 1}";
            case 2 -> "{\"id\": \"" + n + "\", \"features\": [1, 2], \"weight\": -1}";
            case 3 -> "{\"id\": \"" + n + "\", \"features\": [1, \"NaN\"], \"label\": 1}";
            case 4 ->
                "{\"id\": \"" + n + "\", \"features\": [1, 2], \"label\": 1, \"weight\": \"x\"}";
            default ->
                n == 900
                    ? "   "
                    : "{\"id\": \"" + n + "\", \"features\": [" + n % 7 + ", 1], \"label\": 1}";
          };
      text.append(line).append(n % 2 == 0 ? "\r\n" : "\n");
    }
    Path samples = dir.resolve("bad.jsonl");
    Files.writeString(samples, text);
    CommandRun run =
        CommandRun.of(
            "replay",
            "--model",
            model.toString(),
            "--samples",
            samples.toString(),
            "--out",
            dir.resolve("out.json").toString());
    assertEquals(ExitCodes.OK, run.code(), run.said());
    List<String> reported = new ArrayList<>();
    Matcher skipped = Pattern.compile("line (\\d+) skipped: ([A-Z_]+)").matcher(run.err());
    while (skipped.find()) {
      reported.add(skipped.group(1) + " " + skipped.group(2));
    }
    assertEquals(
        List.of(
            "3 MALFORMED_JSON",
            "300 WRONG_FEATURE_COUNT",
            "513 BAD_WEIGHT",
            "777 NON_FINITE_FEATURE",
            "1200 MALFORMED_JSON"),
        reported,
        run.said());
    assertEquals(1500 - 5 - 1, ModelFile.parse(Files.readString(dir.resolve("out.json"))).steps());
  }

  @Test
  void shouldReportABadAvroRecordByItsNumber() throws Exception {
    Path model = dir.resolve("m.json");
    Files.writeString(
        model,
        "{\"model\": \"r\", \"layers\": [{\"in\": 2, \"out\": 1, \"activation\": \"identity\"}],"
            + " \"loss\": \"l2\"}");
    List<Sample> samples = new ArrayList<>();
    for (int n = 1; n <= 10; n++) {
      samples.add(
          new Sample(String.valueOf(n), new double[] {n, 1}, new double[] {1}, 0, n == 5 ? -1 : 1));
    }
    Path avro = dir.resolve("s.avro");
    try (OutputStream out = Files.newOutputStream(avro)) {
      SampleAvroFile.write(samples, out);
    }
    CommandRun run =
        CommandRun.of(
            "replay",
            "--model",
            model.toString(),
            "--samples",
            avro.toString(),
            "--out",
            dir.resolve("out.json").toString());
    assertEquals(ExitCodes.OK, run.code(), run.said());
    assertTrue(run.err().contains("record 5 skipped: BAD_WEIGHT"), run.said());
    assertEquals(9, ModelFile.parse(Files.readString(dir.resolve("out.json"))).steps());
  }

  @Test
  void shouldRefuseAFileThatIsNotAvroNamingIt() throws Exception {
    Path model = dir.resolve("m.json");
    Files.writeString(
        model,
        "{\"model\": \"r\", \"layers\": [{\"in\": 2, \"out\": 1, \"activation\": \"identity\"}],"
            + " \"loss\": \"l2\"}");
    Path avro = dir.resolve("s.avro");
    Files.writeString(avro, "{\"features\": [1, 2]}\n");
    CommandRun run =
        CommandRun.of(
            "replay",
            "--model",
            model.toString(),
            "--samples",
            avro.toString(),
            "--out",
            dir.resolve("out.json").toString());
    assertEquals(ExitCodes.USAGE, run.code(), run.said());
    assertTrue(run.err().contains("not an Avro object container file"), run.said());
  }
}
