package io.streamgrad.bench;

import io.streamgrad.learn.Sample;
import io.streamgrad.records.SampleAvroFile;
import io.streamgrad.records.SampleFile;
import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.IOException;
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
import java.util.SplittableRandom;

/**
 * {@code bench replay}: the offline path against the math it runs. For one size it writes the same
 * random samples as JSON lines and as an Avro container file, then in each round runs, one after
 * the other in fresh JVMs, the kernel alone ({@link KernelBench}, the network and loss {@code bench
 * kernel} trains) and {@code replay} of each file (the command's own Replay class, after warm-up
 * passes), and prints each round's ratios replay / kernel and their medians, per second of the
 * clock and per second of CPU time (steadier when other work shares the cores).
 */
final class ReplayBench {
  /**
   * Child-JVM entry in cli that replays a file through the command's Replay (by name: bench may not
   * reach cli).
   */
  private static final String REPLAY_RATE = "io.streamgrad.cli.ReplayRate";

  private final Path dir;
  private final PrintStream out;
  private final double kernelSeconds;
  private final String replayHeap;

  ReplayBench(Path dir, PrintStream out, double kernelSeconds, String replayHeap) {
    this.dir = dir;
    this.out = out;
    this.kernelSeconds = kernelSeconds;
    this.replayHeap = replayHeap;
  }

  /** Writes the files of one size, runs the rounds, prints the lines; false if a child failed. */
  boolean run(String size, int samples, int rounds, int passes) throws Exception {
    Path spec = dir.resolve(size + ".json");
    Files.writeString(spec, spec(size));
    Path jsonl = dir.resolve(size + ".jsonl");
    Path avro = dir.resolve(size + ".avro");
    writeJsonLines(size, samples, jsonl);
    try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(avro), 1 << 16)) {
      SampleAvroFile.write(() -> samples(size, samples), file);
    }
    out.printf(
        Locale.ROOT,
        "%s: %,d samples, %s JSON lines (%.0f MB), %s .avro (%.0f MB)%n",
        size,
        samples,
        jsonl,
        Files.size(jsonl) / 1e6,
        avro,
        Files.size(avro) / 1e6);
    double[] jsonRatios = new double[rounds];
    double[] avroRatios = new double[rounds];
    double[] jsonCpuRatios = new double[rounds];
    double[] avroCpuRatios = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      double[] kernel =
          rates(KernelBench.class.getName(), null, size, String.valueOf(kernelSeconds), "cpu");
      double[] fromJson =
          rates(REPLAY_RATE, replayHeap, spec.toString(), jsonl.toString(), String.valueOf(passes));
      double[] fromAvro =
          rates(REPLAY_RATE, replayHeap, spec.toString(), avro.toString(), String.valueOf(passes));
      if (kernel == null || fromJson == null || fromAvro == null) {
        return false;
      }
      jsonRatios[r] = fromJson[0] / kernel[0];
      avroRatios[r] = fromAvro[0] / kernel[0];
      jsonCpuRatios[r] = fromJson[1] / kernel[1];
      avroCpuRatios[r] = fromAvro[1] / kernel[1];
      out.printf(
          Locale.ROOT,
          "%s round %d: kernel %,.0f steps/s, replay .jsonl %,.0f/s (%.2f), .avro %,.0f/s (%.2f);"
              + " per CPU-second: kernel %,.0f, .jsonl %,.0f (%.2f), .avro %,.0f (%.2f)%n",
          size,
          r + 1,
          kernel[0],
          fromJson[0],
          jsonRatios[r],
          fromAvro[0],
          avroRatios[r],
          kernel[1],
          fromJson[1],
          jsonCpuRatios[r],
          fromAvro[1],
          avroCpuRatios[r]);
    }
    out.printf(
        Locale.ROOT,
        "%s replay / kernel: .jsonl %.2f, .avro %.2f; per CPU-second .jsonl %.2f, .avro %.2f"
            + " (medians of %d rounds)%n",
        size,
        FormatRounds.median(jsonRatios),
        FormatRounds.median(avroRatios),
        FormatRounds.median(jsonCpuRatios),
        FormatRounds.median(avroCpuRatios),
        rounds);
    return true;
  }

  /**
   * The network and loss of {@link KernelBench}: sigmoid hidden layers, softmax and softmax_ce for
   * several outputs, identity and l2 for one; plain SGD at 0.01.
   */
  static String spec(String size) {
    String[] widths = size.split("-");
    int outputs = Integer.parseInt(widths[widths.length - 1]);
    StringBuilder layers = new StringBuilder();
    for (int l = 0; l + 1 < widths.length; l++) {
      boolean last = l + 2 == widths.length;
      layers
          .append(l == 0 ? "" : ", ")
          .append(
              String.format(
                  Locale.ROOT,
                  "{\"in\": %s, \"out\": %s, \"activation\": \"%s\"}",
                  widths[l],
                  widths[l + 1],
                  !last ? "sigmoid" : outputs > 1 ? "softmax" : "identity"));
    }
    return String.format(
        Locale.ROOT,
        "{\"model\": \"bench-%s\", \"layers\": [%s], \"loss\": \"%s\","
            + " \"optimizer\": {\"type\": \"sgd\", \"learning_rate\": 0.01}}",
        size,
        layers,
        outputs > 1 ? "softmax_ce" : "l2");
  }

  /**
   * Features in [0, 1) with six decimals, as exported data usually is; a class index or a target in
   * [-1, 1). The same seed, so every file of a size holds the same samples.
   */
  static Iterator<Sample> samples(String size, int count) {
    String[] widths = size.split("-");
    int inputs = Integer.parseInt(widths[0]);
    int outputs = Integer.parseInt(widths[widths.length - 1]);
    SplittableRandom random = new SplittableRandom(7);
    return new Iterator<>() {
      private int next;

      @Override
      public boolean hasNext() {
        return next < count;
      }

      @Override
      public Sample next() {
        double[] x = new double[inputs];
        for (int i = 0; i < inputs; i++) {
          x[i] = Math.round(random.nextDouble() * 1e6) / 1e6;
        }
        double y =
            outputs > 1
                ? random.nextInt(outputs)
                : Math.round(random.nextDouble(-1, 1) * 1e6) / 1e6;
        return new Sample("s" + next++, x, new double[] {y}, 0);
      }
    };
  }

  private static void writeJsonLines(String size, int count, Path path) throws IOException {
    try (BufferedWriter writer = Files.newBufferedWriter(path, StandardCharsets.UTF_8)) {
      for (Iterator<Sample> it = samples(size, count); it.hasNext(); ) {
        writer.write(SampleFile.toJson(it.next()));
        writer.newLine();
      }
    }
  }

  /**
   * Runs a child JVM that prints its rate and its rate per CPU-second as the last two words of its
   * output ("SIZE RATE CPU_RATE" or "RATE CPU_RATE"); null if it failed.
   */
  private static double[] rates(String main, String heap, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(BenchCommand.javaExecutable()));
    if (heap != null) {
      command.add("-Xmx" + heap);
    }
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), main));
    command.addAll(Arrays.asList(args));
    Process child =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String line = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    String[] words = line.split("\\s+");
    if (child.waitFor() != 0 || words.length < 2) {
      return null;
    }
    return new double[] {
      Double.parseDouble(words[words.length - 2]), Double.parseDouble(words[words.length - 1])
    };
  }
}
