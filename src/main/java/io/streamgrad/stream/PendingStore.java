package io.streamgrad.stream;

import io.streamgrad.learn.PendingLabels;
import java.util.function.BiConsumer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The pending labels of a task kept in a logged key-value store: each change is a changelog record
 * sent inside the exactly-once transaction with the outputs it goes with, and a restart restores it
 * (the ledger's index is rebuilt from the store when the processor starts). Keys are (model, sample
 * id); one pending sample costs its input, outputs and logits, not a model's state.
 */
final class PendingStore implements PendingLabels.Table {
  private final KeyValueStore<Bytes, byte[]> store;

  PendingStore(KeyValueStore<Bytes, byte[]> store) {
    this.store = store;
  }

  @Override
  public byte[] get(byte[] key) {
    return store.get(Bytes.wrap(key));
  }

  @Override
  public void put(byte[] key, byte[] value) {
    store.put(Bytes.wrap(key), value);
  }

  @Override
  public void delete(byte[] key) {
    store.delete(Bytes.wrap(key));
  }

  @Override
  public void forEach(BiConsumer<byte[], byte[]> action) {
    try (KeyValueIterator<Bytes, byte[]> all = store.all()) {
      while (all.hasNext()) {
        KeyValue<Bytes, byte[]> entry = all.next();
        action.accept(entry.key.get(), entry.value);
      }
    }
  }
}
