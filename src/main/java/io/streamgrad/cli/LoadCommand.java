package io.streamgrad.cli;

import io.streamgrad.learn.ModelFile;
import io.streamgrad.learn.Sample;
import io.streamgrad.records.SampleDecoder;
import io.streamgrad.service.KafkaClients;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code load}: a load generator. Publishes a spec for each of N models, then random labelled
 * samples for them at a given rate for a given time (bounded in count and time; loopback only
 * unless told otherwise).
 */
@Command(
    name = "load",
    mixinStandardHelpOptions = true,
    description = "Generate load: random labelled samples for N models at a given rate.")
final class LoadCommand implements Callable<Integer> {
  @Option(names = "--bootstrap-servers", required = true, description = "Kafka brokers, host:port")
  String bootstrapServers;

  @Option(
      names = "--models",
      defaultValue = "4",
      description = "number of models (default: ${DEFAULT-VALUE})")
  int models;

  @Option(
      names = "--size",
      defaultValue = "8-32-1",
      description = "network size (default: ${DEFAULT-VALUE})")
  String size;

  @Option(
      names = "--rate",
      defaultValue = "1000",
      description = "samples per second in all (default: ${DEFAULT-VALUE})")
  double rate;

  @Option(
      names = "--seconds",
      defaultValue = "60",
      description = "how long (default: ${DEFAULT-VALUE})")
  double seconds;

  @Option(names = "--samples-topic", defaultValue = "streamgrad.samples")
  String samplesTopic;

  @Option(names = "--models-topic", defaultValue = "streamgrad.models")
  String modelsTopic;

  @Mixin TimeoutOption timeout = new TimeoutOption();

  @Override
  public Integer call() throws Exception {
    String[] parts = size.split("-");
    int outputs = Integer.parseInt(parts[parts.length - 1]);
    boolean classifier = outputs > 1;
    SampleDecoder codec = new SampleDecoder();
    SplittableRandom random = new SplittableRandom(1);
    long total = (long) (rate * seconds);
    Brokers.check(bootstrapServers, timeout.timeout, List.of(modelsTopic, samplesTopic));
    try (KafkaProducer<byte[], byte[]> producer =
        KafkaClients.producer(
            bootstrapServers,
            Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) timeout.timeout.toMillis()))) {
      Deliveries specs = new Deliveries();
      for (int m = 0; m < models; m++) {
        specs.send(
            producer,
            new ProducerRecord<>(
                modelsTopic,
                key(m),
                ModelFile.sketch("load-" + m, size).getBytes(StandardCharsets.UTF_8)));
      }
      producer.flush();
      if (specs.failed() > 0) {
        // Samples of a model without its spec would only wait and become dead letters.
        int code = specs.report(System.err, "specs to " + modelsTopic);
        System.err.println("no sample was sent");
        return code;
      }
      Deliveries deliveries = new Deliveries();
      long start = System.nanoTime();
      long lastProgress = start;
      for (long s = 0; s < total; s++) {
        int m = (int) (s % models);
        double[] x = random.doubles(Integer.parseInt(parts[0]), -1, 1).toArray();
        double[] y =
            classifier
                ? new double[] {random.nextInt(outputs)}
                : random.doubles(outputs, -1, 1).toArray();
        deliveries.send(
            producer,
            new ProducerRecord<>(
                samplesTopic, key(m), codec.encodeAvro(new Sample("l" + s, x, y, 0))));
        long due = start + (long) ((s + 1) / rate * 1e9);
        long wait = due - System.nanoTime();
        if (wait > 1_000_000) {
          Thread.sleep(wait / 1_000_000);
        }
        if (System.nanoTime() - lastProgress > 1_000_000_000L) {
          lastProgress = System.nanoTime();
          progress(deliveries, total, start);
        }
      }
      producer.flush();
      progress(deliveries, total, start);
      System.err.println();
      return deliveries.report(
          System.err,
          String.format(
              Locale.ROOT,
              "samples for %d models to %s in %.1f s",
              models,
              samplesTopic,
              (System.nanoTime() - start) / 1e9));
    }
  }

  private static void progress(Deliveries deliveries, long total, long start) {
    System.err.printf(
        Locale.ROOT,
        "\r%d/%d samples acknowledged, %d failed, %.0f/s",
        deliveries.acknowledged(),
        total,
        deliveries.failed(),
        deliveries.acknowledged() / Math.max(1e-9, (System.nanoTime() - start) / 1e9));
  }

  private static byte[] key(int m) {
    return ("load-" + m).getBytes(StandardCharsets.UTF_8);
  }

  static String spec(String model, String[] sizes, boolean classifier) {
    StringBuilder layers = new StringBuilder();
    for (int l = 0; l < sizes.length - 1; l++) {
      String activation = l < sizes.length - 2 ? "sigmoid" : (classifier ? "softmax" : "identity");
      layers
          .append(l == 0 ? "" : ", ")
          .append("{\"in\": ")
          .append(sizes[l])
          .append(", \"out\": ")
          .append(sizes[l + 1])
          .append(", \"activation\": \"")
          .append(activation)
          .append("\"}");
    }
    return "{\"model\": \""
        + model
        + "\", \"layers\": ["
        + layers
        + "], \"loss\": \""
        + (classifier ? "softmax_ce" : "l2")
        + "\", \"optimizer\": {\"type\": \"sgd\", \"learning_rate\": 0.01}}";
  }
}
