package io.streamgrad.stream;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UTFDataFormatException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Samples of models whose spec has not arrived yet, kept in arrival order until it does (then they
 * are learnt, in order, before anything newer) or until they have waited too long (then they are
 * dead letters). Why: a spec and its model's first samples are produced to two topics, and nothing
 * in Kafka makes the spec's fetch come back first; waiting here makes "spec first" hold whatever
 * the fetch order, without making Kafka Streams wait on the models partition before every record (a
 * check that costs the learner's thread dearly; BENCHMARKS.md, "Kafka settings that matter").
 *
 * <p>The records live in a logged key-value store, so under exactly-once a sample leaves the room
 * in the same transaction as the prediction it becomes, and a crash loses none. Keys sort by model,
 * then arrival: [model length][model bytes][sequence], big-endian.
 */
final class WaitingRoom {
  /** One waiting sample: the record as it came, where it came from, and since when it waits. */
  record Waiting(
      String model,
      long since,
      String topic,
      int partition,
      long offset,
      Record<byte[], byte[]> record) {
    long bytes() {
      return (record.key() == null ? 0 : record.key().length)
          + (record.value() == null ? 0 : record.value().length);
    }
  }

  private final KeyValueStore<Bytes, byte[]> store;
  private final long maxBytes;

  /** Waiting samples per model, and their bytes in all: rebuilt from the store at start. */
  private final Map<String, Integer> perModel = new HashMap<>();

  private long bytes;
  private long nextSequence;

  WaitingRoom(KeyValueStore<Bytes, byte[]> store, long maxBytes) {
    this.store = store;
    this.maxBytes = maxBytes;
    try (KeyValueIterator<Bytes, byte[]> all = store.all()) {
      while (all.hasNext()) {
        KeyValue<Bytes, byte[]> entry = all.next();
        Waiting waiting = decode(entry.value);
        perModel.merge(waiting.model(), 1, Integer::sum);
        bytes += waiting.bytes();
        nextSequence = Math.max(nextSequence, sequence(entry.key) + 1);
      }
    }
  }

  boolean has(String model) {
    return perModel.containsKey(model);
  }

  int size() {
    return perModel.values().stream().mapToInt(Integer::intValue).sum();
  }

  /** Puts a sample in the room, or returns false when that would take the room past its bytes. */
  boolean admit(Waiting waiting) {
    if (bytes + waiting.bytes() > maxBytes) {
      return false;
    }
    store.put(key(waiting.model(), nextSequence++), encode(waiting));
    perModel.merge(waiting.model(), 1, Integer::sum);
    bytes += waiting.bytes();
    return true;
  }

  /** Takes out every sample of the model, oldest first. */
  List<Waiting> release(String model) {
    if (!has(model)) {
      return List.of();
    }
    List<Waiting> released = new ArrayList<>();
    List<Bytes> keys = new ArrayList<>();
    try (KeyValueIterator<Bytes, byte[]> range =
        store.range(key(model, 0), key(model, Long.MAX_VALUE))) {
      while (range.hasNext()) {
        KeyValue<Bytes, byte[]> entry = range.next();
        released.add(decode(entry.value));
        keys.add(entry.key);
      }
    }
    keys.forEach(store::delete);
    released.forEach(waiting -> bytes -= waiting.bytes());
    perModel.remove(model);
    return released;
  }

  /**
   * Takes out every sample that has waited since {@code deadline} or before, per model oldest
   * first.
   */
  List<Waiting> expire(long deadline) {
    List<Waiting> expired = new ArrayList<>();
    List<Bytes> keys = new ArrayList<>();
    try (KeyValueIterator<Bytes, byte[]> all = store.all()) {
      while (all.hasNext()) {
        KeyValue<Bytes, byte[]> entry = all.next();
        if (since(entry.value) <= deadline) { // without copying the record's bytes
          expired.add(decode(entry.value));
          keys.add(entry.key);
        }
      }
    }
    for (int i = 0; i < keys.size(); i++) {
      store.delete(keys.get(i));
      Waiting waiting = expired.get(i);
      bytes -= waiting.bytes();
      perModel.computeIfPresent(waiting.model(), (m, n) -> n == 1 ? null : n - 1);
    }
    return expired;
  }

  private static Bytes key(String model, long sequence) {
    byte[] id = model.getBytes(StandardCharsets.UTF_8);
    return Bytes.wrap(
        ByteBuffer.allocate(4 + id.length + 8).putInt(id.length).put(id).putLong(sequence).array());
  }

  private static long sequence(Bytes key) {
    byte[] bytes = key.get();
    return ByteBuffer.wrap(bytes, bytes.length - 8, 8).getLong();
  }

  /**
   * The same waiting record with a copy of its headers, for one kept past its process call: the
   * record's own headers object is Kafka's, shared with what is forwarded.
   */
  static Waiting withOwnHeaders(Waiting waiting) {
    Record<byte[], byte[]> record = waiting.record();
    return new Waiting(
        waiting.model(),
        waiting.since(),
        waiting.topic(),
        waiting.partition(),
        waiting.offset(),
        record.withHeaders(new RecordHeaders(record.headers().toArray())));
  }

  /** The length of {@link #encode}'s bytes for waiting, without encoding them. */
  static int encodedSize(Waiting waiting) {
    Record<byte[], byte[]> record = waiting.record();
    int size = utfSize(waiting.model()) + 8 + utfSize(waiting.topic()) + 4 + 8 + 8;
    size += bytesSize(record.key()) + bytesSize(record.value()) + 4;
    for (Header header : record.headers()) {
      size += utfSize(header.key()) + bytesSize(header.value());
    }
    return size;
  }

  /** What DataOutputStream.writeUTF writes: a length, then modified UTF-8. */
  private static int utfSize(String text) {
    int size = 2;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      size += c >= 0x0001 && c <= 0x007F ? 1 : c <= 0x07FF ? 2 : 3;
    }
    return size;
  }

  private static int bytesSize(byte[] bytes) {
    return 4 + (bytes == null ? 0 : bytes.length);
  }

  /**
   * The bytes DataOutputStream would write (writeUTF, writeLong, writeInt; big-endian), written
   * into one array of the known size: a label that overtakes its sample is kept in this form, so in
   * a backlog read from two partitions every label pays it.
   */
  static byte[] encode(Waiting waiting) {
    ByteBuffer out = ByteBuffer.allocate(encodedSize(waiting));
    putUtf(out, waiting.model());
    out.putLong(waiting.since());
    putUtf(out, waiting.topic());
    out.putInt(waiting.partition());
    out.putLong(waiting.offset());
    Record<byte[], byte[]> record = waiting.record();
    out.putLong(record.timestamp());
    putBytes(out, record.key());
    putBytes(out, record.value());
    Header[] headers = record.headers().toArray();
    out.putInt(headers.length);
    for (Header header : headers) {
      putUtf(out, header.key());
      putBytes(out, header.value());
    }
    return out.array();
  }

  /** DataOutputStream.writeUTF: the length as an unsigned short, then modified UTF-8. */
  private static void putUtf(ByteBuffer out, String text) {
    int length = utfSize(text) - 2;
    if (length > 0xFFFF) {
      throw new UncheckedIOException(
          new UTFDataFormatException("encoded string too long: " + length + " bytes"));
    }
    out.putShort((short) length);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c >= 0x0001 && c <= 0x007F) {
        out.put((byte) c);
      } else if (c <= 0x07FF) {
        out.put((byte) (0xC0 | ((c >> 6) & 0x1F))).put((byte) (0x80 | (c & 0x3F)));
      } else {
        out.put((byte) (0xE0 | ((c >> 12) & 0x0F)))
            .put((byte) (0x80 | ((c >> 6) & 0x3F)))
            .put((byte) (0x80 | (c & 0x3F)));
      }
    }
  }

  private static void putBytes(ByteBuffer out, byte[] bytes) {
    out.putInt(bytes == null ? -1 : bytes.length);
    if (bytes != null) {
      out.put(bytes);
    }
  }

  /**
   * When the sample began to wait: the long after the model id (written by writeUTF: length,
   * bytes).
   */
  private static long since(byte[] bytes) {
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    int modelLength = buffer.getShort() & 0xffff;
    return buffer.getLong(2 + modelLength);
  }

  static Waiting decode(byte[] bytes) {
    try {
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
      String model = in.readUTF();
      long since = in.readLong();
      String topic = in.readUTF();
      int partition = in.readInt();
      long offset = in.readLong();
      long timestamp = in.readLong();
      byte[] key = readBytes(in);
      byte[] value = readBytes(in);
      Headers headers = new RecordHeaders();
      for (int h = in.readInt(); h > 0; h--) {
        headers.add(in.readUTF(), readBytes(in));
      }
      return new Waiting(
          model, since, topic, partition, offset, new Record<>(key, value, timestamp, headers));
    } catch (IOException e) {
      throw new IllegalStateException("a waiting sample in the store cannot be read: " + e, e);
    }
  }

  private static byte[] readBytes(DataInputStream in) throws IOException {
    int length = in.readInt();
    return length < 0 ? null : in.readNBytes(length);
  }
}
