package io.streamgrad.records;

import java.util.Arrays;

/**
 * Avro's binary encoding written straight into a growing byte array: the writing side of {@link
 * AvroBinaryCursor}, for the records written once per sample, where Avro's generic writer would box
 * every double. Refilled from position 0 for each record.
 */
final class AvroBinaryBuffer {
  private byte[] buffer = new byte[256];
  private int position;

  /** Starts a new record. */
  void reset() {
    position = 0;
  }

  /** The bytes written since reset. */
  byte[] toByteArray() {
    return Arrays.copyOf(buffer, position);
  }

  /** An array of doubles as Avro's encoder writes it: one block of all values, then 0. */
  void writeDoubles(double[] values) {
    if (values.length > 0) {
      writeLong(values.length);
      ensure(8L * values.length);
      for (double value : values) {
        writeDouble(value);
      }
    }
    writeLong(0);
  }

  void writeString(byte[] utf8) {
    writeLong(utf8.length);
    writeBytes(utf8);
  }

  void writeBoolean(boolean value) {
    writeBytes(value ? TRUE : FALSE);
  }

  private static final byte[] TRUE = {1};
  private static final byte[] FALSE = {0};

  void writeBytes(byte[] bytes) {
    ensure(bytes.length);
    System.arraycopy(bytes, 0, buffer, position, bytes.length);
    position += bytes.length;
  }

  /** An int is written as the long of the same value: the zig-zag varint is the same. */
  void writeLong(long value) {
    ensure(10);
    long zigzag = (value << 1) ^ (value >> 63);
    while ((zigzag & ~0x7FL) != 0) {
      buffer[position++] = (byte) ((zigzag & 0x7F) | 0x80);
      zigzag >>>= 7;
    }
    buffer[position++] = (byte) zigzag;
  }

  void writeDouble(double value) {
    ensure(8);
    long bits = Double.doubleToRawLongBits(value);
    for (int k = 0; k < 8; k++) {
      buffer[position++] = (byte) (bits >>> (8 * k));
    }
  }

  private void ensure(long more) {
    if (position + more > buffer.length) {
      buffer = Arrays.copyOf(buffer, (int) Math.max(2L * buffer.length, position + more));
    }
  }
}
