package io.streamgrad.records;

import java.io.EOFException;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Reads Avro binary encoding (the specification's primitives) from one byte array, for the fast
 * paths of the current Sample and Label schemas. Why not Avro's {@code BinaryDecoder}: an array of
 * doubles is a run of 8-byte little-endian values, which this reads in one loop of plain loads,
 * where the decoder makes a bounds-checked call per value, a visible share of the learner's thread
 * for wide samples (BENCHMARKS.md, "Learner path and codecs"). Every read checks the bytes left and
 * throws {@link EOFException} on truncated input.
 */
final class AvroBinaryCursor {
  private static final VarHandle LITTLE_ENDIAN_DOUBLES =
      MethodHandles.byteArrayViewVarHandle(double[].class, ByteOrder.LITTLE_ENDIAN);

  /**
   * From this many values a block is copied by a little-endian view's bulk get, which on a
   * little-endian machine is one memory copy (BENCHMARKS.md, "Learner path and codecs"). Below it
   * the view objects cost more than the loop.
   */
  private static final int BULK_COPY_MIN = 64;

  private final byte[] bytes;
  private int position;

  AvroBinaryCursor(byte[] bytes, int offset) {
    this.bytes = bytes;
    this.position = offset;
  }

  /** A zig-zag varint (Avro int and long), at most 10 bytes. */
  long readLong() throws IOException {
    long raw = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (position >= bytes.length) {
        throw new EOFException("truncated varint");
      }
      int b = bytes[position++];
      raw |= (long) (b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        return (raw >>> 1) ^ -(raw & 1);
      }
    }
    throw new IOException("varint longer than 10 bytes");
  }

  int readInt() throws IOException {
    long value = readLong();
    if (value != (int) value) {
      throw new IOException("int out of range: " + value);
    }
    return (int) value;
  }

  /** Eight bytes, little-endian. */
  double readDouble() throws IOException {
    if (bytes.length - position < 8) {
      throw new EOFException("double, " + (bytes.length - position) + " bytes left");
    }
    double value = (double) LITTLE_ENDIAN_DOUBLES.get(bytes, position);
    position += 8;
    return value;
  }

  boolean readBoolean() throws IOException {
    if (position >= bytes.length) {
      throw new EOFException("boolean, no bytes left");
    }
    return bytes[position++] != 0;
  }

  String readString() throws IOException {
    int length = readLength("string");
    String value = new String(bytes, position, length, StandardCharsets.UTF_8);
    position += length;
    return value;
  }

  /**
   * Steps over the next string when its bytes are expected's, and answers true; otherwise moves
   * nothing and answers false (the caller then reads it).
   */
  boolean skipStringEqualTo(byte[] expected) throws IOException {
    int start = position;
    long length = readLong();
    if (length == expected.length
        && length <= bytes.length - position
        && java.util.Arrays.equals(
            expected, 0, expected.length, bytes, position, position + expected.length)) {
      position += expected.length;
      return true;
    }
    position = start;
    return false;
  }

  /**
   * An array of doubles: blocks of a count (negative: its absolute value, then the block's size in
   * bytes) and that many values, ended by a count of 0.
   */
  double[] readDoubles() throws IOException {
    return readDoubles(null);
  }

  /**
   * The same, filling {@code reuse} instead of a new array when the values come in one block of
   * exactly its length (how every encoder writes a short array).
   */
  double[] readDoubles(double[] reuse) throws IOException {
    double[] values = new double[0];
    int size = 0;
    for (long count = readLong(); count != 0; count = readLong()) {
      if (count < 0) {
        count = -count;
        readLong(); // the block's size in bytes, which we do not need
      }
      if (count > (bytes.length - position) / 8) {
        throw new EOFException(
            "array block of " + count + " doubles, " + (bytes.length - position) + " bytes left");
      }
      int n = (int) count;
      if (size > 0) {
        values = java.util.Arrays.copyOf(values, size + n);
      } else {
        values = reuse != null && reuse.length == n ? reuse : new double[n];
      }
      if (n >= BULK_COPY_MIN) {
        ByteBuffer.wrap(bytes, position, n * 8)
            .order(ByteOrder.LITTLE_ENDIAN)
            .asDoubleBuffer()
            .get(values, size, n);
        position += n * 8;
      } else {
        for (int i = 0; i < n; i++, position += 8) {
          values[size + i] = (double) LITTLE_ENDIAN_DOUBLES.get(bytes, position);
        }
      }
      size += n;
    }
    return values;
  }

  private int readLength(String what) throws IOException {
    long length = readLong();
    if (length < 0 || length > bytes.length - position) {
      throw new EOFException(
          what + " of " + length + " bytes, " + (bytes.length - position) + " left");
    }
    return (int) length;
  }
}
