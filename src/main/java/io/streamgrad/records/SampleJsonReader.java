package io.streamgrad.records;

import com.fasterxml.jackson.core.io.NumberInput;
import io.streamgrad.learn.Sample;
import io.streamgrad.learn.inputs.FieldNames;
import io.streamgrad.learn.inputs.NamedValues;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
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

  /** Significant digits that always fit in 64 bits, read as unsigned: 10^19 − 1 < 2^64. */
  private static final int MAX_DIGITS = 19;

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
    double[] label = new double[1];
    int after = plainNumber(bytes, position, end, label, 0); // a regression target, a class
    if (after < 0) {
      label[0] = readNumber();
    } else {
      position = after;
    }
    return label;
  }

  private double readWeight() {
    return readNull() ? 1.0 : readNumber();
  }

  /**
   * An array of numbers, in one loop over locals (the text, the position, the numbers read so far):
   * per number, the loop around it — whitespace, the separator, the call, the fields — cost as much
   * as reading its digits. A number of the plain form most data has is read inline ({@link
   * #plainNumber}); any other through {@link #readNumber}.
   */
  private double[] readArray() {
    expect('[');
    final byte[] text = bytes;
    final int limit = end;
    int at = skipWhitespace(text, position, limit);
    if (at < limit && text[at] == ']') {
      position = at + 1;
      return new double[0];
    }
    double[] read = values;
    int n = 0;
    while (true) {
      at = skipWhitespace(text, at, limit);
      if (n == read.length) {
        read = java.util.Arrays.copyOf(read, 2 * n);
        values = read;
      }
      int after = plainNumber(text, at, limit, read, n);
      if (after < 0) {
        position = at;
        read[n] = readNumber();
        at = position;
      } else {
        at = after;
      }
      n++;
      at = skipWhitespace(text, at, limit);
      if (at >= limit) {
        throw NotFastPath.INSTANCE;
      }
      byte b = text[at++];
      if (b == ']') {
        position = at;
        return java.util.Arrays.copyOf(read, n);
      }
      if (b != ',') {
        throw NotFastPath.INSTANCE;
      }
    }
  }

  /**
   * Reads the number at at into read[n] when it has the plain form of most exported data — an
   * optional minus, an integer part, an optional fraction, no exponent, an integer of at most 18
   * digits or a fraction of at most 19 (leading zeros included) — and returns the position after
   * it; else returns -1 and reads nothing ({@link #readNumber} reads it then, or finds it is not
   * JSON). The same bits as readNumber: an integer is the double of its long; a fraction's digits
   * below 2^53 are divided once by an exact power of ten (Clinger's fast path), and above it —
   * full-precision doubles of 17 digits, as Double.toString writes half of those in [0, 1) — go to
   * {@link EiselLemire} with the digits already read; then negated.
   */
  private static int plainNumber(byte[] text, int at, int limit, double[] read, int n) {
    boolean negative = at < limit && text[at] == '-';
    if (negative) {
      at++;
    }
    int integerStart = at;
    long mantissa = 0;
    for (; at < limit; at++) {
      int digit = text[at] - '0';
      if (digit < 0 || digit > 9) {
        break;
      }
      mantissa = mantissa * 10 + digit;
    }
    int integerDigits = at - integerStart;
    if (integerDigits == 0
        || integerDigits > 18
        || (integerDigits > 1 && text[integerStart] == '0')) {
      return -1;
    }
    if (at >= limit || text[at] != '.') {
      if (at < limit && (text[at] | 0x20) == 'e') {
        return -1;
      }
      read[n] = negative ? (double) -mantissa : (double) mantissa;
      return at;
    }
    int fractionStart = ++at;
    while (at <= text.length - 8) { // eight digits at a time, as readDigits reads them
      long chunk = (long) EIGHT_BYTES.get(text, at);
      long notDigits =
          ((chunk + 0x4646_4646_4646_4646L) | (chunk - 0x3030_3030_3030_3030L))
              & 0x8080_8080_8080_8080L;
      int count = Math.min(Long.numberOfTrailingZeros(notDigits) >>> 3, limit - at);
      if (count == 0) {
        break;
      }
      mantissa = mantissa * LONG_POWERS_OF_TEN[count] + eightDigits(chunk << (64 - 8 * count));
      at += count;
      if (count < 8 || integerDigits + at - fractionStart > MAX_DIGITS) {
        break;
      }
    }
    for (; at < limit; at++) { // the last bytes of the array, or digits past the 19th
      int digit = text[at] - '0';
      if (digit < 0 || digit > 9) {
        break;
      }
      mantissa = mantissa * 10 + digit;
    }
    int fractionDigits = at - fractionStart;
    if (fractionDigits == 0
        || integerDigits + fractionDigits > MAX_DIGITS
        || (at < limit && (text[at] | 0x20) == 'e')) {
      return -1;
    }
    double value;
    if (mantissa >= 0 && mantissa < 1L << 53) {
      value = mantissa / POWERS_OF_TEN[fractionDigits];
    } else { // 19 digits are below 2^64: exact when read as unsigned, as EiselLemire takes them
      value = EiselLemire.toDouble(mantissa, -fractionDigits);
      if (Double.isNaN(value)) {
        return -1; // not decided there: readNumber's full parser decides
      }
    }
    read[n] = negative ? -value : value;
    return at;
  }

  /**
   * Named features: an object of numbers, strings without escapes, booleans and nulls, as the tree
   * path's {@link NamedFeatures} reads them (a number as the same double, the last of duplicated
   * names kept), field by field into {@link NamedValues}: numbers unboxed, and the names of the
   * last record shared while a producer repeats them in the same order.
   */
  private java.util.Map<String, Object> readNamed() {
    expect('{');
    namedValues.clear();
    skipWhitespace();
    if (position < end && bytes[position] == '}') {
      position++;
    } else {
      int field = 0;
      while (true) {
        skipWhitespace();
        readName(field++);
        skipWhitespace();
        expect(':');
        skipWhitespace();
        readNamedValue();
        skipWhitespace();
        byte b = next();
        if (b == '}') {
          break;
        }
        if (b != ',') {
          throw NotFastPath.INSTANCE;
        }
      }
    }
    if (fieldNames == null || fieldNames.size() != namedValues.size()) {
      fieldNames = FieldNames.of(names, namedValues.size());
    }
    return namedValues.build(fieldNames);
  }

  /**
   * The name of the field-th named feature: compared with the last sample's field-th name, eight
   * bytes at a time with its closing quote (a producer writes its fields in one order), so that a
   * name that repeats is neither scanned, decoded nor hashed again; a name that differs is kept for
   * the next sample.
   */
  private void readName(int field) {
    expect('"');
    int start = position;
    boolean known = field < nameBytes.length && nameBytes[field] != null;
    if (known && sameName(nameWords[field], nameMasks[field], start)) {
      position = start + nameBytes[field].length + 1;
      return;
    }
    while (position < end && bytes[position] != '"') {
      byte b = bytes[position];
      if (b == '\\' || (b >= 0 && b < 0x20)) {
        throw NotFastPath.INSTANCE;
      }
      position++;
    }
    int length = position - start;
    expect('"');
    if (known
        && java.util.Arrays.equals(
            nameBytes[field], 0, nameBytes[field].length, bytes, start, start + length)) {
      return; // too near the end of the record for the comparison by words
    }
    if (field >= names.length) {
      names = java.util.Arrays.copyOf(names, Math.max(16, 2 * field));
      nameBytes = java.util.Arrays.copyOf(nameBytes, names.length);
      nameWords = java.util.Arrays.copyOf(nameWords, names.length);
      nameMasks = java.util.Arrays.copyOf(nameMasks, names.length);
    }
    nameBytes[field] = java.util.Arrays.copyOfRange(bytes, start, start + length);
    names[field] = new String(bytes, start, length, StandardCharsets.UTF_8);
    keepWords(field, length + 1);
    fieldNames = null;
  }

  /**
   * True when the bytes from start are the name and closing quote of words and mask (see {@link
   * #keepWords}); false too when fewer than their eight-byte words are left.
   */
  private boolean sameName(long[] words, long mask, int start) {
    int last = words.length - 1;
    if (end - start < 8 * words.length) {
      return false;
    }
    for (int w = 0; w < last; w++) {
      if ((long) EIGHT_BYTES.get(bytes, start + 8 * w) != words[w]) {
        return false;
      }
    }
    return ((long) EIGHT_BYTES.get(bytes, start + 8 * last) & mask) == words[last];
  }

  /**
   * The field-th name and its closing quote (count bytes from the current name's start) as
   * little-endian eight-byte words, the bytes past them in the last word masked out.
   */
  private void keepWords(int field, int count) {
    int start = position - count;
    long[] words = new long[(count + 7) / 8];
    for (int i = 0; i < count; i++) {
      words[i / 8] |= (bytes[start + i] & 0xffL) << (8 * (i % 8));
    }
    nameWords[field] = words;
    nameMasks[field] = count % 8 == 0 ? -1L : (1L << (8 * (count % 8))) - 1;
  }

  /** The names of the last sample as words and last-word masks, for {@link #sameName}. */
  private long[][] nameWords = new long[0][];

  private long[] nameMasks = new long[0];

  /** The names of the last sample's named features, in their order, and their UTF-8 bytes. */
  private String[] names = new String[0];

  private byte[][] nameBytes = new byte[0][];

  /**
   * The names above as the last sample's values carry them: null once a name changes (even in a
   * sample that then leaves the fast path), made again for a sample with another count.
   */
  private FieldNames fieldNames;

  /** The values of the named features being read. */
  private final NamedValues.Builder namedValues = new NamedValues.Builder();

  private void readNamedValue() {
    if (position >= end) {
      throw NotFastPath.INSTANCE;
    }
    switch (bytes[position]) {
      case '"' -> namedValues.addText(readPlainString());
      case 'n' -> {
        if (!readNull()) {
          throw NotFastPath.INSTANCE;
        }
        namedValues.addNull();
      }
      case 't' -> {
        if (!readWord("true")) {
          throw NotFastPath.INSTANCE;
        }
        namedValues.addBoolean(true);
      }
      case 'f' -> {
        if (!readWord("false")) {
          throw NotFastPath.INSTANCE;
        }
        namedValues.addBoolean(false);
      }
      default -> namedValues.addNumber(readNumber());
    }
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
   * A JSON number, as Double.parseDouble reads it. Its significant digits, up to 19, are exact in a
   * 64-bit word (unsigned), with the power of ten they are scaled by. Below 2^53 and with a power
   * within ±22, one multiplication or division by an exact power of ten rounds once (Clinger's fast
   * path: numbers of up to 15 digits, as most exported data is); else the Eisel–Lemire algorithm
   * (full-precision doubles of 16 to 19 digits, as Double.toString and Python's repr write them).
   * More than 19 digits, a result below the normal range or past the largest double, and the rare
   * product Eisel–Lemire does not decide go to the full parser. An integer literal of up to 18
   * digits becomes the double of its long, as the tree's number nodes do (so "-0" is 0.0, "-0.0" is
   * -0.0).
   *
   * <p>The text is read through locals, the position written back once rather than at every byte,
   * and its digits eight at a time ({@link #readDigits}).
   */
  private double readNumber() {
    final byte[] text = bytes;
    final int limit = end;
    int at = position;
    boolean negative = at < limit && text[at] == '-';
    if (negative) {
      at++;
    }
    final int start = at; // the first digit
    if (at >= limit || !isDigit(text[at])) {
      throw NotFastPath.INSTANCE; // "NaN" as a string, null, a nested value, or not JSON
    }
    long mantissa = 0;
    int significant = 0; // digits from the first non-zero one
    int exponent = 0;
    if (text[at] == '0') {
      at++;
      if (at < limit && isDigit(text[at])) {
        throw NotFastPath.INSTANCE; // a leading zero is not JSON
      }
    } else {
      at = readDigits(text, at, limit, 0);
      mantissa = accumulated;
      significant = at - start;
    }
    boolean integer = true;
    if (at < limit && text[at] == '.') {
      integer = false;
      int fractionStart = ++at;
      if (significant == 0) { // 0.000…: zeros before the first significant digit only scale it
        while (at < limit && text[at] == '0') {
          at++;
        }
      }
      int digitsStart = at;
      at = readDigits(text, at, limit, mantissa);
      mantissa = accumulated;
      significant += at - digitsStart;
      exponent = fractionStart - at;
      if (at == fractionStart) {
        throw NotFastPath.INSTANCE;
      }
    }
    if (at < limit && (text[at] | 0x20) == 'e') {
      integer = false;
      at = readExponent(text, at + 1, limit);
      exponent += accumulatedExponent;
    }
    position = at;
    if (integer && significant < MAX_DIGITS) {
      return negative ? (double) -mantissa : (double) mantissa;
    }
    double value = toDouble(mantissa, exponent, significant, start);
    return negative ? -value : value;
  }

  /** The power of ten readExponent last read. */
  private int accumulatedExponent;

  /**
   * The exponent's sign and digits from at, its value in {@link #accumulatedExponent}; returns the
   * position after them.
   */
  private int readExponent(byte[] text, int at, int limit) {
    boolean negative = false;
    if (at < limit && (text[at] == '+' || text[at] == '-')) {
      negative = text[at] == '-';
      at++;
    }
    int exponentStart = at;
    int written = 0;
    for (; at < limit; at++) {
      int digit = text[at] - '0';
      if (digit < 0 || digit > 9) {
        break;
      }
      if (written < 100_000) { // past any double's range, and far from overflowing
        written = written * 10 + digit;
      }
    }
    if (at == exponentStart) {
      throw NotFastPath.INSTANCE;
    }
    accumulatedExponent = negative ? -written : written;
    return at;
  }

  /**
   * The double of mantissa × 10^exponent, the number without its sign from start to the current
   * position; significant: how many digits the mantissa holds (past MAX_DIGITS it overflowed).
   */
  private double toDouble(long mantissa, int exponent, int significant, int start) {
    if (significant > MAX_DIGITS) {
      return parseLong(start); // the mantissa is not the digits' value
    }
    if (mantissa == 0) {
      return 0.0;
    }
    if (mantissa > 0 && mantissa < (1L << 53) && exponent >= -22 && exponent <= 22) {
      return exponent >= 0
          ? mantissa * POWERS_OF_TEN[exponent]
          : mantissa / POWERS_OF_TEN[-exponent];
    }
    double value = EiselLemire.toDouble(mantissa, exponent);
    return Double.isNaN(value) ? parseLong(start) : value;
  }

  /** Eight bytes of the text at once, little-endian: the first byte is the lowest. */
  private static final VarHandle EIGHT_BYTES =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  /** 10^0 … 10^8 as longs, to shift a mantissa left by a group of digits. */
  private static final long[] LONG_POWERS_OF_TEN = {
    1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000
  };

  /** The value of the digits readDigits last read, appended to the one it was given. */
  private long accumulated;

  /**
   * Reads the run of digits from at (up to limit), appending them to value (in {@link
   * #accumulated}: exact while value and the digits make at most 19 digits, meaningless past that);
   * returns the position after them. Eight bytes at a time where the array holds eight more: the
   * digits at the front of the eight are counted and converted together (SWAR, as in
   * FastDoubleParser and fast_float), which takes the loop's branch once per eight digits rather
   * than once per digit.
   */
  private int readDigits(byte[] text, int at, int limit, long value) {
    while (at <= text.length - 8) {
      long chunk = (long) EIGHT_BYTES.get(text, at);
      // A byte's top bit set in either term iff it is not '0'…'9'; a borrow or carry between bytes
      // only starts at a non-digit, so it cannot hide the first one.
      long notDigits =
          ((chunk + 0x4646_4646_4646_4646L) | (chunk - 0x3030_3030_3030_3030L))
              & 0x8080_8080_8080_8080L;
      int count = Math.min(Long.numberOfTrailingZeros(notDigits) >>> 3, limit - at);
      if (count == 0) {
        accumulated = value;
        return at;
      }
      // The digits moved to the top, zeros below them: the same number, read as eight digits.
      value = value * LONG_POWERS_OF_TEN[count] + eightDigits(chunk << (64 - 8 * count));
      at += count;
      if (count < 8) {
        accumulated = value;
        return at;
      }
    }
    for (; at < limit; at++) {
      int digit = text[at] - '0';
      if (digit < 0 || digit > 9) {
        break;
      }
      value = value * 10 + digit;
    }
    accumulated = value;
    return at;
  }

  /**
   * The number written by eight bytes of digits (or zero bytes, which count as 0), the first the
   * most significant: pairs, then fours, then the eight, each by one multiplication.
   */
  private static long eightDigits(long chunk) {
    long pairs = ((chunk & 0x0F0F_0F0F_0F0F_0F0FL) * (10 * 256 + 1)) >>> 8;
    long fours = ((pairs & 0x00FF_00FF_00FF_00FFL) * (100 * 65_536 + 1)) >>> 16;
    return ((fours & 0x0000_FFFF_0000_FFFFL) * (10_000L * (1L << 32) + 1)) >>> 32;
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
    position = skipWhitespace(bytes, position, end);
  }

  /** The position of the first byte from at that is not JSON whitespace, or limit. */
  private static int skipWhitespace(byte[] text, int at, int limit) {
    for (; at < limit; at++) {
      byte b = text[at];
      if (b > ' ' || (b != ' ' && b != '\t' && b != '\n' && b != '\r')) {
        return at;
      }
    }
    return limit;
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
