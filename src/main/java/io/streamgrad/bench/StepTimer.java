package io.streamgrad.bench;

import java.util.function.DoubleSupplier;

/**
 * Times a step function: steps per second over a fixed time, after a warm-up of the same length.
 */
final class StepTimer {
  private StepTimer() {}

  static double stepsPerSecond(DoubleSupplier step, double seconds) {
    run(step, seconds);
    return run(step, seconds);
  }

  private static double run(DoubleSupplier step, double seconds) {
    long deadline = System.nanoTime() + (long) (seconds * 1e9);
    long steps = 0;
    double sink = 0;
    long start = System.nanoTime();
    long now;
    do {
      for (int i = 0; i < 64; i++) {
        sink += step.getAsDouble(); // used below, so the JIT keeps the work
      }
      steps += 64;
      now = System.nanoTime();
    } while (now < deadline);
    if (Double.isNaN(sink)) {
      System.err.println("(diverged)");
    }
    return steps / ((now - start) / 1e9);
  }
}
