package io.streamgrad.stream;

import io.streamgrad.learn.LastLookup;
import io.streamgrad.learn.Learner;
import io.streamgrad.learn.LearnerCodec;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;

/**
 * The live learners of one task, checkpointed to the changelog once per commit, inside the commit's
 * transaction.
 *
 * <p>Why a custom store: a KeyValueStore serialises its value on every put, which for a model is a
 * full encode per record. Here the processor changes learners in place and marks them dirty; in
 * {@link #flushCache()}, before the transaction commits ({@link WriteBehindStore}), each dirty
 * learner is encoded once and sent to the changelog. ExactlyOnceIT and CrashIT check it on a real
 * broker: after an injected failure and after SIGKILLs, every model is bit-identical to an offline
 * replay.
 *
 * <p>Interactive queries read {@link #committed}, the encoded states as of the last commit, never
 * the live learners.
 */
public final class ModelStore extends WriteBehindStore {
  private final Map<String, Learner> learners = new HashMap<>();
  private final Set<String> dirty = new LinkedHashSet<>();
  private final Map<String, byte[]> committed = new ConcurrentHashMap<>();

  /** Two hash lookups a record are a visible cost at small models: see {@link LastLookup}. */
  private final LastLookup<String, Learner> lastGot = new LastLookup<>(learners::get);

  private final LastLookup<String, Boolean> lastDirty = new LastLookup<>(dirty::add);

  public ModelStore(String name) {
    super(name);
  }

  @Override
  void restore(Collection<KeyValue<byte[], byte[]>> records) {
    // Only the last state of each model is decoded: a batch holds many checkpoints of one model.
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
  }

  @Override
  void clear() {
    learners.clear();
    dirty.clear();
    committed.clear();
    forgetLast();
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
    for (String model : dirty) {
      Learner learner = learners.get(model);
      byte[] state = learner == null ? null : LearnerCodec.encode(learner);
      sendToChangelog(model.getBytes(StandardCharsets.UTF_8), state);
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
