package io.streamgrad.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The lecture's hand-worked cases, reproduced with the library. */
class LectureTest {
  private static final double[][] TABLE = {{10, 10.1}, {2, 1.9}, {3.5, 3.4}, {1, 1.1}};

  /** The least-squares slope of y = wx through the origin: Σxy / Σx². */
  private static final double LEAST_SQUARES_W = 117.8 / 117.25;

  @Test
  void shouldCountTheLecturesThreeFourTwoNetwork() {
    Architecture arch =
        Architecture.parse("3-4-2", Activation.SIGMOID, Activation.IDENTITY, Loss.L2);
    assertEquals(6, arch.neurons());
    assertEquals(20, arch.weights());
    assertEquals(6, arch.biases());
    assertEquals(26, arch.parameters());
  }

  @Test
  void shouldTakeTheLecturesOneLineUpdateForTheSmallestPerceptron() {
    double w = 0.3;
    double eta = 0.01;
    Mlp mlp = perceptron(w);
    double x = 10;
    double y = 10.1;
    double yHat = mlp.forward(new double[] {x})[0];
    mlp.backward(new double[] {y});
    mlp.descend(eta);
    // Bit for bit: plain SGD rounds the update as the lecture writes it.
    assertEquals(w + eta * (y - yHat) * x, mlp.parameter(0), 0.0);
  }

  @Test
  void shouldConvergeToTheLeastSquaresWeightWithTheLecturesUpdate() {
    Mlp mlp = perceptron(0.0);
    Trainer trainer = new Trainer(mlp, Optimizer.Sgd.plain(0.001), 1, 0.0);
    for (int epoch = 0; epoch < 2000; epoch++) {
      for (double[] row : TABLE) {
        double[] target = {row[1]};
        trainer.forward(new double[] {row[0]});
        trainer.trainOnLastForward(target, mlp.loss(target));
        mlp.setParameter(1, 0.0); // y = wx has no bias
      }
    }
    // Constant-rate SGD circles the optimum within O(η).
    assertEquals(LEAST_SQUARES_W, mlp.parameter(0), 2e-3);

    Mlp batch = perceptron(0.0);
    Trainer gradientDescent = new Trainer(batch, Optimizer.Sgd.plain(0.005), TABLE.length, 0.0);
    for (int epoch = 0; epoch < 2000; epoch++) {
      for (double[] row : TABLE) {
        double[] target = {row[1]};
        gradientDescent.forward(new double[] {row[0]});
        gradientDescent.trainOnLastForward(target, batch.loss(target));
      }
      batch.setParameter(1, 0.0);
    }
    // The mean gradient over the whole table is full gradient descent: it reaches the optimum.
    assertEquals(LEAST_SQUARES_W, batch.parameter(0), 1e-12);
  }

  @Test
  void shouldUpdateBothWeightsOfTheTwoInputPerceptronAsTheLectureDoes() {
    Architecture arch = Architecture.of(Loss.L2, new LayerShape(2, 1, Activation.IDENTITY));
    double w1 = 0.5;
    double w2 = -0.25;
    Mlp mlp = new Mlp(arch, new double[] {w1, w2, 0.0});
    double[] x = {2.0, 3.0};
    double y = 1.5;
    double yHat = mlp.forward(x)[0];
    mlp.backward(new double[] {y});
    double eta = 0.1;
    mlp.descend(eta);
    assertEquals(w1 + eta * (y - yHat) * x[0], mlp.parameter(0), 0.0);
    assertEquals(w2 + eta * (y - yHat) * x[1], mlp.parameter(1), 0.0);
  }

  @Test
  void shouldGiveSigmoidsDerivativeAsSTimesOneMinusS() {
    for (double z = -6; z <= 6; z += 0.5) {
      double s = Activation.sigmoid(z);
      double[] grad = {1.0};
      Activation.SIGMOID.backpropagate(new double[] {z}, new double[] {s}, grad, 1);
      assertEquals(s * (1 - s), grad[0], 0.0);
      double numeric = (Activation.sigmoid(z + 1e-6) - Activation.sigmoid(z - 1e-6)) / 2e-6;
      assertEquals(numeric, grad[0], 1e-9);
    }
  }

  @Test
  void shouldKeepSigmoidAndBceStableForHugeLogits() {
    assertEquals(1.0, Activation.sigmoid(800), 0.0);
    assertEquals(0.0, Activation.sigmoid(-800), 0.0);
    double loss = Loss.BCE.value(new double[] {1.0}, new double[] {800}, new double[] {0.0});
    assertEquals(800.0, loss, 1e-12);
  }

  private static Mlp perceptron(double w) {
    Architecture arch = Architecture.of(Loss.L2, new LayerShape(1, 1, Activation.IDENTITY));
    return new Mlp(arch, new double[] {w, 0.0});
  }
}
