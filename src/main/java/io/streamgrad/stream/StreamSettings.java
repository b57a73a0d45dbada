package io.streamgrad.stream;

import io.streamgrad.learn.ModelSpec;
import io.streamgrad.learn.StatsSettings;
import io.streamgrad.records.OutputFormat;

/**
 * What the topology needs to know, resolved from configuration by the app: topic names, output
 * format, loss-report cadence, the default spec, the running-statistics settings.
 *
 * @param defaultSpec the spec for samples of a model that has none, or null to dead-letter them
 * @param maxRecordBytes input records larger than this go to the dead-letter topic
 * @param unknownModelWaitMs how long a sample of a model without a spec (and no default spec) waits
 *     for its spec before it goes to the dead-letter topic; 0: at once
 * @param unknownModelWaitMaxBytes the most bytes of such samples one task keeps waiting
 * @param eventsTopic where model events go (spec applied, reset, deleted; drift; divergence)
 * @param labels the labels and outcomes topics, and the bound of the pending store
 */
public record StreamSettings(
    String samplesTopic,
    String modelsTopic,
    String predictionsTopic,
    String lossTopic,
    String deadLettersTopic,
    OutputFormat outputFormat,
    int lossEverySamples,
    long lossEveryMs,
    ModelSpec defaultSpec,
    StatsSettings stats,
    int maxRecordBytes,
    int maxModelBytes,
    long unknownModelWaitMs,
    long unknownModelWaitMaxBytes,
    String eventsTopic,
    LabelSettings labels) {

  public static final String STORE = "models";

  /** The store of samples waiting for their labels, and labels waiting for their samples. */
  public static final String PENDING_STORE = "pending-labels";

  /** Settings with the default labels and outcomes topics and pending bound. */
  public StreamSettings(
      String samplesTopic,
      String modelsTopic,
      String predictionsTopic,
      String lossTopic,
      String deadLettersTopic,
      OutputFormat outputFormat,
      int lossEverySamples,
      long lossEveryMs,
      ModelSpec defaultSpec,
      StatsSettings stats,
      int maxRecordBytes,
      int maxModelBytes,
      long unknownModelWaitMs,
      long unknownModelWaitMaxBytes,
      String eventsTopic) {
    this(
        samplesTopic,
        modelsTopic,
        predictionsTopic,
        lossTopic,
        deadLettersTopic,
        outputFormat,
        lossEverySamples,
        lossEveryMs,
        defaultSpec,
        stats,
        maxRecordBytes,
        maxModelBytes,
        unknownModelWaitMs,
        unknownModelWaitMaxBytes,
        eventsTopic,
        LabelSettings.DEFAULT);
  }

  public StreamSettings withLabels(LabelSettings newLabels) {
    return new StreamSettings(
        samplesTopic,
        modelsTopic,
        predictionsTopic,
        lossTopic,
        deadLettersTopic,
        outputFormat,
        lossEverySamples,
        lossEveryMs,
        defaultSpec,
        stats,
        maxRecordBytes,
        maxModelBytes,
        unknownModelWaitMs,
        unknownModelWaitMaxBytes,
        eventsTopic,
        newLabels);
  }

  /** The store of samples waiting for their model's spec (see WaitingRoom). */
  public static final String WAITING_STORE = "waiting-samples";

  public static StreamSettings defaults() {
    return new StreamSettings(
        "streamgrad.samples",
        "streamgrad.models",
        "streamgrad.predictions",
        "streamgrad.loss",
        "streamgrad.dead-letters",
        OutputFormat.AVRO,
        100,
        1000,
        null,
        StatsSettings.DEFAULT,
        1_000_000,
        16 * 1024 * 1024,
        60_000,
        64L * 1024 * 1024,
        "streamgrad.events");
  }

  public StreamSettings withDefaultSpec(ModelSpec spec) {
    return new StreamSettings(
        samplesTopic,
        modelsTopic,
        predictionsTopic,
        lossTopic,
        deadLettersTopic,
        outputFormat,
        lossEverySamples,
        lossEveryMs,
        spec,
        stats,
        maxRecordBytes,
        maxModelBytes,
        unknownModelWaitMs,
        unknownModelWaitMaxBytes,
        eventsTopic,
        labels);
  }

  public StreamSettings withOutputFormat(OutputFormat format) {
    return new StreamSettings(
        samplesTopic,
        modelsTopic,
        predictionsTopic,
        lossTopic,
        deadLettersTopic,
        format,
        lossEverySamples,
        lossEveryMs,
        defaultSpec,
        stats,
        maxRecordBytes,
        maxModelBytes,
        unknownModelWaitMs,
        unknownModelWaitMaxBytes,
        eventsTopic,
        labels);
  }

  public StreamSettings withLossCadence(int everySamples, long everyMs) {
    return new StreamSettings(
        samplesTopic,
        modelsTopic,
        predictionsTopic,
        lossTopic,
        deadLettersTopic,
        outputFormat,
        everySamples,
        everyMs,
        defaultSpec,
        stats,
        maxRecordBytes,
        maxModelBytes,
        unknownModelWaitMs,
        unknownModelWaitMaxBytes,
        eventsTopic,
        labels);
  }

  public StreamSettings withUnknownModelWait(long waitMs, long maxBytes) {
    return new StreamSettings(
        samplesTopic,
        modelsTopic,
        predictionsTopic,
        lossTopic,
        deadLettersTopic,
        outputFormat,
        lossEverySamples,
        lossEveryMs,
        defaultSpec,
        stats,
        maxRecordBytes,
        maxModelBytes,
        waitMs,
        maxBytes,
        eventsTopic,
        labels);
  }

  public StreamSettings withEventsTopic(String topic) {
    return new StreamSettings(
        samplesTopic,
        modelsTopic,
        predictionsTopic,
        lossTopic,
        deadLettersTopic,
        outputFormat,
        lossEverySamples,
        lossEveryMs,
        defaultSpec,
        stats,
        maxRecordBytes,
        maxModelBytes,
        unknownModelWaitMs,
        unknownModelWaitMaxBytes,
        topic,
        labels);
  }
}
