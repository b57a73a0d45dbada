package io.streamgrad.records;

import io.streamgrad.avro.DeadLetter;
import io.streamgrad.avro.Event;
import io.streamgrad.avro.LossReport;
import io.streamgrad.avro.Prediction;
import io.streamgrad.learn.LearnResult;
import io.streamgrad.learn.Learner;
import io.streamgrad.learn.LearnerEvent;
import io.streamgrad.learn.ReasonCode;
import io.streamgrad.learn.Rejection;
import io.streamgrad.learn.RunningStats;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The output records of the learner, built from what it computed: a prediction per sample, a loss
 * report per model, a dead letter per unusable record, an event per thing an operator should hear.
 * {@link OutputEncoder} writes them.
 */
public final class OutputRecords {
  private static final int TRUNCATED_BYTES = 1024;

  private OutputRecords() {}

  public static Prediction prediction(String model, LearnResult result, long time) {
    return new Prediction(
        model,
        result.sampleId(),
        DoubleLists.toList(result.outputs()),
        result.decision(),
        result.label() == null ? null : DoubleLists.toList(result.label()),
        result.loss() == null || !Double.isFinite(result.loss()) ? null : result.loss(),
        result.step(),
        result.version(),
        result.outcome() == null ? null : result.outcome().name(),
        time);
  }

  public static LossReport lossReport(String model, Learner learner, long time) {
    RunningStats stats = learner.stats();
    return LossReport.newBuilder()
        .setModel(model)
        .setVersion(learner.spec().version())
        .setSamples(stats.samples())
        .setLabelled(stats.labelled())
        .setSteps(learner.steps())
        .setRefusedSteps(stats.refused())
        .setMeanLoss(finiteOrNull(stats.meanLoss()))
        .setEwmaLoss(finiteOrNull(stats.ewmaLoss()))
        .setWindowLoss(finiteOrNull(stats.windowLoss()))
        .setErrorRate(finiteOrNull(stats.errorRate()))
        .setWindowErrorRate(finiteOrNull(stats.windowErrorRate()))
        .setTime(time)
        .build();
  }

  /**
   * A dead letter: why, and where the record came from, with the record itself. A record that was
   * too large keeps only its first KiB, so that the dead letter itself fits.
   */
  public static DeadLetter deadLetter(
      Rejection rejection,
      String topic,
      int partition,
      long offset,
      byte[] key,
      byte[] value,
      long time) {
    byte[] kept = value;
    if (value != null
        && value.length > TRUNCATED_BYTES
        && rejection.reason() == ReasonCode.RECORD_TOO_LARGE) {
      kept = Arrays.copyOf(value, TRUNCATED_BYTES);
    }
    return DeadLetter.newBuilder()
        .setReason(rejection.reason().name())
        .setMessage(rejection.message())
        .setTopic(topic)
        .setPartition(partition)
        .setOffset(offset)
        .setKey(key == null ? null : ByteBuffer.wrap(key))
        .setValue(kept == null ? null : ByteBuffer.wrap(kept))
        .setTime(time)
        .build();
  }

  /**
   * An event of a model.
   *
   * @param time the timestamp of the record that caused it
   */
  public static Event event(String model, LearnerEvent event, long time) {
    return Event.newBuilder()
        .setModel(model)
        .setType(event.type().name())
        .setVersion(event.version())
        .setStep(event.step())
        .setSamples(event.samples())
        .setSampleId(event.sampleId())
        .setDetector(event.detector())
        .setReaction(event.reaction())
        .setEvidence(new java.util.LinkedHashMap<>(event.evidence()))
        .setMessage(event.message())
        .setTime(time)
        .build();
  }

  private static Double finiteOrNull(double value) {
    return Double.isFinite(value) ? value : null;
  }
}
