package io.streamgrad.records;

import io.streamgrad.avro.DeadLetter;
import io.streamgrad.avro.Event;
import io.streamgrad.avro.Label;
import io.streamgrad.avro.LossReport;
import io.streamgrad.avro.ModelSpec;
import io.streamgrad.avro.Outcome;
import io.streamgrad.avro.Prediction;
import io.streamgrad.avro.Sample;
import org.apache.avro.Schema;

/**
 * Every record type that crosses a topic in the Confluent wire format, with the schema Streamgrad
 * reads it with (inputs) or writes it with and registers (outputs). A new record type is one line
 * here; {@link ConfluentReader} and {@link ConfluentWriters} need nothing else.
 */
public enum RegistryRecord {
  SAMPLE(Sample.getClassSchema()),
  MODEL_SPEC(ModelSpec.getClassSchema()),
  PREDICTION(Prediction.getClassSchema()),
  LOSS_REPORT(LossReport.getClassSchema()),
  EVENT(Event.getClassSchema()),
  DEAD_LETTER(DeadLetter.getClassSchema()),
  LABEL(Label.getClassSchema()),
  OUTCOME(Outcome.getClassSchema());

  private final Schema schema;

  RegistryRecord(Schema schema) {
    this.schema = schema;
  }

  /** The current schema of this type: the reader schema of inputs, the writer schema of outputs. */
  public Schema schema() {
    return schema;
  }

  /** The type whose current schema has this full name, or null. */
  static RegistryRecord of(Schema schema) {
    for (RegistryRecord type : values()) {
      if (type.schema.getFullName().equals(schema.getFullName())) {
        return type;
      }
    }
    return null;
  }
}
