package io.streamgrad.cli;

import io.streamgrad.avro.LossReport;
import io.streamgrad.avro.Prediction;
import io.streamgrad.http.Instance;
import io.streamgrad.learn.Sample;
import io.streamgrad.records.OutputDecoder;
import io.streamgrad.records.SampleDecoder;
import io.streamgrad.records.SampleFile;
import io.streamgrad.service.Configuration;
import io.streamgrad.service.ExitCodes;
import io.streamgrad.service.KafkaClients;
import io.streamgrad.stream.StreamSettings;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code demo}: everything with no setup. An embedded broker, the topics, the learner under
 * exactly-once, the bundled UCI digits streamed through a 64-32-10 network for a few passes, and
 * the progressive-validation table read back from the loss and prediction topics.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = "Run Streamgrad on an embedded broker with the bundled digits dataset.")
final class DemoCommand implements Callable<Integer> {
  private static final String MODEL = "digits";

  @Option(
      names = "--passes",
      defaultValue = "3",
      description = "passes over the dataset (default: ${DEFAULT-VALUE})")
  int passes;

  @Option(names = "--forever", description = "keep streaming passes until Ctrl-C")
  boolean forever;

  @Option(
      names = "--limit",
      defaultValue = "0",
      description = "samples per pass, 0 for all (for quick runs)")
  int limit;

  @Option(
      names = "--http-port",
      defaultValue = "8080",
      description = "HTTP port (default: ${DEFAULT-VALUE}; a free one if taken)")
  int httpPort;

  @Option(
      names = "--delayed-labels",
      description =
          "send each sample without its label, and the label on the labels topic"
              + " --label-lag samples later: the table shows the loss of the prediction that was"
              + " served, scored when its label came (the model has label_wait_ms)")
  boolean delayedLabels;

  @Option(
      names = "--label-lag",
      defaultValue = "300",
      description =
          "with --delayed-labels: labels come this many samples late (default: ${DEFAULT-VALUE})")
  int labelLag;

  @Override
  public Integer call() throws Exception {
    Configuration config =
        Configuration.defaultsOnly()
            .with("application.id", "streamgrad-demo")
            .with("commit.interval.ms", "200")
            .with("loss.every.samples", "50")
            .with("http.port", String.valueOf(httpPort));
    ByteArrayOutputStream startLog = new ByteArrayOutputStream();
    PrintStream quiet = new PrintStream(startLog, true, StandardCharsets.UTF_8);
    System.err.println("starting an embedded Apache Kafka broker (KRaft) and the learner ...");
    Instance instance;
    try {
      instance = Instance.start(config, quiet);
    } catch (Configuration.InvalidSetting portTaken) {
      instance = Instance.start(config.with("http.port", "0"), quiet);
    }
    Thread shutdown = new Thread(instance::close, "streamgrad-demo-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdown);
    StreamSettings settings = instance.service().settings().stream();
    try {
      List<Sample> samples = digits();
      int perPass = limit > 0 ? Math.min(limit, samples.size()) : samples.size();
      System.err.printf(
          Locale.ROOT,
          "broker at %s, HTTP at http://127.0.0.1:%d/models; model '%s' "
              + "(64-32-10, sigmoid, softmax_ce, sgd 0.02); %d samples per pass, %s%n",
          instance.bootstrapServers(),
          instance.httpPort(),
          MODEL,
          perPass,
          forever ? "until Ctrl-C" : passes + " passes");
      try (KafkaProducer<byte[], byte[]> producer =
              KafkaClients.producer(instance.bootstrapServers(), Map.of());
          KafkaConsumer<byte[], byte[]> consumer =
              consumer(instance.bootstrapServers(), settings)) {
        producer.send(new ProducerRecord<>(settings.modelsTopic(), key(), spec()));
        producer.flush();
        Thread.sleep(200);
        Random random = new Random(42);
        ProgressTable table = new ProgressTable(System.out);
        long expected = 0;
        long[] seen = {0};
        LossReport[] lastReport = {null};
        SampleDecoder codec = new SampleDecoder();
        for (int pass = 0; forever || pass < passes; pass++) {
          List<Sample> order = new ArrayList<>(samples.subList(0, perPass));
          Collections.shuffle(order, random);
          java.util.ArrayDeque<Sample> late = new java.util.ArrayDeque<>();
          for (Sample sample : order) {
            Sample tagged =
                new Sample(
                    "p" + pass + "-" + sample.id(),
                    sample.features(),
                    delayedLabels ? null : sample.label(),
                    0);
            producer.send(
                new ProducerRecord<>(settings.samplesTopic(), key(), codec.encodeAvro(tagged)));
            if (delayedLabels) {
              late.add(new Sample(tagged.id(), null, sample.label(), 0));
              if (late.size() > labelLag) {
                sendLabel(producer, settings, late.poll());
                Thread.sleep(1); // labels a few hundred ms behind their samples, not at once
              }
            }
          }
          while (!late.isEmpty()) {
            sendLabel(producer, settings, late.poll());
          }
          producer.flush();
          expected += perPass;
          readUntil(consumer, settings, expected, table, seen, lastReport);
          LossReport report = lastReport[0];
          if (report != null) {
            System.out.printf(
                Locale.ROOT,
                "-- pass %d: loss topic says %d samples, %d steps, mean loss %.4f, "
                    + "recent loss %.4f, recent error rate %.3f%n",
                pass + 1,
                report.getSamples(),
                report.getSteps(),
                report.getMeanLoss(),
                report.getWindowLoss(),
                report.getWindowErrorRate());
          }
        }
      }
    } finally {
      Runtime.getRuntime().removeShutdownHook(shutdown);
      instance.close();
    }
    System.err.println("demo finished; the broker's files are removed.");
    return ExitCodes.OK;
  }

  /** The label of a sample sent earlier, as JSON on the labels topic. */
  private static void sendLabel(
      KafkaProducer<byte[], byte[]> producer, StreamSettings settings, Sample labelled) {
    byte[] value =
        ("{\"id\": \"" + labelled.id() + "\", \"label\": " + (int) labelled.label()[0] + "}")
            .getBytes(StandardCharsets.UTF_8);
    producer.send(new ProducerRecord<>(settings.labels().labelsTopic(), key(), value));
  }

  /** The bundled spec, waiting up to ten minutes for labels with --delayed-labels. */
  private byte[] spec() throws Exception {
    String json = new String(resource("/models/digits.json"), StandardCharsets.UTF_8).strip();
    if (delayedLabels) {
      json = json.substring(0, json.lastIndexOf('}')) + ", \"label_wait_ms\": 600000}";
    }
    return json.getBytes(StandardCharsets.UTF_8);
  }

  private static void readUntil(
      KafkaConsumer<byte[], byte[]> consumer,
      StreamSettings settings,
      long expected,
      ProgressTable table,
      long[] seen,
      LossReport[] lastReport) {
    OutputDecoder outputs = new OutputDecoder();
    long deadline = System.currentTimeMillis() + 120_000;
    while (seen[0] < expected && System.currentTimeMillis() < deadline) {
      for (var record : consumer.poll(Duration.ofMillis(200))) {
        if (record.topic().equals(settings.lossTopic())) {
          lastReport[0] = outputs.lossReport(record.value());
          continue;
        }
        if (record.topic().equals(settings.labels().outcomesTopic())) {
          io.streamgrad.avro.Outcome o = outputs.outcome(record.value());
          table.add(
              o.getLoss(),
              String.valueOf((int) (double) o.getLabel().get(0)),
              String.valueOf(o.getDecision()));
          continue;
        }
        Prediction p = outputs.prediction(record.value());
        seen[0]++;
        if (p.getLabel() == null) {
          continue; // its label comes later: the table shows it then, from its outcome
        }
        String label =
            p.getLabel() == null ? "unknown" : String.valueOf((int) (double) p.getLabel().get(0));
        table.add(p.getLoss(), label, String.valueOf(p.getDecision()));
      }
    }
  }

  private static KafkaConsumer<byte[], byte[]> consumer(String bootstrap, StreamSettings settings) {
    KafkaConsumer<byte[], byte[]> consumer =
        KafkaClients.readCommittedConsumer(
            bootstrap,
            Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, "streamgrad-demo-table",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"));
    consumer.subscribe(
        List.of(
            settings.predictionsTopic(), settings.lossTopic(), settings.labels().outcomesTopic()));
    return consumer;
  }

  private static byte[] key() {
    return MODEL.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] resource(String name) throws Exception {
    try (InputStream in = DemoCommand.class.getResourceAsStream(name)) {
      return in.readAllBytes();
    }
  }

  static List<Sample> digits() throws Exception {
    List<Sample> samples = new ArrayList<>();
    try (InputStream in = DemoCommand.class.getResourceAsStream("/datasets/digits.csv")) {
      SampleFile.read(
          in,
          SampleFile.Format.CSV,
          "label",
          line -> {
            if (line.sample() != null) {
              samples.add(line.sample());
            }
          });
    }
    return samples;
  }
}
