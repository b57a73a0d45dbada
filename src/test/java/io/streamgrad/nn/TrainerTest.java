package io.streamgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TrainerTest {
  private static final Architecture ARCH =
      Architecture.parse("4-5-3", Activation.TANH, Activation.SOFTMAX, Loss.SOFTMAX_CE);

  @Test
  void shouldStepWithTheMeanGradientOfAMinibatch() {
    double[] initial = Initializer.XAVIER.initialParameters(ARCH, 7);
    double[][] xs = {{1, 2, 3, 4}, {-1, 0.5, 0, 2}, {0.1, 0.2, -0.3, 0.4}};
    double[][] ys = {{0}, {2}, {1}};

    double[] sum = new double[initial.length];
    Mlp reference = new Mlp(ARCH, initial.clone());
    for (int s = 0; s < xs.length; s++) {
      reference.forward(xs[s]);
      reference.backward(ys[s]);
      reference.addCanonicalGradient(sum);
    }
    double[] expected = initial.clone();
    for (int k = 0; k < expected.length; k++) {
      expected[k] -= 0.1 * (sum[k] / 3);
    }

    Mlp mlp = new Mlp(ARCH, initial.clone());
    Trainer trainer = new Trainer(mlp, Optimizer.Sgd.plain(0.1), 3, 0.0);
    for (int s = 0; s < xs.length; s++) {
      trainer.forward(xs[s]);
      Trainer.Outcome outcome = trainer.trainOnLastForward(ys[s], mlp.loss(ys[s]));
      assertEquals(s < 2 ? Trainer.Outcome.ACCUMULATED : Trainer.Outcome.STEPPED, outcome);
      if (s < 2) {
        assertArrayEquals(
            initial, mlp.canonicalParameters(), 0.0, "no step before the batch is full");
      }
    }
    assertArrayEquals(expected, mlp.canonicalParameters(), 1e-15);
  }

  @Test
  void shouldGiveIdenticalBitsForTheSameSeedAndSamples() {
    assertEquals(Arrays.toString(train(42)), Arrays.toString(train(42)));
    assertTrue(!Arrays.equals(train(42), train(43)));
  }

  @Test
  void shouldRefuseAStepWhoseLossIsNotFinite() {
    Mlp mlp = new Mlp(ARCH, Initializer.XAVIER.initialParameters(ARCH, 1));
    double[] before = mlp.canonicalParameters().clone();
    Trainer trainer = new Trainer(mlp, Optimizer.Adam.withDefaults(0.1), 1, 0.0);
    trainer.forward(new double[] {1e308, 1e308, -1e308, 1e308});
    Trainer.Outcome outcome = trainer.trainOnLastForward(new double[] {1}, Double.NaN);
    assertEquals(Trainer.Outcome.REFUSED, outcome);
    assertArrayEquals(before, mlp.canonicalParameters(), 0.0);
    assertEquals(0, trainer.state().steps());
  }

  @Test
  void shouldRefuseAStepWhoseGradientOverflows() {
    Architecture regression =
        Architecture.parse("2-1", Activation.IDENTITY, Activation.IDENTITY, Loss.L2);
    Mlp mlp = new Mlp(regression, new double[] {1e200, 0, 0});
    Trainer trainer = new Trainer(mlp, Optimizer.Sgd.plain(0.1), 1, 0.0);
    double[] x = {1e100, 0};
    double[] y = {0};
    trainer.forward(x);
    // ŷ = 1e300: the loss overflows to infinity, and so would the gradient 1e300 · 1e100.
    assertEquals(Trainer.Outcome.REFUSED, trainer.trainOnLastForward(y, mlp.loss(y)));
    assertArrayEquals(new double[] {1e200, 0, 0}, mlp.canonicalParameters(), 0.0);
  }

  @Test
  void shouldRefuseAStepWhoseGradientIsNotFiniteThoughItsLossIs() {
    Architecture arch =
        Architecture.parse("2-3-1", Activation.SIGMOID, Activation.IDENTITY, Loss.L2);
    Mlp mlp = new Mlp(arch, Initializer.XAVIER.initialParameters(arch, 3));
    double[] before = mlp.canonicalParameters().clone();
    Trainer trainer = new Trainer(mlp, Optimizer.Sgd.plain(0.1), 1, 0.0);
    double[] y = {0.5};
    // The sigmoids saturate, so the prediction and the loss are finite; the first layer's
    // gradient delta·x is not (0·∞ or ∞).
    trainer.forward(new double[] {Double.POSITIVE_INFINITY, 1});
    double loss = mlp.loss(y);
    assertTrue(Double.isFinite(loss));
    assertEquals(Trainer.Outcome.REFUSED, trainer.trainOnLastForward(y, loss));
    assertArrayEquals(before, mlp.canonicalParameters(), 0.0);
    assertEquals(0, trainer.state().steps());
    // and the next, ordinary sample trains as usual
    trainer.forward(new double[] {1, 1});
    assertEquals(Trainer.Outcome.STEPPED, trainer.trainOnLastForward(y, mlp.loss(y)));
  }

  /**
   * Plain SGD one sample at a time tests the loss in the guard's comparison, with and without
   * clipping.
   */
  @Test
  void shouldRefuseANonFiniteLossOnTheFastPathToo() {
    for (double clipNorm : new double[] {0.0, 1.0}) {
      for (double loss :
          new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
        Mlp mlp = new Mlp(ARCH, Initializer.XAVIER.initialParameters(ARCH, 1));
        double[] before = mlp.canonicalParameters().clone();
        Trainer trainer = new Trainer(mlp, Optimizer.Sgd.plain(0.1), 1, clipNorm);
        trainer.forward(
            new double[] {0.5, -0.25, 1, 2}); // a finite gradient: only the loss is wrong
        assertEquals(
            Trainer.Outcome.REFUSED,
            trainer.trainOnLastForward(new double[] {1}, loss),
            "loss " + loss);
        assertArrayEquals(before, mlp.canonicalParameters(), 0.0);
        assertEquals(0, trainer.state().steps());
        // and the next, ordinary sample steps as usual
        trainer.forward(new double[] {0.5, -0.25, 1, 2});
        assertEquals(
            Trainer.Outcome.STEPPED,
            trainer.trainOnLastForward(new double[] {1}, mlp.loss(new double[] {1})));
      }
    }
  }

  @Test
  void shouldRefuseAStepThatCouldTakeAParameterPastTheLimit() {
    Architecture regression =
        Architecture.parse("1-1", Activation.IDENTITY, Activation.IDENTITY, Loss.L2);
    double[] x = {1};
    double[] y = {0};
    // Gradient (ŵ, ŵ) with ŵ = 0.5e150: max |θ| + rate·‖g‖ = 0.5e150 + rate·0.707e150.
    Mlp small = new Mlp(regression, new double[] {0.5e150, 0});
    Trainer allowed = new Trainer(small, Optimizer.Sgd.plain(0.5), 1, 0.0);
    for (int step = 0; step < 3; step++) { // first step, then with the bound carried over
      allowed.forward(x);
      assertEquals(Trainer.Outcome.STEPPED, allowed.trainOnLastForward(y, small.loss(y)));
    }
    Mlp large = new Mlp(regression, new double[] {0.5e150, 0});
    Trainer refused = new Trainer(large, Optimizer.Sgd.plain(1.0), 1, 0.0);
    refused.forward(x);
    assertEquals(Trainer.Outcome.REFUSED, refused.trainOnLastForward(y, large.loss(y)));
    assertArrayEquals(new double[] {0.5e150, 0}, large.canonicalParameters(), 0.0);
  }

  @Test
  void shouldClipTheGradientToTheGlobalNorm() {
    Architecture regression =
        Architecture.parse("1-1", Activation.IDENTITY, Activation.IDENTITY, Loss.L2);
    Mlp mlp = new Mlp(regression, new double[] {0, 0});
    Trainer trainer = new Trainer(mlp, Optimizer.Sgd.plain(1.0), 1, 1.0);
    trainer.forward(new double[] {3});
    // ŷ = 0, y = 4: gradient (−12, −4), norm √160; clipped to norm 1.
    double[] y = {4};
    trainer.trainOnLastForward(y, mlp.loss(y));
    double norm = Math.sqrt(160);
    double coefficient = 1.0 / (norm + 1e-6);
    assertEquals(12 * coefficient, mlp.canonicalParameters()[0], 1e-15);
    assertEquals(4 * coefficient, mlp.canonicalParameters()[1], 1e-15);
  }

  private static double[] train(long seed) {
    Mlp mlp = new Mlp(ARCH, Initializer.XAVIER.initialParameters(ARCH, seed));
    Trainer trainer = new Trainer(mlp, new Optimizer.Sgd(0.05, 0.9, true, 1e-4), 2, 5.0);
    SplittableRandom random = new SplittableRandom(99);
    for (int s = 0; s < 500; s++) {
      double[] x = random.doubles(4, -1, 1).toArray();
      double[] y = {random.nextInt(3)};
      trainer.forward(x);
      trainer.trainOnLastForward(y, mlp.loss(y));
    }
    return mlp.canonicalParameters();
  }
}
