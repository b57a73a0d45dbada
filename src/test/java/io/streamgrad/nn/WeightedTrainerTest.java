package io.streamgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Sample weights, class weights and schedules in the trainer, against the Mlp's own gradients. */
class WeightedTrainerTest {
  private static final Architecture SOFTMAX =
      Architecture.parse("4-5-3", Activation.TANH, Activation.SOFTMAX, Loss.SOFTMAX_CE);
  private static final Architecture SIGMOID =
      Architecture.parse("3-4-1", Activation.TANH, Activation.SIGMOID, Loss.BCE);
  private static final double[][] XS = {{1, 2, 3, 4}, {-1, 0.5, 0, 2}, {0.1, 0.2, -0.3, 0.4}};
  private static final double[][] YS = {{0}, {2}, {1}};

  @Test
  void shouldSkipASampleOfWeightZeroLeavingEverythingAsItWas() {
    double[] initial = Initializer.XAVIER.initialParameters(SOFTMAX, 7);
    Mlp mlp = new Mlp(SOFTMAX, initial.clone());
    Trainer trainer =
        new Trainer(
            mlp, Optimizer.Adam.withDefaults(0.1), null, null, new OptimizerState(), 2, 0, null, 0);
    trainer.forward(XS[0]);
    assertEquals(Trainer.Outcome.SKIPPED, trainer.trainOnLastForward(YS[0], mlp.loss(YS[0]), 0.0));
    assertEquals(0, trainer.pending());
    assertEquals(0, trainer.state().steps());
    assertArrayEquals(initial, mlp.canonicalParameters(), 0.0);
  }

  @Test
  void shouldStepWithTheMeanOfTheWeightedGradients() {
    double[] initial = Initializer.XAVIER.initialParameters(SOFTMAX, 7);
    double[] weights = {2.0, 0.5, 1.0};
    double[] classWeights = {1.0, 1.5, 4.0};
    double[] sum = new double[initial.length];
    Mlp reference = new Mlp(SOFTMAX, initial.clone());
    for (int s = 0; s < XS.length; s++) {
      reference.forward(XS[s]);
      reference.backward(YS[s]);
      double[] g = new double[initial.length];
      reference.addCanonicalGradient(g);
      for (int k = 0; k < g.length; k++) {
        sum[k] += weights[s] * classWeights[(int) YS[s][0]] * g[k];
      }
    }
    double[] expected = initial.clone();
    for (int k = 0; k < expected.length; k++) {
      expected[k] -= 0.1 * (sum[k] / 3);
    }
    Mlp mlp = new Mlp(SOFTMAX, initial.clone());
    Trainer trainer =
        new Trainer(
            mlp,
            Optimizer.Sgd.plain(0.1),
            null,
            new ClassWeights(classWeights, SOFTMAX),
            new OptimizerState(),
            3,
            0,
            null,
            0);
    for (int s = 0; s < XS.length; s++) {
      trainer.forward(XS[s]);
      trainer.trainOnLastForward(YS[s], mlp.loss(YS[s]), weights[s]);
    }
    assertArrayEquals(expected, mlp.canonicalParameters(), 1e-14);
  }

  @Test
  void shouldScaleTheFastPathsStepByTheSampleWeight() {
    double[] initial = Initializer.XAVIER.initialParameters(SOFTMAX, 7);
    Mlp reference = new Mlp(SOFTMAX, initial.clone());
    reference.forward(XS[1]);
    reference.backward(YS[1]);
    double[] g = new double[initial.length];
    reference.addCanonicalGradient(g);
    Mlp mlp = new Mlp(SOFTMAX, initial.clone());
    Trainer trainer = new Trainer(mlp, Optimizer.Sgd.plain(0.1), 1, 0.0);
    trainer.forward(XS[1]);
    assertEquals(Trainer.Outcome.STEPPED, trainer.trainOnLastForward(YS[1], mlp.loss(YS[1]), 3.0));
    for (int k = 0; k < initial.length; k++) {
      assertEquals(initial[k] - 0.1 * 3.0 * g[k], mlp.parameter(k), 1e-14);
    }
  }

  @Test
  void shouldWeighOnlyThePositiveTermOfBce() {
    double[] initial = Initializer.XAVIER.initialParameters(SIGMOID, 3);
    ClassWeights posWeight = new ClassWeights(new double[] {3.0}, SIGMOID);
    double[] x = {0.5, -1.0, 2.0};
    for (double y : new double[] {0.0, 1.0}) {
      Mlp mlp = new Mlp(SIGMOID, initial.clone());
      mlp.forward(x);
      mlp.backward(new double[] {y});
      double[] plain = new double[initial.length];
      mlp.addCanonicalGradient(plain);
      mlp.backward(new double[] {y}, 1.0, posWeight);
      double[] weighted = new double[initial.length];
      mlp.addCanonicalGradient(weighted);
      // y = 1: −3·log σ(z), three times the gradient; y = 0: the negative term alone, unchanged
      double factor = y == 1.0 ? 3.0 : 1.0;
      for (int k = 0; k < plain.length; k++) {
        assertEquals(factor * plain[k], weighted[k], 1e-15, "y = " + y + ", parameter " + k);
      }
    }
  }

  @Test
  void shouldStepAtTheScheduledRateAndTellTheNextOne() {
    double[] initial = Initializer.XAVIER.initialParameters(SOFTMAX, 7);
    Mlp mlp = new Mlp(SOFTMAX, initial.clone());
    Trainer trainer =
        new Trainer(
            mlp,
            Optimizer.Sgd.plain(0.1),
            new LrSchedule.Exponential(0.5),
            null,
            new OptimizerState(),
            1,
            0,
            null,
            0);
    Mlp reference = new Mlp(SOFTMAX, initial.clone());
    double rate = 0.1;
    for (int s = 0; s < XS.length; s++) {
      assertEquals(rate, trainer.learningRate(), 1e-17);
      reference.forward(XS[s]);
      reference.backward(YS[s]);
      double[] g = new double[initial.length];
      reference.addCanonicalGradient(g);
      for (int k = 0; k < g.length; k++) {
        reference.setParameter(k, reference.parameter(k) - rate * g[k]);
      }
      trainer.forward(XS[s]);
      trainer.trainOnLastForward(YS[s], mlp.loss(YS[s]));
      rate *= 0.5;
    }
    assertArrayEquals(reference.canonicalParameters(), mlp.canonicalParameters(), 1e-15);
  }
}
