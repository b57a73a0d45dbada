package io.streamgrad.bench;

import io.streamgrad.stream.StreamMetrics;
import io.streamgrad.stream.StreamSettings;
import io.streamgrad.stream.StreamgradTopology;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Sample formats compared in alternating rounds, for {@code bench e2e --sample-formats a,b}: the
 * same number of samples pre-loaded in each format at once, then the learner over each format in
 * turn, round after round (the order reversed every other round), and each format's median ratio to
 * the first format's, by rate and per CPU-second of the learner's thread. Why: the per-format rows
 * run one format minutes after the other, so a change of load between them moves their ratio as
 * much as the formats do (named against array JSON gave 0.75 and 0.88 on a quiet machine); runs
 * next to each other in time, several times over, give a ratio whose spread can be read.
 */
final class FormatRounds {
  /** Rounds of one learner run per format. */
  static final int ROUNDS = 5;

  private final E2eBench bench;
  private final PrintStream out;

  FormatRounds(E2eBench bench, PrintStream out) {
    this.bench = bench;
    this.out = out;
  }

  /** One format's pre-loaded topics and its runs' results. */
  private record Format(String name, StreamSettings settings, List<E2eBench.Run> runs) {}

  void compare(String size, String guarantee, int samples, List<String> formats) throws Exception {
    // The same sample count in every format: the smallest of their caps.
    int n = samples;
    for (String format : formats) {
      select(format);
      n = Math.min(n, bench.preloaded(size, samples));
    }
    String prefix = "bench-rounds-" + size + "-" + System.nanoTime();
    List<Format> loaded = new ArrayList<>();
    try {
      for (int f = 0; f < formats.size(); f++) {
        select(formats.get(f));
        StreamSettings settings = bench.settings(prefix + "-" + f);
        bench.createTopics(prefix + "-" + f, settings, 1);
        bench.preload(settings, bench.spec(size), size, n);
        loaded.add(new Format(formats.get(f), settings, new ArrayList<>()));
      }
      for (int round = 0; round < ROUNDS; round++) {
        for (int k = 0; k < loaded.size(); k++) {
          int f = round % 2 == 0 ? k : loaded.size() - 1 - k;
          Format format = loaded.get(f);
          select(format.name());
          Properties props =
              bench.props(prefix + "-" + f + "-learn-" + round, guarantee, format.settings());
          KafkaStreams streams =
              new KafkaStreams(
                  StreamgradTopology.build(
                      format.settings(), new StreamMetrics(), props, RegistryFramedSamples.wire()),
                  props);
          format.runs().add(E2eBench.measure(streams, n + 1)); // the spec is a record too
          E2eBench.close(streams);
        }
      }
    } finally {
      bench.deleteTopics(prefix);
    }
    print(size, guarantee, n, loaded);
  }

  private void select(String format) {
    bench.jsonSamples(format.equals("json"));
    bench.namedSamples(format.equals("named-json"));
    bench.confluentFraming(format.equals("confluent"));
  }

  private void print(String size, String guarantee, int n, List<Format> formats) {
    out.printf(
        Locale.ROOT,
        "%-11s %-16s formats in %d alternating rounds of the learner, %,d samples each run%n",
        size,
        guarantee,
        ROUNDS,
        n);
    Format first = formats.get(0);
    for (Format format : formats) {
      double[] rates = new double[ROUNDS];
      double[] perCpu = new double[ROUNDS];
      double[] byRate = new double[ROUNDS];
      double[] byCpu = new double[ROUNDS];
      for (int r = 0; r < ROUNDS; r++) {
        E2eBench.Run run = format.runs().get(r);
        E2eBench.Run base = first.runs().get(r);
        rates[r] = run.rate();
        perCpu[r] = run.rate() / run.onCpu();
        byRate[r] = run.rate() / base.rate();
        byCpu[r] = perCpu[r] / (base.rate() / base.onCpu());
      }
      out.printf(
          Locale.ROOT,
          "%-28s %-10s learner median %8.0f/s, per CPU-second %8.0f/s"
              + "  |  / %s by rate %.2f (%.2f-%.2f), per CPU-second %.2f (%.2f-%.2f)%n",
          "",
          format.name(),
          median(rates),
          median(perCpu),
          first.name(),
          median(byRate),
          min(byRate),
          max(byRate),
          median(byCpu),
          min(byCpu),
          max(byCpu));
    }
  }

  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int m = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
  }

  private static double min(double[] values) {
    return Arrays.stream(values).min().orElse(Double.NaN);
  }

  private static double max(double[] values) {
    return Arrays.stream(values).max().orElse(Double.NaN);
  }
}
