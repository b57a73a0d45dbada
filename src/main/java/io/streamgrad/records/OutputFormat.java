package io.streamgrad.records;

/**
 * How output records are written: Avro single-object encoding, JSON with the same fields, or Avro
 * in the Confluent wire format with our schemas registered in a schema registry.
 */
public enum OutputFormat {
  AVRO,
  JSON,
  CONFLUENT_AVRO
}
