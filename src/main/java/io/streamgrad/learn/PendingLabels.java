package io.streamgrad.learn;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
  /**
   * Where the entries live: a Kafka Streams store in the stream (which writes their bytes to its
   * changelog), a map in replay.
   */
  public interface Table {
    /**
     * The entry under key, or null. The ledger makes a new array for each key and never changes it
     * after, so a table may keep the array it is given and tell a key by the array's identity.
     */
    PendingEntry get(byte[] key);

    void put(byte[] key, PendingEntry value);

    void delete(byte[] key);

    /** Every entry, once, at start (in any order). */
    void forEach(BiConsumer<byte[], PendingEntry> action);
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

  /**
   * A waiting label's record, as the caller keeps it: encoded only if it still waits at a flush or
   * leaves unmatched, its size known before (the bytes bound counts it).
   */
  public interface Origin {
    /** The length of {@link #bytes}. */
    int size();

    byte[] bytes();
  }

  /** A label that was waiting when its sample came, with that label record's time. */
  public record EarlyLabel(Label label, long time) {}

  private final Table table;
  private final long maxBytes;
  private final Listener listener;
  private final DeadlineIndex byDeadline = new DeadlineIndex();
  private final Map<String, long[]> pendingPerModel = new HashMap<>();
  private long bytes;
  private long nextSequence;

  /** Reads the entries the table holds (after a restart: the restored store). */
  public PendingLabels(Table table, long maxBytes, Listener listener) {
    this.table = table;
    this.maxBytes = maxBytes;
    this.listener = listener;
    // In order of release, so that the index takes them in as few lanes as they came.
    List<Map.Entry<byte[], PendingEntry>> held = new ArrayList<>();
    table.forEach((key, value) -> held.add(Map.entry(key, value)));
    held.sort(
        Comparator.comparingLong((Map.Entry<byte[], PendingEntry> e) -> e.getValue().deadline())
            .thenComparingLong(e -> e.getValue().sequence()));
    for (Map.Entry<byte[], PendingEntry> entry : held) {
      index(entry.getKey(), null, entry.getValue());
      nextSequence = Math.max(nextSequence, entry.getValue().sequence() + 1);
    }
  }

  /** A table in memory, for replay and tests. */
  public static Table inMemory() {
    // ISO-8859-1 maps each byte to one char: the key bytes as a string, equal when they are.
    Map<String, PendingEntry> map = new HashMap<>();
    return new Table() {
      @Override
      public PendingEntry get(byte[] key) {
        return map.get(new String(key, StandardCharsets.ISO_8859_1));
      }

      @Override
      public void put(byte[] key, PendingEntry value) {
        map.put(new String(key, StandardCharsets.ISO_8859_1), value);
      }

      @Override
      public void delete(byte[] key) {
        map.remove(new String(key, StandardCharsets.ISO_8859_1));
      }

      @Override
      public void forEach(BiConsumer<byte[], PendingEntry> action) {
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
    for (DeadlineIndex.Slot first = byDeadline.first();
        first != null && first.deadline < now;
        first = byDeadline.first()) {
      PendingEntry value = first.entry;
      byte[] key = first.key;
      if (value.kind() != PendingEntry.SERVED && value.kind() != PendingEntry.EARLY) {
        // A marker (most of what expires): only forgotten, so its names are not decoded.
        unindex(key, null, value);
        table.delete(key);
        continue;
      }
      String model = model(key);
      unindex(key, model, value);
      String sampleId = sampleId(key);
      if (value.kind() == PendingEntry.SERVED) {
        long time = value.time();
        long wait = value.deadline() - time;
        marker(key, model, PendingEntry.EXPIRED, value.deadline() + wait, time);
        listener.released(Release.SAMPLE_EXPIRED, model, sampleId, value.served(), null);
      } else {
        table.delete(key);
        listener.released(Release.LABEL_EXPIRED, model, sampleId, null, value.origin());
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
    String counted = lastModelInKey;
    PendingEntry existing = table.get(key);
    if (existing != null) {
      unindex(key, counted, existing);
      if (existing.kind() == PendingEntry.EARLY) {
        EarlyLabel early = new EarlyLabel(existing.label(sampleId), existing.time());
        marker(key, counted, PendingEntry.LABELLED, served.time() + waitMs, served.time());
        return early;
      }
      if (existing.kind() == PendingEntry.SERVED) {
        table.delete(key);
        listener.released(Release.SAMPLE_DROPPED, model, sampleId, existing.served(), null);
      }
    }
    put(key, counted, PendingEntry.served(nextSequence++, served.time() + waitMs, served));
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
    return label(
        model,
        label,
        time,
        waitMs,
        version,
        new Origin() {
          private byte[] bytes;

          @Override
          public int size() {
            return bytes().length;
          }

          @Override
          public byte[] bytes() {
            if (bytes == null) {
              bytes = origin.get();
            }
            return bytes;
          }
        });
  }

  /**
   * As {@link #label(String, Label, long, long, int, java.util.function.Supplier)}, with the
   * label's record kept as the caller holds it while it waits (encoded when the ledger needs its
   * bytes).
   */
  public Lookup label(
      String model, Label label, long time, long waitMs, int version, Origin origin) {
    byte[] key = key(model, label.sampleId());
    String counted = lastModelInKey;
    PendingEntry existing = table.get(key);
    if (existing == null) {
      put(key, counted, PendingEntry.early(nextSequence++, time + waitMs, time, label, origin));
      keepWithinBytes();
      return Lookup.WAITING;
    }
    String sample = "sample '" + label.sampleId() + "' of model '" + model + "'";
    return switch (existing.kind()) {
      case PendingEntry.SERVED -> {
        Served served = existing.served();
        unindex(key, counted, existing);
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
        marker(key, counted, PendingEntry.LABELLED, time + waitMs, time);
        yield new Lookup(served, null);
      }
      case PendingEntry.LABELLED -> new Lookup(null, sample + " is already labelled");
      case PendingEntry.EXPIRED ->
          new Lookup(
              null, sample + " expired: its label did not come within the model's label_wait_ms");
      default ->
          new Lookup(null, "a label for " + sample + " already waits for its sample to come");
    };
  }

  private void marker(byte[] key, String model, byte kind, long deadline, long time) {
    put(key, model, PendingEntry.marker(kind, nextSequence++, deadline, time));
  }

  private void put(byte[] key, String model, PendingEntry value) {
    table.put(key, value);
    index(key, model, value);
  }

  private void keepWithinBytes() {
    while (bytes > maxBytes && byDeadline.size() > 0) {
      DeadlineIndex.Slot first = byDeadline.first();
      PendingEntry value = first.entry;
      byte[] key = first.key;
      unindex(key, null, value);
      table.delete(key);
      if (value.kind() == PendingEntry.SERVED) {
        listener.released(Release.SAMPLE_DROPPED, model(key), sampleId(key), value.served(), null);
      } else if (value.kind() == PendingEntry.EARLY) {
        listener.released(Release.LABEL_DROPPED, model(key), sampleId(key), null, value.origin());
      }
    }
  }

  /**
   * @param model the key's model as {@link #model(byte[])} reads it, when the caller has it (null:
   *     read from the key)
   */
  private void index(byte[] key, String model, PendingEntry value) {
    byDeadline.add(key, value);
    bytes += key.length + value.size();
    if (value.kind() == PendingEntry.SERVED) {
      pendingPerModel.computeIfAbsent(model != null ? model : model(key), m -> new long[1])[0]++;
    }
  }

  /**
   * @param model the key's model as {@link #model(byte[])} reads it, when the caller has it (null:
   *     read from the key)
   */
  private void unindex(byte[] key, String model, PendingEntry value) {
    byDeadline.remove(value);
    bytes -= key.length + value.size();
    if (value.kind() == PendingEntry.SERVED) {
      if (model == null) {
        model = model(key);
      }
      long[] count = pendingPerModel.get(model);
      if (--count[0] == 0) {
        pendingPerModel.remove(model);
      }
    }
  }

  /**
   * The model of the last key made, and its UTF-8 bytes: a task's records are mostly one model's.
   */
  private String lastModel;

  private byte[] lastModelBytes;

  /**
   * The last key's model as {@link #model(byte[])} reads it back from the key: the name the
   * per-model counts go under, also where an entry leaves by its key alone (expiry, the bound). It
   * differs from the caller's string when that one does not survive UTF-8 (a lone surrogate).
   */
  private String lastModelInKey;

  /** The model's length (4 bytes, big-endian), the model, then the sample id, in UTF-8. */
  private byte[] key(String model, String sampleId) {
    if (!model.equals(lastModel)) {
      lastModel = model;
      lastModelBytes = model.getBytes(StandardCharsets.UTF_8);
      lastModelInKey = new String(lastModelBytes, StandardCharsets.UTF_8);
    }
    byte[] m = lastModelBytes;
    byte[] s = sampleId.getBytes(StandardCharsets.UTF_8);
    byte[] key = new byte[4 + m.length + s.length];
    key[0] = (byte) (m.length >>> 24);
    key[1] = (byte) (m.length >>> 16);
    key[2] = (byte) (m.length >>> 8);
    key[3] = (byte) m.length;
    System.arraycopy(m, 0, key, 4, m.length);
    System.arraycopy(s, 0, key, 4 + m.length, s.length);
    return key;
  }

  private static String model(byte[] key) {
    int length = ByteBuffer.wrap(key).getInt();
    return new String(key, 4, length, StandardCharsets.UTF_8);
  }

  private static String sampleId(byte[] key) {
    int length = ByteBuffer.wrap(key).getInt();
    return new String(key, 4 + length, key.length - 4 - length, StandardCharsets.UTF_8);
  }
}
