package io.streamgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The loops made for a network's shape ({@link ShapedKernel}) give the same bits as the generic
 * loops: every prediction, loss, gradient norm and parameter, step after step, for every activation
 * × loss, one to four layers, narrow (by-row) and wide (by-column) layers.
 */
class ShapedKernelTest {

  @ParameterizedTest(name = "{0} hidden, {1} output, {2}")
  @MethodSource("io.streamgrad.nn.GradientCheckTest#combinations")
  void shouldGiveTheBitsOfTheGenericLoops(Activation hidden, Activation output, Loss loss) {
    SplittableRandom random =
        new SplittableRandom(31L * hidden.ordinal() + 7L * output.ordinal() + loss.ordinal());
    for (int layers = 1; layers <= ShapedKernel.MAX_LAYERS; layers++) {
      for (int trial = 0; trial < 3; trial++) {
        Architecture arch = randomArchitecture(random, layers, hidden, output, loss);
        double[] params = Initializer.XAVIER.initialParameters(arch, random.nextLong());
        Mlp shaped = new Mlp(arch, params, true);
        Mlp generic = new Mlp(arch, params, false);
        assertTrue(shaped.isShaped());
        assertFalse(generic.isShaped());
        for (int step = 0; step < 40; step++) {
          double[] x = random.doubles(arch.inputs(), -2, 2).toArray();
          double[] target = GradientCheckTest.target(loss, arch.outputs(), random);
          assertArrayEquals(generic.forward(x), shaped.forward(x), arch.sizes() + " step " + step);
          assertEquals(generic.loss(target), shaped.loss(target));
          generic.backward(target);
          shaped.backward(target);
          assertEquals(generic.gradientNormSquared(), shaped.gradientNormSquared());
          generic.descend(0.05);
          shaped.descend(0.05);
          assertArrayEquals(
              generic.canonicalParameters(), shaped.canonicalParameters(), arch.sizes());
        }
      }
    }
  }

  @Test
  void shouldGiveTheBitsOfTheGenericLoopsUnderAdamWithMinibatchesAndClipping() {
    SplittableRandom random = new SplittableRandom(5);
    Architecture arch =
        Architecture.parse("6-12-5-3", Activation.TANH, Activation.SOFTMAX, Loss.SOFTMAX_CE);
    double[] params = Initializer.HE.initialParameters(arch, 9);
    Trainer shaped =
        new Trainer(new Mlp(arch, params, true), Optimizer.Adam.withDefaults(0.01), 4, 0.5);
    Trainer generic =
        new Trainer(new Mlp(arch, params, false), Optimizer.Adam.withDefaults(0.01), 4, 0.5);
    for (int step = 0; step < 200; step++) {
      double[] x = random.doubles(6, -1, 1).toArray();
      double[] target = {random.nextInt(3)};
      assertArrayEquals(generic.forward(x), shaped.forward(x));
      double loss = generic.mlp().loss(target);
      assertEquals(
          generic.trainOnLastForward(target, loss), shaped.trainOnLastForward(target, loss));
    }
    assertArrayEquals(generic.mlp().canonicalParameters(), shaped.mlp().canonicalParameters());
  }

  @ParameterizedTest(name = "shaped {0}")
  @ValueSource(booleans = {true, false})
  void shouldLetTheCallerReuseItsInputArrayRightAfterForward(boolean shapedLoops) {
    // The Learner decodes every sample into one re-used array: forward must copy what it keeps.
    Architecture arch =
        Architecture.parse("3-9-2", Activation.SIGMOID, Activation.SOFTMAX, Loss.SOFTMAX_CE);
    double[] params = Initializer.XAVIER.initialParameters(arch, 4);
    Mlp reused = new Mlp(arch, params, shapedLoops);
    Mlp fresh = new Mlp(arch, params, shapedLoops);
    double[] target = {1};
    double[] buffer = new double[3];
    for (int step = 0; step < 5; step++) {
      double[] x = {0.5 * step, -1.0, 2.0 - step};
      System.arraycopy(x, 0, buffer, 0, 3);
      reused.forward(buffer);
      Arrays.fill(buffer, 1e6); // overwritten before backward and the update
      fresh.forward(x.clone());
      reused.backward(target);
      fresh.backward(target);
      assertEquals(fresh.gradientNormSquared(), reused.gradientNormSquared());
      reused.descend(0.1);
      fresh.descend(0.1);
    }
    assertArrayEquals(fresh.canonicalParameters(), reused.canonicalParameters());
  }

  /**
   * Layers of one to four inputs or deltas keep them in locals (read before any store): every such
   * width and the next one, with signed zeros among the parameters and inputs, where a sum that
   * starts from 0.0 and one that starts from its first term differ (0.0 + (−0.0) is 0.0).
   */
  @Test
  void shouldGiveTheBitsOfTheGenericLoopsForEveryNarrowWidth() {
    SplittableRandom random = new SplittableRandom(23);
    for (int in = 1; in <= 5; in++) {
      for (int hidden = 1; hidden <= 5; hidden++) {
        for (int out = 1; out <= 5; out++) {
          Architecture arch =
              out == 1
                  ? Architecture.parse(
                      in + "-" + hidden + "-" + out, Activation.TANH, Activation.IDENTITY, Loss.L2)
                  : Architecture.parse(
                      in + "-" + hidden + "-" + out,
                      Activation.SIGMOID,
                      Activation.SOFTMAX,
                      Loss.SOFTMAX_CE);
          double[] params = Initializer.XAVIER.initialParameters(arch, random.nextLong());
          for (int k = 0; k < params.length; k++) {
            params[k] = signedZeroOr(params[k], random);
          }
          Mlp shaped = new Mlp(arch, params, true);
          Mlp generic = new Mlp(arch, params, false);
          for (int step = 0; step < 10; step++) {
            double[] x = random.doubles(in, -2, 2).map(v -> signedZeroOr(v, random)).toArray();
            double[] target = GradientCheckTest.target(arch.loss(), out, random);
            assertArrayEquals(
                generic.forward(x), shaped.forward(x), arch.sizes() + " step " + step);
            generic.backward(target);
            shaped.backward(target);
            assertEquals(generic.gradientNormSquared(), shaped.gradientNormSquared(), arch.sizes());
            generic.descend(0.1);
            shaped.descend(0.1);
            assertArrayEquals(
                generic.canonicalParameters(), shaped.canonicalParameters(), arch.sizes());
          }
        }
      }
    }
  }

  private static double signedZeroOr(double value, SplittableRandom random) {
    int pick = random.nextInt(6);
    return pick == 0 ? 0.0 : pick == 1 ? -0.0 : value;
  }

  @Test
  void shouldAddFourColumnsAtATimeInTheOrderOfOneColumnAtATime() {
    SplittableRandom random = new SplittableRandom(11);
    for (int n = 1; n <= 13; n++) {
      int m = 1 + random.nextInt(40);
      double[][] cols = new double[n][];
      for (int i = 0; i < n; i++) {
        cols[i] = random.doubles(m, -3, 3).toArray();
      }
      double[] b = random.doubles(m, -1, 1).toArray();
      double[] x = random.doubles(n, -1e3, 1e3).toArray();
      double[] expected = b.clone();
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < m; j++) {
          expected[j] += cols[i][j] * x[i];
        }
      }
      double[] a = new double[m];
      DenseLoops.columnDense(cols, b, x, a, n, m);
      assertArrayEquals(
          expected, a, "n=" + n + " m=" + m); // exact: assertArrayEquals compares bits
    }
  }

  @Test
  void shouldRunDeeperNetworksOnTheGenericLoops() {
    Architecture deep =
        Architecture.parse("3-4-4-4-4-2", Activation.RELU, Activation.SOFTMAX, Loss.SOFTMAX_CE);
    assertFalse(new Mlp(deep, Initializer.HE.initialParameters(deep, 1)).isShaped());
  }

  @Test
  void shouldMakeOneCopyPerShapeAndKeepThemApart() {
    Architecture small =
        Architecture.parse("3-4-2", Activation.SIGMOID, Activation.SOFTMAX, Loss.SOFTMAX_CE);
    Architecture other =
        Architecture.parse("3-5-2", Activation.SIGMOID, Activation.SOFTMAX, Loss.SOFTMAX_CE);
    Kernel first = kernelOf(small);
    Kernel second = kernelOf(small);
    Kernel third = kernelOf(other);
    assertEquals(first.getClass(), second.getClass());
    assertNotSame(first.getClass(), third.getClass());
    assertTrue(first.getClass().isHidden());
  }

  private static Kernel kernelOf(Architecture arch) {
    return ShapedKernels.create(
        arch,
        new double[arch.inputs()],
        new double[][] {null, null},
        new double[][][] {null, null},
        new double[2][],
        new double[2][],
        new double[2][],
        new double[2][]);
  }

  private static Architecture randomArchitecture(
      SplittableRandom random, int layers, Activation hidden, Activation output, Loss loss) {
    LayerShape[] shapes = new LayerShape[layers];
    int in = 1 + random.nextInt(12);
    for (int l = 0; l < layers; l++) {
      boolean last = l == layers - 1;
      // Narrow (< 8, kept by row) and wide (kept by column) layers both appear.
      int out = last ? 2 + random.nextInt(10) : 1 + random.nextInt(20);
      shapes[l] = new LayerShape(in, out, last ? output : hidden);
      in = out;
    }
    return Architecture.of(loss, shapes);
  }
}
