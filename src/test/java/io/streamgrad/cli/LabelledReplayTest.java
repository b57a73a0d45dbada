package io.streamgrad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamgrad.learn.ModelFile;
import io.streamgrad.stream.ModelStoreAccess;
import io.streamgrad.stream.StreamSettings;
import io.streamgrad.stream.StreamgradTopology;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.SplittableRandom;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** replay of samples and late labels ends with the stream's bits for the same order and times. */
class LabelledReplayTest {
  static final String SPEC =
      """
      {"model": "m", "version": 1, "layers": [{"in": 4, "out": 6, "activation": "relu"},
       {"in": 6, "out": 3, "activation": "softmax"}], "loss": "softmax_ce",
       "optimizer": {"type": "adam", "learning_rate": 0.02}, "minibatch": 2, "seed": 7,
       "label_wait_ms": 500}
      """;

  @TempDir Path dir;

  /** One record of a file: its line, its time, and whether it is a label. */
  record Line(String json, long time, boolean label) {}

  /**
   * Samples every 10 ms; most labels come 0 to 800 ms later (some after the wait), some never, some
   * twice, some 5 ms before their sample, some with the sample.
   */
  private static List<List<Line>> scenario(boolean separateLabels) {
    SplittableRandom random = new SplittableRandom(3);
    List<Line> main = new ArrayList<>();
    List<Line> labels = new ArrayList<>();
    List<Line> late = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      long t = 1_000 + 10L * i;
      String id = "s" + i;
      int label = random.nextInt(3);
      String features =
          String.format(
              Locale.ROOT,
              "[%.4f, %.4f, %.4f, %.4f]",
              random.nextDouble(-1, 1),
              random.nextDouble(-1, 1),
              random.nextDouble(-1, 1),
              label - 1.0);
      double kind = random.nextDouble();
      String labelLine = "{\"id\": \"" + id + "\", \"label\": " + label + ", \"event_time\": ";
      if (kind < 0.1) {
        late.add(new Line(labelLine + (t - 5) + "}", t - 5, true));
      }
      // Labels of earlier samples due by now go first, in time order.
      late.sort((a, b) -> Long.compare(a.time(), b.time()));
      while (!late.isEmpty() && late.get(0).time() <= t) {
        (separateLabels ? labels : main).add(late.remove(0));
      }
      String sample = "{\"id\": \"" + id + "\", \"features\": " + features;
      if (kind >= 0.1 && kind < 0.25) {
        main.add(
            new Line(sample + ", \"label\": " + label + ", \"event_time\": " + t + "}", t, false));
        continue;
      }
      main.add(new Line(sample + ", \"event_time\": " + t + "}", t, false));
      if (kind >= 0.25 && kind < 0.4) {
        continue; // never labelled
      }
      if (kind >= 0.1) {
        long at = t + 1 + random.nextInt(800);
        late.add(new Line(labelLine + at + "}", at, true));
        if (kind > 0.93) {
          late.add(new Line(labelLine + (at + 3) + "}", at + 3, true)); // twice
        }
      }
    }
    late.sort((a, b) -> Long.compare(a.time(), b.time()));
    (separateLabels ? labels : main).addAll(late);
    return List.of(main, labels);
  }

  /** The documented merge: by time, the samples file first on equal times, each file in order. */
  private static List<Line> merged(List<Line> main, List<Line> labels) {
    List<Line> order = new ArrayList<>();
    int m = 0;
    int l = 0;
    while (m < main.size() || l < labels.size()) {
      if (l == labels.size() || (m < main.size() && main.get(m).time() <= labels.get(l).time())) {
        order.add(main.get(m++));
      } else {
        order.add(labels.get(l++));
      }
    }
    return order;
  }

  private String streamModel(List<Line> main, List<Line> labels) {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:9092");
    StreamSettings settings = StreamSettings.defaults();
    try (TopologyTestDriver driver =
        new TopologyTestDriver(StreamgradTopology.build(settings), props)) {
      ByteArraySerializer bytes = new ByteArraySerializer();
      TestInputTopic<byte[], byte[]> samples =
          driver.createInputTopic(settings.samplesTopic(), bytes, bytes);
      TestInputTopic<byte[], byte[]> labelsTopic =
          driver.createInputTopic(settings.labels().labelsTopic(), bytes, bytes);
      byte[] key = "m".getBytes(StandardCharsets.UTF_8);
      driver
          .createInputTopic(settings.modelsTopic(), bytes, bytes)
          .pipeInput(key, SPEC.getBytes(StandardCharsets.UTF_8), 0);
      List<Line> fromLabelsFile = labels;
      for (Line line : merged(main, labels)) {
        (fromLabelsFile.contains(line) ? labelsTopic : samples)
            .pipeInput(key, line.json().getBytes(StandardCharsets.UTF_8), line.time());
      }
      return ModelStoreAccess.modelFile(driver, "m");
    }
  }

  private CommandRun replay(List<Line> main, List<Line> labels, String... extra) throws Exception {
    Path spec = dir.resolve("spec.json");
    Files.writeString(spec, SPEC);
    Path samples = dir.resolve("samples.jsonl");
    Files.write(samples, main.stream().map(Line::json).toList());
    Path out = dir.resolve("out.json");
    List<String> args =
        new ArrayList<>(
            List.of(
                "replay",
                "--model",
                spec.toString(),
                "--samples",
                samples.toString(),
                "--out",
                out.toString()));
    if (!labels.isEmpty()) {
      Path file = dir.resolve("labels.jsonl");
      Files.write(file, labels.stream().map(Line::json).toList());
      args.addAll(List.of("--labels", file.toString()));
    }
    args.addAll(List.of(extra));
    return CommandRun.of(args.toArray(String[]::new));
  }

  @Test
  void shouldEndWithTheStreamsBitsForLabelsInterleavedWithTheSamples() throws Exception {
    List<List<Line>> files = scenario(false);
    CommandRun run = replay(files.get(0), List.of());

    assertEquals(0, run.code(), run.said());
    assertTrue(run.err().contains("expired"), run.said());
    assertTrue(run.err().contains("came within label_wait_ms") || run.said().contains("expired"));
    assertEquals(
        streamModel(files.get(0), List.of()),
        Files.readString(dir.resolve("out.json")),
        "the same weights, optimizer state and steps");
  }

  @Test
  void shouldMergeASeparateLabelsFileByTimeAsTheStreamWouldReadIt() throws Exception {
    List<List<Line>> files = scenario(true);
    CommandRun run = replay(files.get(0), files.get(1));

    assertEquals(0, run.code(), run.said());
    assertTrue(run.err().contains("already labelled"), run.said());
    String expected = streamModel(files.get(0), files.get(1));
    assertEquals(expected, Files.readString(dir.resolve("out.json")));
    assertTrue(ModelFile.parse(expected).steps() > 50, "trained on late labels: " + expected);
  }

  @Test
  void shouldWriteOnePredictionPerSampleLearntAndTheSameModel() throws Exception {
    List<List<Line>> files = scenario(false);
    Path predictions = dir.resolve("predictions.jsonl");
    Path events = dir.resolve("events.jsonl");
    CommandRun run =
        replay(
            files.get(0),
            List.of(),
            "--predictions",
            predictions.toString(),
            "--events",
            events.toString());

    assertEquals(0, run.code(), run.said());
    java.util.regex.Matcher finished =
        java.util.regex.Pattern.compile("finished: (\\d+) samples").matcher(run.err());
    assertTrue(finished.find(), run.said());
    List<String> lines = Files.readAllLines(predictions);
    assertEquals(Long.parseLong(finished.group(1)), lines.size(), "one line per sample learnt");
    assertTrue(lines.get(0).startsWith("{\"sample_id\":"), lines.get(0));
    java.util.regex.Matcher expired =
        java.util.regex.Pattern.compile("(\\d+) expired").matcher(run.err());
    assertTrue(expired.find(), run.said());
    assertTrue(Long.parseLong(expired.group(1)) > 0, "the scenario lets samples expire");
    assertTrue(
        Files.readString(events).contains("\"type\":\"PENDING_LABELS_EXPIRED\""),
        "their expiry is an event, as in the stream");
    assertEquals(streamModel(files.get(0), List.of()), Files.readString(dir.resolve("out.json")));
  }

  @Test
  void shouldRefuseAFileOtherThanJsonLinesForAModelWithLateLabels() throws Exception {
    Path spec = dir.resolve("spec.json");
    Files.writeString(spec, SPEC);
    Path csv = dir.resolve("samples.csv");
    Files.writeString(csv, "a,b,c,d,label\n1,2,3,4,1\n");
    CommandRun run =
        CommandRun.of(
            "replay",
            "--model",
            spec.toString(),
            "--samples",
            csv.toString(),
            "--out",
            dir.resolve("out.json").toString());

    assertEquals(2, run.code(), run.said());
    assertTrue(run.err().contains("label_wait_ms"), run.said());
  }
}
