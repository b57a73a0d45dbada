package io.streamgrad.bench;

import io.streamgrad.nn.Activation;
import io.streamgrad.nn.Architecture;
import io.streamgrad.nn.Initializer;
import io.streamgrad.nn.Loss;
import io.streamgrad.nn.Mlp;
import io.streamgrad.nn.Optimizer;
import io.streamgrad.nn.Trainer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Single-sample SGD steps per second of the nn code, one thread, for one size: sigmoid hidden
 * layers, a softmax output with softmax_ce (or identity with l2 for one output). Run in its own JVM
 * by {@code bench kernel} so that one size's JIT profile does not slow the next.
 */
public final class KernelBench {
  private final Trainer trainer;
  private final double[][] inputs;
  private final double[][] targets;
  private int next;

  public KernelBench(String size) {
    String[] parts = size.split("-");
    boolean classifier = Integer.parseInt(parts[parts.length - 1]) > 1;
    Architecture arch =
        Architecture.parse(
            size,
            Activation.SIGMOID,
            classifier ? Activation.SOFTMAX : Activation.IDENTITY,
            classifier ? Loss.SOFTMAX_CE : Loss.L2);
    Mlp mlp = new Mlp(arch, Initializer.XAVIER.initialParameters(arch, 42));
    trainer = new Trainer(mlp, Optimizer.Sgd.plain(0.01), 1, 0.0);
    SplittableRandom random = new SplittableRandom(7);
    inputs = new double[256][];
    targets = new double[256][];
    for (int s = 0; s < inputs.length; s++) {
      inputs[s] = random.doubles(arch.inputs(), 0, 1).toArray();
      targets[s] =
          classifier
              ? new double[] {random.nextInt(arch.outputs())}
              : random.doubles(arch.outputs(), -1, 1).toArray();
    }
  }

  /** One predict-then-train step on the next sample; returns the loss so the JIT keeps it. */
  public double step() {
    int s = next++ & 255;
    trainer.forward(inputs[s]);
    double loss = trainer.mlp().loss(targets[s]);
    trainer.trainOnLastForward(targets[s], loss);
    return loss;
  }

  /**
   * n steps in a loop of this class's own (so that its call of step stays monomorphic); returns the
   * sum of the losses.
   */
  double steps(int n) {
    double sum = 0;
    for (int i = 0; i < n; i++) {
      sum += step();
    }
    return sum;
  }

  /** Steps per second over the given time, after a warm-up of the same length. */
  public double measure(double seconds) {
    return StepTimer.stepsPerSecond(this::step, seconds);
  }

  /**
   * Steps per second of this thread's CPU time over the given time (after {@link #measure}, so
   * warm): on a machine shared with other work, steadier than steps per second of the clock.
   */
  double measureCpu(double seconds) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long cpu = threads.getCurrentThreadCpuTime();
    long deadline = System.nanoTime() + (long) (seconds * 1e9);
    long steps = steps64(deadline);
    return steps / ((threads.getCurrentThreadCpuTime() - cpu) / 1e9);
  }

  private double sink;

  /** Steps in runs of 64 until the deadline; returns how many. */
  private long steps64(long deadline) {
    long steps = 0;
    do {
      sink += steps(64);
      steps += 64;
    } while (System.nanoTime() < deadline);
    return steps;
  }

  /**
   * Child-JVM entry: {@code KernelBench SIZE SECONDS} prints "SIZE steps/s"; {@code KernelBench
   * SIZE SECONDS cpu} also steps per CPU-second, measured as long again after it.
   */
  public static void main(String[] args) {
    KernelBench bench = new KernelBench(args[0]);
    double seconds = Double.parseDouble(args[1]);
    double rate = bench.measure(seconds);
    String cpuRate =
        args.length > 2 && args[2].equals("cpu")
            ? String.format(Locale.ROOT, " %.0f", bench.measureCpu(seconds))
            : "";
    System.out.printf(
        Locale.ROOT,
        "%s %.0f%s%s%n",
        args[0],
        rate,
        cpuRate,
        bench.trainer.mlp().isShaped() ? "" : " (generic loops)");
    if (Double.isNaN(bench.sink)) {
      System.err.println("(diverged)");
    }
  }
}
