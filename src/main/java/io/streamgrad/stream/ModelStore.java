package io.streamgrad.stream;

import io.streamgrad.learn.LastLookup;
import io.streamgrad.learn.Learner;
import io.streamgrad.learn.LearnerCodec;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
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
 * The live learners of one task, checkpointed to the changelog once per commit, inside the commit's
 * transaction.
 *
 * <p>Why a custom store: a KeyValueStore serialises its value on every put, which for a model is a
 * full encode per record. Here the processor changes learners in place and marks them dirty; in
 * {@link #flushCache()}, which Kafka Streams 4.4 calls from StreamTask.prepareCommit before it
 * commits the transaction, each dirty learner is encoded once and sent to the changelog. That
 * relies on Kafka Streams internals (CachedStateStore, RecordCollector.Supplier,
 * ProcessorContextUtils): the Kafka version is pinned, and ExactlyOnceIT and CrashIT check the
 * commit order on a real broker (after an injected failure and after SIGKILLs, every model is
 * bit-identical to an offline replay). The public {@code flush()}/{@code commit()} run only after
 * the transaction has committed (from StreamTask.postCommit), so records sent there would not be
 * part of it.
 *
 * <p>Interactive queries read {@link #committed}, the encoded states as of the last commit, never
 * the live learners.
 */
public final class ModelStore implements StateStore, CachedStateStore<byte[], byte[]> {
  private static final Serializer<byte[]> BYTES = new ByteArraySerializer();

  private final String name;
  private final Map<String, Learner> learners = new HashMap<>();
  private final Set<String> dirty = new LinkedHashSet<>();
  private final Map<String, byte[]> committed = new ConcurrentHashMap<>();

  /** Two hash lookups a record are a visible cost at small models: see {@link LastLookup}. */
  private final LastLookup<String, Learner> lastGot = new LastLookup<>(learners::get);

  private final LastLookup<String, Boolean> lastDirty = new LastLookup<>(dirty::add);
  private StateStoreContext context;
  private String changelogTopic;
  private boolean open;

  public ModelStore(String name) {
    this.name = name;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void init(StateStoreContext context, StateStore root) {
    // init runs again when a task is revived: start from what the changelog holds.
    learners.clear();
    dirty.clear();
    committed.clear();
    forgetLast();
    this.context = context;
    this.changelogTopic = ProcessorContextUtils.changelogFor(context, name, Boolean.TRUE);
    context.register(
        root,
        (BatchingStateRestoreCallback)
            records -> {
              Map<String, byte[]> last = new HashMap<>();
              for (var record : records) {
                last.put(new String(record.key, StandardCharsets.UTF_8), record.value);
              }
              forgetLast();
              last.forEach(
                  (model, state) -> {
                    if (state == null) {
                      learners.remove(model);
                      committed.remove(model);
                    } else {
                      learners.put(model, LearnerCodec.decode(state));
                      committed.put(model, state);
                    }
                  });
            });
    open = true;
  }

  /** The live learner, or null. The caller must {@link #markDirty} after changing it. */
  public Learner get(String model) {
    return lastGot.get(model);
  }

  public void put(String model, Learner learner) {
    forgetLast();
    learners.put(model, learner);
    dirty.add(model);
  }

  public void markDirty(String model) {
    lastDirty.get(model);
  }

  public void delete(String model) {
    forgetLast();
    if (learners.remove(model) != null) {
      dirty.add(model);
    }
  }

  private void forgetLast() {
    lastGot.forget();
    lastDirty.forget();
  }

  public Set<String> models() {
    return Collections.unmodifiableSet(learners.keySet());
  }

  /** Sends each learner changed since the last commit to the changelog: inside the transaction. */
  @Override
  public void flushCache() {
    if (dirty.isEmpty()) {
      return;
    }
    RecordCollector collector = ((RecordCollector.Supplier) context).recordCollector();
    Integer partition = context.taskId().partition();
    for (String model : dirty) {
      Learner learner = learners.get(model);
      byte[] state = learner == null ? null : LearnerCodec.encode(learner);
      collector.send(
          changelogTopic,
          model.getBytes(StandardCharsets.UTF_8),
          state,
          null,
          partition,
          null,
          BYTES,
          BYTES,
          null,
          null);
      if (state == null) {
        committed.remove(model);
      } else {
        committed.put(model, state);
      }
    }
    dirty.clear();
    lastDirty.forget();
  }

  /** The task became a standby, or its state is dropped: forget unsent changes. */
  @Override
  public void clearCache() {
    dirty.clear();
    lastDirty.forget();
  }

  @Override
  public boolean setFlushListener(
      CacheFlushListener<byte[], byte[]> listener, boolean sendOldValues) {
    return false;
  }

  @Override
  public void close() {
    open = false;
    learners.clear();
    dirty.clear();
    committed.clear();
    forgetLast();
  }

  @Override
  public boolean persistent() {
    return false;
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  /** Answers {@link ModelQuery} from the states of the last commit. */
  @Override
  @SuppressWarnings("unchecked")
  public <R> QueryResult<R> query(Query<R> query, PositionBound bound, QueryConfig config) {
    if (query instanceof ModelQuery modelQuery) {
      Map<String, byte[]> result = new HashMap<>();
      if (modelQuery.model() == null) {
        result.putAll(committed);
      } else if (committed.containsKey(modelQuery.model())) {
        result.put(modelQuery.model(), committed.get(modelQuery.model()));
      }
      return (QueryResult<R>) QueryResult.forResult(result);
    }
    return QueryResult.forUnknownQueryType(query, this);
  }
}
