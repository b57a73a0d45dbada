package io.streamgrad.stream;

import io.streamgrad.learn.PendingEntry;
import io.streamgrad.learn.PendingLabels;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;

/**
 * The pending labels of a task: a hash map in memory, written behind to its changelog once per
 * commit, inside the commit's transaction (as {@link ModelStore} writes learners).
 *
 * <p>Why not a Kafka key-value store: a logged store sends one changelog record per put, and a
 * delayed sample makes two puts (its served entry, then the marker that it was labelled), each
 * through Kafka's metered and logging layers into a sorted map of byte keys. Here a put only
 * changes the map; {@link #flushCache()}, which Kafka Streams calls from StreamTask.prepareCommit
 * before it commits the transaction, sends the latest value of each key changed since the last
 * commit. A sample labelled within one commit interval therefore sends its marker alone; an entry
 * made and deleted within one interval sends nothing; a deleted entry that was sent sends a
 * tombstone.
 *
 * <p>The changelog's records are those of the key-value store this replaces, one per key (the
 * {@link PendingLabels} key and entry bytes, a tombstone for a deleted key): a changelog written by
 * either restores into the other. An entry is encoded only when it is sent ({@link
 * PendingEntry#bytes}): one made and replaced within a commit interval never is.
 *
 * <p>Each entry remembers the value its key has in the changelog, so that {@link #clearCache()}
 * (the task becomes a standby) puts back what the changelog holds and drops what was never sent.
 */
final class PendingStore extends WriteBehindStore implements PendingLabels.Table {
  /** Where flushed changes go: the changelog topic in the stream, a list in tests. */
  interface Changelog {
    void send(byte[] key, byte[] value);
  }

  /** One key's value now, and the value the changelog holds for it (null: none, or a tombstone). */
  private static final class Entry {
    private final byte[] key;
    private PendingEntry value;
    private PendingEntry logged;
    private boolean dirty;

    Entry(byte[] key, PendingEntry value, PendingEntry logged) {
      this.key = key;
      this.value = value;
      this.logged = logged;
    }
  }

  /** Keys with a value, and deleted keys whose tombstone has not been sent yet (value null). */
  private final Map<Bytes, Entry> entries = new HashMap<>();

  /** Entries changed since the last flush, each once. */
  private final List<Entry> dirty = new ArrayList<>();

  /**
   * The key array of the last {@link #get} and what it found there (null: nothing). The ledger
   * looks a key up and then puts under the same array, and in a map of hundreds of thousands of
   * keys each lookup is a few cache misses: the put then finds its entry here. Forgotten whenever
   * an entry leaves the map.
   */
  private byte[] lastKey;

  /** lastKey wrapped, its hash computed once for the lookup and the put after it. */
  private Bytes lastWrapped;

  private Entry lastEntry;

  PendingStore(String name) {
    super(name);
  }

  @Override
  void clear() {
    entries.clear();
    dirty.clear();
    forgetLast();
  }

  private void forgetLast() {
    lastKey = null;
    lastWrapped = null;
    lastEntry = null;
  }

  @Override
  void restore(Collection<KeyValue<byte[], byte[]>> records) {
    forgetLast();
    for (KeyValue<byte[], byte[]> record : records) {
      Bytes key = Bytes.wrap(record.key);
      if (record.value == null) {
        entries.remove(key);
      } else {
        PendingEntry value = PendingEntry.read(record.value);
        entries.put(key, new Entry(record.key, value, value));
      }
    }
  }

  @Override
  public PendingEntry get(byte[] key) {
    Bytes wrapped = Bytes.wrap(key);
    Entry entry = entries.get(wrapped);
    lastKey = key;
    lastWrapped = wrapped;
    lastEntry = entry;
    return entry == null ? null : entry.value;
  }

  @Override
  public void put(byte[] key, PendingEntry value) {
    Entry entry;
    if (key == lastKey && lastEntry != null) {
      entry = lastEntry;
      entry.value = value;
    } else {
      Bytes wrapped = key == lastKey ? lastWrapped : Bytes.wrap(key);
      entry = new Entry(key, value, null);
      Entry held = entries.putIfAbsent(wrapped, entry);
      if (held != null) {
        held.value = value;
        entry = held;
      }
      lastKey = key;
      lastWrapped = wrapped;
      lastEntry = entry;
    }
    markDirty(entry);
  }

  @Override
  public void delete(byte[] key) {
    Entry entry = key == lastKey ? lastEntry : entries.get(Bytes.wrap(key));
    if (entry == null) {
      return;
    }
    entry.value = null;
    if (entry.logged == null) {
      // Never sent: nothing for the changelog to forget.
      entries.remove(key == lastKey ? lastWrapped : Bytes.wrap(key));
      entry.dirty = false;
      forgetLast();
    } else {
      markDirty(entry);
    }
  }

  private void markDirty(Entry entry) {
    if (!entry.dirty) {
      entry.dirty = true;
      dirty.add(entry);
    }
  }

  @Override
  public void forEach(BiConsumer<byte[], PendingEntry> action) {
    for (Entry entry : entries.values()) {
      if (entry.value != null) {
        action.accept(entry.key, entry.value);
      }
    }
  }

  /** Keys with a value. */
  int size() {
    int size = 0;
    for (Entry entry : entries.values()) {
      if (entry.value != null) {
        size++;
      }
    }
    return size;
  }

  /** Sends each key changed since the last commit to the changelog: inside the transaction. */
  @Override
  public void flushCache() {
    if (!dirty.isEmpty()) {
      flush(this::sendToChangelog);
    }
  }

  /** Sends the latest value of each changed key (a tombstone for a deleted one) to changelog. */
  void flush(Changelog changelog) {
    forgetLast();
    for (Entry entry : dirty) {
      if (!entry.dirty) {
        continue; // made and deleted since the last flush
      }
      entry.dirty = false;
      if (entry.value == entry.logged) {
        continue;
      }
      changelog.send(entry.key, entry.value == null ? null : entry.value.bytes());
      entry.logged = entry.value;
      if (entry.value == null) {
        entries.remove(Bytes.wrap(entry.key));
      }
    }
    dirty.clear();
  }

  /**
   * The task became a standby: its changes since the last commit were not committed, so the store
   * goes back to what the changelog holds, from which the standby goes on.
   */
  @Override
  public void clearCache() {
    forgetLast();
    for (Entry entry : dirty) {
      if (!entry.dirty) {
        continue;
      }
      entry.dirty = false;
      entry.value = entry.logged;
      if (entry.logged == null) {
        entries.remove(Bytes.wrap(entry.key));
      }
    }
    dirty.clear();
  }
}
