package io.streamgrad.cli;

import io.streamgrad.bench.FormatRounds;
import io.streamgrad.bench.KernelBench;
import io.streamgrad.learn.LearnResult;
import io.streamgrad.learn.Learner;
import io.streamgrad.learn.ModelFile;
import io.streamgrad.learn.Sample;
import io.streamgrad.learn.StatsSettings;
import io.streamgrad.records.SampleFile;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Child-JVM entry of {@code bench replay}: {@code ReplayRate MODEL SAMPLES PASSES} replays the file
 * PASSES times, each with a fresh learner, through the same {@link Replay} the command runs, and
 * prints "SAMPLES_PER_SECOND SAMPLES_PER_CPU_SECOND" of the last pass — the earlier ones warm the
 * JIT, as the kernel benchmark's warm-up does. The second is per second of CPU time of the whole
 * process (reader, trainer, collector, compiler): what the replay costs, whatever else the cores
 * run. Here in cli because bench may not reach cli's classes (it starts this one by name).
 *
 * <p>{@code ReplayRate MODEL SAMPLES PASSES memory SIZE} reads the file's samples into memory
 * first, then takes turns: the kernel of that size ({@link KernelBench}) for as many steps as there
 * are samples, and the learner over the samples (a fresh one each pass), both on this thread. It
 * prints the medians of learner / kernel, of steps per second and per CPU-second of the thread,
 * over the passes after the first: what replay would reach if reading cost nothing, the bound no
 * reader can lift. Side by side in one JVM, so that both see the same machine.
 */
final class ReplayRate {
  private ReplayRate() {}

  public static void main(String[] args) throws Exception {
    String spec = Files.readString(Path.of(args[0]));
    Path samples = Path.of(args[1]);
    int passes = Integer.parseInt(args[2]);
    PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
    com.sun.management.OperatingSystemMXBean process =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    if (args.length > 4 && args[3].equals("memory")) {
      double[] ratios = learnerInMemory(spec, samples, passes, new KernelBench(args[4]));
      System.out.printf(Locale.ROOT, "%.4f %.4f%n", ratios[0], ratios[1]);
      return;
    }
    double rate = 0;
    double cpuRate = 0;
    for (int pass = 0; pass < passes; pass++) {
      Learner learner = Learner.create(ModelFile.parse(spec), StatsSettings.DEFAULT);
      long cpu = process.getProcessCpuTime();
      Replay.Summary summary = new Replay(learner, quiet, false).run(samples, "label", null);
      rate = summary.samples() / summary.seconds();
      cpuRate = summary.samples() / ((process.getProcessCpuTime() - cpu) / 1e9);
    }
    System.out.printf(Locale.ROOT, "%.0f %.0f%n", rate, cpuRate);
  }

  /**
   * Learner / kernel by the clock and by this thread's CPU time: medians over the passes after the
   * first (at least one timed), each pass the kernel for as many steps as there are samples, then a
   * fresh learner over them.
   */
  private static double[] learnerInMemory(String spec, Path samples, int passes, KernelBench kernel)
      throws IOException {
    List<Sample> read = new ArrayList<>();
    SampleFile.read(
        samples,
        "label",
        line -> {
          if (line.sample() != null) {
            read.add(line.sample());
          }
        });
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    int timed = Math.max(1, passes - 1);
    double[] byClock = new double[timed];
    double[] byCpu = new double[timed];
    double sink = 0;
    for (int pass = 0; pass <= timed; pass++) {
      long cpu = threads.getCurrentThreadCpuTime();
      long start = System.nanoTime();
      for (int s = 0; s < read.size(); s++) {
        sink += kernel.step();
      }
      long kernelNanos = System.nanoTime() - start;
      long kernelCpu = threads.getCurrentThreadCpuTime() - cpu;
      Learner learner = Learner.create(ModelFile.parse(spec), StatsSettings.DEFAULT);
      cpu = threads.getCurrentThreadCpuTime();
      start = System.nanoTime();
      for (Sample sample : read) {
        LearnResult result = learner.learn(sample);
        sink += result.loss() == null ? 0 : result.loss();
      }
      long learnerNanos = System.nanoTime() - start;
      long learnerCpu = threads.getCurrentThreadCpuTime() - cpu;
      if (pass > 0) {
        byClock[pass - 1] = (double) kernelNanos / learnerNanos;
        byCpu[pass - 1] = (double) kernelCpu / learnerCpu;
      }
    }
    if (Double.isNaN(sink)) {
      System.err.println("(diverged)");
    }
    return new double[] {FormatRounds.median(byClock), FormatRounds.median(byCpu)};
  }
}
