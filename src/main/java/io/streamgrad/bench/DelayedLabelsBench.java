package io.streamgrad.bench;

import io.streamgrad.learn.Label;
import io.streamgrad.learn.ModelFile;
import io.streamgrad.learn.Sample;
import io.streamgrad.records.LabelDecoder;
import io.streamgrad.records.SampleDecoder;
import io.streamgrad.stream.LabelSettings;
import io.streamgrad.stream.StreamMetrics;
import io.streamgrad.stream.StreamSettings;
import io.streamgrad.stream.StreamgradTopology;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Properties;
import java.util.SplittableRandom;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;

/**
 * Delayed labels end to end on a real broker (exactly_once_v2): the learner over the same samples
 * with their labels (immediate) and without, each label on the labels topic a fixed number of
 * samples later (delayed), side by side in one run; the bytes a pending sample takes; and the time
 * a fresh instance takes to restore a pending store of many samples from its changelog.
 */
final class DelayedLabelsBench {
  private final E2eBench e2e;
  private final PrintStream out;

  DelayedLabelsBench(E2eBench e2e, PrintStream out) {
    this.e2e = e2e;
    this.out = out;
  }

  /** Where the delayed runs' labels go. */
  enum LabelsOn {
    /**
     * The labels topic: a pre-loaded backlog of two partitions is read at about the same bytes per
     * fetch from each, so the small label records run ahead of their samples (nearly every label
     * waits for its sample), as when an instance catches up.
     */
    LABELS_TOPIC,
    /**
     * The samples topic, each label lag samples after its sample: one partition's order, so every
     * label is processed lag samples after its sample, as when an instance keeps up.
     */
    SAMPLES_TOPIC
  }

  /**
   * Immediate, delayed, immediate, delayed (for each place of the labels): the best of each,
   * samples per second and samples per second of the stream thread on a CPU (the thread shares two
   * cores with the broker, the clients and whatever else runs: per CPU-second is the steadier
   * figure on a busy machine).
   */
  void throughput(String size, int samples, int lag) throws Exception {
    double[] immediate = new double[2];
    double[][] delayed = new double[LabelsOn.values().length][2];
    for (int round = 0; round < 2; round++) {
      for (LabelsOn on : LabelsOn.values()) {
        best(immediate, samples, run(size, samples, -1, on));
        best(delayed[on.ordinal()], samples, run(size, samples, lag, on));
      }
    }
    double[] passImmediate = new double[2];
    double[] passDelayed = new double[2];
    for (int round = 0; round < 2; round++) {
      best(passImmediate, samples, passthrough(size, samples, -1));
      best(passDelayed, samples, passthrough(size, samples, lag));
    }
    for (LabelsOn on : LabelsOn.values()) {
      out.printf(
          Locale.ROOT,
          "%-11s immediate labels %8.0f samples/s   labels %d samples later on the %s topic"
              + " %8.0f samples/s   ratio %.2f   per CPU-second %8.0f and %8.0f, ratio %.2f%n",
          size,
          immediate[0],
          lag,
          on == LabelsOn.SAMPLES_TOPIC ? "samples" : "labels",
          delayed[on.ordinal()][0],
          delayed[on.ordinal()][0] / immediate[0],
          immediate[1],
          delayed[on.ordinal()][1],
          delayed[on.ordinal()][1] / immediate[1]);
    }
    // Kafka's share alone: what the delayed records cost a topology that does nothing with them,
    // added to what the immediate learner costs, bounds the delayed learner from above.
    double extra = 1 / passDelayed[1] - 1 / passImmediate[1];
    out.printf(
        Locale.ROOT,
        "%-11s passthrough of the same records (samples topic, one record out per record in), per"
            + " CPU-second: immediate %8.0f samples/s, delayed %8.0f samples/s, ratio %.2f;"
            + " Kafka's extra %.2f us a delayed sample, so delayed / immediate learner can reach"
            + " at most %.2f%n",
        size,
        passImmediate[1],
        passDelayed[1],
        passDelayed[1] / passImmediate[1],
        extra * 1e6,
        (1 / immediate[1]) / (1 / immediate[1] + extra));
  }

  /**
   * The records of a run with labels on the samples topic (lag < 0: every sample carries its
   * label), each forwarded as it is to an output topic by a topology of the learner's inputs and
   * nothing else: a sample and its delayed label are two records in and two out, as they are for
   * the learner (which also sends its changelog at the commit: the labelled marker, and a served
   * entry still pending then).
   */
  private E2eBench.Run passthrough(String size, int samples, int lag) throws Exception {
    String prefix = "bench-labels-pass-" + size + "-" + System.nanoTime();
    StreamSettings settings = e2e.settings(prefix);
    e2e.createTopics(prefix, settings, 1);
    int records =
        preload(
            settings, size, samples, lag, LabelsOn.SAMPLES_TOPIC, System.currentTimeMillis(), true);
    Properties props = e2e.props(prefix, "exactly_once_v2", settings);
    Topology topology = new Topology();
    topology.addSource(
        "in",
        new ByteArrayDeserializer(),
        new ByteArrayDeserializer(),
        settings.samplesTopic(),
        settings.modelsTopic(),
        settings.labels().labelsTopic());
    topology.addSink(
        "out", prefix + ".pass-out", new ByteArraySerializer(), new ByteArraySerializer(), "in");
    KafkaStreams streams = new KafkaStreams(topology, props);
    E2eBench.Run run = E2eBench.measure(streams, records);
    E2eBench.close(streams);
    e2e.deleteTopics(prefix);
    return run;
  }

  /** Keeps the best samples per second, and per CPU-second of the stream thread, of a run. */
  private static void best(double[] best, int samples, E2eBench.Run run) {
    best[0] = Math.max(best[0], samples / run.seconds());
    best[1] = Math.max(best[1], samples / run.seconds() / run.onCpu());
  }

  /**
   * One run over samples; lag < 0: every sample carries its label.
   *
   * <p>The model's spec is learnt first, by an instance of its own that then stops, and only then
   * are the samples and labels loaded: an instance that finds the spec beside a backlog of samples
   * and labels may fetch the spec after thousands of them (the labels partition, of small records,
   * comes back fuller), and those then wait for it in the waiting room. That is a start-up cost,
   * which one run of a pair paid and the other not, depending on the fetch order; here neither
   * does, and the pair compares what a sample costs once its model exists.
   */
  private E2eBench.Run run(String size, int samples, int lag, LabelsOn on) throws Exception {
    String prefix = "bench-labels-" + size + "-" + System.nanoTime();
    StreamSettings settings = e2e.settings(prefix);
    e2e.createTopics(prefix, settings, 1);
    long start = System.currentTimeMillis();
    sendSpec(settings, size, start);
    Properties specProps = e2e.props(prefix, "exactly_once_v2", settings);
    KafkaStreams specOnly =
        new KafkaStreams(
            StreamgradTopology.build(settings, new StreamMetrics(), specProps), specProps);
    E2eBench.measure(specOnly, 1);
    E2eBench.close(specOnly);
    int records = preload(settings, size, samples, lag, on, start, false) - 1;
    Properties props = e2e.props(prefix, "exactly_once_v2", settings);
    KafkaStreams streams =
        new KafkaStreams(StreamgradTopology.build(settings, new StreamMetrics(), props), props);
    E2eBench.Run run = E2eBench.measure(streams, records);
    E2eBench.close(streams);
    e2e.deleteTopics(prefix);
    return run;
  }

  /**
   * The spec, then the samples (and their labels, lag samples later, timed so that Kafka Streams
   * takes each after the sample it follows); lag 0: samples without labels, and no labels.
   *
   * @return the records to process
   */
  private int preload(StreamSettings settings, String size, int samples, int lag) throws Exception {
    return preload(
        settings, size, samples, lag, LabelsOn.LABELS_TOPIC, System.currentTimeMillis(), true);
  }

  /**
   * @param start the spec's time; the samples and labels come after it
   * @param withSpec whether to send the spec first (false: it was sent already)
   * @return the records to process, the spec counted
   */
  private int preload(
      StreamSettings settings,
      String size,
      int samples,
      int lag,
      LabelsOn on,
      long start,
      boolean withSpec)
      throws Exception {
    String[] sizes = size.split("-", -1);
    int inputs = Integer.parseInt(sizes[0]);
    int outputs = Integer.parseInt(sizes[sizes.length - 1]);
    SampleDecoder codec = new SampleDecoder();
    SplittableRandom random = new SplittableRandom(1);
    byte[] key = "m".getBytes(StandardCharsets.UTF_8);
    if (withSpec) {
      sendSpec(settings, size, start);
    }
    int records = 1;
    // A send that fails (a batch that expired on a busy machine) would leave the run waiting for
    // records that never come: every send is checked.
    java.util.concurrent.atomic.AtomicReference<Exception> failed =
        new java.util.concurrent.atomic.AtomicReference<>();
    org.apache.kafka.clients.producer.Callback check =
        (metadata, e) -> {
          if (e != null) {
            failed.compareAndSet(null, e);
          }
        };
    LabelDecoder labels = new LabelDecoder();
    int[] ys = new int[samples];
    try (KafkaProducer<byte[], byte[]> producer = e2e.producer()) {
      for (int s = 0; s < samples; s++) {
        int y = outputs > 1 ? random.nextInt(outputs) : random.nextInt(2);
        ys[s] = y;
        double[] x = random.doubles(inputs, 0, 1).toArray();
        boolean carries = lag < 0;
        Sample sample = new Sample("p" + s, x, carries ? new double[] {y} : null, 0);
        var unused =
            producer.send(
                new ProducerRecord<>(
                    settings.samplesTopic(), null, start + 2L * s, key, codec.encodeAvro(sample)),
                check);
        records++;
        if (lag > 0 && on == LabelsOn.LABELS_TOPIC) {
          byte[] label =
              ("{\"id\": \"p" + s + "\", \"label\": " + y + "}").getBytes(StandardCharsets.UTF_8);
          unused =
              producer.send(
                  new ProducerRecord<>(
                      settings.labels().labelsTopic(),
                      null,
                      start + 2L * (s + lag) + 1,
                      key,
                      label),
                  check);
          records++;
        } else if (lag > 0 && s >= lag) {
          // In one partition the order is the offsets': the label of sample s - lag goes now.
          sendLabel(
              producer, settings, labels, key, s - lag, ys[s - lag], start + 2L * s + 1, check);
          records++;
        }
      }
      for (int s = Math.max(0, samples - lag);
          lag > 0 && on == LabelsOn.SAMPLES_TOPIC && s < samples;
          s++) {
        sendLabel(producer, settings, labels, key, s, ys[s], start + 2L * (s + lag) + 1, check);
        records++;
      }
      producer.flush();
    }
    if (failed.get() != null) {
      throw new IllegalStateException("pre-loading failed: " + failed.get(), failed.get());
    }
    return records;
  }

  /** The label of sample s, in Avro as the samples are, on the samples topic. */
  private static void sendLabel(
      KafkaProducer<byte[], byte[]> producer,
      StreamSettings settings,
      LabelDecoder labels,
      byte[] key,
      int s,
      int y,
      long time,
      org.apache.kafka.clients.producer.Callback check) {
    var unused =
        producer.send(
            new ProducerRecord<>(
                settings.samplesTopic(),
                null,
                time,
                key,
                labels.encodeAvro(new Label("p" + s, new double[] {y}, 0))),
            check);
  }

  /** The spec of model "m" of this size, with a label wait of a day. */
  private void sendSpec(StreamSettings settings, String size, long time) throws Exception {
    String spec = ModelFile.sketch("m", size).strip();
    spec = spec.substring(0, spec.lastIndexOf('}')) + ", \"label_wait_ms\": 86400000}";
    try (KafkaProducer<byte[], byte[]> producer = e2e.producer()) {
      producer
          .send(
              new ProducerRecord<>(
                  settings.modelsTopic(),
                  null,
                  time,
                  "m".getBytes(StandardCharsets.UTF_8),
                  spec.getBytes(StandardCharsets.UTF_8)))
          .get();
    }
  }

  /**
   * A model of this size with label_wait_ms learns this many samples without labels, which all stay
   * pending; then a fresh instance (new state directory) restores them from the changelog. Prints
   * the changelog's bytes per pending sample, the heap a pending sample takes in the restored
   * instance, and the restore time.
   */
  void restore(String size, int pending) throws Exception {
    String prefix = "bench-pending-" + System.nanoTime();
    // A bound the pending samples fit in (about 0.8 KB each at 64 features): none is dropped.
    StreamSettings settings =
        e2e.settings(prefix)
            .withLabels(
                new LabelSettings(
                    prefix + ".labels", prefix + ".outcomes", 2048L * pending + (64L << 20)));
    e2e.createTopics(prefix, settings, 1);
    int records = preload(settings, size, pending, 0);
    Properties props = e2e.props(prefix, "exactly_once_v2", settings);
    StreamMetrics firstMetrics = new StreamMetrics();
    KafkaStreams first =
        new KafkaStreams(StreamgradTopology.build(settings, firstMetrics, props), props);
    E2eBench.Run learnt = E2eBench.measure(first, records);
    long kept = firstMetrics.pending();
    E2eBench.close(first);
    if (kept != pending) {
      throw new IllegalStateException(pending + " samples learnt but " + kept + " pending");
    }
    long[] changelog =
        e2e.changelogSize(prefix + "-" + StreamSettings.PENDING_STORE + "-changelog");

    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    System.gc();
    long heapBefore = memory.getHeapMemoryUsage().getUsed();
    Properties again = e2e.props(prefix, "exactly_once_v2", settings);
    StreamMetrics metrics = new StreamMetrics();
    KafkaStreams second =
        new KafkaStreams(StreamgradTopology.build(settings, metrics, again), again);
    long start = System.nanoTime();
    second.start();
    while (metrics.pending() < pending) {
      if (System.nanoTime() - start > 600e9) {
        throw new IllegalStateException("restore did not finish in 600 s");
      }
      Thread.sleep(10);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    System.gc();
    long heapAfter = memory.getHeapMemoryUsage().getUsed();
    E2eBench.close(second);
    e2e.deleteTopics(prefix);
    out.printf(
        Locale.ROOT,
        "%d pending samples of %s (learnt at %.0f samples/s): changelog %.0f bytes per pending"
            + " sample (values), heap %.0f bytes per pending sample after restore; restore by a"
            + " fresh instance %.1f s (start to every pending sample indexed, rebalance"
            + " included)%n",
        pending,
        size,
        learnt.rate(),
        changelog[0] == 0 ? 0.0 : (double) changelog[1] / changelog[0],
        (heapAfter - heapBefore) / (double) pending,
        seconds);
  }
}
