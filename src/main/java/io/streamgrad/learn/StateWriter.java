package io.streamgrad.learn;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Writes a learner state as tagged sections (tag, byte length, content), little-endian, doubles
 * packed and never boxed. Each piece of learner state owns one section, so a new piece is a new tag
 * rather than a change to everybody's layout.
 */
final class StateWriter {
  private ByteBuffer out;
  private int lengthAt = -1;

  StateWriter(byte[] header, int expectedSize) {
    out = ByteBuffer.allocate(Math.max(64, expectedSize)).order(ByteOrder.LITTLE_ENDIAN);
    out.put(header);
  }

  StateWriter begin(int tag) {
    if (lengthAt >= 0) {
      throw new IllegalStateException("section " + tag + " begun inside another");
    }
    room(8);
    out.putInt(tag);
    lengthAt = out.position();
    out.putInt(0);
    return this;
  }

  void end() {
    out.putInt(lengthAt, out.position() - lengthAt - 4);
    lengthAt = -1;
  }

  StateWriter putInt(int value) {
    room(4);
    out.putInt(value);
    return this;
  }

  StateWriter putLong(long value) {
    room(8);
    out.putLong(value);
    return this;
  }

  StateWriter putDouble(double value) {
    room(8);
    out.putDouble(value);
    return this;
  }

  StateWriter putBoolean(boolean value) {
    room(1);
    out.put((byte) (value ? 1 : 0));
    return this;
  }

  /** A length (-1 for null) and the bytes. */
  StateWriter putBytes(byte[] values) {
    if (values == null) {
      return putInt(-1);
    }
    room(4 + values.length);
    out.putInt(values.length).put(values);
    return this;
  }

  /** A length (-1 for null) and the doubles. */
  StateWriter putDoubles(double[] values) {
    if (values == null) {
      return putInt(-1);
    }
    room(4 + 8 * values.length);
    out.putInt(values.length);
    out.asDoubleBuffer().put(values);
    out.position(out.position() + 8 * values.length);
    return this;
  }

  byte[] toByteArray() {
    if (lengthAt >= 0) {
      throw new IllegalStateException("a section was not ended");
    }
    byte[] bytes = new byte[out.position()];
    System.arraycopy(out.array(), 0, bytes, 0, bytes.length);
    return bytes;
  }

  private void room(int bytes) {
    if (out.remaining() < bytes) {
      ByteBuffer bigger =
          ByteBuffer.allocate(Math.max(2 * out.capacity(), out.position() + bytes))
              .order(ByteOrder.LITTLE_ENDIAN);
      out.flip();
      bigger.put(out);
      out = bigger;
    }
  }
}
