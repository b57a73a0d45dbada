package io.streamgrad.learn;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * The samples of one task (or one replay) that wait for their labels, and the labels that came
 * before their samples, each under (model, sample id) until it is matched, its wait runs out, or
 * the bytes bound drops it. The same code runs in the stream, over a changelogged store, and in
 * {@code replay}, over a map, so both make the same decisions in the same order.
 *
 * <p>Time is the record time of what is processed, never the wall clock: an entry made at time t
 * for a model with wait w expires when a record with time greater than t + w is processed (any
 * record of the task: {@link #advance}). Expiry is in order of deadline, then of arrival; so is
 * dropping when the entries would take more than the bound's bytes. A labelled sample leaves a
 * small marker for one more wait, and so does an expired one, so that a second label, or one that
 * came too late, is told apart from a label that waits for its sample.
 */
public final class PendingLabels {
  /** Where the entries live: a Kafka Streams store in the stream, a map in replay. */
  public interface Table {
    byte[] get(byte[] key);

    void put(byte[] key, byte[] value);

    void delete(byte[] key);

    /** Every entry, once, at start (in any order). */
    void forEach(BiConsumer<byte[], byte[]> action);
  }

  /** What left the ledger without being matched. */
  public enum Release {
    /** A served sample whose label did not come within the wait. */
    SAMPLE_EXPIRED,
    /** A served sample dropped for the bytes bound, or replaced by a sample with the same id. */
    SAMPLE_DROPPED,
    /** A label whose sample did not come within the wait. */
    LABEL_EXPIRED,
    /** A waiting label dropped for the bytes bound. */
    LABEL_DROPPED
  }

  /** Told of every entry that leaves unmatched, in order. */
  public interface Listener {
    /**
     * Told of one entry that left unmatched.
     *
     * @param served the served sample (for SAMPLE_*), or null
     * @param origin the waiting label's record as the caller gave it (for LABEL_*), or null
     */
    void released(Release what, String model, String sampleId, Served served, byte[] origin);
  }

  /**
   * What a label found: the served sample to learn from, or why it cannot be used, or neither (it
   * now waits for its sample).
   */
  public record Lookup(Served served, String notPending) {
    static final Lookup WAITING = new Lookup(null, null);

    public boolean waits() {
      return served == null && notPending == null;
    }
  }

  /** A label that was waiting when its sample came, with that label record's time. */
  public record EarlyLabel(Label label, long time) {}

  private static final byte SERVED = 1;
  private static final byte EARLY = 2;
  private static final byte LABELLED = 3;
  private static final byte EXPIRED = 4;

  /** kind, sequence, deadline, time */
  private static final int HEADER = 1 + 8 + 8 + 8;

  private record Slot(long deadline, long sequence) implements Comparable<Slot> {
    @Override
    public int compareTo(Slot other) {
      int byDeadline = Long.compare(deadline, other.deadline);
      return byDeadline != 0 ? byDeadline : Long.compare(sequence, other.sequence);
    }
  }

  /** An entry as the index knows it: its key, its bytes (key and value) and its kind. */
  private static final class Ref {
    private final byte[] key;
    private final int bytes;
    private final byte kind;

    Ref(byte[] key, int bytes, byte kind) {
      this.key = key;
      this.bytes = bytes;
      this.kind = kind;
    }

    byte[] key() {
      return key;
    }

    int bytes() {
      return bytes;
    }

    byte kind() {
      return kind;
    }
  }

  private final Table table;
  private final long maxBytes;
  private final Listener listener;
  private final TreeMap<Slot, Ref> byDeadline = new TreeMap<>();
  private final Map<String, long[]> pendingPerModel = new HashMap<>();
  private long bytes;
  private long nextSequence;

  /** Reads the entries the table holds (after a restart: the restored store). */
  public PendingLabels(Table table, long maxBytes, Listener listener) {
    this.table = table;
    this.maxBytes = maxBytes;
    this.listener = listener;
    table.forEach(
        (key, value) -> {
          ByteBuffer in = wrap(value);
          byte kind = in.get();
          long sequence = in.getLong();
          long deadline = in.getLong();
          index(key, value, kind, new Slot(deadline, sequence));
          nextSequence = Math.max(nextSequence, sequence + 1);
        });
  }

  /** A table in memory, for replay and tests. */
  public static Table inMemory() {
    // ISO-8859-1 maps each byte to one char: the key bytes as a string, equal when they are.
    Map<String, byte[]> map = new HashMap<>();
    return new Table() {
      @Override
      public byte[] get(byte[] key) {
        return map.get(new String(key, StandardCharsets.ISO_8859_1));
      }

      @Override
      public void put(byte[] key, byte[] value) {
        map.put(new String(key, StandardCharsets.ISO_8859_1), value);
      }

      @Override
      public void delete(byte[] key) {
        map.remove(new String(key, StandardCharsets.ISO_8859_1));
      }

      @Override
      public void forEach(BiConsumer<byte[], byte[]> action) {
        map.forEach(
            (key, value) -> action.accept(key.getBytes(StandardCharsets.ISO_8859_1), value));
      }
    };
  }

  /** Samples of the model waiting for their labels. */
  public long pending(String model) {
    long[] count = pendingPerModel.get(model);
    return count == null ? 0 : count[0];
  }

  /** Samples of every model waiting for their labels. */
  public long pending() {
    long all = 0;
    for (long[] count : pendingPerModel.values()) {
      all += count[0];
    }
    return all;
  }

  /** Bytes of keys and values held (the bound's measure). */
  public long bytes() {
    return bytes;
  }

  /** Entries of every kind held. */
  public int entries() {
    return byDeadline.size();
  }

  /** Lets go of every entry whose deadline is before now, oldest deadline first. */
  public void advance(long now) {
    while (!byDeadline.isEmpty() && byDeadline.firstKey().deadline() < now) {
      Map.Entry<Slot, Ref> first = byDeadline.pollFirstEntry();
      Ref ref = first.getValue();
      byte[] value = table.get(ref.key());
      unindex(ref);
      String model = model(ref.key());
      String sampleId = sampleId(ref.key());
      switch (ref.kind()) {
        case SERVED -> {
          long time = wrap(value).getLong(1 + 8 + 8);
          long wait = first.getKey().deadline() - time;
          marker(ref.key(), EXPIRED, first.getKey().deadline() + wait, time);
          listener.released(Release.SAMPLE_EXPIRED, model, sampleId, served(value), null);
        }
        case EARLY -> {
          table.delete(ref.key());
          listener.released(Release.LABEL_EXPIRED, model, sampleId, null, origin(value));
        }
        default -> table.delete(ref.key());
      }
    }
  }

  /**
   * Keeps what a model served for a sample until its label comes, for waitMs after the sample's
   * time; or, when the sample's label came first and waits, takes that label out and returns it
   * (the caller applies it at once). A served sample with the same id still pending is dropped: the
   * newer one is what the label will be about.
   */
  public EarlyLabel serve(String model, String sampleId, Served served, long waitMs) {
    byte[] key = key(model, sampleId);
    byte[] existing = table.get(key);
    if (existing != null) {
      ByteBuffer in = wrap(existing);
      byte kind = in.get();
      long sequence = in.getLong();
      long deadline = in.getLong();
      long time = in.getLong();
      unindex(byDeadline.remove(new Slot(deadline, sequence)));
      if (kind == EARLY) {
        EarlyLabel early = new EarlyLabel(label(sampleId, existing), time);
        marker(key, LABELLED, served.time() + waitMs, served.time());
        return early;
      }
      if (kind == SERVED) {
        table.delete(key);
        listener.released(Release.SAMPLE_DROPPED, model, sampleId, served(existing), null);
      }
    }
    put(key, encodeServed(nextSequence++, served.time() + waitMs, served));
    keepWithinBytes();
    return null;
  }

  /**
   * Finds the served sample of a label (and leaves a marker that it was labelled), or says why it
   * is not pending; a label with nothing under its id waits for its sample, for waitMs after time.
   *
   * @param version the model's current spec version: a sample served by another is not pending
   * @param origin the label's record, kept while it waits, handed back if it expires; asked for
   *     only when the label has to wait
   */
  public Lookup label(
      String model,
      Label label,
      long time,
      long waitMs,
      int version,
      java.util.function.Supplier<byte[]> origin) {
    byte[] key = key(model, label.sampleId());
    byte[] existing = table.get(key);
    if (existing == null) {
      put(key, encodeEarly(nextSequence++, time + waitMs, time, label, origin.get()));
      keepWithinBytes();
      return Lookup.WAITING;
    }
    ByteBuffer in = wrap(existing);
    byte kind = in.get();
    long sequence = in.getLong();
    long deadline = in.getLong();
    String sample = "sample '" + label.sampleId() + "' of model '" + model + "'";
    return switch (kind) {
      case SERVED -> {
        Served served = served(existing);
        unindex(byDeadline.remove(new Slot(deadline, sequence)));
        if (served.version() != version) {
          table.delete(key);
          yield new Lookup(
              null,
              sample
                  + " was served by spec version "
                  + served.version()
                  + "; the model is now at version "
                  + version
                  + " (a new version starts afresh)");
        }
        marker(key, LABELLED, time + waitMs, time);
        yield new Lookup(served, null);
      }
      case LABELLED -> new Lookup(null, sample + " is already labelled");
      case EXPIRED ->
          new Lookup(
              null, sample + " expired: its label did not come within the model's label_wait_ms");
      default ->
          new Lookup(null, "a label for " + sample + " already waits for its sample to come");
    };
  }

  private void marker(byte[] key, byte kind, long deadline, long time) {
    put(
        key,
        ByteBuffer.allocate(HEADER)
            .order(ByteOrder.LITTLE_ENDIAN)
            .put(kind)
            .putLong(nextSequence++)
            .putLong(deadline)
            .putLong(time)
            .array());
  }

  private void put(byte[] key, byte[] value) {
    table.put(key, value);
    ByteBuffer in = wrap(value);
    byte kind = in.get();
    long sequence = in.getLong();
    long deadline = in.getLong();
    index(key, value, kind, new Slot(deadline, sequence));
  }

  private void keepWithinBytes() {
    while (bytes > maxBytes && !byDeadline.isEmpty()) {
      Ref ref = byDeadline.pollFirstEntry().getValue();
      byte[] value = table.get(ref.key());
      unindex(ref);
      table.delete(ref.key());
      if (ref.kind() == SERVED) {
        listener.released(
            Release.SAMPLE_DROPPED, model(ref.key()), sampleId(ref.key()), served(value), null);
      } else if (ref.kind() == EARLY) {
        listener.released(
            Release.LABEL_DROPPED, model(ref.key()), sampleId(ref.key()), null, origin(value));
      }
    }
  }

  private void index(byte[] key, byte[] value, byte kind, Slot slot) {
    int size = key.length + value.length;
    byDeadline.put(slot, new Ref(key, size, kind));
    bytes += size;
    if (kind == SERVED) {
      pendingPerModel.computeIfAbsent(model(key), m -> new long[1])[0]++;
    }
  }

  private void unindex(Ref ref) {
    bytes -= ref.bytes();
    if (ref.kind() == SERVED) {
      String model = model(ref.key());
      long[] count = pendingPerModel.get(model);
      if (--count[0] == 0) {
        pendingPerModel.remove(model);
      }
    }
  }

  static byte[] key(String model, String sampleId) {
    byte[] m = model.getBytes(StandardCharsets.UTF_8);
    byte[] s = sampleId.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(4 + m.length + s.length).putInt(m.length).put(m).put(s).array();
  }

  private static String model(byte[] key) {
    int length = ByteBuffer.wrap(key).getInt();
    return new String(key, 4, length, StandardCharsets.UTF_8);
  }

  private static String sampleId(byte[] key) {
    int length = ByteBuffer.wrap(key).getInt();
    return new String(key, 4 + length, key.length - 4 - length, StandardCharsets.UTF_8);
  }

  private static ByteBuffer wrap(byte[] value) {
    return ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN);
  }

  static byte[] encodeServed(long sequence, long deadline, Served served) {
    int size =
        HEADER
            + 4
            + 8
            + 8
            + 4
            + 12
            + 8 * (served.input().length + served.outputs().length + served.logits().length);
    ByteBuffer out = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    out.put(SERVED).putLong(sequence).putLong(deadline).putLong(served.time());
    out.putInt(served.version()).putLong(served.step()).putDouble(served.weight());
    out.putInt(served.decision() == null ? -1 : served.decision());
    putDoubles(out, served.input());
    putDoubles(out, served.outputs());
    putDoubles(out, served.logits());
    return out.array();
  }

  static Served served(byte[] value) {
    ByteBuffer in = wrap(value);
    in.position(1 + 8 + 8);
    long time = in.getLong();
    int version = in.getInt();
    long step = in.getLong();
    double weight = in.getDouble();
    int decision = in.getInt();
    double[] input = getDoubles(in);
    double[] outputs = getDoubles(in);
    double[] logits = getDoubles(in);
    return new Served(
        input, outputs, logits, decision < 0 ? null : decision, step, version, weight, time);
  }

  private static byte[] encodeEarly(
      long sequence, long deadline, long time, Label label, byte[] origin) {
    int size = HEADER + 8 + 4 + 8 * label.value().length + 4 + origin.length;
    ByteBuffer out = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    out.put(EARLY).putLong(sequence).putLong(deadline).putLong(time);
    out.putLong(label.eventTime());
    putDoubles(out, label.value());
    out.putInt(origin.length).put(origin);
    return out.array();
  }

  private static Label label(String sampleId, byte[] value) {
    ByteBuffer in = wrap(value);
    in.position(HEADER);
    long eventTime = in.getLong();
    return new Label(sampleId, getDoubles(in), eventTime);
  }

  private static byte[] origin(byte[] value) {
    ByteBuffer in = wrap(value);
    in.position(HEADER + 8);
    int labels = in.getInt();
    in.position(in.position() + 8 * labels);
    byte[] origin = new byte[in.getInt()];
    in.get(origin);
    return origin;
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
