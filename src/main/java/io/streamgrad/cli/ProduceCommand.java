package io.streamgrad.cli;

import io.streamgrad.learn.ModelFile;
import io.streamgrad.learn.ModelSpec;
import io.streamgrad.learn.Sample;
import io.streamgrad.records.SampleDecoder;
import io.streamgrad.records.SampleFile;
import io.streamgrad.service.ExitCodes;
import io.streamgrad.service.KafkaClients;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code produce}: a file of samples to the samples topic, keyed by model id. */
@Command(
    name = "produce",
    mixinStandardHelpOptions = true,
    description =
        "Send a .jsonl, .csv or .avro file of samples to the samples topic, keyed by model id.")
final class ProduceCommand implements Callable<Integer> {
  @Option(
      names = "--samples",
      required = true,
      description = "FILE.jsonl, FILE.csv or FILE.avro (an Avro container file of Sample records)")
  Path samples;

  @Option(names = "--model", required = true, description = "the model id (the record key)")
  String model;

  @Option(names = "--spec", description = "also publish this model file to the models topic first")
  Path spec;

  @Option(names = "--bootstrap-servers", required = true, description = "Kafka brokers, host:port")
  String bootstrapServers;

  @Option(
      names = "--topic",
      defaultValue = "streamgrad.samples",
      description = "default: ${DEFAULT-VALUE}")
  String topic;

  @Option(
      names = "--models-topic",
      defaultValue = "streamgrad.models",
      description = "default: ${DEFAULT-VALUE}")
  String modelsTopic;

  @Option(
      names = "--format",
      defaultValue = "avro",
      description = "avro or json (default: ${DEFAULT-VALUE})")
  String format;

  @Option(
      names = "--rate",
      defaultValue = "0",
      description = "samples per second at most (0: as fast as possible)")
  double rate;

  @Mixin SampleFiles.LabelOptions labels = new SampleFiles.LabelOptions();

  @Option(
      names = "--named-columns",
      description =
          "send a CSV file's rows as named features, each column by its header name (for a model"
              + " with inputs)")
  boolean namedColumns;

  @Option(names = "--passes", defaultValue = "1", description = "send the file this many times")
  int passes;

  @Mixin TimeoutOption timeout = new TimeoutOption();

  @Override
  public Integer call() throws Exception {
    if (!format.equals("avro") && !format.equals("json")) {
      System.err.println("error: --format " + format + " is not one of: avro, json");
      return ExitCodes.USAGE;
    }
    // Everything that can be checked without a broker is, before anything is sent: a bad spec
    // found after the samples went out leaves them waiting for a spec that never comes.
    SampleFiles.checkReadable("samples file", samples);
    byte[] specBytes = spec == null ? null : checkedSpec();
    String labelColumn = labels.column();
    checkFirstLine(labelColumn);
    Brokers.check(
        bootstrapServers,
        timeout.timeout,
        specBytes == null ? List.of(topic) : List.of(modelsTopic, topic));
    try (KafkaProducer<byte[], byte[]> producer =
        KafkaClients.producer(
            bootstrapServers,
            Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) timeout.timeout.toMillis()))) {
      if (specBytes != null) {
        Deliveries specDelivery = new Deliveries();
        specDelivery.send(producer, new ProducerRecord<>(modelsTopic, key(), specBytes));
        producer.flush();
        if (specDelivery.acknowledged() == 0) {
          int code = specDelivery.report(System.err, "spec " + spec + " to " + modelsTopic);
          System.err.println("no sample was sent");
          return code;
        }
      }
      Deliveries deliveries = send(producer, labelColumn, System.err);
      if (deliveries.sent() == 0) {
        System.err.println("error: no line of samples file " + samples + " could be used");
        return ExitCodes.FAILURE;
      }
      return deliveries.report(
          System.err, String.format(Locale.ROOT, "samples for model '%s' to %s", model, topic));
    }
  }

  /**
   * Reads the file's first line (and a CSV file's header, an Avro file's schema) before any broker
   * is asked: a file that cannot be read at all fails at once, naming the problem.
   */
  private void checkFirstLine(String labelColumn) {
    try {
      SampleFile.read(
          samples,
          labelColumn,
          line -> {
            throw new FirstLineRead();
          });
    } catch (FirstLineRead e) {
      // readable
    } catch (IOException e) {
      throw SampleFiles.failure(samples, e);
    }
  }

  /** Stops the read of checkFirstLine. */
  private static final class FirstLineRead extends RuntimeException {
    private static final long serialVersionUID = 1L;

    FirstLineRead() {
      super(null, null, false, false);
    }
  }

  /** The spec's bytes, once the service's own parser took them and they are for --model. */
  private byte[] checkedSpec() throws IOException {
    SampleFiles.checkReadable("spec file", spec);
    byte[] bytes = Files.readAllBytes(spec);
    ModelSpec parsed;
    try {
      parsed = ModelFile.parse(new String(bytes, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      throw new CommandFailure(
          ExitCodes.USAGE, "spec file " + spec + " is invalid: " + e.getMessage());
    }
    if (!model.equals(parsed.model())) {
      throw new CommandFailure(
          ExitCodes.USAGE,
          "spec file "
              + spec
              + (parsed.model() == null
                  ? " has no \"model\" field"
                  : " is for model '" + parsed.model() + "'")
              + ", not for --model '"
              + model
              + "': the service would reject it (INVALID_SPEC)");
    }
    return bytes;
  }

  private byte[] key() {
    return model.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Sends every sample of the file (read as it goes, so a file of any size fits in memory), passes
   * times, at the configured rate, and waits for the brokers' answers; lines that cannot be read
   * are reported (in the first pass) and skipped; a progress bar of the acknowledged samples on
   * out.
   */
  Deliveries send(KafkaProducer<byte[], byte[]> producer, String labelColumn, PrintStream out) {
    SampleDecoder codec = new SampleDecoder();
    Deliveries deliveries = new Deliveries();
    String unit = SampleFile.Format.of(samples).unit();
    long[] total = {-1};
    long start = System.nanoTime();
    byte[] key = key();
    boolean avro = format.equals("avro");
    for (int pass = 0; pass < passes; pass++) {
      String suffix = passes == 1 ? "" : "-p" + pass;
      boolean first = pass == 0;
      SampleFiles.read(
          samples,
          labelColumn,
          namedColumns,
          line -> {
            if (line.sample() == null) {
              if (first) {
                out.println(unit + " " + line.number() + " skipped: " + line.rejection().message());
              }
              return;
            }
            Sample sample = line.sample();
            Sample named =
                suffix.isEmpty()
                    ? sample
                    : new Sample(
                        sample.id() + suffix,
                        sample.features(),
                        sample.label(),
                        sample.eventTime(),
                        sample.weight(),
                        sample.namedFeatures());
            byte[] value =
                avro
                    ? codec.encodeAvro(named)
                    : SampleFile.toJson(named).getBytes(StandardCharsets.UTF_8);
            deliveries.send(producer, new ProducerRecord<>(topic, key, value));
            long sent = deliveries.sent();
            if (rate > 0) {
              long due = start + (long) (sent / rate * 1e9);
              long wait = due - System.nanoTime();
              if (wait > 0) {
                sleep(wait);
              }
            }
            if (sent % 5000 == 0) {
              progress(out, deliveries, total[0], start);
            }
          });
      if (first) {
        total[0] = deliveries.sent() * passes;
      }
    }
    producer.flush();
    progress(out, deliveries, total[0], start);
    out.println();
    return deliveries;
  }

  private static void progress(PrintStream out, Deliveries deliveries, long total, long start) {
    int width = 30;
    long acknowledged = deliveries.acknowledged();
    if (total < 0) { // the first pass: the file's count is not known yet
      out.printf(
          Locale.ROOT,
          "\r%d samples acknowledged, %d failed, %.0f/s",
          acknowledged,
          deliveries.failed(),
          acknowledged / Math.max(1e-9, (System.nanoTime() - start) / 1e9));
      return;
    }
    int done = (int) (width * acknowledged / Math.max(1, total));
    double seconds = Math.max(1e-9, (System.nanoTime() - start) / 1e9);
    out.printf(
        Locale.ROOT,
        "\r[%s%s] %d/%d samples acknowledged, %d failed, %.0f/s",
        "=".repeat(done),
        " ".repeat(width - done),
        acknowledged,
        total,
        deliveries.failed(),
        acknowledged / seconds);
  }

  private static void sleep(long nanos) {
    try {
      Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
