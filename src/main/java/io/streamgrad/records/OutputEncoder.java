package io.streamgrad.records;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamgrad.avro.DeadLetter;
import io.streamgrad.avro.Event;
import io.streamgrad.avro.LossReport;
import io.streamgrad.avro.Prediction;
import io.streamgrad.learn.LearnResult;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * Writes output records as Avro single-object encoding, or as JSON objects with the same field
 * names for consumers without Avro ({@code output.format=json}; bytes in base64), or as Avro in the
 * Confluent wire format ({@code output.format=confluent-avro}, see {@link ConfluentWriters}).
 */
public final class OutputEncoder {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final OutputFormat format;
  private final AvroCodec<Prediction> predictions = new AvroCodec<>(Prediction.getClassSchema());
  private final AvroCodec<LossReport> losses = new AvroCodec<>(LossReport.getClassSchema());
  private final AvroCodec<DeadLetter> deadLetters = new AvroCodec<>(DeadLetter.getClassSchema());
  private final AvroCodec<Event> events = new AvroCodec<>(Event.getClassSchema());
  private final PredictionWriter predictionWriter;

  /** Under {@code output.format=confluent-avro}: every record goes out in that framing. */
  private final ConfluentWriters confluent;

  public OutputEncoder(OutputFormat format) {
    this(format, ConfluentWire.none());
  }

  /**
   * @param wire the ids our output schemas were registered under, for {@link
   *     OutputFormat#CONFLUENT_AVRO}
   */
  public OutputEncoder(OutputFormat format, ConfluentWire wire) {
    this.format = format;
    this.confluent =
        format == OutputFormat.CONFLUENT_AVRO ? new ConfluentWriters(wire.outputIds()) : null;
    this.predictionWriter =
        confluent == null
            ? new PredictionWriter()
            : new PredictionWriter(confluent.header(RegistryRecord.PREDICTION));
  }

  public byte[] encode(Prediction record) {
    if (confluent != null) {
      return confluent.encode(record);
    }
    return format == OutputFormat.JSON ? json(record) : predictions.encode(record);
  }

  /** The prediction of one learned sample: Avro written straight from the arrays, or JSON. */
  public byte[] encodePrediction(String model, LearnResult result, long time) {
    return format == OutputFormat.JSON
        ? json(OutputRecords.prediction(model, result, time))
        : predictionWriter.write(model, result, time);
  }

  public byte[] encode(LossReport record) {
    if (confluent != null) {
      return confluent.encode(record);
    }
    return format == OutputFormat.JSON ? json(record) : losses.encode(record);
  }

  public byte[] encode(DeadLetter record) {
    if (confluent != null) {
      return confluent.encode(record);
    }
    return format == OutputFormat.JSON ? json(record) : deadLetters.encode(record);
  }

  public byte[] encode(Event record) {
    if (confluent != null) {
      return confluent.encode(record);
    }
    return format == OutputFormat.JSON ? json(record) : events.encode(record);
  }

  /** The JSON form of any of our records: field by field, nulls kept. */
  public static byte[] json(SpecificRecordBase record) {
    ObjectNode node = JSON.createObjectNode();
    for (Schema.Field field : record.getSchema().getFields()) {
      Object value = record.get(field.pos());
      String name = field.name();
      if (value == null) {
        node.putNull(name);
      } else if (value instanceof List<?> list) {
        ArrayNode array = node.putArray(name);
        for (Object item : list) {
          array.add(((Number) item).doubleValue());
        }
      } else if (value instanceof Map<?, ?> map) {
        ObjectNode object = node.putObject(name);
        map.forEach((key, item) -> object.put(key.toString(), ((Number) item).doubleValue()));
      } else if (value instanceof ByteBuffer bytes) {
        byte[] copy = new byte[bytes.remaining()];
        bytes.duplicate().get(copy);
        node.put(name, Base64.getEncoder().encodeToString(copy));
      } else if (value instanceof Integer i) {
        node.put(name, i);
      } else if (value instanceof Long l) {
        node.put(name, l);
      } else if (value instanceof Double d) {
        node.put(name, d);
      } else {
        node.put(name, value.toString());
      }
    }
    try {
      return JSON.writeValueAsBytes(node);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
