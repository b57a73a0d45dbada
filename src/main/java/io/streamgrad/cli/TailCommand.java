package io.streamgrad.cli;

import io.streamgrad.avro.DeadLetter;
import io.streamgrad.avro.LossReport;
import io.streamgrad.avro.Prediction;
import io.streamgrad.learn.Label;
import io.streamgrad.learn.Sample;
import io.streamgrad.records.AvroCodec;
import io.streamgrad.records.ConfluentFraming;
import io.streamgrad.records.ConfluentWire;
import io.streamgrad.records.LabelDecoder;
import io.streamgrad.records.OutputDecoder;
import io.streamgrad.records.SampleDecoder;
import io.streamgrad.service.Configuration;
import io.streamgrad.service.ExitCodes;
import io.streamgrad.service.KafkaClients;
import io.streamgrad.service.SchemaRegistryClient;
import io.streamgrad.service.SchemaRegistrySettings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tail}: the loss, prediction or dead-letter topic, human-readable, read_committed. */
@Command(
    name = "tail",
    mixinStandardHelpOptions = true,
    description =
        "Print the loss, predictions or dead-letters topic, one readable line per record.")
final class TailCommand implements Callable<Integer> {
  @Option(
      names = "--topic",
      defaultValue = "loss",
      description =
          "loss, predictions, dead-letters, samples, events, labels, outcomes, or a full topic name"
              + " (default: ${DEFAULT-VALUE})")
  String topic;

  @Option(names = "--bootstrap-servers", required = true, description = "Kafka brokers, host:port")
  String bootstrapServers;

  @Option(
      names = "--from-beginning",
      description = "start at the oldest record instead of the newest")
  boolean fromBeginning;

  @Option(
      names = "--max",
      defaultValue = "0",
      description = "stop after this many records (0: never)")
  long max;

  @Option(
      names = "--idle-timeout-ms",
      defaultValue = "0",
      description = "stop after this long without records (0: never)")
  long idleTimeoutMs;

  @Option(
      names = "--schema-registry-url",
      description =
          "a schema registry (Confluent's API), to read records in its wire format"
              + " (output.format=confluent-avro, or samples written through it)")
  String schemaRegistryUrl;

  @Mixin TimeoutOption timeout = new TimeoutOption();

  private final OutputDecoder outputs = new OutputDecoder();
  private final SampleDecoder samples = new SampleDecoder();
  private final LabelDecoder labels = new LabelDecoder();

  @Override
  public Integer call() {
    if (schemaRegistryUrl != null) {
      SchemaRegistrySettings registry =
          Configuration.defaultsOnly()
              .with("schema.registry.url", schemaRegistryUrl)
              .schemaRegistrySettings();
      ConfluentWire wire =
          new ConfluentWire(
              new SchemaRegistryClient(registry, Duration.ofSeconds(5), System.err),
              Map.of(),
              registry.cacheCapacity());
      outputs.readingRegistry(wire);
      samples.readingRegistry(wire);
    }
    String name =
        switch (topic) {
          case "loss", "predictions", "dead-letters", "samples", "events", "labels", "outcomes" ->
              "streamgrad." + topic;
          default -> topic;
        };
    // A consumer subscribed to a missing topic or polling an absent broker waits in silence.
    Brokers.check(bootstrapServers, timeout.timeout, List.of(name));
    Map<String, Object> props =
        Map.of(
            ConsumerConfig.GROUP_ID_CONFIG,
            "streamgrad-tail-" + ProcessHandle.current().pid() + "-" + System.nanoTime(),
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            fromBeginning ? "earliest" : "latest");
    long count = 0;
    long lastRecord = System.currentTimeMillis();
    try (KafkaConsumer<byte[], byte[]> consumer =
        KafkaClients.readCommittedConsumer(bootstrapServers, props)) {
      consumer.subscribe(List.of(name));
      while (max == 0 || count < max) {
        var records = consumer.poll(Duration.ofMillis(200));
        for (ConsumerRecord<byte[], byte[]> record : records) {
          System.out.println(format(record));
          count++;
          lastRecord = System.currentTimeMillis();
          if (max > 0 && count >= max) {
            break;
          }
        }
        if (idleTimeoutMs > 0 && System.currentTimeMillis() - lastRecord > idleTimeoutMs) {
          break;
        }
      }
    }
    return ExitCodes.OK;
  }

  String format(ConsumerRecord<byte[], byte[]> record) {
    String key =
        record.key() == null ? "(no key)" : new String(record.key(), StandardCharsets.UTF_8);
    byte[] value = record.value();
    if (value == null || !AvroCodec.isSingleObject(value) && !ConfluentFraming.isFramed(value)) {
      return key
          + "  "
          + (value == null ? "(tombstone)" : new String(value, StandardCharsets.UTF_8));
    }
    try {
      if (record.topic().endsWith("loss")) {
        LossReport r = outputs.lossReport(value);
        return String.format(
                Locale.ROOT,
                "%s v%d  samples %d  steps %d  mean loss %s  ewma %s  recent %s  error rate %s  refused %d",
                key,
                r.getVersion(),
                r.getSamples(),
                r.getSteps(),
                num(r.getMeanLoss()),
                num(r.getEwmaLoss()),
                num(r.getWindowLoss()),
                num(r.getWindowErrorRate()),
                r.getRefusedSteps())
            + recentMetrics(r);
      }
      if (record.topic().endsWith("outcomes")) {
        io.streamgrad.avro.Outcome o = outputs.outcome(value);
        return String.format(
            Locale.ROOT,
            "%s  sample %s  served step %d  prediction %s  label %s  loss %s  trained step %d  %s"
                + "  delay %d ms",
            key,
            o.getSampleId(),
            o.getServedStep(),
            o.getDecision() != null ? o.getDecision() : o.getOutputs(),
            o.getLabel(),
            num(o.getLoss()),
            o.getTrainedStep(),
            o.getOutcome(),
            o.getDelayMs());
      }
      if (LabelDecoder.isAvroLabel(value)) {
        Label label = labels.decode(value);
        return key
            + "  label for sample "
            + label.sampleId()
            + "  "
            + Arrays.toString(label.value());
      }
      if (record.topic().endsWith("samples")) {
        Sample sample = samples.decode(value);
        return key
            + "  sample "
            + sample.id()
            + "  features "
            + (sample.isNamed() ? sample.namedFeatures() : Arrays.toString(sample.features()))
            + "  label "
            + (sample.label() == null ? "-" : Arrays.toString(sample.label()));
      }
      if (record.topic().endsWith("events")) {
        io.streamgrad.avro.Event e = outputs.event(value);
        return String.format(
            Locale.ROOT,
            "%s v%d  step %d  %s  %s  %s",
            key,
            e.getVersion(),
            e.getStep(),
            e.getType(),
            e.getMessage(),
            e.getEvidence());
      }
      if (record.topic().endsWith("dead-letters")) {
        DeadLetter d = outputs.deadLetter(value);
        return String.format(
            Locale.ROOT,
            "%s  %s  %s  (from %s-%d@%d)",
            key,
            d.getReason(),
            d.getMessage(),
            d.getTopic(),
            d.getPartition(),
            d.getOffset());
      }
      Prediction p = outputs.prediction(value);
      return String.format(
          Locale.ROOT,
          "%s  sample %s  step %d  prediction %s  label %s  loss %s",
          key,
          p.getSampleId(),
          p.getStep(),
          p.getDecision() != null ? p.getDecision() : p.getOutputs(),
          p.getLabel() == null ? "-" : p.getLabel(),
          num(p.getLoss()));
    } catch (RuntimeException e) {
      return key + "  (undecodable: " + e.getMessage() + ")";
    }
  }

  /**
   * The learning rate, and the recent window's metrics that the model has (a regression's MAE, RMSE
   * and R², a classifier's accuracy, log loss, macro F1 and ROC AUC).
   */
  private static String recentMetrics(LossReport r) {
    StringBuilder out = new StringBuilder();
    String[] names = {
      "lr", "recent mae", "rmse", "r2", "recent accuracy", "log loss", "macro f1", "roc auc"
    };
    Double[] values = {
      r.getLearningRate(),
      r.getWindowMae(),
      r.getWindowRmse(),
      r.getWindowR2(),
      r.getWindowAccuracy(),
      r.getWindowLogLoss(),
      r.getWindowMacroF1(),
      r.getWindowRocAuc()
    };
    for (int i = 0; i < names.length; i++) {
      if (values[i] != null) {
        out.append("  ")
            .append(names[i])
            .append(' ')
            .append(i == 0 ? String.valueOf(values[i]) : num(values[i]));
      }
    }
    return out.toString();
  }

  private static String num(Double value) {
    return value == null ? "-" : String.format(Locale.ROOT, "%.4f", value);
  }
}
