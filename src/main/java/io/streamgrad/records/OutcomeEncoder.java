package io.streamgrad.records;

import io.streamgrad.avro.Outcome;
import io.streamgrad.learn.LabelResult;

/**
 * Writes the outcome of an applied late label (docs/topics.md, "streamgrad.outcomes"): Avro
 * single-object encoding, JSON with the same field names under {@code output.format=json}, or the
 * Confluent wire format under {@code output.format=confluent-avro}.
 */
public final class OutcomeEncoder {
  private final OutputFormat format;

  /** Under {@code output.format=confluent-avro}: every outcome goes out in that framing. */
  private final ConfluentWriters confluent;

  /**
   * Avro written straight from the arrays, in the framing of the format; under confluent-avro made
   * at the first outcome, which asks for the id the Outcome schema was registered under.
   */
  private OutcomeWriter writer;

  public OutcomeEncoder(OutputFormat format) {
    this(format, ConfluentWire.none());
  }

  /**
   * @param wire the ids our output schemas were registered under, for {@code
   *     output.format=confluent-avro}
   */
  public OutcomeEncoder(OutputFormat format, ConfluentWire wire) {
    this.format = format;
    this.confluent =
        format == OutputFormat.CONFLUENT_AVRO ? new ConfluentWriters(wire.outputIds()) : null;
    this.writer = confluent == null ? new OutcomeWriter() : null;
  }

  /**
   * The outcome record of an applied label.
   *
   * @param time the label record's time
   */
  public static Outcome outcome(String model, LabelResult result, long time) {
    return Outcome.newBuilder()
        .setModel(model)
        .setSampleId(result.sampleId())
        .setOutputs(DoubleLists.toList(result.served().outputs()))
        .setDecision(result.served().decision())
        .setLabel(DoubleLists.toList(result.label()))
        .setLoss(result.loss())
        .setServedStep(result.served().step())
        .setServedVersion(result.served().version())
        .setTrainedStep(result.trainedStep())
        .setTrainedVersion(result.trainedVersion())
        .setOutcome(result.outcome().name())
        .setDelayMs(result.delayMs())
        .setTime(time)
        .build();
  }

  public byte[] encode(String model, LabelResult result, long time) {
    if (format == OutputFormat.JSON) {
      return OutputEncoder.json(outcome(model, result, time));
    }
    if (writer == null) {
      writer = new OutcomeWriter(confluent.header(RegistryRecord.OUTCOME));
    }
    return writer.write(model, result, time);
  }
}
