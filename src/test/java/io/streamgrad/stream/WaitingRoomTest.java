package io.streamgrad.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WaitingRoomTest {
  private KeyValueStore<Bytes, byte[]> store;

  @BeforeEach
  void openStore() {
    store =
        Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore("waiting"), Serdes.Bytes(), Serdes.ByteArray())
            .withLoggingDisabled()
            .build();
    MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
    store.init(context.getStateStoreContext(), store);
  }

  private static WaitingRoom.Waiting sample(String model, String value, long since, long offset) {
    RecordHeaders headers = new RecordHeaders();
    headers.add("trace", value.getBytes(StandardCharsets.UTF_8));
    return new WaitingRoom.Waiting(
        model,
        since,
        "samples",
        2,
        offset,
        new Record<>(
            model.getBytes(StandardCharsets.UTF_8),
            value.getBytes(StandardCharsets.UTF_8),
            1000 + offset,
            headers));
  }

  private static String value(WaitingRoom.Waiting waiting) {
    return new String(waiting.record().value(), StandardCharsets.UTF_8);
  }

  @Test
  void shouldReleaseOneModelsSamplesInTheirOrderWithEverythingTheyCameWith() {
    WaitingRoom room = new WaitingRoom(store, 1 << 20);
    for (int s = 0; s < 12; s++) {
      assertTrue(room.admit(sample(s % 3 == 0 ? "a" : "ab", "v" + s, s, 100 + s)));
    }
    List<WaitingRoom.Waiting> released = room.release("ab");
    assertEquals(
        List.of("v1", "v2", "v4", "v5", "v7", "v8", "v10", "v11"),
        released.stream().map(WaitingRoomTest::value).toList());
    WaitingRoom.Waiting first = released.get(0);
    assertEquals("samples", first.topic());
    assertEquals(2, first.partition());
    assertEquals(101, first.offset());
    assertEquals(1101, first.record().timestamp());
    assertArrayEquals(
        "v1".getBytes(StandardCharsets.UTF_8),
        first.record().headers().lastHeader("trace").value());
    assertFalse(room.has("ab"));
    assertTrue(room.has("a"));
    assertEquals(List.of(), room.release("ab"));
    assertEquals(4, room.size());
  }

  @Test
  void shouldComeBackFromItsStoreAsItWas() {
    WaitingRoom before = new WaitingRoom(store, 1 << 20);
    before.admit(sample("m", "first", 0, 0));
    before.admit(sample("m", "second", 0, 1));
    WaitingRoom after = new WaitingRoom(store, 1 << 20); // as after a restart: the store restored
    assertTrue(after.has("m"));
    after.admit(sample("m", "third", 0, 2));
    assertEquals(
        List.of("first", "second", "third"),
        after.release("m").stream().map(WaitingRoomTest::value).toList(),
        "new arrivals go after the restored ones");
  }

  @Test
  void shouldExpireOnlyWhatWaitedTooLongAndRefuseWhatWouldOverfillIt() {
    WaitingRoom room = new WaitingRoom(store, 2 * ("m".length() + "v0".length()));
    assertTrue(room.admit(sample("m", "v0", 100, 0)));
    assertTrue(room.admit(sample("m", "v1", 200, 1)));
    assertFalse(room.admit(sample("n", "v2", 300, 2)), "full");
    assertEquals(List.of("v0"), room.expire(150).stream().map(WaitingRoomTest::value).toList());
    assertTrue(room.admit(sample("n", "v2", 300, 2)), "room again");
    assertEquals(
        List.of("v1", "v2"), room.expire(300).stream().map(WaitingRoomTest::value).toList());
    assertEquals(0, room.size());
    assertFalse(room.has("m"));
  }

  /** The pending ledger counts a waiting label's bytes before it encodes them. */
  @Test
  void shouldKnowTheEncodedSizeWithoutEncodingAndWriteWhatDataOutputStreamWrote()
      throws IOException {
    RecordHeaders headers = new RecordHeaders();
    headers.add("trace", "é\u0000€𝄞".getBytes(StandardCharsets.UTF_8));
    headers.add("empty", null);
    WaitingRoom.Waiting odd =
        new WaitingRoom.Waiting(
            "modèle-€-\u0000-𝄞",
            5,
            "labels",
            0,
            7,
            new Record<>(null, new byte[] {1, 2, 3}, 9, headers));
    for (WaitingRoom.Waiting waiting : List.of(sample("m", "v", 1, 2), odd)) {
      assertEquals(WaitingRoom.encode(waiting).length, WaitingRoom.encodedSize(waiting));
      assertArrayEquals(dataOutput(waiting), WaitingRoom.encode(waiting));
    }
  }

  /** The record as the waiting room's store has always held it: written by DataOutputStream. */
  private static byte[] dataOutput(WaitingRoom.Waiting waiting) throws IOException {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(buffer);
    out.writeUTF(waiting.model());
    out.writeLong(waiting.since());
    out.writeUTF(waiting.topic());
    out.writeInt(waiting.partition());
    out.writeLong(waiting.offset());
    Record<byte[], byte[]> record = waiting.record();
    out.writeLong(record.timestamp());
    writeBytes(out, record.key());
    writeBytes(out, record.value());
    Header[] headers = record.headers().toArray();
    out.writeInt(headers.length);
    for (Header header : headers) {
      out.writeUTF(header.key());
      writeBytes(out, header.value());
    }
    out.flush();
    return buffer.toByteArray();
  }

  private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
    out.writeInt(bytes == null ? -1 : bytes.length);
    if (bytes != null) {
      out.write(bytes);
    }
  }
}
