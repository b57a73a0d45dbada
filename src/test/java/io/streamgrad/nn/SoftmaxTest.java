package io.streamgrad.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Softmax with two classes takes one exp call instead of two (the larger logit's term is e^0 = 1)
 * and, for finite logits, no max or min (min − max = −|a0 − a1|); it must give exactly the bits of
 * the plain definition, special values included.
 */
class SoftmaxTest {
  private static final double[] SPECIAL = {
    0.0,
    -0.0,
    1.0,
    -1.0,
    1e-300,
    -1e-300,
    709.0,
    -745.0,
    1e308,
    -1e308,
    Double.MIN_VALUE,
    Double.MAX_VALUE,
    -Double.MAX_VALUE,
    Double.POSITIVE_INFINITY,
    Double.NEGATIVE_INFINITY,
    Double.NaN
  };

  @Test
  void shouldGiveTheBitsOfThePlainDefinitionForTwoClasses() {
    for (double a0 : SPECIAL) {
      for (double a1 : SPECIAL) {
        assertSameBits(a0, a1);
      }
    }
    SplittableRandom random = new SplittableRandom(11);
    for (int k = 0; k < 200_000; k++) {
      double scale = Math.pow(10, random.nextInt(-3, 4));
      double a0 = random.nextDouble(-1, 1) * scale;
      // ties, neighbours one ulp apart, and the rest
      double a1 = k % 7 == 0 ? a0 : k % 7 == 1 ? Math.nextUp(a0) : random.nextDouble(-1, 1) * scale;
      assertSameBits(a0, a1);
    }
  }

  private static void assertSameBits(double a0, double a1) {
    double[] out = new double[2];
    Activation.SOFTMAX.apply(new double[] {a0, a1}, out, 2);
    double[] expected = plainSoftmax(a0, a1);
    for (int i = 0; i < 2; i++) {
      assertTrue(
          Double.doubleToRawLongBits(expected[i]) == Double.doubleToRawLongBits(out[i])
              || Double.isNaN(expected[i]) && Double.isNaN(out[i]),
          "softmax(" + a0 + ", " + a1 + ")[" + i + "] = " + out[i] + ", expected " + expected[i]);
    }
  }

  /** softmax_i = e^(a_i − max) / Σ_j e^(a_j − max), one exp per class, summed in index order. */
  private static double[] plainSoftmax(double a0, double a1) {
    double max = Math.max(Math.max(Double.NEGATIVE_INFINITY, a0), a1);
    double e0 = Exp.exp(a0 - max);
    double e1 = Exp.exp(a1 - max);
    double sum = 0.0 + e0 + e1;
    return new double[] {e0 / sum, e1 / sum};
  }
}
