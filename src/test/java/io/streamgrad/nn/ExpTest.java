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
  private static final BigDecimal LN2 =
      new BigDecimal("0.69314718055994530941723212145817656807550013436026");

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
      assertTrue(
          actual == expected || Math.abs(actual - expected) <= Math.ulp(expected),
          "exp(" + x + ") = " + actual + ", StrictMath " + expected);
    }
  }

  /**
   * Bits recorded when {@code Exp} was written. Every model's weights depend on them: a change to
   * the tables or the polynomial (or a JDK that rounds the tables differently) must show here, not
   * as models that silently train to other bits than before.
   */
  @Test
  void shouldKeepTheBitsThatModelsWereTrainedWith() {
    double[] arguments = {
      1.0, -1.0, 0.5, -0.1, 3.7, -20.25, 100.0, -500.0, 659.9, 1e-10, -7.0e-3, 42.42
    };
    long[] bits = {
      0x4005bf0a8b145769L, 0x3fd78b56362cef38L, 0x3ffa61298e1e069cL, 0x3fecf46d99d52b3aL,
      0x4044394144eeec81L, 0x3e1b93de1e27ca3bL, 0x48f3494a9b171bf5L, 0x12d9265e78d4438dL,
      0x7b706301c6ee1a94L, 0x3ff000000006df38L, 0x3fefc6db3250dc10L, 0x43c25e36137cf9c7L
    };
    for (int i = 0; i < arguments.length; i++) {
      assertEquals(
          bits[i], Double.doubleToRawLongBits(Exp.exp(arguments[i])), "exp(" + arguments[i] + ")");
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
