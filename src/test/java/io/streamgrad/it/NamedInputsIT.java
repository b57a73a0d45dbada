package io.streamgrad.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamgrad.BundledData;
import io.streamgrad.cli.Main;
import io.streamgrad.http.Instance;
import io.streamgrad.learn.Learner;
import io.streamgrad.learn.ModelFile;
import io.streamgrad.learn.Sample;
import io.streamgrad.learn.StatsSettings;
import io.streamgrad.records.SampleFile;
import io.streamgrad.service.Configuration;
import io.streamgrad.service.EmbeddedBroker;
import io.streamgrad.service.ExitCodes;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The raw credit table, named columns and all, through the real service on a real broker: half
 * produced with {@code produce --named-columns}, the service stopped and started again (the model
 * and its input statistics restored from the changelog), the other half produced; the served model
 * file is then bit-identical to replay's of the same rows.
 */
class NamedInputsIT {
  private static final int HALF = 600;

  @TempDir Path dir;

  private Path csv(List<String> lines, String name) throws Exception {
    Path file = dir.resolve(name);
    Files.write(file, lines);
    return file;
  }

  private static void produce(Instance service, Path spec, Path samples) {
    assertEquals(
        ExitCodes.OK,
        Main.execute(
            "produce",
            "--bootstrap-servers",
            service.bootstrapServers(),
            "--model",
            "credit",
            "--spec",
            spec.toString(),
            "--samples",
            samples.toString(),
            "--label",
            "bad",
            "--named-columns"));
  }

  @Test
  void shouldLearnTheRawTableAsReplayDoesAcrossARestart() throws Exception {
    List<String> lines = Files.readAllLines(BundledData.creditCsv(dir));
    String header = lines.get(0);
    List<String> first = new ArrayList<>(List.of(header));
    first.addAll(lines.subList(1, 1 + HALF));
    List<String> second = new ArrayList<>(List.of(header));
    second.addAll(lines.subList(1 + HALF, 1 + 2 * HALF));
    Path spec = dir.resolve("credit.json");
    Files.writeString(spec, BundledData.modelFile("credit"));

    try (EmbeddedBroker broker = EmbeddedBroker.start()) {
      Configuration config =
          Configuration.defaultsOnly()
              .with("bootstrap.servers", broker.bootstrapServers())
              .with("application.id", "named-inputs-it")
              .with("http.port", "0")
              .with("commit.interval.ms", "100");
      ByteArrayOutputStream log = new ByteArrayOutputStream();
      PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8);
      try (Instance service = Instance.start(config, out)) {
        produce(service, spec, csv(first, "first.csv"));
        ItSupport.awaitModel(service.httpPort(), "credit", HALF, Duration.ofSeconds(60));
      }
      try (Instance service = Instance.start(config, out)) {
        produce(service, spec, csv(second, "second.csv"));
        String served =
            ItSupport.awaitModel(service.httpPort(), "credit", 2 * HALF, Duration.ofSeconds(60));

        List<String> all = new ArrayList<>(first);
        all.addAll(second.subList(1, second.size()));
        Learner replay =
            Learner.create(ModelFile.parse(BundledData.modelFile("credit")), StatsSettings.DEFAULT);
        List<Sample> samples = new ArrayList<>();
        SampleFile.read(
            new ByteArrayInputStream(String.join("\n", all).getBytes(StandardCharsets.UTF_8)),
            SampleFile.Format.CSV,
            "bad",
            true,
            line -> samples.add(line.sample()));
        samples.forEach(replay::learn);
        assertEquals(replay.modelFile(), served, "GET /models/credit is bit-identical to replay");
        assertTrue(served.contains("\"preprocessing\""), served);
      }
    }
  }
}
