package io.streamgrad.bench;

import io.streamgrad.learn.ModelFile;
import io.streamgrad.learn.Sample;
import io.streamgrad.learn.StatsSettings;
import io.streamgrad.records.OutputDecoder;
import io.streamgrad.records.OutputFormat;
import io.streamgrad.records.SampleDecoder;
import io.streamgrad.records.SampleFile;
import io.streamgrad.service.KafkaClients;
import io.streamgrad.service.StreamsProperties;
import io.streamgrad.stream.LabelSettings;
import io.streamgrad.stream.ModelQuery;
import io.streamgrad.stream.StreamMetrics;
import io.streamgrad.stream.StreamSettings;
import io.streamgrad.stream.StreamgradTopology;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.SplittableRandom;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.query.StateQueryRequest;

/**
 * The end-to-end benchmark against a real broker: for each size and guarantee, the same pre-loaded
 * samples go through two passthrough topologies (the samples topic alone, and the learner's own
 * input: samples and specs through one source) and through the learner, one after the other in one
 * run; then the latency from produce to a read_committed prediction, the changelog bytes per
 * second, and the restore time of K models after a restart.
 *
 * <p>Throughput is counted the same way for both topologies: Kafka Streams' own process-total
 * metric, from the first record processed to the last (so start-up and rebalancing are not in it).
 */
final class E2eBench {
  /** The most sample bytes pre-loaded for one size and guarantee. */
  static final long MAX_PRELOAD_BYTES = 600_000_000L;

  private final String bootstrap;
  private final PrintStream out;
  private final long commitMs;
  private final Path stateRoot;

  private final Map<String, String> overrides;

  E2eBench(String bootstrap, long commitMs, Map<String, String> overrides, PrintStream out)
      throws Exception {
    this.overrides = Map.copyOf(overrides);
    this.bootstrap = bootstrap;
    this.commitMs = commitMs;
    this.out = out;
    this.stateRoot = Files.createTempDirectory("streamgrad-bench-");
  }

  /**
   * One size, one guarantee: passthrough and learner side by side on the same pre-loaded samples,
   * twice in alternation (pass, learn, pass, learn), best of each, so that neither profits from
   * going second (warm caches, JIT).
   *
   * @param kernelSeconds how long the nn kernel alone runs (after a warm-up as long) right before
   *     each learner run: the learner/kernel ratio compares two runs next to each other in time
   */
  void throughput(String size, String guarantee, int samples, double kernelSeconds)
      throws Exception {
    String prefix = "bench-" + size + "-" + guarantee.replace('_', '-') + "-" + System.nanoTime();
    StreamSettings settings = settings(prefix);
    createTopics(prefix, settings, 1);
    int n = preload(settings, spec(size), size, samples);

    double passRate = 0;
    double passOnCpu = 0;
    double passFetchWait = 0;
    double passCommitWait = 0;
    double bothRate = 0;
    double shortestRun = Double.MAX_VALUE;
    Run best = null;
    double bestKernel = 0;
    double[] latency = null;
    long commits = 0;
    String lastLearner = null;
    for (int round = 0; round < 2; round++) {
      Properties passProps = props(prefix + "-pass-" + round, guarantee, settings);
      Topology passthrough = new Topology();
      passthrough.addSource(
          "in", new ByteArrayDeserializer(), new ByteArrayDeserializer(), settings.samplesTopic());
      passthrough.addSink(
          "out", prefix + ".pass-out", new ByteArraySerializer(), new ByteArraySerializer(), "in");
      Run pass = run(passthrough, passProps, n);
      shortestRun = Math.min(shortestRun, pass.seconds);
      if (pass.rate > passRate) {
        passRate = pass.rate;
        passOnCpu = pass.onCpu;
        passFetchWait = pass.fetchWait;
        passCommitWait = pass.commitWait;
      }

      // The learner's own input: samples and specs through one source, so each task has two
      // partitions, as the learner's tasks do (with task idling on, Kafka Streams would check the
      // idle specs partition before each record).
      Properties bothProps = props(prefix + "-both-" + round, guarantee, settings);
      Topology both = new Topology();
      both.addSource(
          "in",
          new ByteArrayDeserializer(),
          new ByteArrayDeserializer(),
          settings.samplesTopic(),
          settings.modelsTopic());
      both.addSink(
          "out", prefix + ".pass-out", new ByteArraySerializer(), new ByteArraySerializer(), "in");
      Run bothRun = run(both, bothProps, n + 1);
      bothRate = Math.max(bothRate, bothRun.rate);
      shortestRun = Math.min(shortestRun, bothRun.seconds);

      lastLearner = prefix + "-learn-" + round;
      Properties learnProps = props(lastLearner, guarantee, settings);
      KafkaStreams streams =
          new KafkaStreams(
              StreamgradTopology.build(
                  settings, new StreamMetrics(), learnProps, RegistryFramedSamples.wire()),
              learnProps);
      double kernel = new KernelBench(size).measure(kernelSeconds);
      Run run = measure(streams, n + 1); // the spec is a record too
      shortestRun = Math.min(shortestRun, run.seconds);
      if (best == null || run.rate > best.rate) {
        best = run;
        bestKernel = kernel;
      }
      if (round == 1) {
        latency = latency(settings, size, streams);
      }
      commits = (long) threadMetric(streams, "commit-total");
      close(streams);
    }
    long[] changelog = changelogSize(lastLearner + "-" + StreamSettings.STORE + "-changelog");
    double modelKb = changelog[0] == 0 ? 0 : changelog[1] / 1024.0 / changelog[0];
    out.printf(
        Locale.ROOT,
        "%-11s %-16s passthrough %8.0f/s (samples + specs %8.0f/s)  learner %8.0f/s"
            + "  ratio %.2f (%.2f)  |  kernel %8.0f steps/s"
            + "  learner/kernel %.2f  |  latency p50 %4.0f ms p99 %4.0f ms  |  changelog %d records of %.1f KB in %d commits"
            + " (bound: 1 changed model per commit = %.1f KB/s)%n",
        size,
        guarantee,
        passRate,
        bothRate,
        best.rate,
        best.rate / passRate,
        best.rate / bothRate,
        bestKernel,
        best.rate / bestKernel,
        latency[0],
        latency[1],
        changelog[0],
        modelKb,
        commits,
        modelKb / (commitMs / 1000.0));
    out.printf(
        Locale.ROOT,
        "%-11s %-16s the learner's stream thread ran on a CPU %.0f %% of the measured time"
            + ", waited for fetches %.0f %% and in commits %.0f %% (the passthrough's: %.0f %%, %.0f %%, %.0f %%)%n",
        "",
        "",
        100 * best.onCpu,
        100 * best.fetchWait,
        100 * best.commitWait,
        100 * passOnCpu,
        100 * passFetchWait,
        100 * passCommitWait);
    // The same ratios per second of CPU each stream thread got: what they would be if each had a
    // core of its own (on a machine shared with the broker and the clients' network threads the
    // threads get unequal shares, and the rates above move with them).
    out.printf(
        Locale.ROOT,
        "%-11s %-16s per CPU-second of its stream thread: learner %.0f/s, passthrough %.0f/s"
            + ", ratio %.2f; learner/kernel %.2f%n",
        "",
        "",
        best.rate / best.onCpu,
        passRate / passOnCpu,
        (best.rate / best.onCpu) / (passRate / passOnCpu),
        best.rate / best.onCpu / bestKernel);
    if (shortestRun < 3 * commitMs / 1000.0) {
      // A run of one or two commit intervals pays for zero, one or two commits: luck, not cost.
      out.printf(
          Locale.ROOT,
          "%-11s %-16s note: the shortest run lasted %.1f s, under 3 commit intervals; "
              + "its rate depends on how many commits fell into it (more --samples, up to ~600 MB, or a "
              + "shorter --commit-interval-ms)%n",
          "",
          "",
          shortestRun);
    }
    deleteTopics(prefix);
  }

  /** K models of one size restored from the changelog by a fresh instance. */
  void restore(int models, String size) throws Exception {
    String prefix = "bench-restore-" + System.nanoTime();
    StreamSettings settings = settings(prefix);
    createTopics(prefix, settings, 1);
    SampleDecoder codec = new SampleDecoder();
    SplittableRandom random = new SplittableRandom(3);
    String[] sizes = size.split("-");
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      for (int m = 0; m < models; m++) {
        byte[] key = ("m" + m).getBytes(StandardCharsets.UTF_8);
        producer.send(
            new ProducerRecord<>(
                settings.modelsTopic(),
                key,
                ModelFile.sketch("m" + m, size).getBytes(StandardCharsets.UTF_8)));
      }
      producer.flush();
      for (int m = 0; m < models; m++) {
        producer.send(
            new ProducerRecord<>(
                settings.samplesTopic(),
                ("m" + m).getBytes(StandardCharsets.UTF_8),
                codec.encodeAvro(
                    new Sample(
                        "r" + m,
                        random.doubles(Integer.parseInt(sizes[0]), 0, 1).toArray(),
                        new double[] {random.nextInt(Integer.parseInt(sizes[2]))},
                        0))));
      }
    }
    Properties props = props(prefix, "exactly_once_v2", settings);
    KafkaStreams first =
        new KafkaStreams(StreamgradTopology.build(settings, new StreamMetrics(), props), props);
    measure(first, 2 * models);
    close(first);
    Properties again = props(prefix, "exactly_once_v2", settings); // a new, empty state directory
    KafkaStreams second =
        new KafkaStreams(StreamgradTopology.build(settings, new StreamMetrics(), again), again);
    long start = System.nanoTime();
    second.start();
    int found = 0;
    while (found < models) {
      try {
        if (second.state() == KafkaStreams.State.RUNNING) {
          var result =
              second.query(
                  StateQueryRequest.inStore(StreamSettings.STORE).withQuery(new ModelQuery(null)));
          found =
              result.getPartitionResults().values().stream()
                  .filter(r -> r.isSuccess())
                  .mapToInt(r -> r.getResult().size())
                  .sum();
        }
      } catch (RuntimeException notYet) {
        // restoring
      }
      if (System.nanoTime() - start > 120e9) {
        throw new IllegalStateException("restore did not finish in 120 s");
      }
      Thread.sleep(10);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    close(second);
    out.printf(
        Locale.ROOT,
        "restore of %d models of %s from the changelog by a fresh instance: %.2f s "
            + "(from start to all models queryable, rebalance included)%n",
        models,
        size,
        seconds);
    deleteTopics(prefix);
  }

  /**
   * @param onCpu the share of the measured time the stream thread was running (CPU time / wall
   *     time)
   * @param fetchWait the share it waited in the main consumer's poll for records to arrive
   * @param commitWait the share it waited in the producer's flush and transaction calls
   */
  record Run(double rate, double seconds, double onCpu, double fetchWait, double commitWait) {}

  private Run run(Topology topology, Properties props, int n) throws Exception {
    KafkaStreams streams = new KafkaStreams(topology, props);
    Run run = measure(streams, n);
    close(streams);
    return run;
  }

  /** Starts streams and times records n processed by its thread, from the first to the last. */
  static Run measure(KafkaStreams streams, int n) throws InterruptedException {
    streams.start();
    long first = 0;
    long firstCpu = 0;
    double firstFetchWait = 0;
    double firstCommitWait = 0;
    long thread = -1;
    long deadline = System.nanoTime() + 600_000_000_000L;
    double processed = 0;
    while (processed < n) {
      processed = processTotal(streams);
      if (first == 0 && processed > 0) {
        first = System.nanoTime();
        thread = streamThreadId(streams);
        firstCpu = THREADS.getThreadCpuTime(thread);
        firstFetchWait = clientMetric(streams, "-consumer", FETCH_WAIT);
        firstCommitWait = clientMetric(streams, "-producer", COMMIT_WAIT);
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "only " + processed + " of " + n + " records processed in 10 minutes");
      }
      Thread.sleep(5);
    }
    long wall = System.nanoTime() - first;
    double onCpu = (THREADS.getThreadCpuTime(thread) - firstCpu) / (double) wall;
    double fetchWait = (clientMetric(streams, "-consumer", FETCH_WAIT) - firstFetchWait) / wall;
    double commitWait = (clientMetric(streams, "-producer", COMMIT_WAIT) - firstCommitWait) / wall;
    return new Run(n / (wall / 1e9), wall / 1e9, onCpu, fetchWait, commitWait);
  }

  /** Time the stream thread's main consumer spent waiting for the network (in poll). */
  private static final Set<String> FETCH_WAIT = Set.of("io-wait-time-ns-total");

  /**
   * Time the stream thread spent in its producer's blocking calls (commit = flush + transaction).
   */
  private static final Set<String> COMMIT_WAIT =
      Set.of(
          "flush-time-ns-total",
          "txn-begin-time-ns-total",
          "txn-send-offsets-time-ns-total",
          "txn-commit-time-ns-total",
          "bufferpool-wait-time-ns-total");

  /**
   * The sum of the named metrics of the stream thread's own client whose id ends with suffix (Kafka
   * Streams' blocked-time-ns-total also counts the restore consumer, another thread's).
   */
  private static double clientMetric(KafkaStreams streams, String suffix, Set<String> names) {
    double total = 0;
    for (Metric metric : streams.metrics().values()) {
      String client = metric.metricName().tags().getOrDefault("client-id", "");
      boolean group =
          metric.metricName().group().equals("consumer-metrics")
              || metric.metricName().group().equals("producer-metrics");
      if (group
          && client.endsWith("StreamThread-1" + suffix)
          && names.contains(metric.metricName().name())) {
        total += ((Number) metric.metricValue()).doubleValue();
      }
    }
    return total;
  }

  private static final java.lang.management.ThreadMXBean THREADS =
      java.lang.management.ManagementFactory.getThreadMXBean();

  /** The id of this instance's (single) stream thread. */
  private static long streamThreadId(KafkaStreams streams) {
    String name = streams.metadataForLocalThreads().iterator().next().threadName();
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (thread.getName().equals(name)) {
        return thread.getId();
      }
    }
    throw new IllegalStateException("no thread named " + name);
  }

  private static double processTotal(KafkaStreams streams) {
    return threadMetric(streams, "process-total");
  }

  private static double threadMetric(KafkaStreams streams, String name) {
    double total = 0;
    for (Metric metric : streams.metrics().values()) {
      if (metric.metricName().group().equals("stream-thread-metrics")
          && metric.metricName().name().equals(name)) {
        total += ((Number) metric.metricValue()).doubleValue();
      }
    }
    return total;
  }

  /** p50 and p99 of produce → read_committed prediction, at a moderate rate, in ms. */
  private double[] latency(StreamSettings settings, String size, KafkaStreams streams)
      throws Exception {
    String[] sizes = size.split("-");
    int inputs = Integer.parseInt(sizes[0]);
    int outputs = Integer.parseInt(sizes[sizes.length - 1]);
    SampleDecoder codec = new SampleDecoder();
    SplittableRandom random = new SplittableRandom(9);
    OutputDecoder predictions = new OutputDecoder().readingRegistry(RegistryFramedSamples.wire());
    int count = 1000;
    List<Long> latencies = new ArrayList<>();
    Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-latency-" + System.nanoTime());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    try (KafkaConsumer<byte[], byte[]> consumer =
            KafkaClients.readCommittedConsumer(bootstrap, props);
        KafkaProducer<byte[], byte[]> producer = producer()) {
      consumer.subscribe(List.of(settings.predictionsTopic()));
      while (consumer.assignment().isEmpty()) {
        consumer.poll(Duration.ofMillis(100));
      }
      consumer.seekToEnd(consumer.assignment());
      consumer.poll(Duration.ofMillis(100));
      Thread sender =
          new Thread(
              () -> {
                for (int s = 0; s < count; s++) {
                  double[] y =
                      outputs > 1
                          ? new double[] {random.nextInt(outputs)}
                          : new double[] {random.nextDouble()};
                  producer.send(
                      new ProducerRecord<>(
                          settings.samplesTopic(),
                          null,
                          System.currentTimeMillis(),
                          "m".getBytes(StandardCharsets.UTF_8),
                          codec.encodeAvro(
                              new Sample(
                                  "live-" + s, random.doubles(inputs, 0, 1).toArray(), y, 0))));
                  try {
                    Thread.sleep(2); // ~500 samples/s: latency, not throughput
                  } catch (InterruptedException e) {
                    return;
                  }
                }
                producer.flush();
              });
      sender.start();
      long deadline = System.currentTimeMillis() + 60_000;
      while (latencies.size() < count && System.currentTimeMillis() < deadline) {
        for (var record : consumer.poll(Duration.ofMillis(20))) {
          long now = System.currentTimeMillis();
          if (predictions.prediction(record.value()).getSampleId().startsWith("live-")) {
            latencies.add(now - record.timestamp());
          }
        }
      }
      sender.join();
    }
    long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
    if (sorted.length == 0) {
      return new double[] {Double.NaN, Double.NaN};
    }
    return new double[] {
      sorted[sorted.length / 2], sorted[Math.min(sorted.length - 1, (int) (sorted.length * 0.99))]
    };
  }

  /** Records and value bytes on a changelog topic (read_committed, from its start). */
  long[] changelogSize(String topic) {
    Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-changelog-" + System.nanoTime());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 32 * 1024 * 1024);
    long records = 0;
    long bytes = 0;
    try (KafkaConsumer<byte[], byte[]> consumer =
        KafkaClients.readCommittedConsumer(bootstrap, props)) {
      consumer.subscribe(List.of(topic));
      int idle = 0;
      while (idle < 10) {
        var polled = consumer.poll(Duration.ofMillis(200));
        idle = polled.isEmpty() ? idle + 1 : 0;
        for (var record : polled) {
          records++;
          bytes += record.value() == null ? 0 : record.value().length;
        }
      }
    }
    return new long[] {records, bytes};
  }

  /**
   * Pre-loads the samples in their JSON form (docs/topics.md) instead of Avro, as kcat and console
   * producers write them: the learner then decodes JSON.
   */
  E2eBench jsonSamples(boolean json) {
    this.jsonSamples = json;
    return this;
  }

  private boolean jsonSamples;

  /**
   * Pre-loads JSON samples with named features (x0, x1, …) for a model whose inputs name and
   * standard-scale them ({@link NamedSketch}): decoding and preprocessing in the learner's path.
   */
  E2eBench namedSamples(boolean named) {
    this.namedSamples = named;
    return this;
  }

  private boolean namedSamples;

  /**
   * Pre-loads the samples in the Confluent wire format and writes the outputs in it ({@code
   * output.format=confluent-avro}), as in a schema registry shop (see RegistryFramedSamples).
   */
  E2eBench confluentFraming(boolean confluent) {
    this.confluent = confluent;
    return this;
  }

  private boolean confluent;

  /**
   * How many of the samples asked for are pre-loaded in the current format: the data is kept under
   * ~600 MB whatever the size (at 784 features that is ~94 k samples, several commit intervals of
   * the learner; the topics are deleted after the run). A named feature takes some 32 bytes of JSON
   * ("x12": 0.123..., ) where Avro takes 8.
   */
  int preloaded(String size, int samples) {
    int inputs = Integer.parseInt(size.substring(0, size.indexOf('-')));
    long bytesPerSample = namedSamples ? inputs * 32L + 64 : inputs * 8L + 64;
    return (int) Math.min(samples, MAX_PRELOAD_BYTES / bytesPerSample);
  }

  /** The spec of the benchmark's one model "m" for the current format. */
  String spec(String size) {
    return namedSamples ? NamedSketch.spec("m", size) : ModelFile.sketch("m", size);
  }

  /** Pre-loads the spec and min(samples, the format's cap) samples; gives how many. */
  int preload(StreamSettings settings, String spec, String size, int samples) throws Exception {
    String[] sizes = size.split("-");
    int inputs = Integer.parseInt(sizes[0]);
    int outputs = Integer.parseInt(sizes[sizes.length - 1]);
    int n = preloaded(size, samples);
    SampleDecoder codec = new SampleDecoder();
    SplittableRandom random = new SplittableRandom(1);
    byte[] key = "m".getBytes(StandardCharsets.UTF_8);
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      producer
          .send(
              new ProducerRecord<>(
                  settings.modelsTopic(), key, spec.getBytes(StandardCharsets.UTF_8)))
          .get();
      for (int s = 0; s < n; s++) {
        double[] y =
            outputs > 1
                ? new double[] {random.nextInt(outputs)}
                : new double[] {random.nextDouble()};
        Sample sample = new Sample("p" + s, random.doubles(inputs, 0, 1).toArray(), y, 0);
        producer.send(
            new ProducerRecord<>(
                settings.samplesTopic(),
                key,
                namedSamples
                    ? SampleFile.toJson(NamedSketch.named(sample)).getBytes(StandardCharsets.UTF_8)
                    : jsonSamples
                        ? SampleFile.toJson(sample).getBytes(StandardCharsets.UTF_8)
                        : confluent
                            ? RegistryFramedSamples.frame(codec.encodeAvro(sample))
                            : codec.encodeAvro(sample)));
      }
    }
    return n;
  }

  StreamSettings settings(String prefix) {
    return withLabels(
        prefix,
        new StreamSettings(
            prefix + ".samples",
            prefix + ".models",
            prefix + ".predictions",
            prefix + ".loss",
            prefix + ".dead-letters",
            confluent ? OutputFormat.CONFLUENT_AVRO : OutputFormat.AVRO,
            1000,
            1000,
            null,
            StatsSettings.DEFAULT,
            1_000_000,
            16 * 1024 * 1024,
            60_000,
            64L * 1024 * 1024,
            prefix + ".events"));
  }

  private static StreamSettings withLabels(String prefix, StreamSettings settings) {
    return settings.withLabels(
        new LabelSettings(
            prefix + ".labels", prefix + ".outcomes", LabelSettings.DEFAULT.pendingMaxBytes()));
  }

  Properties props(String applicationId, String guarantee, StreamSettings settings)
      throws Exception {
    Properties props =
        StreamsProperties.of(applicationId, bootstrap, guarantee, commitMs, settings);
    props.put(
        StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory(stateRoot, "state").toString());
    props.putAll(overrides); // applies to the passthrough and the learner alike
    return props;
  }

  void createTopics(String prefix, StreamSettings settings, int partitions) throws Exception {
    try (Admin admin = KafkaClients.admin(bootstrap, Map.of())) {
      List<NewTopic> topics = new ArrayList<>();
      for (String name :
          Arrays.asList(
              settings.samplesTopic(),
              settings.modelsTopic(),
              settings.predictionsTopic(),
              settings.lossTopic(),
              settings.deadLettersTopic(),
              settings.eventsTopic(),
              settings.labels().labelsTopic(),
              settings.labels().outcomesTopic(),
              prefix + ".pass-out")) {
        topics.add(
            new NewTopic(name, partitions, (short) 1)
                .configs(Map.of("max.message.bytes", "8000000")));
      }
      admin.createTopics(topics).all().get();
    }
  }

  /**
   * Deletes the run's topics, the applications' internal ones included (their names start with the
   * prefix too): the samples, their copies and the predictions of a run take up to ~1 GB on the
   * broker's disk, and a broker whose disk fills slows its commits, then stops.
   */
  void deleteTopics(String prefix) throws Exception {
    try (Admin admin = KafkaClients.admin(bootstrap, Map.of())) {
      List<String> ours =
          admin.listTopics().names().get().stream().filter(t -> t.startsWith(prefix)).toList();
      admin.deleteTopics(ours).all().get();
    }
  }

  KafkaProducer<byte[], byte[]> producer() {
    return KafkaClients.producer(
        bootstrap,
        Map.of(
            ProducerConfig.LINGER_MS_CONFIG, 20,
            ProducerConfig.BATCH_SIZE_CONFIG, 1024 * 1024,
            ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8_000_000));
  }

  static void close(KafkaStreams streams) {
    streams.close(
        CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
            .withTimeout(Duration.ofSeconds(30)));
  }
}
