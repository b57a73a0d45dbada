package io.streamgrad.cli;

import io.streamgrad.learn.Learner;
import io.streamgrad.learn.ModelFile;
import io.streamgrad.learn.StatsSettings;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Child-JVM entry of {@code bench replay}: {@code ReplayRate MODEL SAMPLES PASSES} replays the file
 * PASSES times, each with a fresh learner, through the same {@link Replay} the command runs, and
 * prints "SAMPLES_PER_SECOND SAMPLES_PER_CPU_SECOND" of the last pass — the earlier ones warm the
 * JIT, as the kernel benchmark's warm-up does. The second is per second of CPU time of the whole
 * process (reader, trainer, collector, compiler): what the replay costs, whatever else the cores
 * run. Here in cli because bench may not reach cli's classes (it starts this one by name).
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
}
