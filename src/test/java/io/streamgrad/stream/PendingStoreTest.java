package io.streamgrad.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamgrad.learn.Label;
import io.streamgrad.learn.PendingLabels;
import io.streamgrad.learn.Served;
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

  private void commit() {
    store.flush((key, value) -> changelog.add(KeyValue.pair(key, value)));
  }

  @Test
  void shouldSendOneRecordPerKeyPerCommitWithItsLatestValue() {
    store.put(bytes("k"), bytes("served"));
    store.put(bytes("k"), bytes("labelled"));
    commit();
    assertEquals(1, changelog.size());
    assertArrayEquals(bytes("k"), changelog.get(0).key);
    assertArrayEquals(bytes("labelled"), changelog.get(0).value);
  }

  @Test
  void shouldSendNothingForAKeyMadeAndDeletedWithinOneCommit() {
    store.put(bytes("k"), bytes("served"));
    store.delete(bytes("k"));
    commit();
    assertTrue(changelog.isEmpty());
    assertNull(store.get(bytes("k")));
  }

  @Test
  void shouldSendATombstoneForADeletedKeyTheChangelogHolds() {
    store.put(bytes("k"), bytes("served"));
    commit();
    store.delete(bytes("k"));
    commit();
    assertEquals(2, changelog.size());
    assertNull(changelog.get(1).value);
  }

  @Test
  void shouldSendNothingForAKeyPutBackToTheValueTheChangelogHolds() {
    byte[] value = bytes("served");
    store.put(bytes("k"), value);
    commit();
    store.delete(bytes("k"));
    store.put(bytes("k"), value);
    commit();
    assertEquals(1, changelog.size());
  }

  @Test
  void shouldPutBackWhatTheChangelogHoldsWhenItsCacheIsCleared() {
    store.put(bytes("sent"), bytes("v1"));
    store.put(bytes("deleted"), bytes("d1"));
    commit();
    store.put(bytes("sent"), bytes("v2"));
    store.delete(bytes("deleted"));
    store.put(bytes("new"), bytes("n1"));
    store.clearCache();
    assertArrayEquals(bytes("v1"), store.get(bytes("sent")));
    assertArrayEquals(bytes("d1"), store.get(bytes("deleted")));
    assertNull(store.get(bytes("new")));
    commit();
    assertEquals(2, changelog.size(), "nothing left to send after the cache is cleared");
  }

  @Test
  void shouldRestoreTheLastRecordOfEachKeyAndNotSendItAgain() {
    store.restore(
        List.of(
            KeyValue.pair(bytes("a"), bytes("a1")),
            KeyValue.pair(bytes("b"), bytes("b1")),
            KeyValue.pair(bytes("a"), bytes("a2")),
            KeyValue.pair(bytes("b"), null)));
    assertArrayEquals(bytes("a2"), store.get(bytes("a")));
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
      public byte[] get(byte[] key) {
        return table.get(key);
      }

      @Override
      public void put(byte[] key, byte[] value) {
        table.put(key, value);
        log.add(KeyValue.pair(key, value));
      }

      @Override
      public void delete(byte[] key) {
        table.delete(key);
        log.add(KeyValue.pair(key, null));
      }

      @Override
      public void forEach(BiConsumer<byte[], byte[]> action) {
        table.forEach(action);
      }
    };
  }
}
