package io.streamgrad.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Backpropagation against central differences, for every activation × loss that may meet. */
class GradientCheckTest {

  static Stream<Arguments> combinations() {
    List<Arguments> cases = new ArrayList<>();
    Activation[] hidden = {
      Activation.IDENTITY, Activation.SIGMOID, Activation.TANH, Activation.RELU
    };
    for (Activation h : hidden) {
      for (Loss loss : Loss.values()) {
        for (Activation out : Activation.values()) {
          try {
            Architecture.of(loss, new LayerShape(2, 2, h), new LayerShape(2, 3, out));
            cases.add(Arguments.of(h, out, loss));
          } catch (IllegalArgumentException inconsistent) {
            // e.g. bce on a tanh output: not a network one can build
          }
        }
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} hidden, {1} output, {2}")
  @MethodSource("combinations")
  void shouldMatchCentralDifferences(Activation hidden, Activation output, Loss loss) {
    SplittableRandom random =
        new SplittableRandom(hidden.ordinal() * 100 + output.ordinal() * 10 + loss.ordinal());
    for (int trial = 0; trial < 3; trial++) {
      int in = 1 + random.nextInt(5);
      int mid = 1 + random.nextInt(6);
      int mid2 = 1 + random.nextInt(4);
      int outs = 2 + random.nextInt(3);
      Architecture arch =
          Architecture.of(
              loss,
              new LayerShape(in, mid, hidden),
              new LayerShape(mid, mid2, hidden),
              new LayerShape(mid2, outs, output));
      double[] params = Initializer.UNIFORM.initialParameters(arch, random.nextLong());
      double[] x = random.doubles(in, -2, 2).toArray();
      double[] target = target(loss, outs, random);
      Mlp mlp = new Mlp(arch, params);
      mlp.forward(x);
      mlp.backward(target);
      double[] analytic = new double[params.length];
      mlp.addCanonicalGradient(analytic);
      for (int k = 0; k < params.length; k++) {
        double h = 1e-6;
        double saved = mlp.parameter(k);
        mlp.setParameter(k, saved + h);
        mlp.forward(x);
        double plus = mlp.loss(target);
        mlp.setParameter(k, saved - h);
        mlp.forward(x);
        double minus = mlp.loss(target);
        mlp.setParameter(k, saved);
        double numeric = (plus - minus) / (2 * h);
        double scale = Math.max(1e-3, Math.abs(numeric) + Math.abs(analytic[k]));
        assertTrue(
            Math.abs(numeric - analytic[k]) / scale < 1e-6,
            "parameter " + k + ": backprop " + analytic[k] + " vs numeric " + numeric);
      }
      mlp.forward(x);
      mlp.backward(target);
      double norm = 0;
      for (double g : analytic) {
        norm += g * g;
      }
      assertEquals(norm, mlp.gradientNormSquared(), 1e-9 * Math.max(1, norm));
    }
  }

  static double[] target(Loss loss, int outputs, SplittableRandom random) {
    return switch (loss) {
      case SOFTMAX_CE -> new double[] {random.nextInt(outputs)};
      case BCE -> random.doubles(outputs, 0, 1).toArray();
      case HINGE -> random.ints(outputs, 0, 2).mapToDouble(b -> b == 0 ? -1 : 1).toArray();
      default -> random.doubles(outputs, -1, 1).toArray();
    };
  }
}
