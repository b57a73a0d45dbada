package io.streamgrad.records;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamgrad.avro.DeadLetter;
import io.streamgrad.avro.LossReport;
import io.streamgrad.avro.Prediction;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Reads the output records back, for the dashboard and {@code tail}: Avro single-object encoding,
 * or for loss reports also the JSON that {@link OutputEncoder} writes under {@code
 * output.format=json}.
 */
public final class OutputDecoder {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final AvroCodec<Prediction> predictions = new AvroCodec<>(Prediction.getClassSchema());
  private final AvroCodec<LossReport> losses = new AvroCodec<>(LossReport.getClassSchema());
  private final AvroCodec<DeadLetter> deadLetters = new AvroCodec<>(DeadLetter.getClassSchema());

  public Prediction prediction(byte[] avro) {
    return predictions.decode(avro);
  }

  public DeadLetter deadLetter(byte[] avro) {
    return deadLetters.decode(avro);
  }

  /** A loss report in either output format. */
  public LossReport lossReport(byte[] value) {
    if (AvroCodec.isSingleObject(value)) {
      return losses.decode(value);
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
        .setTime(node.get("time").asLong())
        .build();
  }

  private static Double number(JsonNode node, String field) {
    return node.hasNonNull(field) ? node.get(field).asDouble() : null;
  }
}
