package io.streamgrad.records;

import com.fasterxml.jackson.core.io.NumberInput;
import io.streamgrad.learn.Sample;
import java.nio.charset.StandardCharsets;

/**
 * Reads the JSON form of a sample straight from its UTF-8 bytes into {@code double[]}, with no tree
 * of nodes and no String per number: the path of every {@code .jsonl} line and every JSON record on
 * the samples topic, where the tree cost five times the SGD step.
 *
 * <p>It reads the form producers write: an object of the known fields ({@code id}, {@code
 * features}, {@code label}, {@code event_time}, {@code weight}) with strings that need no escapes
 * and plain JSON numbers; {@code features} an array of numbers or an object of named numbers,
 * strings, booleans and nulls. For anything else — an escape, an unknown field, a number given as a
 * string, a syntax error — it answers null and the caller takes {@link SampleJson}'s tree path,
 * which reads the whole language and words every error. So for any text this reader accepts, the
 * sample is exactly the one the tree path gives, bit for bit (SampleJsonReaderTest checks that).
 *
 * <p>Not thread-safe: one reader per thread, filled again for each sample.
 */
final class SampleJsonReader {
  /** 10^0 … 10^22: every one exact in a double, which makes Clinger's fast path exact. */
  private static final double[] POWERS_OF_TEN = new double[23];

  static {
    double p = 1;
    for (int i = 0; i < POWERS_OF_TEN.length; i++) {
      POWERS_OF_TEN[i] = p;
      p *= 10;
    }
  }

  /** Digits that always fit in a long: 10^18 − 1 < 2^63. */
  private static final int MAX_DIGITS = 18;

  private static final int ID = 1;
  private static final int FEATURES = 2;
  private static final int LABEL = 4;
  private static final int EVENT_TIME = 8;
  private static final int WEIGHT = 16;

  private byte[] bytes;
  private int position;
  private int end;

  /** Numbers of the array being read, before they are copied out at their final length. */
  private double[] values = new double[64];

  /** The characters of a number too long for the fast path, for the full parser. */
  private char[] digits = new char[32];

  /**
   * The sample in bytes[offset, offset + length), or null when the text is not in the form this
   * reader knows (the tree path then reads it, or says what is wrong).
   */
  Sample read(byte[] bytes, int offset, int length) {
    return read(bytes, offset, length, true);
  }

  /**
   * The fields of a JSON label record, an object of the same fields with no features (id, label,
   * event_time), as a sample without features; or null when the text is not in the form this reader
   * knows, or has features.
   */
  Sample readWithoutFeatures(byte[] bytes) {
    return read(bytes, 0, bytes.length, false);
  }

  private Sample read(byte[] bytes, int offset, int length, boolean withFeatures) {
    this.bytes = bytes;
    this.position = offset;
    this.end = offset + length;
    try {
      return readObject(withFeatures);
    } catch (NotFastPath e) {
      return null;
    } finally {
      this.bytes = null;
    }
  }

  private Sample readObject(boolean withFeatures) {
    skipWhitespace();
    expect('{');
    String id = "";
    double[] features = null;
    java.util.Map<String, Object> named = null;
    double[] label = null;
    long eventTime = 0;
    double weight = 1.0;
    int seen = 0;
    skipWhitespace();
    do {
      skipWhitespace();
      int field = readFieldName();
      if ((seen & field) != 0) {
        throw NotFastPath.INSTANCE; // the tree keeps the last of duplicated fields
      }
      seen |= field;
      skipWhitespace();
      expect(':');
      skipWhitespace();
      switch (field) {
        case ID -> id = readIdValue();
        case FEATURES -> {
          if (position < end && bytes[position] == '{') {
            named = readNamed();
          } else {
            features = readArray();
          }
        }
        case LABEL -> label = readLabel();
        case EVENT_TIME -> eventTime = readEventTime();
        default -> weight = readWeight();
      }
      skipWhitespace();
    } while (next() == ',' || back());
    expect('}');
    skipWhitespace();
    if (position != end || withFeatures == (features == null && named == null)) {
      throw NotFastPath.INSTANCE;
    }
    return new Sample(id, features, label, eventTime, weight, named);
  }

  /** Steps back over the byte next() took; false, so that the loop ends there. */
  private boolean back() {
    position--;
    return false;
  }

  private int readFieldName() {
    expect('"');
    int start = position;
    while (position < end && bytes[position] != '"') {
      if (bytes[position] == '\\') {
        throw NotFastPath.INSTANCE;
      }
      position++;
    }
    int length = position - start;
    expect('"');
    if (is("id", start, length)) {
      return ID;
    }
    if (is("features", start, length)) {
      return FEATURES;
    }
    if (is("label", start, length)) {
      return LABEL;
    }
    if (is("event_time", start, length)) {
      return EVENT_TIME;
    }
    if (is("weight", start, length)) {
      return WEIGHT;
    }
    throw NotFastPath.INSTANCE;
  }

  private boolean is(String name, int start, int length) {
    if (name.length() != length) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      if (bytes[start + i] != name.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private String readIdValue() {
    if (readNull()) {
      return "";
    }
    expect('"');
    int start = position;
    while (position < end && bytes[position] != '"') {
      byte b = bytes[position];
      if (b == '\\' || (b >= 0 && b < 0x20)) {
        throw NotFastPath.INSTANCE; // escapes, and control characters JSON does not allow
      }
      position++;
    }
    int length = position - start;
    expect('"');
    return new String(bytes, start, length, StandardCharsets.UTF_8);
  }

  private double[] readLabel() {
    if (readNull()) {
      return null;
    }
    if (position < end && bytes[position] == '[') {
      return readArray();
    }
    return new double[] {readNumber()};
  }

  private double readWeight() {
    return readNull() ? 1.0 : readNumber();
  }

  private double[] readArray() {
    expect('[');
    skipWhitespace();
    int n = 0;
    if (position < end && bytes[position] == ']') {
      position++;
      return new double[0];
    }
    while (true) {
      skipWhitespace();
      if (n == values.length) {
        values = java.util.Arrays.copyOf(values, 2 * n);
      }
      values[n++] = readNumber();
      skipWhitespace();
      byte b = next();
      if (b == ']') {
        return java.util.Arrays.copyOf(values, n);
      }
      if (b != ',') {
        throw NotFastPath.INSTANCE;
      }
    }
  }

  /**
   * Named features: an object of numbers, strings without escapes, booleans and nulls, as the tree
   * path's {@link NamedFeatures} reads them (a number as the same double, the last of duplicated
   * names kept).
   */
  private java.util.Map<String, Object> readNamed() {
    expect('{');
    // Sized for the last sample's fields: a producer sends the same ones every time.
    java.util.Map<String, Object> named =
        new java.util.LinkedHashMap<>(Math.max(16, 2 * names.length));
    skipWhitespace();
    if (position < end && bytes[position] == '}') {
      position++;
      return named;
    }
    int field = 0;
    while (true) {
      skipWhitespace();
      String name = readName(field++);
      skipWhitespace();
      expect(':');
      skipWhitespace();
      named.put(name, readNamedValue());
      skipWhitespace();
      byte b = next();
      if (b == '}') {
        return named;
      }
      if (b != ',') {
        throw NotFastPath.INSTANCE;
      }
    }
  }

  /**
   * The name of the field-th named feature: the String of the last sample's field-th name when the
   * bytes are the same (a producer writes its fields in one order), so a name is neither decoded
   * nor hashed again; the map lookups of the inputs then compare cached hashes.
   */
  private String readName(int field) {
    expect('"');
    int start = position;
    while (position < end && bytes[position] != '"') {
      byte b = bytes[position];
      if (b == '\\' || (b >= 0 && b < 0x20)) {
        throw NotFastPath.INSTANCE;
      }
      position++;
    }
    int length = position - start;
    expect('"');
    if (field < names.length
        && names[field] != null
        && java.util.Arrays.equals(
            nameBytes[field], 0, nameBytes[field].length, bytes, start, start + length)) {
      return names[field];
    }
    if (field >= names.length) {
      names = java.util.Arrays.copyOf(names, Math.max(16, 2 * field));
      nameBytes = java.util.Arrays.copyOf(nameBytes, names.length);
    }
    nameBytes[field] = java.util.Arrays.copyOfRange(bytes, start, start + length);
    names[field] = new String(bytes, start, length, StandardCharsets.UTF_8);
    return names[field];
  }

  /** The names of the last sample's named features, in their order, and their UTF-8 bytes. */
  private String[] names = new String[0];

  private byte[][] nameBytes = new byte[0][];

  private Object readNamedValue() {
    if (position >= end) {
      throw NotFastPath.INSTANCE;
    }
    byte b = bytes[position];
    if (b == '"') {
      return readPlainString();
    }
    if (readNull()) {
      return null;
    }
    if (readWord("true")) {
      return true;
    }
    if (readWord("false")) {
      return false;
    }
    return readNumber();
  }

  private boolean readWord(String word) {
    if (end - position < word.length()) {
      return false;
    }
    for (int i = 0; i < word.length(); i++) {
      if (bytes[position + i] != word.charAt(i)) {
        return false;
      }
    }
    position += word.length();
    return true;
  }

  /** A string without escapes or control characters; anything else leaves the fast path. */
  private String readPlainString() {
    expect('"');
    int start = position;
    while (position < end && bytes[position] != '"') {
      byte b = bytes[position];
      if (b == '\\' || (b >= 0 && b < 0x20)) {
        throw NotFastPath.INSTANCE;
      }
      position++;
    }
    int length = position - start;
    expect('"');
    return new String(bytes, start, length, StandardCharsets.UTF_8);
  }

  /** An integer literal of up to 18 digits, as the tree's asLong reads it; null reads as 0. */
  private long readEventTime() {
    if (readNull()) {
      return 0;
    }
    boolean negative = position < end && bytes[position] == '-';
    if (negative) {
      position++;
    }
    int start = position;
    long value = 0;
    while (position < end && isDigit(bytes[position])) {
      value = value * 10 + (bytes[position++] - '0');
    }
    int count = position - start;
    if (count == 0
        || count > 18
        || (count > 1 && bytes[start] == '0')
        || (position < end && isNumberPart(bytes[position]))) {
      throw NotFastPath.INSTANCE; // a fraction, an exponent or a long number: the tree decides
    }
    return negative ? -value : value;
  }

  /**
   * A JSON number. Up to 18 significant digits with a small exponent is Clinger's fast path: the
   * digits are exact in a long, and below 2^53 one multiplication or division by an exact power of
   * ten rounds once, as Double.parseDouble does. Longer numbers go to Jackson's copy of
   * FastDoubleParser, which gives Double.parseDouble's bits. An integer literal becomes the double
   * of its long, as the tree's number nodes do (so "-0" is 0.0, "-0.0" is -0.0).
   */
  private double readNumber() {
    int start = position;
    boolean negative = false;
    if (position < end && bytes[position] == '-') {
      negative = true;
      position++;
    }
    if (position >= end || !isDigit(bytes[position])) {
      throw NotFastPath.INSTANCE; // "NaN" as a string, null, a nested value, or not JSON
    }
    long mantissa = 0;
    int significant = 0;
    int exponent = 0;
    boolean integer = true;
    if (bytes[position] == '0') {
      position++;
      if (position < end && isDigit(bytes[position])) {
        throw NotFastPath.INSTANCE; // a leading zero is not JSON
      }
    } else {
      while (position < end && isDigit(bytes[position])) {
        if (significant < MAX_DIGITS) {
          mantissa = mantissa * 10 + (bytes[position] - '0');
          significant++;
        } else {
          exponent++;
          significant++;
        }
        position++;
      }
    }
    if (position < end && bytes[position] == '.') {
      integer = false;
      position++;
      int fractionStart = position;
      while (position < end && isDigit(bytes[position])) {
        if (significant < MAX_DIGITS) {
          if (mantissa != 0 || bytes[position] != '0') {
            significant++;
          }
          mantissa = mantissa * 10 + (bytes[position] - '0');
          exponent--;
        } else {
          significant++;
        }
        position++;
      }
      if (position == fractionStart) {
        throw NotFastPath.INSTANCE;
      }
    }
    if (position < end && (bytes[position] == 'e' || bytes[position] == 'E')) {
      integer = false;
      position++;
      boolean negativeExponent = false;
      if (position < end && (bytes[position] == '+' || bytes[position] == '-')) {
        negativeExponent = bytes[position] == '-';
        position++;
      }
      int exponentStart = position;
      int written = 0;
      while (position < end && isDigit(bytes[position])) {
        if (written < 100_000) {
          written = written * 10 + (bytes[position] - '0');
        }
        position++;
      }
      if (position == exponentStart) {
        throw NotFastPath.INSTANCE;
      }
      exponent += negativeExponent ? -written : written;
    }
    if (significant > MAX_DIGITS) {
      return parseLong(start);
    }
    if (integer) {
      return negative ? (double) -mantissa : (double) mantissa;
    }
    double value;
    if (mantissa == 0) {
      value = 0.0;
    } else if (mantissa < (1L << 53) && exponent >= -22 && exponent <= 22) {
      value =
          exponent >= 0 ? mantissa * POWERS_OF_TEN[exponent] : mantissa / POWERS_OF_TEN[-exponent];
    } else {
      return parseLong(start);
    }
    return negative ? -value : value;
  }

  /** The number from start to the current position, by the full, correctly rounding parser. */
  private double parseLong(int start) {
    int length = position - start;
    if (digits.length < length) {
      digits = new char[Math.max(length, 2 * digits.length)];
    }
    for (int i = 0; i < length; i++) {
      digits[i] = (char) bytes[start + i];
    }
    return NumberInput.parseDouble(digits, 0, length, true);
  }

  private boolean readNull() {
    if (end - position >= 4
        && bytes[position] == 'n'
        && bytes[position + 1] == 'u'
        && bytes[position + 2] == 'l'
        && bytes[position + 3] == 'l') {
      position += 4;
      return true;
    }
    return false;
  }

  private void skipWhitespace() {
    while (position < end) {
      byte b = bytes[position];
      if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
        return;
      }
      position++;
    }
  }

  private byte next() {
    if (position >= end) {
      throw NotFastPath.INSTANCE;
    }
    return bytes[position++];
  }

  private void expect(char c) {
    if (next() != c) {
      throw NotFastPath.INSTANCE;
    }
  }

  private static boolean isDigit(byte b) {
    return b >= '0' && b <= '9';
  }

  private static boolean isNumberPart(byte b) {
    return isDigit(b) || b == '.' || b == 'e' || b == 'E' || b == '+' || b == '-';
  }

  /** Thrown to leave the fast path; one shared instance without a stack trace, so it is cheap. */
  private static final class NotFastPath extends RuntimeException {
    private static final long serialVersionUID = 1L;
    static final NotFastPath INSTANCE = new NotFastPath();

    private NotFastPath() {
      super(null, null, false, false);
    }
  }
}
