package io.streamgrad.learn;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One value of the pending ledger ({@link PendingLabels}): a served sample, a label that waits for
 * its sample, or a marker that a sample was labelled or expired; with its kind, arrival sequence,
 * deadline and time.
 *
 * <p>Why an object and not its bytes: most entries are made and replaced within one commit interval
 * (a sample and then its label), and only what is still there at a commit reaches the changelog. An
 * entry made here keeps what it was made of (the served arrays, the label) and is encoded only when
 * {@link #bytes} is asked for, at a flush; an entry read back from the changelog keeps its bytes
 * and decodes them when asked. The bytes are those the ledger has always written (the changelog's
 * format), and {@link #size} is their length without encoding them.
 */
public final class PendingEntry {
  static final byte SERVED = 1;
  static final byte EARLY = 2;
  static final byte LABELLED = 3;
  static final byte EXPIRED = 4;

  /** kind, sequence, deadline, time */
  static final int HEADER = 1 + 8 + 8 + 8;

  private final byte kind;
  private final long sequence;
  private final long deadline;
  private final long time;

  /** The served sample (SERVED made here), or null. */
  private final Served served;

  /** The waiting label and its record (EARLY made here), or null. */
  private final Label label;

  private final PendingLabels.Origin origin;

  /** The changelog value this entry was read from, or null when made here. */
  private final byte[] bytes;

  private final int size;

  /** Where the deadline index keeps this entry (set by the index; null when not indexed). */
  DeadlineIndex.Slot slot;

  private PendingEntry(
      byte kind,
      long sequence,
      long deadline,
      long time,
      Served served,
      Label label,
      PendingLabels.Origin origin,
      byte[] bytes,
      int size) {
    this.kind = kind;
    this.sequence = sequence;
    this.deadline = deadline;
    this.time = time;
    this.served = served;
    this.label = label;
    this.origin = origin;
    this.bytes = bytes;
    this.size = size;
  }

  static PendingEntry served(long sequence, long deadline, Served served) {
    int size =
        HEADER
            + 4
            + 8
            + 8
            + 4
            + 12
            + 8 * (served.input().length + served.outputs().length + served.logits().length);
    return new PendingEntry(
        SERVED, sequence, deadline, served.time(), served, null, null, null, size);
  }

  static PendingEntry early(
      long sequence, long deadline, long time, Label label, PendingLabels.Origin origin) {
    int size = HEADER + 8 + 4 + 8 * label.value().length + 4 + origin.size();
    return new PendingEntry(EARLY, sequence, deadline, time, null, label, origin, null, size);
  }

  static PendingEntry marker(byte kind, long sequence, long deadline, long time) {
    return new PendingEntry(kind, sequence, deadline, time, null, null, null, null, HEADER);
  }

  /** An entry as the changelog holds it (its header read now, the rest when asked for). */
  public static PendingEntry read(byte[] value) {
    ByteBuffer in = wrap(value);
    return new PendingEntry(
        in.get(), in.getLong(), in.getLong(), in.getLong(), null, null, null, value, value.length);
  }

  byte kind() {
    return kind;
  }

  long sequence() {
    return sequence;
  }

  long deadline() {
    return deadline;
  }

  long time() {
    return time;
  }

  /** The length of {@link #bytes}, without encoding them. */
  int size() {
    return size;
  }

  /** The changelog value of this entry: encoded on each call for an entry made here. */
  public byte[] bytes() {
    if (bytes != null) {
      return bytes;
    }
    ByteBuffer out = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    out.put(kind).putLong(sequence).putLong(deadline).putLong(time);
    if (kind == SERVED) {
      out.putInt(served.version()).putLong(served.step()).putDouble(served.weight());
      out.putInt(served.decision() == null ? -1 : served.decision());
      putDoubles(out, served.input());
      putDoubles(out, served.outputs());
      putDoubles(out, served.logits());
    } else if (kind == EARLY) {
      out.putLong(label.eventTime());
      putDoubles(out, label.value());
      byte[] record = origin.bytes();
      out.putInt(record.length).put(record);
    }
    return out.array();
  }

  /** The served sample of a SERVED entry. */
  Served served() {
    if (served != null) {
      return served;
    }
    ByteBuffer in = wrap(bytes);
    in.position(1 + 8 + 8);
    long servedTime = in.getLong();
    int version = in.getInt();
    long step = in.getLong();
    double weight = in.getDouble();
    int decision = in.getInt();
    double[] input = getDoubles(in);
    double[] outputs = getDoubles(in);
    double[] logits = getDoubles(in);
    return new Served(
        input, outputs, logits, decision < 0 ? null : decision, step, version, weight, servedTime);
  }

  /** The waiting label of an EARLY entry. */
  Label label(String sampleId) {
    if (label != null) {
      return label;
    }
    ByteBuffer in = wrap(bytes);
    in.position(HEADER);
    long eventTime = in.getLong();
    return new Label(sampleId, getDoubles(in), eventTime);
  }

  /** The waiting label's record, as the caller gave it, of an EARLY entry. */
  byte[] origin() {
    if (origin != null) {
      return origin.bytes();
    }
    ByteBuffer in = wrap(bytes);
    in.position(HEADER + 8);
    int labels = in.getInt();
    in.position(in.position() + 8 * labels);
    byte[] read = new byte[in.getInt()];
    in.get(read);
    return read;
  }

  private static ByteBuffer wrap(byte[] value) {
    return ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static void putDoubles(ByteBuffer out, double[] values) {
    out.putInt(values.length);
    for (double value : values) {
      out.putDouble(value);
    }
  }

  private static double[] getDoubles(ByteBuffer in) {
    double[] values = new double[in.getInt()];
    for (int i = 0; i < values.length; i++) {
      values[i] = in.getDouble();
    }
    return values;
  }
}
