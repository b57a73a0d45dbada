package io.streamgrad.records;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamgrad.avro.DeadLetter;
import io.streamgrad.avro.Event;
import io.streamgrad.avro.LossReport;
import io.streamgrad.avro.Prediction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the output records back, for the dashboard and {@code tail}: Avro single-object encoding,
 * Avro in the Confluent wire format once given a registry ({@link #readingRegistry}), or for loss
 * reports and events also the JSON that {@link OutputEncoder} writes under {@code
 * output.format=json}.
 */
public final class OutputDecoder {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final AvroCodec<Prediction> predictions = new AvroCodec<>(Prediction.getClassSchema());
  private final AvroCodec<LossReport> losses = new AvroCodec<>(LossReport.getClassSchema());
  private final AvroCodec<DeadLetter> deadLetters = new AvroCodec<>(DeadLetter.getClassSchema());
  private final AvroCodec<Event> events = new AvroCodec<>(Event.getClassSchema());
  private final AvroCodec<io.streamgrad.avro.Outcome> outcomes =
      new AvroCodec<>(io.streamgrad.avro.Outcome.getClassSchema());
  private ConfluentWire wire = ConfluentWire.none();
  private ConfluentReader<Prediction> confluentPredictions;
  private ConfluentReader<LossReport> confluentLosses;
  private ConfluentReader<DeadLetter> confluentDeadLetters;
  private ConfluentReader<Event> confluentEvents;
  private ConfluentReader<io.streamgrad.avro.Outcome> confluentOutcomes;

  /**
   * Reads records in the Confluent wire format ({@code output.format=confluent-avro}) too, with
   * writer schemas from the registry of wire.
   */
  public OutputDecoder readingRegistry(ConfluentWire wire) {
    this.wire = wire;
    confluentPredictions = null;
    confluentLosses = null;
    confluentDeadLetters = null;
    confluentEvents = null;
    confluentOutcomes = null;
    return this;
  }

  public Prediction prediction(byte[] avro) {
    if (ConfluentFraming.isFramed(avro)) {
      if (confluentPredictions == null) {
        confluentPredictions = wire.reader(RegistryRecord.PREDICTION);
      }
      return confluentPredictions.decode(avro);
    }
    return predictions.decode(avro);
  }

  public io.streamgrad.avro.Outcome outcome(byte[] avro) {
    if (ConfluentFraming.isFramed(avro)) {
      if (confluentOutcomes == null) {
        confluentOutcomes = wire.reader(RegistryRecord.OUTCOME);
      }
      return confluentOutcomes.decode(avro);
    }
    return outcomes.decode(avro);
  }

  public DeadLetter deadLetter(byte[] avro) {
    if (ConfluentFraming.isFramed(avro)) {
      if (confluentDeadLetters == null) {
        confluentDeadLetters = wire.reader(RegistryRecord.DEAD_LETTER);
      }
      return confluentDeadLetters.decode(avro);
    }
    return deadLetters.decode(avro);
  }

  /** A loss report in any output format. */
  public LossReport lossReport(byte[] value) {
    if (AvroCodec.isSingleObject(value)) {
      return losses.decode(value);
    }
    if (ConfluentFraming.isFramed(value)) {
      if (confluentLosses == null) {
        confluentLosses = wire.reader(RegistryRecord.LOSS_REPORT);
      }
      return confluentLosses.decode(value);
    }
    JsonNode node;
    try {
      node = JSON.readTree(value);
    } catch (IOException e) {
      throw new UncheckedIOException("a loss report that is neither Avro nor JSON", e);
    }
    return LossReport.newBuilder()
        .setModel(node.get("model").asText())
        .setVersion(node.get("version").asInt())
        .setSamples(node.get("samples").asLong())
        .setLabelled(node.get("labelled").asLong())
        .setSteps(node.get("steps").asLong())
        .setRefusedSteps(node.get("refused_steps").asLong())
        .setMeanLoss(number(node, "mean_loss"))
        .setEwmaLoss(number(node, "ewma_loss"))
        .setWindowLoss(number(node, "window_loss"))
        .setErrorRate(number(node, "error_rate"))
        .setWindowErrorRate(number(node, "window_error_rate"))
        .setLearningRate(number(node, "learning_rate"))
        .setMae(number(node, "mae"))
        .setWindowMae(number(node, "window_mae"))
        .setRmse(number(node, "rmse"))
        .setWindowRmse(number(node, "window_rmse"))
        .setR2(number(node, "r2"))
        .setWindowR2(number(node, "window_r2"))
        .setAccuracy(number(node, "accuracy"))
        .setWindowAccuracy(number(node, "window_accuracy"))
        .setLogLoss(number(node, "log_loss"))
        .setWindowLogLoss(number(node, "window_log_loss"))
        .setMacroF1(number(node, "macro_f1"))
        .setWindowMacroF1(number(node, "window_macro_f1"))
        .setWindowRocAuc(number(node, "window_roc_auc"))
        .setPending(node.path("pending").asLong(0))
        .setExpired(node.path("expired").asLong(0))
        .setDropped(node.path("dropped").asLong(0))
        .setDelayedLabels(node.path("delayed_labels").asLong(0))
        .setLabelDelayMeanMs(number(node, "label_delay_mean_ms"))
        .setLabelDelayP99Ms(number(node, "label_delay_p99_ms"))
        .setTime(node.get("time").asLong())
        .build();
  }

  /** An event in any output format. */
  public Event event(byte[] value) {
    if (AvroCodec.isSingleObject(value)) {
      return events.decode(value);
    }
    if (ConfluentFraming.isFramed(value)) {
      if (confluentEvents == null) {
        confluentEvents = wire.reader(RegistryRecord.EVENT);
      }
      return confluentEvents.decode(value);
    }
    JsonNode node;
    try {
      node = JSON.readTree(value);
    } catch (IOException e) {
      throw new UncheckedIOException("an event that is neither Avro nor JSON", e);
    }
    Map<String, Double> evidence = new LinkedHashMap<>();
    node.get("evidence")
        .fields()
        .forEachRemaining(f -> evidence.put(f.getKey(), f.getValue().asDouble()));
    return Event.newBuilder()
        .setModel(node.get("model").asText())
        .setType(node.get("type").asText())
        .setVersion(node.get("version").asInt())
        .setStep(node.get("step").asLong())
        .setSamples(node.get("samples").asLong())
        .setSampleId(text(node, "sample_id"))
        .setDetector(text(node, "detector"))
        .setReaction(text(node, "reaction"))
        .setEvidence(evidence)
        .setMessage(node.get("message").asText())
        .setTime(node.get("time").asLong())
        .build();
  }

  private static String text(JsonNode node, String field) {
    return node.hasNonNull(field) ? node.get(field).asText() : null;
  }

  private static Double number(JsonNode node, String field) {
    return node.hasNonNull(field) ? node.get(field).asDouble() : null;
  }
}
