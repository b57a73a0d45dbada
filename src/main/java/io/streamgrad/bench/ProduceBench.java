package io.streamgrad.bench;

import io.streamgrad.learn.Sample;
import io.streamgrad.records.SampleAvroFile;
import io.streamgrad.records.SampleDecoder;
import io.streamgrad.service.KafkaClients;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * {@code bench produce}: the produce command against the limit the broker sets, Kafka's own
 * producer performance tool (org.apache.kafka.tools.ProducerPerformance), on the same broker, with
 * as many records of the same size and the same producer settings (produce's linger.ms=5,
 * acks=all), each into a topic of one partition. Fresh JVMs, taking turns, round after round; the
 * ratio produce / tool of each round and their median.
 */
final class ProduceBench {
  private static final String PRODUCE = "io.streamgrad.cli.Main";
  private static final String TOOL = "org.apache.kafka.tools.ProducerPerformance";
  private static final Pattern PRODUCE_RATE = Pattern.compile("(\\d+)/s");
  private static final Pattern TOOL_RATE = Pattern.compile("([\\d.]+) records/sec");

  private final String bootstrap;
  private final Path dir;
  private final PrintStream out;

  ProduceBench(String bootstrap, Path dir, PrintStream out) {
    this.bootstrap = bootstrap;
    this.dir = dir;
    this.out = out;
  }

  boolean run(String size, int samples, int rounds) throws Exception {
    Path avro = dir.resolve(size + ".produce.avro");
    try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(avro), 1 << 16)) {
      SampleAvroFile.write(() -> ReplayBench.samples(size, samples), file);
    }
    int recordSize = averageRecordSize(size);
    out.printf(
        Locale.ROOT,
        "%s: %,d samples from %s, Avro records of %d bytes; the tool: --record-size %d%n",
        size,
        samples,
        avro,
        recordSize,
        recordSize);
    double[] ratios = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      String ours = "bench.produce." + size + "." + r;
      String theirs = "bench.produce-tool." + size + "." + r;
      createTopics(ours, theirs);
      Double produce =
          rate(
              PRODUCE_RATE,
              true,
              PRODUCE,
              "produce",
              "--samples",
              avro.toString(),
              "--model",
              "bench",
              "--bootstrap-servers",
              bootstrap,
              "--topic",
              ours);
      Double tool =
          rate(
              TOOL_RATE,
              false,
              TOOL,
              "--topic",
              theirs,
              "--num-records",
              String.valueOf(samples),
              "--record-size",
              String.valueOf(recordSize),
              "--throughput",
              "-1",
              "--producer-props",
              "bootstrap.servers=" + bootstrap,
              "linger.ms=5");
      deleteTopics(ours, theirs);
      if (produce == null || tool == null) {
        return false;
      }
      ratios[r] = produce / tool;
      out.printf(
          Locale.ROOT,
          "%s round %d: produce %,.0f records/s, Kafka's producer tool %,.0f records/s: %.2f%n",
          size,
          r + 1,
          produce,
          tool,
          ratios[r]);
    }
    double[] sorted = ratios.clone();
    Arrays.sort(sorted);
    out.printf(
        Locale.ROOT,
        "%s produce / Kafka's producer tool: %.2f (median of %d rounds)%n",
        size,
        sorted[rounds / 2],
        rounds);
    return true;
  }

  private static int averageRecordSize(String size) {
    SampleDecoder codec = new SampleDecoder();
    long bytes = 0;
    int n = 0;
    for (Iterator<Sample> it = ReplayBench.samples(size, 1000); it.hasNext(); n++) {
      bytes += codec.encodeAvro(it.next()).length;
    }
    return (int) Math.round((double) bytes / n);
  }

  private void createTopics(String... names) throws Exception {
    try (Admin admin = KafkaClients.admin(bootstrap, Map.of())) {
      List<NewTopic> topics = new ArrayList<>();
      for (String name : names) {
        topics.add(new NewTopic(name, 1, (short) 1));
      }
      admin.createTopics(topics).all().get();
    }
  }

  private void deleteTopics(String... names) throws Exception {
    try (Admin admin = KafkaClients.admin(bootstrap, Map.of())) {
      admin.deleteTopics(List.of(names)).all().get();
    }
  }

  /**
   * Runs a child JVM and finds the last rate it printed (on stderr or stdout); null if it failed.
   */
  private static Double rate(Pattern pattern, boolean onStderr, String main, String... args)
      throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                BenchCommand.javaExecutable(), "-cp", System.getProperty("java.class.path"), main));
    command.addAll(Arrays.asList(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    if (onStderr) {
      builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    } else {
      builder.redirectError(ProcessBuilder.Redirect.INHERIT);
    }
    Process child = builder.start();
    String text =
        new String(
            (onStderr ? child.getErrorStream() : child.getInputStream()).readAllBytes(),
            StandardCharsets.UTF_8);
    if (child.waitFor() != 0) {
      System.err.println(text);
      return null;
    }
    Matcher matcher = pattern.matcher(text);
    Double last = null;
    while (matcher.find()) {
      last = Double.valueOf(matcher.group(1));
    }
    return last;
  }
}
