package io.streamgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Each optimizer against values worked out by hand for a few steps. */
class OptimizerTest {
  private static final double[] GRADIENTS = {0.5, 0.25, -0.5};

  @Test
  void shouldTakePlainSgdSteps() {
    double[] p = run(Optimizer.Sgd.plain(0.1));
    assertEquals(1.0 - 0.05 - 0.025 + 0.05, p[0], 1e-15);
  }

  @Test
  void shouldAccumulateMomentumAsTorchDoes() {
    // v1 = 0.5, p = 0.95; v2 = 0.45 + 0.25 = 0.7, p = 0.88; v3 = 0.63 − 0.5 = 0.13, p = 0.867
    double[] p = run(new Optimizer.Sgd(0.1, 0.9, false, 0.0));
    assertEquals(0.867, p[0], 1e-15);
  }

  @Test
  void shouldLookAheadWithNesterov() {
    // v1 = 0.5, d = 0.5 + 0.45 = 0.95, p = 0.905; v2 = 0.7, d = 0.25 + 0.63 = 0.88, p = 0.817
    OptimizerState state = new OptimizerState();
    double[] p = {1.0};
    Optimizer sgd = new Optimizer.Sgd(0.1, 0.9, true, 0.0);
    sgd.step(new double[][] {p}, new double[][] {{0.5}}, state);
    assertEquals(0.905, p[0], 1e-15);
    sgd.step(new double[][] {p}, new double[][] {{0.25}}, state);
    assertEquals(0.817, p[0], 1e-15);
  }

  @Test
  void shouldAddWeightDecayToTheGradient() {
    // g = 0.5 + 0.1·1 = 0.6, p = 1 − 0.06 = 0.94; then g = 0.25 + 0.094 = 0.344, p = 0.9056
    OptimizerState state = new OptimizerState();
    double[] p = {1.0};
    Optimizer sgd = new Optimizer.Sgd(0.1, 0.0, false, 0.1);
    sgd.step(new double[][] {p}, new double[][] {{0.5}}, state);
    assertEquals(0.94, p[0], 1e-15);
    sgd.step(new double[][] {p}, new double[][] {{0.25}}, state);
    assertEquals(0.9056, p[0], 1e-15);
  }

  @Test
  void shouldCorrectAdamsBiasInTheFirstSteps() {
    OptimizerState state = new OptimizerState();
    double[] p = {1.0};
    Optimizer adam = Optimizer.Adam.withDefaults(0.1);
    // Step 1: m = 0.05, v = 0.00025, m̂ = 0.5, v̂ = 0.25: the step is lr · 0.5 / (0.5 + 1e-8).
    adam.step(new double[][] {p}, new double[][] {{0.5}}, state);
    assertEquals(1.0 - 0.1 * 0.5 / (0.5 + 1e-8), p[0], 1e-15);
    // Step 2: m = 0.045 + 0.025 = 0.07, v = 0.00024975 + 0.0000625 = 0.00031225,
    // m̂ = 0.07 / 0.19, v̂ = 0.00031225 / 0.001999.
    double before = p[0];
    adam.step(new double[][] {p}, new double[][] {{0.25}}, state);
    double mHat = 0.07 / 0.19;
    double vHat = 0.00031225 / 0.001999;
    assertEquals(before - 0.1 * mHat / (Math.sqrt(vHat) + 1e-8), p[0], 1e-12);
    assertEquals(2, state.steps());
    assertArrayEquals(new double[] {0.07}, state.firstOrNull()[0], 1e-15);
    assertArrayEquals(new double[] {0.00031225}, state.secondOrNull()[0], 1e-15);
  }

  @Test
  void shouldResumeBitIdenticallyFromASavedState() {
    Optimizer adam = Optimizer.Adam.withDefaults(0.01);
    OptimizerState state = new OptimizerState();
    double[] p = {1.0, -2.0};
    adam.step(new double[][] {p}, new double[][] {{0.3, 0.1}}, state);
    OptimizerState copy = state.copy();
    double[] q = p.clone();
    adam.step(new double[][] {p}, new double[][] {{-0.2, 0.4}}, state);
    adam.step(new double[][] {q}, new double[][] {{-0.2, 0.4}}, copy);
    assertArrayEquals(p, q, 0.0);
  }

  @Test
  void shouldRejectSettingsThatMakeNoSense() {
    assertThrows(IllegalArgumentException.class, () -> Optimizer.Sgd.plain(0.0));
    assertThrows(IllegalArgumentException.class, () -> new Optimizer.Sgd(0.1, 1.0, false, 0));
    assertThrows(IllegalArgumentException.class, () -> new Optimizer.Sgd(0.1, 0.0, true, 0));
    assertThrows(IllegalArgumentException.class, () -> new Optimizer.Adam(0.1, 0.9, 0.999, 0, 0));
  }

  @Test
  void shouldShrinkTheWeightsBeforeAdamWsStep() {
    // θ = 1·(1 − 0.1·0.5) = 0.95, then Adam's first step: 0.1 · 0.5 / (0.5 + 1e-8)
    OptimizerState state = new OptimizerState();
    double[] p = {1.0};
    new Optimizer.AdamW(0.1, 0.9, 0.999, 1e-8, 0.5)
        .step(new double[][] {p}, new double[][] {{0.5}}, state);
    assertEquals(0.95 - 0.1 * 0.5 / (0.5 + 1e-8), p[0], 1e-15);
    assertArrayEquals(new double[] {0.05}, state.firstOrNull()[0], 1e-15);
  }

  @Test
  void shouldDivideByTheRootMeanSquareInRmsProp() {
    // s = 0.01·0.25 = 0.0025, θ = 1 − 0.1·0.5 / (0.05 + 1e-8)
    OptimizerState state = new OptimizerState();
    double[] p = {1.0};
    new Optimizer.RmsProp(0.1, 0.99, 1e-8, 0.0, 0.0, false)
        .step(new double[][] {p}, new double[][] {{0.5}}, state);
    assertEquals(1.0 - 0.1 * 0.5 / (0.05 + 1e-8), p[0], 1e-15);
    assertArrayEquals(new double[] {0.0025}, state.secondOrNull()[0], 1e-15);
  }

  @Test
  void shouldCenterRmsPropAndCarryItsMomentum() {
    // s = 0.5·0.25 = 0.125, ḡ = 0.5·0.5 = 0.25, avg = √(0.125 − 0.0625) + 1e-8,
    // b = 0.5 / avg, θ = 1 − 0.1·b; then b ← 0.9·b + g₂ / avg₂
    OptimizerState state = new OptimizerState();
    double[] p = {1.0};
    Optimizer rmsProp = new Optimizer.RmsProp(0.1, 0.5, 1e-8, 0.0, 0.9, true);
    rmsProp.step(new double[][] {p}, new double[][] {{0.5}}, state);
    double avg = Math.sqrt(0.0625) + 1e-8;
    double b = 0.5 / avg;
    assertEquals(1.0 - 0.1 * b, p[0], 1e-14);
    double before = p[0];
    rmsProp.step(new double[][] {p}, new double[][] {{-0.25}}, state);
    double s2 = 0.5 * 0.125 + 0.5 * 0.0625;
    double g2 = 0.5 * 0.25 + 0.5 * -0.25;
    double b2 = 0.9 * b + -0.25 / (Math.sqrt(s2 - g2 * g2) + 1e-8);
    assertEquals(before - 0.1 * b2, p[0], 1e-14);
    assertArrayEquals(new double[] {b2}, state.firstOrNull()[0], 1e-14);
    assertArrayEquals(new double[] {g2}, state.thirdOrNull()[0], 1e-15);
  }

  @Test
  void shouldStartAdagradsSumAtTheInitialValueAndDecayItsRate() {
    // sum = 0.1 + 0.25, θ = 1 − 0.1·0.5/√0.35; step 2: rate 0.1/(1 + 0.5), sum = 0.35 + 0.0625
    OptimizerState state = new OptimizerState();
    double[] p = {1.0};
    Optimizer adagrad = new Optimizer.Adagrad(0.1, 0.5, 0.0, 0.1, 1e-10);
    adagrad.step(new double[][] {p}, new double[][] {{0.5}}, state);
    assertEquals(1.0 - 0.1 * 0.5 / (Math.sqrt(0.35) + 1e-10), p[0], 1e-15);
    double before = p[0];
    adagrad.step(new double[][] {p}, new double[][] {{0.25}}, state);
    assertEquals(before - 0.1 / 1.5 * 0.25 / (Math.sqrt(0.4125) + 1e-10), p[0], 1e-15);
    assertArrayEquals(new double[] {0.4125}, state.secondOrNull()[0], 1e-15);
  }

  @Test
  void shouldStepAtTheRateItIsGiven() {
    double[] p = {1.0};
    Optimizer.Sgd.plain(0.1)
        .step(new double[][] {p}, new double[][] {{0.5}}, new OptimizerState(), 0.02);
    assertEquals(0.99, p[0], 1e-15);
  }

  @Test
  void shouldRejectNewOptimizersSettingsThatMakeNoSense() {
    assertThrows(
        IllegalArgumentException.class, () -> new Optimizer.AdamW(0.1, 1.0, 0.999, 1e-8, 0.01));
    assertThrows(
        IllegalArgumentException.class,
        () -> new Optimizer.RmsProp(0.1, 1.0, 1e-8, 0.0, 0.0, false));
    assertThrows(
        IllegalArgumentException.class,
        () -> new Optimizer.RmsProp(0.1, 0.99, 0.0, 0.0, 0.0, false));
    assertThrows(
        IllegalArgumentException.class, () -> new Optimizer.Adagrad(0.1, -1.0, 0.0, 0.0, 1e-10));
    assertThrows(
        IllegalArgumentException.class,
        () -> new Optimizer.Adagrad(0.1, 0.0, 0.0, Double.NaN, 1e-10));
  }

  private static double[] run(Optimizer optimizer) {
    OptimizerState state = new OptimizerState();
    double[] p = {1.0};
    for (double g : GRADIENTS) {
      optimizer.step(new double[][] {p}, new double[][] {{g}}, state);
    }
    return p;
  }
}
