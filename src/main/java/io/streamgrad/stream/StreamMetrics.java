package io.streamgrad.stream;

import io.streamgrad.learn.LearnerEvent;
import io.streamgrad.learn.ReasonCode;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one service instance, shared by all its processors: records processed, predictions
 * emitted, dead letters by reason. They count work done, so under exactly-once a record processed
 * again after a crash is counted again; the topics, not these counters, are the exact record.
 */
public final class StreamMetrics {
  private final LongAdder samples = new LongAdder();
  private final LongAdder specs = new LongAdder();
  private final LongAdder predictions = new LongAdder();
  private final Map<ReasonCode, LongAdder> deadLetters = new EnumMap<>(ReasonCode.class);
  private final LongAdder waiting = new LongAdder();
  private final LongAdder labels = new LongAdder();
  private final LongAdder outcomes = new LongAdder();
  private final LongAdder pending = new LongAdder();
  private final Map<String, LongAdder> drifts = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> divergences = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> unnamedFields = new ConcurrentHashMap<>();

  public StreamMetrics() {
    for (ReasonCode reason : ReasonCode.values()) {
      deadLetters.put(reason, new LongAdder());
    }
  }

  void sample() {
    samples.increment();
  }

  void spec() {
    specs.increment();
  }

  void prediction() {
    predictions.increment();
  }

  /** Samples waiting for their model's spec in this instance's tasks changed by delta. */
  void waiting(long delta) {
    waiting.add(delta);
  }

  /**
   * Counts an event emitted for a model (drifts and divergences, per model): the learner processor
   * calls it for every event it forwards.
   */
  public void event(String model, LearnerEvent.Type type) {
    Map<String, LongAdder> counts =
        switch (type) {
          case DRIFT_DETECTED -> drifts;
          case DIVERGENCE_DETECTED -> divergences;
          default -> null;
        };
    if (counts != null) {
      counts.computeIfAbsent(model, m -> new LongAdder()).increment();
    }
  }

  /** Drift events this instance emitted, by model. */
  public Map<String, Long> drifts() {
    return sums(drifts);
  }

  /** Counts fields of a model's named samples that none of its inputs names (ignored). */
  public void unnamedFields(String model, long fields) {
    unnamedFields.computeIfAbsent(model, m -> new LongAdder()).add(fields);
  }

  /** Fields of named samples that no input of their model names, by model. */
  public Map<String, Long> unnamedFields() {
    return sums(unnamedFields);
  }

  /** Divergence events this instance emitted, by model. */
  public Map<String, Long> divergences() {
    return sums(divergences);
  }

  private static Map<String, Long> sums(Map<String, LongAdder> counts) {
    Map<String, Long> sums = new java.util.TreeMap<>();
    counts.forEach((model, count) -> sums.put(model, count.sum()));
    return sums;
  }

  void label() {
    labels.increment();
  }

  void outcome() {
    outcomes.increment();
  }

  void pending(long delta) {
    pending.add(delta);
  }

  /** Label records read (on the labels topic, and label records on the samples topic). */
  public long labels() {
    return labels.sum();
  }

  /** Outcomes written: labels applied to their pending samples. */
  public long outcomes() {
    return outcomes.sum();
  }

  /** Samples waiting for their labels in this instance's active tasks. */
  public long pending() {
    return pending.sum();
  }

  void deadLetter(ReasonCode reason) {
    deadLetters.get(reason).increment();
  }

  public long samples() {
    return samples.sum();
  }

  public long specs() {
    return specs.sum();
  }

  public long predictions() {
    return predictions.sum();
  }

  public long deadLetters(ReasonCode reason) {
    return deadLetters.get(reason).sum();
  }

  public long deadLetters() {
    return deadLetters.values().stream().mapToLong(LongAdder::sum).sum();
  }

  /** Samples now waiting for their model's spec in this instance's tasks. */
  public long waiting() {
    return waiting.sum();
  }
}
