package io.streamgrad.stream;

import java.util.Collection;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.BatchingStateRestoreCallback;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.processor.internals.ProcessorContextUtils;
import org.apache.kafka.streams.processor.internals.RecordCollector;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;

/**
 * A store that keeps its state in memory and writes what changed to its changelog once per commit,
 * inside the commit's transaction ({@link ModelStore}, {@link PendingStore}).
 *
 * <p>Why this hook: {@link #flushCache()} is called by Kafka Streams 4.4 from
 * StreamTask.prepareCommit before it commits the transaction, so the records a subclass sends there
 * with {@link #sendToChangelog} are part of it. The public {@code flush()}/{@code commit()} run
 * only after the transaction has committed (from StreamTask.postCommit): records sent there would
 * not be. That relies on Kafka Streams internals (CachedStateStore, RecordCollector.Supplier,
 * ProcessorContextUtils), kept to this class: the Kafka version is pinned, and ExactlyOnceIT,
 * CrashIT and DelayedLabelsIT check the commit order on a real broker (KAFKA-NOTES.md §1).
 */
abstract class WriteBehindStore implements StateStore, CachedStateStore<byte[], byte[]> {
  private static final Serializer<byte[]> BYTES = new ByteArraySerializer();

  private final String name;
  private StateStoreContext context;
  private String changelogTopic;
  private boolean open;

  WriteBehindStore(String name) {
    this.name = name;
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final void init(StateStoreContext context, StateStore root) {
    // init runs again when a task is revived: start from what the changelog holds.
    clear();
    this.context = context;
    this.changelogTopic = ProcessorContextUtils.changelogFor(context, name, Boolean.TRUE);
    context.register(root, (BatchingStateRestoreCallback) this::restore);
    open = true;
  }

  /** Changelog records, oldest first: the last record of a key is its value. */
  abstract void restore(Collection<KeyValue<byte[], byte[]>> records);

  /** Forgets every state held: before a restore, and when the store closes. */
  abstract void clear();

  /** Sends one record (null value: a tombstone) to the changelog; only from flushCache. */
  final void sendToChangelog(byte[] key, byte[] value) {
    RecordCollector collector = ((RecordCollector.Supplier) context).recordCollector();
    collector.send(
        changelogTopic,
        key,
        value,
        null,
        context.taskId().partition(),
        null,
        BYTES,
        BYTES,
        null,
        null);
  }

  @Override
  public final boolean setFlushListener(
      CacheFlushListener<byte[], byte[]> listener, boolean sendOldValues) {
    return false;
  }

  @Override
  public final void close() {
    open = false;
    clear();
  }

  @Override
  public final boolean persistent() {
    return false;
  }

  @Override
  public final boolean isOpen() {
    return open;
  }

  @Override
  public <R> QueryResult<R> query(Query<R> query, PositionBound bound, QueryConfig config) {
    return QueryResult.forUnknownQueryType(query, this);
  }
}
