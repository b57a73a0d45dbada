package io.streamgrad.learn;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Reads one section of a learner state written by {@link StateWriter}. */
final class StateReader {
  private final ByteBuffer in;
  private final String section;

  StateReader(ByteBuffer content, String section) {
    this.in = content.order(ByteOrder.LITTLE_ENDIAN);
    this.section = section;
  }

  int getInt() {
    return in.getInt();
  }

  long getLong() {
    return in.getLong();
  }

  double getDouble() {
    return in.getDouble();
  }

  boolean getBoolean() {
    return in.get() != 0;
  }

  byte[] getBytes() {
    int n = in.getInt();
    if (n < 0) {
      return null;
    }
    byte[] values = new byte[n];
    in.get(values);
    return values;
  }

  /** Doubles, or null; a non-null array must hold expectedLength values. */
  double[] getDoubles(int expectedLength) {
    double[] values = getDoubles();
    if (values != null && values.length != expectedLength) {
      throw new IllegalArgumentException(
          "learner state section "
              + section
              + " holds "
              + values.length
              + " values where "
              + expectedLength
              + " are needed");
    }
    return values;
  }

  double[] getDoubles() {
    int n = in.getInt();
    if (n < 0) {
      return null;
    }
    if (n > in.remaining() / 8) {
      throw new BufferUnderflowException();
    }
    double[] values = new double[n];
    in.asDoubleBuffer().get(values);
    in.position(in.position() + 8 * n);
    return values;
  }

  /** True while the section holds bytes not read yet: for a field added at its end. */
  boolean hasRemaining() {
    return in.hasRemaining();
  }

  /** Fails when a section holds more than its reader took: a layout this code does not know. */
  void expectEnd() {
    if (in.hasRemaining()) {
      throw new IllegalArgumentException(
          "learner state section " + section + " has " + in.remaining() + " unread bytes");
    }
  }
}
