package io.streamgrad.bench;

import io.streamgrad.service.EmbeddedBroker;
import io.streamgrad.service.ExitCodes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bench}: measurements that belong in BENCHMARKS.md, never in timed tests. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Benchmarks.",
    subcommands = {
      BenchCommand.Kernel.class,
      BenchCommand.EndToEnd.class,
      BenchCommand.Labels.class,
      BenchCommand.Http.class,
      BenchCommand.ReplayFiles.class,
      BenchCommand.Produce.class
    })
public final class BenchCommand {

  @Command(
      name = "kernel",
      mixinStandardHelpOptions = true,
      description = "Single-sample SGD steps/s of the nn code, one line per size: SIZE steps/s.")
  static final class Kernel implements Callable<Integer> {
    @Option(
        names = "--sizes",
        defaultValue = "3-4-2,8-32-1,64-64-10,784-128-10",
        split = ",",
        description = "network sizes (default: ${DEFAULT-VALUE})")
    List<String> sizes;

    @Option(
        names = "--seconds",
        defaultValue = "3",
        description = "warm-up and measurement time per size")
    double seconds;

    @Option(
        names = "--baseline",
        description =
            "also run, side by side, the nn code on its generic loops"
                + " (no shaped kernel) and a plain hand-written loop on each size")
    boolean baseline;

    @Option(
        names = "--pairs",
        defaultValue = "5",
        description =
            "with --baseline: in how many fresh JVMs the nn"
                + " code and the hand-written loop run side by side, taking turns in 0.1 s slices (default: ${DEFAULT-VALUE})")
    int pairs;

    @Override
    public Integer call() throws Exception {
      if (pairs < 1) {
        System.err.println("error: --pairs must be at least 1, got " + pairs);
        return ExitCodes.USAGE;
      }
      for (String size : sizes) {
        // A fresh JVM per size: the JIT's profile of one size must not shape the next.
        if (!(baseline ? sideBySide(size) : runChild(KernelBench.class, size) != null)) {
          System.err.println("error: the benchmark of " + size + " failed");
          return ExitCodes.FAILURE;
        }
      }
      return ExitCodes.OK;
    }

    /**
     * The nn code and the hand-written loop side by side in each of pairs fresh JVMs, taking turns
     * in slices of 0.1 s ({@link SideBySide}), then the median of the JVMs' ratios: on a shared
     * machine the speed drifts by more than the difference between the two, while two slices next
     * to each other see nearly the same machine; fresh JVMs because the JIT does not compile the
     * same code the same way every time.
     */
    private boolean sideBySide(String size) throws Exception {
      if (runChild(KernelBench.class, size, "-D" + GENERIC_LOOPS) == null) {
        return false;
      }
      String handSize = "-D" + HandLoopBaseline.SIZE_PROPERTY + "=" + size;
      double[] ratios = new double[pairs];
      for (int p = 0; p < pairs; p++) {
        String[] words = childLine(SideBySide.class, size, handSize);
        if (words == null || words.length < 4) {
          return false;
        }
        ratios[p] = Double.parseDouble(words[1]);
        System.out.printf(
            Locale.ROOT,
            "%s %s, hand-written loop %s steps/s: nn / hand %s (median of 0.1 s slices)%n",
            size,
            words[2],
            words[3],
            words[1]);
      }
      Arrays.sort(ratios);
      System.out.printf(
          Locale.ROOT,
          "%s nn / hand-written loop: median %.2f (%.2f to %.2f over %d JVMs)%n",
          size,
          ratios[pairs / 2],
          ratios[0],
          ratios[pairs - 1],
          pairs);
      return true;
    }

    /** Turns the nn package's shaped kernels off in a child JVM (see ShapedKernels). */
    private static final String GENERIC_LOOPS = "streamgrad.nn.shaped=false";

    /**
     * Runs a child JVM that prints "SIZE STEPS_PER_SECOND ..."; echoes the line and returns the
     * rate, or null.
     */
    private Double runChild(Class<?> main, String size, String... jvmOptions) throws Exception {
      String[] words = childLine(main, size, jvmOptions);
      if (words == null) {
        return null;
      }
      System.out.println(String.join(" ", words));
      return words.length >= 2 ? Double.valueOf(words[1]) : null;
    }

    /**
     * Runs a child JVM {@code main SIZE SECONDS} and returns the words of what it printed, or null
     * if it failed.
     */
    private String[] childLine(Class<?> main, String size, String... jvmOptions) throws Exception {
      List<String> command = new ArrayList<>(List.of(javaExecutable()));
      command.addAll(List.of(jvmOptions));
      command.addAll(
          List.of(
              "-cp",
              System.getProperty("java.class.path"),
              main.getName(),
              size,
              String.valueOf(seconds)));
      Process child =
          new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      String line =
          new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      return child.waitFor() == 0 ? line.split(" ") : null;
    }
  }

  @Command(
      name = "e2e",
      mixinStandardHelpOptions = true,
      description =
          "End to end on a real broker: passthrough and learner side by side, latency, changelog, restore.")
  static final class EndToEnd implements Callable<Integer> {
    @Option(names = "--bootstrap-servers", description = "a broker; default: an embedded one")
    String bootstrapServers;

    @Option(names = "--sizes", defaultValue = "8-32-1,64-64-10,784-128-10", split = ",")
    List<String> sizes;

    @Option(names = "--guarantees", defaultValue = "exactly_once_v2,at_least_once", split = ",")
    List<String> guarantees;

    @Option(
        names = "--samples",
        defaultValue = "2000000",
        description =
            "pre-loaded samples per run (capped at ~600 MB): enough for runs of several commit intervals")
    int samples;

    @Option(names = "--commit-interval-ms", defaultValue = "1000")
    long commitMs;

    @Option(names = "--restore-models", defaultValue = "100")
    int restoreModels;

    @Option(names = "--restore-size", defaultValue = "64-64-10")
    String restoreSize;

    @Option(
        names = "--kernel-seconds",
        defaultValue = "3",
        description =
            "the nn kernel alone runs this long (after a warm-up as long) right before each learner run")
    double kernelSeconds;

    @Option(
        names = "--sample-formats",
        defaultValue = "avro",
        split = ",",
        description =
            "avro, json (the samples in their JSON form, as kcat writes them), named-json (JSON"
                + " with named features, for a model whose inputs name and standard-scale them),"
                + " confluent (samples and outputs in a schema registry's Confluent wire format),"
                + " or several side by side: json,named-json (default: ${DEFAULT-VALUE})")
    List<String> sampleFormats;

    @Option(
        names = {"-s", "--set"},
        description = "a Kafka Streams setting for both topologies, KEY=VALUE (repeatable)")
    java.util.Map<String, String> streamsSettings = new java.util.HashMap<>();

    @Option(
        names = "--label-lag",
        defaultValue = "0",
        description =
            "with L > 0, also per size the learner with immediate labels beside labels that come"
                + " L samples after their sample (exactly_once_v2), as `bench labels` runs it")
    int labelLag;

    @Override
    public Integer call() throws Exception {
      EmbeddedBroker broker = bootstrapServers == null ? EmbeddedBroker.start() : null;
      try {
        String bootstrap = broker != null ? broker.bootstrapServers() : bootstrapServers;
        if (labelLag < 0) {
          System.err.println("error: --label-lag must be 0 (off) or a number of samples");
          return ExitCodes.USAGE;
        }
        for (String format : sampleFormats) {
          if (!List.of("avro", "json", "named-json", "confluent").contains(format)) {
            System.err.println(
                "error: --sample-formats "
                    + format
                    + " is not one of: avro, json, named-json, confluent");
            return ExitCodes.USAGE;
          }
        }
        E2eBench bench = new E2eBench(bootstrap, commitMs, streamsSettings, System.out);
        System.out.println(
            "commit.interval.ms="
                + commitMs
                + "; one partition, one stream thread; broker "
                + (broker != null ? "embedded (same JVM)" : bootstrap)
                + (streamsSettings.isEmpty() ? "" : "; " + streamsSettings));
        for (String size : sizes) {
          for (String guarantee : guarantees) {
            for (String format : sampleFormats) {
              if (sampleFormats.size() > 1) {
                System.out.print("samples in " + format + ": ");
              }
              bench.jsonSamples(format.equals("json"));
              bench.namedSamples(format.equals("named-json"));
              bench.confluentFraming(format.equals("confluent"));
              bench.throughput(size, guarantee, samples, kernelSeconds);
            }
            if (sampleFormats.size() > 1) {
              new FormatRounds(bench, System.out).compare(size, guarantee, samples, sampleFormats);
            }
          }
          if (labelLag > 0) {
            new DelayedLabelsBench(bench, System.out).throughput(size, samples, labelLag);
          }
        }
        if (restoreModels > 0) {
          bench.restore(restoreModels, restoreSize);
        }
      } finally {
        if (broker != null) {
          broker.close();
        }
      }
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "labels",
      mixinStandardHelpOptions = true,
      description =
          "Delayed labels on a real broker: the learner with immediate labels and with labels a"
              + " fixed number of samples later, side by side, and a passthrough of the same records"
              + " (Kafka's floor); bytes per pending sample; restore of a pending store")
  static final class Labels implements Callable<Integer> {
    @Option(names = "--bootstrap-servers", description = "a broker; default: an embedded one")
    String bootstrapServers;

    @Option(names = "--sizes", defaultValue = "8-32-1,64-64-10", split = ",")
    List<String> sizes;

    @Option(names = "--samples", defaultValue = "200000", description = "samples per run")
    int samples;

    @Option(
        names = "--lag",
        defaultValue = "1000",
        description = "each label comes this many samples after its sample")
    int lag;

    @Option(names = "--commit-interval-ms", defaultValue = "1000")
    long commitMs;

    @Option(
        names = "--restore-pending",
        defaultValue = "1000000",
        description = "pending samples to restore (0: skip)")
    int restorePending;

    @Option(names = "--restore-size", defaultValue = "64-64-10")
    String restoreSize;

    @Override
    public Integer call() throws Exception {
      EmbeddedBroker broker = bootstrapServers == null ? EmbeddedBroker.start() : null;
      try {
        String bootstrap = broker != null ? broker.bootstrapServers() : bootstrapServers;
        DelayedLabelsBench bench =
            new DelayedLabelsBench(
                new E2eBench(bootstrap, commitMs, java.util.Map.of(), System.out), System.out);
        System.out.println(
            "exactly_once_v2, commit.interval.ms="
                + commitMs
                + "; one partition, one stream thread; broker "
                + (broker != null ? "embedded (same JVM)" : bootstrap));
        for (String size : sizes) {
          bench.throughput(size, samples, lag);
        }
        if (restorePending > 0) {
          bench.restore(restoreSize, restorePending);
        }
      } finally {
        if (broker != null) {
          broker.close();
        }
      }
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "replay",
      mixinStandardHelpOptions = true,
      description =
          "replay from .jsonl and .avro side by side with the kernel alone, in fresh JVMs: rates and"
              + " ratios replay / kernel.")
  static final class ReplayFiles implements Callable<Integer> {
    @Option(names = "--sizes", defaultValue = "8-32-1,64-32-10", split = ",")
    List<String> sizes;

    @Option(
        names = "--samples",
        defaultValue = "1000000",
        description = "samples per file (default: ${DEFAULT-VALUE})")
    int samples;

    @Option(names = "--rounds", defaultValue = "3", description = "default: ${DEFAULT-VALUE}")
    int rounds;

    @Option(
        names = "--passes",
        defaultValue = "2",
        description = "replays of the file per JVM, the last one timed (default: ${DEFAULT-VALUE})")
    int passes;

    @Option(
        names = "--kernel-seconds",
        defaultValue = "3",
        description = "warm-up and measurement of the kernel alone (default: ${DEFAULT-VALUE})")
    double kernelSeconds;

    @Option(names = "--replay-heap", description = "the replay JVMs' -Xmx, e.g. 256m")
    String replayHeap;

    @Option(
        names = "--dir",
        description = "where the files are written and kept (default: a temporary folder, deleted)")
    Path dir;

    @Override
    public Integer call() throws Exception {
      Path folder =
          dir != null
              ? java.nio.file.Files.createDirectories(dir)
              : java.nio.file.Files.createTempDirectory("bench-replay");
      try {
        ReplayBench bench = new ReplayBench(folder, System.out, kernelSeconds, replayHeap);
        for (String size : sizes) {
          if (!bench.run(size, samples, rounds, passes)) {
            System.err.println("error: the benchmark of " + size + " failed");
            return ExitCodes.FAILURE;
          }
        }
      } finally {
        if (dir == null) {
          try (var files = java.nio.file.Files.walk(folder)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
          }
        }
      }
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "produce",
      mixinStandardHelpOptions = true,
      description =
          "produce from an .avro file side by side with Kafka's own producer performance tool on the"
              + " same broker: records/s and the ratio.")
  static final class Produce implements Callable<Integer> {
    @Option(names = "--bootstrap-servers", description = "a broker; default: an embedded one")
    String bootstrapServers;

    @Option(names = "--sizes", defaultValue = "8-32-1,64-32-10", split = ",")
    List<String> sizes;

    @Option(
        names = "--samples",
        defaultValue = "1000000",
        description = "records per run (default: ${DEFAULT-VALUE})")
    int samples;

    @Option(names = "--rounds", defaultValue = "3", description = "default: ${DEFAULT-VALUE}")
    int rounds;

    @Override
    public Integer call() throws Exception {
      Path folder = java.nio.file.Files.createTempDirectory("bench-produce");
      EmbeddedBroker broker = bootstrapServers == null ? EmbeddedBroker.start() : null;
      try {
        String bootstrap = broker != null ? broker.bootstrapServers() : bootstrapServers;
        System.out.println(
            "broker "
                + (broker != null ? "embedded (in the bench's JVM)" : bootstrap)
                + "; both producers: linger.ms=5, acks=all, one partition");
        ProduceBench bench = new ProduceBench(bootstrap, folder, System.out);
        for (String size : sizes) {
          if (!bench.run(size, samples, rounds)) {
            System.err.println("error: the benchmark of " + size + " failed");
            return ExitCodes.FAILURE;
          }
        }
      } finally {
        if (broker != null) {
          broker.close();
        }
        try (var files = java.nio.file.Files.walk(folder)) {
          files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "http",
      mixinStandardHelpOptions = true,
      description =
          "Latency and requests/s of POST /models/{id}/predict next to GET /health/live, on a real"
              + " instance whose models learn meanwhile (embedded broker, loopback).")
  static final class Http implements Callable<Integer> {
    @Option(names = "--sizes", defaultValue = "8-32-1,784-128-10", split = ",")
    List<String> sizes;

    @Option(
        names = "--batch",
        defaultValue = "100",
        description = "samples per request of the batch rows (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(
        names = "--rate",
        defaultValue = "1000",
        description = "requests/s of the fixed-rate rows (default: ${DEFAULT-VALUE})")
    double rate;

    @Option(
        names = "--connections",
        defaultValue = "4",
        description = "kept-alive connections of the fixed-rate rows (default: ${DEFAULT-VALUE})")
    int connections;

    @Option(
        names = "--train-rate",
        defaultValue = "200",
        description = "labelled samples/s sent to each model meanwhile (default: ${DEFAULT-VALUE})")
    double trainRate;

    @Option(names = "--warmup-seconds", defaultValue = "2")
    double warmupSeconds;

    @Option(names = "--seconds", defaultValue = "5", description = "measured time per row")
    double seconds;

    @Option(
        names = "--max-requests",
        defaultValue = "200000",
        description = "at most this many measured requests per row (default: ${DEFAULT-VALUE})")
    long maxRequests;

    @Override
    public Integer call() throws Exception {
      if (batch < 2 || batch > 1_000 || connections < 1 || !(rate > 0) || !(seconds > 0)) {
        System.err.println(
            "error: --batch must be 2 to 1000, --connections at least 1, --rate and --seconds > 0");
        return ExitCodes.USAGE;
      }
      new HttpBench(
              new HttpBench.Plan(
                  sizes,
                  batch,
                  rate,
                  connections,
                  trainRate,
                  java.time.Duration.ofMillis((long) (warmupSeconds * 1000)),
                  java.time.Duration.ofMillis((long) (seconds * 1000)),
                  maxRequests),
              System.out)
          .run();
      return ExitCodes.OK;
    }
  }

  public static String javaExecutable() {
    Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
    return java.toFile().canExecute() ? java.toString() : "java";
  }
}
