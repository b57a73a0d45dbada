package io.streamgrad.records;

import io.streamgrad.avro.DeadLetter;
import io.streamgrad.avro.Event;
import io.streamgrad.avro.LossReport;
import io.streamgrad.avro.Prediction;
import io.streamgrad.learn.LearnResult;
import io.streamgrad.learn.Learner;
import io.streamgrad.learn.LearnerEvent;
import io.streamgrad.learn.MetricValues;
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

  /** The most of a rejected record a dead letter keeps: half the dead-letter topic's limit. */
  public static final int MAX_KEPT_BYTES = 1024 * 1024;

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
    MetricValues all = stats.metrics();
    MetricValues window = stats.windowMetrics();
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
        .setLearningRate(finiteOrNull(learner.learningRate()))
        .setMae(finiteOrNull(all.mae()))
        .setWindowMae(finiteOrNull(window.mae()))
        .setRmse(finiteOrNull(all.rmse()))
        .setWindowRmse(finiteOrNull(window.rmse()))
        .setR2(finiteOrNull(all.r2()))
        .setWindowR2(finiteOrNull(window.r2()))
        .setAccuracy(finiteOrNull(all.accuracy()))
        .setWindowAccuracy(finiteOrNull(window.accuracy()))
        .setLogLoss(finiteOrNull(all.logLoss()))
        .setWindowLogLoss(finiteOrNull(window.logLoss()))
        .setMacroF1(finiteOrNull(all.macroF1()))
        .setWindowMacroF1(finiteOrNull(window.macroF1()))
        .setWindowRocAuc(finiteOrNull(window.rocAuc()))
        .setExpired(learner.labelStats().expired())
        .setDropped(learner.labelStats().dropped())
        .setDelayedLabels(learner.labelStats().applied())
        .setLabelDelayMeanMs(finiteOrNull(learner.labelStats().meanDelayMs()))
        .setLabelDelayP99Ms(finiteOrNull(learner.labelStats().delayPercentileMs(0.99)))
        .setTime(time)
        .build();
  }

  /**
   * A dead letter: why, and where the record came from, with the record itself. A record that was
   * too large keeps only its first KiB; any other keeps at most its first MiB (a rejected warm
   * start may be as large as model.max.bytes), so that the dead letter itself always fits the
   * dead-letter topic's 2 MiB records, and the message says what was cut.
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
    String message = rejection.message();
    if (value != null
        && value.length > TRUNCATED_BYTES
        && rejection.reason() == ReasonCode.RECORD_TOO_LARGE) {
      kept = Arrays.copyOf(value, TRUNCATED_BYTES);
    } else if (value != null && value.length > MAX_KEPT_BYTES) {
      kept = Arrays.copyOf(value, MAX_KEPT_BYTES);
      message +=
          " (the dead letter keeps the first " + MAX_KEPT_BYTES + " of " + value.length + " bytes)";
    }
    return DeadLetter.newBuilder()
        .setReason(rejection.reason().name())
        .setMessage(message)
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
