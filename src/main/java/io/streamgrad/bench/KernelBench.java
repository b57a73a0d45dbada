package io.streamgrad.bench;

import io.streamgrad.nn.Activation;
import io.streamgrad.nn.Architecture;
import io.streamgrad.nn.Initializer;
import io.streamgrad.nn.Loss;
import io.streamgrad.nn.Mlp;
import io.streamgrad.nn.Optimizer;
import io.streamgrad.nn.Trainer;
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

  /** Child-JVM entry: {@code KernelBench SIZE SECONDS} prints "SIZE steps/s". */
  public static void main(String[] args) {
    KernelBench bench = new KernelBench(args[0]);
    double rate = bench.measure(Double.parseDouble(args[1]));
    System.out.printf(
        Locale.ROOT,
        "%s %.0f%s%n",
        args[0],
        rate,
        bench.trainer.mlp().isShaped() ? "" : " (generic loops)");
  }
}
