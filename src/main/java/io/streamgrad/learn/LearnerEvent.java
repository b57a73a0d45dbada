package io.streamgrad.learn;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Something an operator should hear about a model (docs/topics.md, "Events"): its spec applied,
 * reset or deleted, a drift or a divergence detected. One event per occurrence, with the model's
 * step and the evidence: the numbers that were compared, by name.
 *
 * @param version the spec version of the model the event is about
 * @param step the model's optimizer steps when the event happened
 * @param samples the samples the model had seen then
 * @param sampleId the sample that completed the evidence, or null when no sample did
 * @param detector what detected it ({@code adwin}, {@code page_hinkley}, {@code divergence}), or
 *     null
 * @param reaction what the model did about it ({@code none}, {@code reset_optimizer}, {@code
 *     reset_model}, {@code scale_learning_rate}), or null when nothing was to be decided
 * @param evidence finite numbers by name, in a fixed order
 */
public record LearnerEvent(
    Type type,
    int version,
    long step,
    long samples,
    String sampleId,
    String detector,
    String reaction,
    Map<String, Double> evidence,
    String message) {

  /** The kinds of event; their names are the events topic's {@code type} values. */
  public enum Type {
    SPEC_APPLIED,
    SPEC_RESET,
    SPEC_DELETED,
    DRIFT_DETECTED,
    DIVERGENCE_DETECTED,
    /** A learning-rate schedule restarted its cycle (cosine_warm_restarts). */
    SCHEDULE_RESTARTED,
    /** Pending labels expired together (label_wait_ms, label.pending.max.bytes). */
    PENDING_LABELS_EXPIRED
  }

  public LearnerEvent {
    Map<String, Double> copy = new LinkedHashMap<>();
    evidence.forEach(
        (name, value) -> {
          if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("evidence " + name + " is not finite: " + value);
          }
          copy.put(name, value);
        });
    evidence = Collections.unmodifiableMap(copy);
  }

  /** A model created from a spec (or the default spec) where there was none. */
  public static LearnerEvent specApplied(Learner learner, boolean defaultSpec) {
    return new LearnerEvent(
        Type.SPEC_APPLIED,
        learner.spec().version(),
        learner.steps(),
        learner.stats().samples(),
        null,
        null,
        null,
        Map.of(),
        (defaultSpec ? "default spec (model.default.spec)" : "spec")
            + " version "
            + learner.spec().version()
            + " applied");
  }

  /** A model replaced by a new version of its spec: fresh weights, optimizer and statistics. */
  public static LearnerEvent specReset(Learner previous, Learner next) {
    Map<String, Double> evidence = new LinkedHashMap<>();
    evidence.put("previous_version", (double) previous.spec().version());
    evidence.put("previous_steps", (double) previous.steps());
    evidence.put("previous_samples", (double) previous.stats().samples());
    return new LearnerEvent(
        Type.SPEC_RESET,
        next.spec().version(),
        next.steps(),
        next.stats().samples(),
        null,
        null,
        null,
        evidence,
        "spec version "
            + next.spec().version()
            + " replaced version "
            + previous.spec().version()
            + " after "
            + previous.steps()
            + " steps");
  }

  /** A model deleted by a tombstone on the models topic. */
  public static LearnerEvent specDeleted(Learner previous) {
    return new LearnerEvent(
        Type.SPEC_DELETED,
        previous.spec().version(),
        previous.steps(),
        previous.stats().samples(),
        null,
        null,
        null,
        Map.of(),
        "model deleted after " + previous.steps() + " steps");
  }
}
