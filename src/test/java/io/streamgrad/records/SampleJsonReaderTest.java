package io.streamgrad.records;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.streamgrad.learn.ReasonCode;
import io.streamgrad.learn.RejectedException;
import io.streamgrad.learn.Sample;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SampleJsonReaderTest {
  private final SampleJsonReader reader = new SampleJsonReader();

  @Test
  void shouldReadEveryNumberToTheBitsOfTheTreePath() {
    SplittableRandom random = new SplittableRandom(23);
    StringBuilder features = new StringBuilder();
    for (int i = 0; i < 5_000; i++) {
      features.setLength(0);
      features.append('[');
      for (int k = 0; k < 8; k++) {
        if (k > 0) {
          features.append(k % 2 == 0 ? "," : ", ");
        }
        features.append(number(random));
      }
      features.append(']');
      String text =
          "{\"id\": \"s"
              + i
              + "\", \"features\": "
              + features
              + ", \"label\": "
              + number(random)
              + "}";
      assertSameAsTree(text);
    }
  }

  /** Numbers as people and libraries print them: short, long, tiny, huge, negative, exponents. */
  private static String number(SplittableRandom random) {
    double x = random.nextDouble(-1, 1) * Math.pow(10, random.nextInt(-30, 30));
    return switch (random.nextInt(8)) {
      case 0 -> Double.toString(x);
      case 1 -> String.format(Locale.ROOT, "%.3f", x);
      case 2 -> String.format(Locale.ROOT, "%.6e", x);
      case 3 -> String.valueOf(random.nextLong(-1_000_000_000_000L, 1_000_000_000_000L));
      case 4 -> String.format(Locale.ROOT, "%.17g", x).replace("E", "e");
      case 5 -> String.valueOf(random.nextInt(-3, 10));
      case 6 -> "0.1" + "0".repeat(random.nextInt(25)) + random.nextInt(1, 10);
      default -> String.format(Locale.ROOT, "%.20f", x);
    };
  }

  @Test
  void shouldReadTheEdgesOfTheNumberGrammarAsTheTreeDoes() {
    for (String n :
        new String[] {
          "0",
          "-0",
          "0.0",
          "-0.0",
          "1e22",
          "1e23",
          "9007199254740993",
          "9007199254740993.0",
          "1234567890123456789",
          "12345678901234567890",
          "99999999999999999999999",
          "4.9e-324",
          "2.2250738585072014E-308",
          "1.7976931348623157e308",
          "1e-400",
          "123.456e-5",
          "5E+3",
          "0.30000000000000004",
          "1.00000000000000000000000001",
          "0.000001",
          "-0.000000",
          "123456789012345678",
          "-123456789012345678",
          "123456789.123456789",
          "9007199254740991.5",
          "12345678.12345678",
          "0.123456789012345678",
          "1.5e3",
          "-7.25E-1"
        }) {
      assertSameAsTree("{\"id\": \"e\", \"features\": [" + n + "], \"label\": [" + n + ", 1]}");
    }
  }

  @Test
  void shouldReadDoubleToStringOfRandomBitsAsDoubleParseDouble() {
    SplittableRandom random = new SplittableRandom(29);
    for (int i = 0; i < 50_000; i++) {
      double x = Double.longBitsToDouble(random.nextLong());
      if (Double.isFinite(x)) {
        assertReadAsParseDouble(Double.toString(x));
      }
    }
  }

  @Test
  void shouldReadSeventeenToNineteenDigitsAtEveryExponentAsDoubleParseDouble() {
    SplittableRandom random = new SplittableRandom(31);
    for (int i = 0; i < 20_000; i++) {
      int digits = 17 + random.nextInt(3);
      String mantissa = mantissa(random, digits);
      int exponent = random.nextInt(-345, 311);
      String sign = random.nextBoolean() ? "-" : "";
      assertReadAsParseDouble(sign + mantissa + "e" + exponent);
      int point = random.nextInt(1, digits);
      assertReadAsParseDouble(
          sign + mantissa.substring(0, point) + "." + mantissa.substring(point) + "E" + exponent);
    }
  }

  @Test
  void shouldReadPlainFractionsOfSeventeenToNineteenDigitsAsDoubleParseDouble() {
    // No exponent: the plain form's own path, Clinger's below 2^53 and Eisel–Lemire's above it.
    SplittableRandom random = new SplittableRandom(41);
    for (int i = 0; i < 20_000; i++) {
      int digits = 17 + random.nextInt(3);
      String mantissa = mantissa(random, digits);
      String sign = random.nextBoolean() ? "-" : "";
      int point = random.nextInt(1, digits);
      assertReadAsParseDouble(
          sign + mantissa.substring(0, point) + "." + mantissa.substring(point));
      int zeros = random.nextInt(4); // 0.000ddd: leading zeros count towards the 19
      assertReadAsParseDouble(
          sign + "0." + "0".repeat(zeros) + mantissa.substring(0, digits - zeros));
      assertReadAsParseDouble(sign + "0." + "0".repeat(zeros) + mantissa);
    }
    for (int i = 0; i < 20_000; i++) { // ties at and next to halfway, written out in full
      double x = random.nextDouble(1e-3, 1e3);
      BigDecimal halfway =
          new BigDecimal(x).add(new BigDecimal(Math.nextUp(x))).divide(BigDecimal.valueOf(2));
      for (int digits = 16; digits <= 19; digits++) {
        assertReadAsParseDouble(
            halfway.round(new MathContext(digits, RoundingMode.HALF_EVEN)).toPlainString());
      }
    }
  }

  @Test
  void shouldReadMoreThanNineteenDigitsAsDoubleParseDouble() {
    SplittableRandom random = new SplittableRandom(37);
    for (int i = 0; i < 10_000; i++) {
      StringBuilder digits = new StringBuilder().append(random.nextInt(1, 10));
      int count = random.nextInt(19, 40);
      for (int k = 0; k < count; k++) {
        digits.append(random.nextInt(10));
      }
      assertReadAsParseDouble(digits + "e" + random.nextInt(-340, 300));
      assertReadAsParseDouble("0." + digits);
      assertReadAsParseDouble(digits.insert(random.nextInt(1, digits.length()), '.').toString());
    }
  }

  @Test
  void shouldReadSubnormalsAndTheEndsOfTheRangeAsDoubleParseDouble() {
    for (String n :
        new String[] {
          "4.9e-324",
          "2.4703282292062327e-324",
          "2.4703282292062328e-324",
          "1e-323",
          "2.2250738585072011e-308",
          "2.2250738585072012e-308",
          "2.2250738585072014e-308",
          "1.7976931348623157e308",
          "1.7976931348623158e308",
          "1.7976931348623159e308",
          "1e308",
          "1e309",
          "9999999999999999999e-343",
          "1e-342",
          "1e-343",
          "123456789012345678e290",
          "0.0000000000000000000000000000001e-300"
        }) {
      assertReadAsParseDouble(n);
    }
    SplittableRandom random = new SplittableRandom(41);
    for (int i = 0; i < 20_000; i++) {
      double subnormal = Double.longBitsToDouble(random.nextLong(1, 1L << 52));
      assertReadAsParseDouble(Double.toString(subnormal));
      assertReadAsParseDouble(String.format(Locale.ROOT, "%.18e", subnormal));
    }
  }

  @Test
  void shouldRoundNumbersNearAndAtHalfwayBetweenTwoDoublesAsDoubleParseDouble() {
    SplittableRandom random = new SplittableRandom(43);
    for (int i = 0; i < 5_000; i++) {
      double x = Double.longBitsToDouble(random.nextLong(1L << 52, 0x7FEF_FFFF_FFFF_FFFFL));
      BigDecimal halfway =
          new BigDecimal(x).add(new BigDecimal(Math.nextUp(x))).divide(BigDecimal.valueOf(2));
      for (int digits = 16; digits <= 20; digits++) {
        assertReadAsParseDouble(halfway.round(new MathContext(digits, RoundingMode.FLOOR)));
        assertReadAsParseDouble(halfway.round(new MathContext(digits, RoundingMode.CEILING)));
      }
      assertReadAsParseDouble(halfway);
    }
    // Exactly halfway with at most 19 digits: m + 1/2 at spacing 1, m/2 + 1/4 at spacing 1/2, ...
    for (int i = 0; i < 20_000; i++) {
      int halvings = random.nextInt(4);
      BigDecimal odd = BigDecimal.valueOf(2 * random.nextLong(1L << 52, 1L << 53) + 1);
      assertReadAsParseDouble(odd.divide(BigDecimal.valueOf(2L << halvings)));
      assertReadAsParseDouble(odd.multiply(BigDecimal.valueOf(1L << random.nextInt(8))));
    }
  }

  @Test
  void shouldNotReadDigitsPastTheEndOfItsText() {
    // A line cut in a number, followed in the same buffer by digits (the next line's, say).
    byte[] bytes = "{\"features\": [1, 2345678901234567890]}".getBytes(StandardCharsets.UTF_8);
    int cut = "{\"features\": [1, 2".length();
    assertNull(reader.read(bytes, 0, cut));
    byte[] whole = "{\"features\": [12]}0123456789".getBytes(StandardCharsets.UTF_8);
    Sample sample = reader.read(whole, 0, whole.length - 10);
    assertNotNull(sample);
    assertEquals(12.0, sample.features()[0]);
  }

  /** A random mantissa of this many digits (at most 19), its first not 0. */
  private static String mantissa(SplittableRandom random, int digits) {
    return random.nextInt(1, 10)
        + String.format(Locale.ROOT, "%018d", random.nextLong(1_000_000_000_000_000_000L))
            .substring(19 - digits);
  }

  /**
   * The number reads as Double.parseDouble reads it, to the bit, in a features array and as a label
   * alone.
   */
  private void assertReadAsParseDouble(BigDecimal number) {
    assertReadAsParseDouble(number.toString());
  }

  private void assertReadAsParseDouble(String number) {
    byte[] bytes =
        ("{\"features\": [" + number + "], \"label\": " + number + "}")
            .getBytes(StandardCharsets.UTF_8);
    Sample sample = reader.read(bytes, 0, bytes.length);
    assertNotNull(sample, number);
    long expected = Double.doubleToRawLongBits(Double.parseDouble(number));
    assertEquals(expected, Double.doubleToRawLongBits(sample.features()[0]), number);
    assertEquals(expected, Double.doubleToRawLongBits(sample.label()[0]), "label " + number);
  }

  @Test
  void shouldReadEveryFieldAsTheTreeDoes() {
    assertSameAsTree(
        "  {\"label\": null, \"weight\": 0.5, \"features\": [], \"event_time\": -12, \"id\": null} ");
    assertSameAsTree(
        "{\"id\":\"ü-7\",\"features\":[1,2],\"event_time\":1700000000000,\"weight\":0}");
    assertSameAsTree("{\"features\": [3], \"weight\": null}");
    assertSameAsTree("{\"id\": \"x\", \"features\": [1.5, -2]}\r");
  }

  @Test
  void shouldReadNamedFeaturesAsTheTreeDoes() {
    assertSameAsTree(
        "{\"id\": \"n\", \"features\": {\"amount\": 120.5, \"country\": \"FR\", \"is_new\":"
            + " true, \"old\": false, \"gone\": null, \"n\": -0.0, \"big\":"
            + " 12345678901234567890123, \"e\": 1e-7}, \"label\": 1}");
    assertSameAsTree("{\"features\": {}, \"label\": 0}");
    assertSameAsTree("{\"features\": {\"a\": 1, \"a\": \"two\"}}");
    SplittableRandom random = new SplittableRandom(3);
    for (int i = 0; i < 200; i++) {
      assertSameAsTree("{\"features\": {\"x\": " + number(random) + ", \"y\": \"s\"}}");
    }
  }

  @Test
  void shouldReadNamesInAnotherOrderOrOfAnotherLengthThanTheLastSamplesRight() {
    assertSameAsTree("{\"features\": {\"amount\": 1, \"b\": 2}}");
    assertSameAsTree("{\"features\": {\"b\": 3, \"amount\": 4}}");
    assertSameAsTree("{\"features\": {\"amounts\": 5, \"b\": 6, \"c\": 7}}");
    assertSameAsTree("{\"features\": {\"amount\": 8}}");
  }

  @Test
  void shouldLeaveNamedFeaturesItCannotReadToTheTree() {
    for (String text :
        new String[] {
          "{\"features\": {\"a\\u0041\": 1}}",
          "{\"features\": {\"a\": \"x\\ny\"}}",
          "{\"features\": {\"a\": [1]}}",
          "{\"features\": {\"a\": truex}}",
          "{\"features\": {\"a\": 1,}}"
        }) {
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      assertNull(reader.read(bytes, 0, bytes.length), text);
    }
  }

  @Test
  void shouldLeaveEveryOtherFormToTheTree() {
    for (String text :
        new String[] {
          "{\"id\": \"a\\\"b\", \"features\": [1]}",
          "{\"id\": 17, \"features\": [1]}",
          "{\"id\": \"a\", \"features\": [\"NaN\"]}",
          "{\"id\": \"a\", \"features\": [1], \"extra\": {\"x\": [1]}}",
          "{\"id\": \"a\", \"features\": [1], \"features\": [2]}",
          "{\"id\": \"a\", \"features\": [01]}",
          "{\"id\": \"a\", \"features\": [1.]}",
          "{\"id\": \"a\", \"features\": [1], \"event_time\": 1.5}",
          "{\"id\": \"a\", \"features\": [1]} trailing",
          "{\"id\": \"a\"}",
          "not json",
          "{\"id\": \"a\", \"features\": [1,"
        }) {
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      assertNull(reader.read(bytes, 0, bytes.length), text);
    }
  }

  @Test
  void shouldRejectANegativeOrNonFiniteWeightAsBadWeight() {
    for (String weight : new String[] {"-1", "-0.001", "\"NaN\"", "\"Infinity\"", "1e400"}) {
      byte[] bytes =
          ("{\"id\": \"w\", \"features\": [1], \"weight\": " + weight + "}")
              .getBytes(StandardCharsets.UTF_8);
      RejectedException e =
          assertThrows(
              RejectedException.class, () -> SampleJson.parse(reader, bytes, 0, bytes.length));
      assertEquals(ReasonCode.BAD_WEIGHT, e.reason(), weight);
    }
  }

  private void assertSameAsTree(String text) {
    byte[] bytes = ("xx" + text).getBytes(StandardCharsets.UTF_8);
    Sample fast = reader.read(bytes, 2, bytes.length - 2);
    assertNotNull(fast, text);
    Sample tree = SampleJson.parse(text);
    assertEquals(tree.id(), fast.id(), text);
    assertArrayEquals(
        tree.features() == null ? null : bits(tree.features()),
        fast.features() == null ? null : bits(fast.features()),
        text);
    // Double.equals compares the bits: 0.0 and -0.0 differ, as they should.
    assertEquals(tree.namedFeatures(), fast.namedFeatures(), text);
    assertArrayEquals(
        tree.label() == null ? null : bits(tree.label()),
        fast.label() == null ? null : bits(fast.label()),
        text);
    assertEquals(tree.eventTime(), fast.eventTime(), text);
    assertEquals(
        Double.doubleToRawLongBits(tree.weight()), Double.doubleToRawLongBits(fast.weight()), text);
  }

  private static long[] bits(double[] values) {
    long[] bits = new long[values.length];
    for (int i = 0; i < values.length; i++) {
      bits[i] = Double.doubleToRawLongBits(values[i]);
    }
    return bits;
  }
}
