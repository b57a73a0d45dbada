package io.streamgrad.stream;

import io.streamgrad.learn.PendingLabels;
import org.apache.kafka.streams.processor.api.Record;

/**
 * A label record that waits for its sample in the pending ledger, kept as it came and encoded as
 * the waiting room encodes a record ({@link WaitingRoom#encode}) only when the ledger needs its
 * bytes: at a flush while it still waits, or when it leaves unmatched. Most labels that overtake
 * their samples (a backlog read from two partitions) are matched within the commit interval.
 *
 * <p>Made for every label, it takes the record in only when the ledger asks for its size, which it
 * does, while the record is processed, only for a label that has to wait.
 */
final class WaitingOrigin implements PendingLabels.Origin {
  private final String model;
  private final String topic;
  private final int partition;
  private final long offset;
  private final Record<byte[], byte[]> record;
  private WaitingRoom.Waiting waiting;
  private int size;

  WaitingOrigin(
      String model, String topic, int partition, long offset, Record<byte[], byte[]> record) {
    this.model = model;
    this.topic = topic;
    this.partition = partition;
    this.offset = offset;
    this.record = record;
  }

  @Override
  public int size() {
    if (waiting == null) {
      waiting =
          WaitingRoom.withOwnHeaders(
              new WaitingRoom.Waiting(model, record.timestamp(), topic, partition, offset, record));
      size = WaitingRoom.encodedSize(waiting);
    }
    return size;
  }

  @Override
  public byte[] bytes() {
    size();
    return WaitingRoom.encode(waiting);
  }
}
