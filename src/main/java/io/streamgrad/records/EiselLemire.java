package io.streamgrad.records;

import java.math.BigInteger;

/**
 * The double nearest to w × 10^q for a decimal significand w of up to 19 digits (exact in 64 bits,
 * read as unsigned), by the Eisel–Lemire algorithm: one 64 × 128-bit product of w and a truncated
 * power of five gives the leading bits of the result, and those are exact unless the product's low
 * bits leave room for doubt. Daniel Lemire, "Number parsing at a gigabyte per second", Software:
 * Practice and Experience 51(8), 2021; the same steps as fast_float and simdjson
 * (compute_float_64), and as FastDoubleParser, of which Jackson carries a copy without a public
 * entry for bytes.
 *
 * <p>It answers NaN where it does not decide, and the caller takes the full parser: the rare
 * product it cannot bound, a result below the normal range (subnormals and underflow to zero) and
 * one past the largest double. Every answer it gives is Double.parseDouble's (round to nearest,
 * ties to even), which is what SampleJsonReader's numbers must be.
 */
final class EiselLemire {
  /** The smallest power of ten in the table: w × 10^-343 rounds to zero for every 64-bit w. */
  static final int MIN_POWER = -342;

  /** The largest power of ten in the table: 10^309 and above overflow for every w ≥ 1. */
  static final int MAX_POWER = 308;

  /**
   * For each power q of ten from MIN_POWER to MAX_POWER, 5^q to 128 bits with its leading bit set:
   * the high word, then the low word. Truncated for q ≥ 0; for q < 0 the reciprocal rounded up, as
   * the algorithm's proof takes them (fast_float's table, computed here rather than listed).
   */
  private static final long[] POWERS_OF_FIVE = powersOfFive();

  private EiselLemire() {}

  /**
   * The double nearest to significand × 10^power, or NaN when this algorithm does not decide.
   *
   * @param significand the decimal digits, unsigned, not 0 (up to 19 digits: exact, never
   *     truncated; a truncated one would need the answer for significand + 1 as well)
   * @param power the power of ten
   */
  static double toDouble(long significand, int power) {
    if (power < MIN_POWER || power > MAX_POWER) {
      return Double.NaN;
    }
    // The binary exponent of the result: 1023 (bias) + 64 (the product's width) + floor(log2(5^q)),
    // the last by a fixed-point log2(5) (exact for q in (-400, 350)), corrected below by the
    // significand's leading zeros and the product's top bit.
    long exponent = (((152170L + 65536L) * power) >> 16) + 1023 + 64;
    int leadingZeros = Long.numberOfLeadingZeros(significand);
    long w = significand << leadingZeros;
    int index = 2 * (power - MIN_POWER);
    long high = unsignedMultiplyHigh(w, POWERS_OF_FIVE[index]);
    long low = w * POWERS_OF_FIVE[index];
    // Unless the 9 low bits of the high word are all ones, its 55 leading bits are exact: an error
    // of the truncated power is at most +1 there. Else add the product with the power's low word.
    if ((high & 0x1FF) == 0x1FF) {
      long secondHigh = unsignedMultiplyHigh(w, POWERS_OF_FIVE[index + 1]);
      low += secondHigh;
      if (Long.compareUnsigned(secondHigh, low) > 0) {
        high++;
      }
      if (low == -1L) {
        return Double.NaN; // a carry still possible into bits that decide: not decided here
      }
    }
    int upperBit = (int) (high >>> 63);
    // 54 bits with a leading one: the 53 of the double and one to round with.
    long mantissa = high >>> (upperBit + 9);
    leadingZeros += 1 ^ upperBit;
    long biased = exponent - leadingZeros;
    if (biased <= 0) {
      return Double.NaN; // subnormal or zero: the full parser
    }
    // Exactly halfway between two doubles (only possible for -4 ≤ q ≤ 23, and then the low word is
    // at most 1): ties go to the even one, so do not round up.
    if (Long.compareUnsigned(low, 1) <= 0
        && power >= -4
        && power <= 23
        && (mantissa & 3) == 1
        && (mantissa << (upperBit + 9)) == high) {
      mantissa &= ~1L;
    }
    mantissa += mantissa & 1;
    mantissa >>>= 1;
    if (mantissa >= (1L << 53)) { // rounding carried into a new bit
      mantissa = 1L << 52;
      biased++;
    }
    if (biased >= 0x7FF) {
      return Double.NaN; // past the largest double: the full parser says infinity
    }
    return Double.longBitsToDouble((mantissa & ~(1L << 52)) | (biased << 52));
  }

  /** The high word of the unsigned 128-bit product (Math.unsignedMultiplyHigh from Java 18). */
  private static long unsignedMultiplyHigh(long x, long y) {
    return Math.multiplyHigh(x, y) + ((x >> 63) & y) + ((y >> 63) & x);
  }

  private static long[] powersOfFive() {
    long[] table = new long[2 * (MAX_POWER - MIN_POWER + 1)];
    BigInteger five = BigInteger.valueOf(5);
    for (int q = MIN_POWER; q <= MAX_POWER; q++) {
      BigInteger power = five.pow(Math.abs(q));
      int bits = power.bitLength();
      BigInteger words;
      if (q >= 0) {
        words = bits <= 128 ? power.shiftLeft(128 - bits) : power.shiftRight(bits - 128);
      } else if (q >= -27) { // 5^-q < 2^64: 2^(bits + 127) / 5^-q has exactly 128 bits
        words = BigInteger.ONE.shiftLeft(bits + 127).divide(power).add(BigInteger.ONE);
      } else {
        words = BigInteger.ONE.shiftLeft(2 * bits + 128).divide(power).add(BigInteger.ONE);
        words = words.shiftRight(words.bitLength() - 128);
      }
      int index = 2 * (q - MIN_POWER);
      table[index] = words.shiftRight(64).longValue();
      table[index + 1] = words.longValue();
    }
    return table;
  }
}
