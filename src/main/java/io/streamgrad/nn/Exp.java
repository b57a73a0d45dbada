package io.streamgrad.nn;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * e^x in plain Java arithmetic: the same bits on every JVM and every processor, and fast enough to
 * inline where the activations need it.
 *
 * <p>Why not {@link Math#exp}: its specification allows any result within one ulp, so two JVMs (or
 * one JVM on x86 and on ARM) may train the same model to different bits; and HotSpot runs it as a
 * call into a stub, around which C2 saves and reloads every live register, which on a small network
 * costs a large share of a training step (BENCHMARKS.md, "Kernel").
 *
 * <p>The losses' logarithms stay {@link Math#log}: a loss value is reported (a step only asks
 * whether it is finite), and a table-driven log in Java, inlined into the step, makes a small
 * network's step slower, not faster (BENCHMARKS.md, "Kernel").
 *
 * <p>The method (Tang's table-driven exp): x = (128·k + j)·ln2/128 + r with |r| ≤ ln2/256, so e^x =
 * 2^k · 2^(j/128) · e^r; 2^(j/128) comes from a table held as a double plus its rounding error, and
 * e^r − 1 from its Taylor polynomial to r^5 (the next term is below 6e-19 for |r| ≤ ln2/256).
 * Error: within 0.51 ulp of the true value (checked against {@link BigDecimal} in ExpTest), so it
 * is within one ulp of {@link StrictMath#exp} (and equal to it on nine arguments in ten). Arguments
 * beyond ±660 go to {@link StrictMath#exp}, whose results Java specifies exactly: there the result
 * overflows, underflows, or comes so near the subnormal numbers that the scaled table tail would
 * lose bits.
 */
final class Exp {
  private static final int TABLE_BITS = 7;
  private static final int TABLE_SIZE = 1 << TABLE_BITS;

  /** Up to this |x| every value the fast path scales by 2^k, the tail included, stays normal. */
  static final double FAST_LIMIT = 660.0;

  /** Adding 1.5·2^52 rounds a double below 2^51 to an integer (ties to even) in its low bits. */
  private static final double SHIFT = 0x1.8p52;

  /** 40 digits: a double and its tail need about 33. */
  private static final MathContext PRECISE = new MathContext(40, RoundingMode.HALF_EVEN);

  private static final BigDecimal LN2 = ln2();
  private static final double TABLE_SIZE_OVER_LN2 =
      BigDecimal.valueOf(TABLE_SIZE).divide(LN2, PRECISE).doubleValue();

  /**
   * ln2/128 as a double with its low 18 bits cleared, so that k·LN2_STEP_HIGH is exact for every
   * |k| < 2^18 (|k| ≤ 660·128/ln2 < 2^17 here), and the rest of ln2/128.
   */
  private static final double LN2_STEP_HIGH =
      Double.longBitsToDouble(
          Double.doubleToRawLongBits(
                  LN2.divide(BigDecimal.valueOf(TABLE_SIZE), PRECISE).doubleValue())
              & -(1L << 18));

  private static final double LN2_STEP_LOW =
      LN2.divide(BigDecimal.valueOf(TABLE_SIZE), PRECISE)
          .subtract(new BigDecimal(LN2_STEP_HIGH))
          .doubleValue();

  /** The bits of 2^(j/128) rounded to a double, and what the rounding left off. */
  private static final long[] POWER_BITS = new long[TABLE_SIZE];

  private static final double[] POWER_TAILS = new double[TABLE_SIZE];

  static {
    BigDecimal root = root128OfTwo();
    BigDecimal power = BigDecimal.ONE;
    for (int j = 0; j < TABLE_SIZE; j++) {
      double rounded = power.doubleValue();
      POWER_BITS[j] = Double.doubleToRawLongBits(rounded);
      POWER_TAILS[j] = power.subtract(new BigDecimal(rounded)).doubleValue();
      power = power.multiply(root, PRECISE);
    }
  }

  private Exp() {}

  static double exp(double x) {
    if (!(Math.abs(x) <= FAST_LIMIT)) {
      return StrictMath.exp(x); // overflow, underflow, subnormal results, NaN
    }
    double scaledX = x * TABLE_SIZE_OVER_LN2;
    // The nearest integer twice: rint (one roundsd on x86, shorter on the critical path)
    // for the arithmetic, the shift trick for its bits. Both round ties to even: the same integer.
    double kj = Math.rint(scaledX);
    long n =
        Double.doubleToRawLongBits(scaledX + SHIFT); // the same integer 128·k + j in the low bits
    double r = (x - kj * LN2_STEP_HIGH) - kj * LN2_STEP_LOW;
    int j = (int) n & (TABLE_SIZE - 1);
    // (n >> 7) << 52 puts k into the exponent field; the shift's own bits fall off the top. Added
    // to the table's bits it scales 2^(j/128) by 2^k exactly, while the polynomial is still
    // running:
    // one multiplication less after it (the exp of a sigmoid or a softmax is on every step's
    // critical path).
    long kBits = (n >> TABLE_BITS) << 52;
    double scaled = Double.longBitsToDouble(POWER_BITS[j] + kBits);
    double scaledTail =
        POWER_TAILS[j] * Double.longBitsToDouble(kBits + Double.doubleToRawLongBits(1.0));
    double r2 = r * r;
    // e^r − 1 = r + r²(1/2 + r/6) + r⁴(1/24 + r/120), split so that the halves run side by side.
    double expm1 = r + (r2 * (0.5 + r * (1.0 / 6)) + (r2 * r2) * (1.0 / 24 + r * (1.0 / 120)));
    return scaled + (scaledTail + scaled * expm1);
  }

  /** ln 2 = 2·atanh(1/3) = 2·Σ 1/((2i+1)·3^(2i+1)), to 40 digits (9^-42 < 1e-40). */
  private static BigDecimal ln2() {
    BigDecimal sum = BigDecimal.ZERO;
    BigDecimal third = BigDecimal.ONE.divide(BigDecimal.valueOf(3), PRECISE);
    BigDecimal ninth = third.multiply(third, PRECISE);
    BigDecimal power = third;
    for (int i = 0; i < 44; i++) {
      sum = sum.add(power.divide(BigDecimal.valueOf(2L * i + 1), PRECISE), PRECISE);
      power = power.multiply(ninth, PRECISE);
    }
    return sum.multiply(BigDecimal.valueOf(2), PRECISE);
  }

  /**
   * 2^(1/128) by Newton's method on y^128 = 2 from the double's value: each step doubles the
   * correct digits, 16 → 32 → 64, so three reach 40.
   */
  private static BigDecimal root128OfTwo() {
    BigDecimal two = BigDecimal.valueOf(2);
    BigDecimal y = new BigDecimal(StrictMath.pow(2.0, 1.0 / TABLE_SIZE));
    for (int i = 0; i < 3; i++) {
      BigDecimal power = y.pow(TABLE_SIZE - 1, PRECISE);
      BigDecimal f = power.multiply(y, PRECISE).subtract(two);
      y =
          y.subtract(
              f.divide(power.multiply(BigDecimal.valueOf(TABLE_SIZE), PRECISE), PRECISE), PRECISE);
    }
    return y;
  }
}
