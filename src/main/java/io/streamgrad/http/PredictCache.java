package io.streamgrad.http;

import io.streamgrad.learn.Learner;
import io.streamgrad.learn.LearnerCodec;
import io.streamgrad.learn.Sample;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The decoded committed learner of each model, for {@code POST /models/{id}/predict}: decoding once
 * per commit, not per request. An entry is reused while the committed bytes are equal to the ones
 * it was decoded from (compared in full, so no hash collision can serve an old model); a new commit
 * brings new bytes and a new decode. Holds one entry per model this instance owns and has been
 * asked about: a model found to live elsewhere, or nowhere, is forgotten.
 *
 * <p>Concurrency: HTTP threads run in parallel and a decoded {@link Learner} is mutable (its
 * forward pass writes activation buffers), so each cached learner is used under its own lock
 * ({@link #predict}); requests for different models never wait for each other.
 */
final class PredictCache {
  private record Entry(byte[] state, Learner learner) {}

  private final Map<String, Entry> entries = new ConcurrentHashMap<>();

  /**
   * The learner decoded from state, from the cache when state is the one decoded last for model.
   */
  Learner learner(String model, byte[] state) {
    Entry entry = entries.get(model);
    if (entry == null || !Arrays.equals(entry.state(), state)) {
      // Two threads may both decode a new commit; the later put wins, both answers are right.
      entry = new Entry(state.clone(), LearnerCodec.decode(state));
      entries.put(model, entry);
    }
    return entry.learner();
  }

  /** Drops the model's entry: it moved to another instance, or was deleted. */
  void forget(String model) {
    entries.remove(model);
  }

  /** How many models have a decoded learner here. */
  int size() {
    return entries.size();
  }

  /** Predicts every feature vector with learner, holding its lock (see the class comment). */
  static Learner.Prediction[] predict(Learner learner, Sample[] samples) {
    Learner.Prediction[] predictions = new Learner.Prediction[samples.length];
    synchronized (learner) {
      for (int i = 0; i < samples.length; i++) {
        predictions[i] = learner.predict(samples[i]);
      }
    }
    return predictions;
  }
}
