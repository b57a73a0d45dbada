package io.streamgrad.cli;

import io.streamgrad.learn.Sample;
import io.streamgrad.records.SampleDecoder;
import io.streamgrad.records.SampleFile;
import io.streamgrad.service.ExitCodes;
import io.streamgrad.service.KafkaClients;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code produce}: a file of samples to the samples topic, keyed by model id. */
@Command(
    name = "produce",
    mixinStandardHelpOptions = true,
    description = "Send a .jsonl or .csv file of samples to the samples topic, keyed by model id.")
final class ProduceCommand implements Callable<Integer> {
  @Option(names = "--samples", required = true, description = "FILE.jsonl or FILE.csv")
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

  @Option(
      names = "--label",
      defaultValue = "label",
      description = "CSV label column (default: ${DEFAULT-VALUE})")
  String label;

  @Option(names = "--passes", defaultValue = "1", description = "send the file this many times")
  int passes;

  @Override
  public Integer call() throws Exception {
    if (!format.equals("avro") && !format.equals("json")) {
      System.err.println("error: --format " + format + " is not one of: avro, json");
      return ExitCodes.USAGE;
    }
    if (!Files.isReadable(samples)) {
      System.err.println("error: samples file " + samples + " does not exist or cannot be read");
      return ExitCodes.USAGE;
    }
    List<Sample> list = new ArrayList<>();
    SampleFile.read(
        samples,
        label,
        line -> {
          if (line.sample() != null) {
            list.add(line.sample());
          } else {
            System.err.println("line " + line.number() + " skipped: " + line.rejection().message());
          }
        });
    try (KafkaProducer<byte[], byte[]> producer =
        KafkaClients.producer(bootstrapServers, Map.of())) {
      if (spec != null) {
        producer.send(new ProducerRecord<>(modelsTopic, key(), Files.readAllBytes(spec))).get();
      }
      long sent = send(producer, list, System.err);
      System.err.printf(
          Locale.ROOT, "%nsent %d samples for model '%s' to %s%n", sent, model, topic);
    }
    return ExitCodes.OK;
  }

  private byte[] key() {
    return model.getBytes(StandardCharsets.UTF_8);
  }

  /** Sends every sample (passes times) at the configured rate; a progress bar on out. */
  long send(KafkaProducer<byte[], byte[]> producer, List<Sample> list, PrintStream out) {
    SampleDecoder codec = new SampleDecoder();
    long total = (long) list.size() * passes;
    long start = System.nanoTime();
    long sent = 0;
    for (int pass = 0; pass < passes; pass++) {
      for (Sample sample : list) {
        Sample named =
            passes == 1
                ? sample
                : new Sample(
                    sample.id() + "-p" + pass,
                    sample.features(),
                    sample.label(),
                    sample.eventTime());
        byte[] value =
            format.equals("avro")
                ? codec.encodeAvro(named)
                : SampleFile.toJson(named).getBytes(StandardCharsets.UTF_8);
        producer.send(new ProducerRecord<>(topic, key(), value));
        sent++;
        if (rate > 0) {
          long due = start + (long) (sent / rate * 1e9);
          long wait = due - System.nanoTime();
          if (wait > 0) {
            sleep(wait);
          }
        }
        if (sent % 500 == 0 || sent == total) {
          progress(out, sent, total, start);
        }
      }
    }
    producer.flush();
    return sent;
  }

  private static void progress(PrintStream out, long sent, long total, long start) {
    int width = 30;
    int done = (int) (width * sent / Math.max(1, total));
    double seconds = Math.max(1e-9, (System.nanoTime() - start) / 1e9);
    out.printf(
        Locale.ROOT,
        "\r[%s%s] %d/%d samples, %.0f/s",
        "=".repeat(done),
        " ".repeat(width - done),
        sent,
        total,
        sent / seconds);
  }

  private static void sleep(long nanos) {
    try {
      Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
