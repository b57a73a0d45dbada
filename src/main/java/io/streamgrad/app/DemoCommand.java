package io.streamgrad.app;

import io.streamgrad.avro.LossReport;
import io.streamgrad.avro.Prediction;
import io.streamgrad.learn.Sample;
import io.streamgrad.stream.AvroCodec;
import io.streamgrad.stream.SampleDecoder;
import io.streamgrad.stream.StreamSettings;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code demo}: everything with no setup. An embedded broker, the topics, the learner under
 * exactly-once, the bundled UCI digits streamed through a 64-32-10 network for a few passes, and
 * the progressive-validation table read back from the loss and prediction topics.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run Streamgrad on an embedded broker with the bundled digits dataset.")
final class DemoCommand implements Callable<Integer> {
  private static final String MODEL = "digits";

  @Option(names = "--passes", defaultValue = "3", description = "passes over the dataset (default: ${DEFAULT-VALUE})")
  int passes;

  @Option(names = "--forever", description = "keep streaming passes until Ctrl-C")
  boolean forever;

  @Option(names = "--limit", defaultValue = "0", description = "samples per pass, 0 for all (for quick runs)")
  int limit;

  @Option(names = "--http-port", defaultValue = "8080", description = "HTTP port (default: ${DEFAULT-VALUE}; a free one if taken)")
  int httpPort;

  @Override
  public Integer call() throws Exception {
    AppConfig config = AppConfig.defaultsOnly()
        .with("application.id", "streamgrad-demo")
        .with("commit.interval.ms", "200")
        .with("loss.every.samples", "50")
        .with("http.port", String.valueOf(httpPort));
    ByteArrayOutputStream startLog = new ByteArrayOutputStream();
    PrintStream quiet = new PrintStream(startLog, true, StandardCharsets.UTF_8);
    System.err.println("starting an embedded Apache Kafka broker (KRaft) and the learner ...");
    Service service;
    try {
      service = Service.start(config, quiet);
    } catch (AppConfig.InvalidSetting portTaken) {
      service = Service.start(config.with("http.port", "0"), quiet);
    }
    Thread shutdown = new Thread(service::close, "streamgrad-demo-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdown);
    StreamSettings settings = service.settings();
    try {
      List<Sample> samples = digits();
      int perPass = limit > 0 ? Math.min(limit, samples.size()) : samples.size();
      System.err.printf(Locale.ROOT, "broker at %s, HTTP at http://127.0.0.1:%d/models; model '%s' "
              + "(64-32-10, sigmoid, softmax_ce, sgd 0.02); %d samples per pass, %s%n",
          service.bootstrapServers(), service.httpPort(), MODEL, perPass, forever ? "until Ctrl-C" : passes + " passes");
      try (KafkaProducer<byte[], byte[]> producer = producer(service.bootstrapServers());
           KafkaConsumer<byte[], byte[]> consumer = consumer(service.bootstrapServers(), settings)) {
        producer.send(new ProducerRecord<>(settings.modelsTopic(), key(), resource("/models/digits.json")));
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
          for (Sample sample : order) {
            Sample tagged = new Sample("p" + pass + "-" + sample.id(), sample.features(), sample.label(), 0);
            producer.send(new ProducerRecord<>(settings.samplesTopic(), key(), codec.encodeAvro(tagged)));
          }
          producer.flush();
          expected += perPass;
          readUntil(consumer, settings, expected, table, seen, lastReport);
          LossReport report = lastReport[0];
          if (report != null) {
            System.out.printf(Locale.ROOT, "-- pass %d: loss topic says %d samples, %d steps, mean loss %.4f, "
                    + "recent loss %.4f, recent error rate %.3f%n", pass + 1, report.getSamples(),
                report.getSteps(), report.getMeanLoss(), report.getWindowLoss(), report.getWindowErrorRate());
          }
        }
      }
    } finally {
      Runtime.getRuntime().removeShutdownHook(shutdown);
      service.close();
    }
    System.err.println("demo finished; the broker's files are removed.");
    return ExitCodes.OK;
  }

  private static void readUntil(KafkaConsumer<byte[], byte[]> consumer, StreamSettings settings, long expected,
      ProgressTable table, long[] seen, LossReport[] lastReport) {
    AvroCodec<Prediction> predictions = new AvroCodec<>(Prediction.getClassSchema());
    AvroCodec<LossReport> losses = new AvroCodec<>(LossReport.getClassSchema());
    long deadline = System.currentTimeMillis() + 120_000;
    while (seen[0] < expected && System.currentTimeMillis() < deadline) {
      for (var record : consumer.poll(Duration.ofMillis(200))) {
        if (record.topic().equals(settings.lossTopic())) {
          lastReport[0] = losses.decode(record.value());
          continue;
        }
        Prediction p = predictions.decode(record.value());
        seen[0]++;
        String label = p.getLabel() == null ? "unknown" : String.valueOf((int) (double) p.getLabel().get(0));
        table.add(p.getLoss(), label, String.valueOf(p.getDecision()));
      }
    }
  }

  private static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
    return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.LINGER_MS_CONFIG, 5),
        new ByteArraySerializer(), new ByteArraySerializer());
  }

  private static KafkaConsumer<byte[], byte[]> consumer(String bootstrap, StreamSettings settings) {
    Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "streamgrad-demo-table");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    consumer.subscribe(List.of(settings.predictionsTopic(), settings.lossTopic()));
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
      SampleFile.read(new InputStreamReader(in, StandardCharsets.UTF_8), true, "label", line -> {
        if (line.sample() != null) {
          samples.add(line.sample());
        }
      });
    }
    return samples;
  }
}
