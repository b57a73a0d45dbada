package io.streamgrad.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamgrad.http.Instance;
import io.streamgrad.learn.Sample;
import io.streamgrad.records.SampleDecoder;
import io.streamgrad.service.Configuration;
import io.streamgrad.service.EmbeddedBroker;
import io.streamgrad.service.KafkaClients;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A measurement, not a test (it asserts nothing about time): how long a restarted instance takes to
 * serve every model again when it keeps its state directory (warm) and when it gets a new, empty
 * one (cold). Its name ends in neither Test nor IT, so only this command runs it:
 *
 * <pre>
 * mvn -B -o verify -Dit.test=StateDirRestartMeasurement -Dtest=NONE \
 *     -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
class StateDirRestartMeasurement {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MODELS = 20;
  private static final int SAMPLES_PER_MODEL = 200;
  private static final int ROUNDS = 3;

  @TempDir Path dir;

  private static Configuration config(String bootstrapServers, Path stateDir) {
    return Configuration.defaultsOnly()
        .with("bootstrap.servers", bootstrapServers)
        .with("application.id", "restart")
        .with("http.port", "0")
        .with("state.dir", stateDir.toString())
        .with("topics.partitions", "4");
  }

  @Test
  void measureRestartWithAWarmAndAColdStateDirectory() throws Exception {
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    try (EmbeddedBroker broker = EmbeddedBroker.start()) {
      Path warm = dir.resolve("warm");
      try (Instance first = Instance.start(config(broker.bootstrapServers(), warm), quiet)) {
        first.awaitRunning(Duration.ofSeconds(60));
        train(broker.bootstrapServers());
        awaitAllModels(first.httpPort(), Duration.ofSeconds(180));
      }
      List<String> lines = new ArrayList<>();
      for (int round = 0; round < ROUNDS; round++) {
        Path cold = dir.resolve("cold-" + round);
        for (Path stateDir : List.of(warm, cold)) {
          String before = describe(stateDir);
          long start = System.nanoTime();
          try (Instance again =
              Instance.start(config(broker.bootstrapServers(), stateDir), quiet)) {
            again.awaitRunning(Duration.ofSeconds(60));
            double running = (System.nanoTime() - start) / 1e9;
            awaitAllModels(again.httpPort(), Duration.ofSeconds(180));
            double served = (System.nanoTime() - start) / 1e9;
            lines.add(
                String.format(
                    Locale.ROOT,
                    "round %d %s: RUNNING after %.2f s, all %d models served after %.2f s"
                        + " (state dir before: %s)",
                    round + 1,
                    stateDir.equals(warm) ? "warm" : "cold",
                    running,
                    MODELS,
                    served,
                    before));
          }
        }
      }
      lines.add("warm state dir after the rounds: " + describe(warm));
      lines.forEach(line -> System.out.println("StateDirRestartMeasurement: " + line));
    }
  }

  /** The files Kafka Streams left in a state directory, with their sizes. */
  private static String describe(Path stateDir) throws IOException {
    if (!Files.exists(stateDir)) {
      return "absent";
    }
    List<String> files = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(stateDir)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        files.add(stateDir.relativize(p) + " " + Files.size(p) + " B");
      }
    }
    return files.isEmpty() ? "no files" : String.join(", ", files);
  }

  private static void train(String bootstrapServers) throws Exception {
    SampleDecoder codec = new SampleDecoder();
    SplittableRandom random = new SplittableRandom(3);
    try (KafkaProducer<byte[], byte[]> producer =
        KafkaClients.producer(bootstrapServers, Map.of())) {
      for (int m = 0; m < MODELS; m++) {
        String model = "m" + m;
        producer.send(
            new ProducerRecord<>(
                "streamgrad.models",
                bytes(model),
                bytes(
                    LearnerIT.spec(
                        model, "64-64-10", "{\"type\": \"adam\", \"learning_rate\": 0.001}", 1))));
      }
      producer.flush();
      for (int s = 0; s < SAMPLES_PER_MODEL; s++) {
        for (int m = 0; m < MODELS; m++) {
          Sample sample =
              new Sample(
                  "m" + m + "-" + s,
                  random.doubles(64, 0, 1).toArray(),
                  new double[] {random.nextInt(10)},
                  0);
          producer.send(
              new ProducerRecord<>("streamgrad.samples", bytes("m" + m), codec.encodeAvro(sample)));
        }
      }
      producer.flush();
    }
  }

  /** Until GET /models lists every model with all its samples, as of a commit. */
  private static void awaitAllModels(int port, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    String seen = "";
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<String> list = ItSupport.get(port, "/models");
        if (list.statusCode() == 200) {
          seen = list.body();
          int complete = 0;
          for (JsonNode node : JSON.readTree(seen)) {
            if (node.get("samples").asLong() == SAMPLES_PER_MODEL) {
              complete++;
            }
          }
          if (complete == MODELS) {
            return;
          }
        }
      } catch (IOException notYet) {
        // not answering yet
      }
      Thread.sleep(20);
    }
    throw new AssertionError("not every model was served in " + timeout + ": " + seen);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
