package io.streamgrad.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link Exp} against e^x worked out in {@link BigDecimal}, and against {@link StrictMath#exp}. */
class ExpTest {
  private static final MathContext PRECISE = new MathContext(50);
  /** ln 2 to 50 digits. */
  private static final BigDecimal LN2 = new BigDecimal("0.69314718055994530941723212145817656807550013436026");

  @Test
  void shouldBeWithinHalfAnUlpAndAHairOfTheTrueValueOnTheFastPath() {
    SplittableRandom random = new SplittableRandom(3);
    for (double range : new double[] {1e-3, 1.0, 40.0, Exp.FAST_LIMIT}) {
      double worst = 0.0;
      for (int k = 0; k < 5_000; k++) {
        double x = random.nextDouble(-range, range);
        worst = Math.max(worst, ulpError(x));
      }
      assertTrue(worst <= 0.52, "worst error over ±" + range + ": " + worst + " ulp");
      assertTrue(worst > 0.4, "a sample this large should come near half an ulp, got " + worst);
    }
  }

  @Test
  void shouldStayWithinOneUlpOfStrictMathAcrossTheFastRangeAndBeyond() {
    SplittableRandom random = new SplittableRandom(5);
    for (int k = 0; k < 200_000; k++) {
      double x = random.nextDouble(-750, 750);
      double expected = StrictMath.exp(x);
      double actual = Exp.exp(x);
      assertTrue(actual == expected || Math.abs(actual - expected) <= Math.ulp(expected),
          "exp(" + x + ") = " + actual + ", StrictMath " + expected);
    }
  }

  @Test
  void shouldGiveTheSpecialValuesExactly() {
    assertEquals(1.0, Exp.exp(0.0), 0.0);
    assertEquals(1.0, Exp.exp(-0.0), 0.0);
    assertEquals(Math.E, Exp.exp(1.0), 0.0);
    assertEquals(Double.POSITIVE_INFINITY, Exp.exp(710.0), 0.0);
    assertEquals(Double.POSITIVE_INFINITY, Exp.exp(Double.POSITIVE_INFINITY), 0.0);
    assertEquals(0.0, Exp.exp(-746.0), 0.0);
    assertEquals(0.0, Exp.exp(Double.NEGATIVE_INFINITY), 0.0);
    assertTrue(Double.isNaN(Exp.exp(Double.NaN)));
    assertEquals(Double.MIN_VALUE, Exp.exp(-744.5), 0.0); // subnormal results come from StrictMath
  }

  @Test
  void shouldNeverDecreaseAcrossTheEdgesOfTheFastPath() {
    for (double edge : new double[] {-Exp.FAST_LIMIT, Exp.FAST_LIMIT}) {
      double x = edge;
      for (int k = 0; k < 40; k++) {
        x = Math.nextDown(x);
      }
      double previous = Exp.exp(x);
      for (int k = 0; k < 80; k++) {
        x = Math.nextUp(x);
        double next = Exp.exp(x);
        assertTrue(next >= previous, "exp(" + x + ") = " + next + " < " + previous);
        previous = next;
      }
    }
  }

  /** |Exp.exp(x) − e^x| in ulps of the result, with e^x = 2^k·e^r worked out to 50 digits. */
  private static double ulpError(double x) {
    int k = (int) Math.round(x / Math.log(2));
    BigDecimal r = new BigDecimal(x).subtract(LN2.multiply(BigDecimal.valueOf(k)), PRECISE);
    BigDecimal term = BigDecimal.ONE;
    BigDecimal expR = BigDecimal.ONE;
    for (int i = 1; i < 30; i++) {
      term = term.multiply(r, PRECISE).divide(BigDecimal.valueOf(i), PRECISE);
      expR = expR.add(term, PRECISE);
    }
    double scaled = Math.scalb(Exp.exp(x), -k); // exact: a power of two, in the normal range
    return new BigDecimal(scaled).subtract(expR).abs().doubleValue() / Math.ulp(scaled);
  }
}
