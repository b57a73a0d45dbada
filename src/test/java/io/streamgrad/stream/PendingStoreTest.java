package io.streamgrad.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamgrad.learn.Label;
import io.streamgrad.learn.PendingEntry;
import io.streamgrad.learn.PendingLabels;
import io.streamgrad.learn.Served;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.Test;

/** The write-behind pending store: what reaches its changelog, and what it restores from. */
class PendingStoreTest {
  private final PendingStore store = new PendingStore("pending");
  private final List<KeyValue<byte[], byte[]>> changelog = new ArrayList<>();

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** An entry as the changelog would hold it: a marker's header, then the text. */
  private static PendingEntry entry(String text) {
    byte[] body = bytes(text);
    return PendingEntry.read(
        ByteBuffer.allocate(25 + body.length)
            .order(ByteOrder.LITTLE_ENDIAN)
            .put((byte) 3)
            .putLong(1)
            .putLong(2)
            .putLong(3)
            .put(body)
            .array());
  }

  private static byte[] value(PendingEntry entry) {
    return entry == null ? null : entry.bytes();
  }

  private void commit() {
    store.flush((key, value) -> changelog.add(KeyValue.pair(key, value)));
  }

  @Test
  void shouldSendOneRecordPerKeyPerCommitWithItsLatestValue() {
    store.put(bytes("k"), entry("served"));
    PendingEntry labelled = entry("labelled");
    store.put(bytes("k"), labelled);
    commit();
    assertEquals(1, changelog.size());
    assertArrayEquals(bytes("k"), changelog.get(0).key);
    assertArrayEquals(labelled.bytes(), changelog.get(0).value);
  }

  @Test
  void shouldPutUnderAKeyLookedUpWhoseEntryLeftSince() {
    byte[] key = bytes("k");
    store.put(key, entry("served"));
    assertTrue(store.get(key) != null);
    store.delete(key); // never sent: the entry leaves the map
    PendingEntry again = entry("again");
    store.put(key, again);
    commit();
    assertEquals(1, changelog.size());
    assertArrayEquals(again.bytes(), changelog.get(0).value);
    assertArrayEquals(again.bytes(), store.get(bytes("k")).bytes());
  }

  @Test
  void shouldPutUnderAKeyLookedUpAcrossACommitThatDroppedItsTombstone() {
    byte[] key = bytes("k");
    store.put(key, entry("served"));
    commit();
    assertTrue(store.get(key) != null);
    store.delete(key);
    commit(); // the tombstone is sent and the entry leaves the map
    PendingEntry again = entry("again");
    store.put(key, again);
    commit();
    assertEquals(3, changelog.size());
    assertArrayEquals(again.bytes(), changelog.get(2).value);
    assertEquals(1, store.size());
  }

  @Test
  void shouldKeepTwoKeysApartWhenTheSecondIsPutBetweenALookupAndItsPut() {
    byte[] first = bytes("a");
    assertNull(store.get(first));
    store.put(bytes("b"), entry("b"));
    store.put(first, entry("a"));
    assertArrayEquals(entry("a").bytes(), store.get(bytes("a")).bytes());
    assertArrayEquals(entry("b").bytes(), store.get(bytes("b")).bytes());
    assertEquals(2, store.size());
  }

  @Test
  void shouldSendNothingForAKeyMadeAndDeletedWithinOneCommit() {
    store.put(bytes("k"), entry("served"));
    store.delete(bytes("k"));
    commit();
    assertTrue(changelog.isEmpty());
    assertNull(store.get(bytes("k")));
  }

  @Test
  void shouldSendATombstoneForADeletedKeyTheChangelogHolds() {
    store.put(bytes("k"), entry("served"));
    commit();
    store.delete(bytes("k"));
    commit();
    assertEquals(2, changelog.size());
    assertNull(changelog.get(1).value);
  }

  @Test
  void shouldSendNothingForAKeyPutBackToTheValueTheChangelogHolds() {
    PendingEntry value = entry("served");
    store.put(bytes("k"), value);
    commit();
    store.delete(bytes("k"));
    store.put(bytes("k"), value);
    commit();
    assertEquals(1, changelog.size());
  }

  @Test
  void shouldPutBackWhatTheChangelogHoldsWhenItsCacheIsCleared() {
    PendingEntry v1 = entry("v1");
    PendingEntry d1 = entry("d1");
    store.put(bytes("sent"), v1);
    store.put(bytes("deleted"), d1);
    commit();
    store.put(bytes("sent"), entry("v2"));
    store.delete(bytes("deleted"));
    store.put(bytes("new"), entry("n1"));
    store.clearCache();
    assertArrayEquals(v1.bytes(), value(store.get(bytes("sent"))));
    assertArrayEquals(d1.bytes(), value(store.get(bytes("deleted"))));
    assertNull(store.get(bytes("new")));
    commit();
    assertEquals(2, changelog.size(), "nothing left to send after the cache is cleared");
  }

  @Test
  void shouldRestoreTheLastRecordOfEachKeyAndNotSendItAgain() {
    byte[] a2 = entry("a2").bytes();
    store.restore(
        List.of(
            KeyValue.pair(bytes("a"), entry("a1").bytes()),
            KeyValue.pair(bytes("b"), entry("b1").bytes()),
            KeyValue.pair(bytes("a"), a2),
            KeyValue.pair(bytes("b"), null)));
    assertArrayEquals(a2, value(store.get(bytes("a"))));
    assertNull(store.get(bytes("b")));
    assertEquals(1, store.size());
    commit();
    assertTrue(changelog.isEmpty());
  }

  /**
   * The records a pending-labels changelog holds from before this store: Kafka's logged key-value
   * store sent one record per put and a tombstone per delete.
   */
  @Test
  void shouldRestoreAChangelogWrittenOneRecordPerPutByTheKeyValueStore() {
    List<KeyValue<byte[], byte[]>> written = new ArrayList<>();
    PendingLabels before = new PendingLabels(loggingEachChange(written), 1 << 20, ignore());
    Served a = served(1.0, 1_000);
    Served b = served(2.0, 1_001);
    before.serve("m", "a", a, 10_000);
    before.serve("m", "b", b, 10_000);
    before.label("m", new Label("a", new double[] {1}, 0), 1_002, 10_000, 1, () -> new byte[0]);

    store.restore(written);
    PendingLabels after = new PendingLabels(store, 1 << 20, ignore());
    assertEquals(1, after.pending("m"));
    PendingLabels.Lookup labelledAgain =
        after.label("m", new Label("a", new double[] {1}, 0), 1_003, 10_000, 1, () -> new byte[0]);
    assertTrue(labelledAgain.notPending().contains("already labelled"));
    PendingLabels.Lookup found =
        after.label("m", new Label("b", new double[] {1}, 0), 1_003, 10_000, 1, () -> new byte[0]);
    assertArrayEquals(b.input(), found.served().input());
  }

  private static Served served(double x, long time) {
    return new Served(
        new double[] {x, -x}, new double[] {0.5}, new double[] {0.0}, 1, 7, 1, 1.0, time);
  }

  private static PendingLabels.Listener ignore() {
    return (what, model, sampleId, served, origin) -> {};
  }

  /** A table in memory that writes each put and delete down, as a logged key-value store did. */
  private static PendingLabels.Table loggingEachChange(List<KeyValue<byte[], byte[]>> log) {
    PendingLabels.Table table = PendingLabels.inMemory();
    return new PendingLabels.Table() {
      @Override
      public PendingEntry get(byte[] key) {
        return table.get(key);
      }

      @Override
      public void put(byte[] key, PendingEntry value) {
        table.put(key, value);
        log.add(KeyValue.pair(key, value.bytes()));
      }

      @Override
      public void delete(byte[] key) {
        table.delete(key);
        log.add(KeyValue.pair(key, null));
      }

      @Override
      public void forEach(BiConsumer<byte[], PendingEntry> action) {
        table.forEach(action);
      }
    };
  }
}
