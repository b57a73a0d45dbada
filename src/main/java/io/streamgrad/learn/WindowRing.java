package io.streamgrad.learn;

/**
 * The slots of a ring that holds the last {@code length} samples: where the next one goes, and how
 * many slots are filled. The metrics keep their per-sample values in arrays indexed by it.
 */
final class WindowRing {
  final int length;
  private int next;
  private int filled;

  WindowRing(int length) {
    this.length = length;
  }

  /** The slot for a new sample, overwriting the oldest once the ring is full. */
  int advance() {
    int slot = next;
    next = next + 1 == length ? 0 : next + 1;
    if (filled < length) {
      filled++;
    }
    return slot;
  }

  /** Filled slots are 0 … filled − 1, in storage order (not sample order). */
  int filled() {
    return filled;
  }

  void writeTo(StateWriter out) {
    out.putInt(length).putInt(next).putInt(filled);
  }

  void readFrom(StateReader in) {
    QualityMetrics.expect("window slots", length, in.getInt());
    int n = in.getInt();
    int f = in.getInt();
    if (n < 0 || n >= length || f < 0 || f > length) {
      throw new IllegalArgumentException("learner state: a metrics window is inconsistent");
    }
    next = n;
    filled = f;
  }
}
