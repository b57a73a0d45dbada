package io.streamgrad.http;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code POST /models/{id}/predict} requests this instance answered, by HTTP status and by who
 * computed the answer: this instance, or the owner it forwarded the request to (which counts it
 * again as its own). Read by /metrics.
 */
final class PredictCounts {
  /** Who computed an answer. */
  enum AnsweredBy {
    THIS_INSTANCE,
    OWNER;

    String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  record Key(int status, AnsweredBy answeredBy) {}

  private final Map<Key, LongAdder> counts = new ConcurrentHashMap<>();

  void count(int status, AnsweredBy answeredBy) {
    counts.computeIfAbsent(new Key(status, answeredBy), k -> new LongAdder()).increment();
  }

  /** The counts so far, in a stable order. */
  Map<Key, Long> snapshot() {
    Map<Key, Long> snapshot =
        new TreeMap<>(
            java.util.Comparator.comparingInt(Key::status).thenComparing(Key::answeredBy));
    counts.forEach((key, count) -> snapshot.put(key, count.sum()));
    return snapshot;
  }
}
