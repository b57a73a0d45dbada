package io.streamgrad.records;

/** How output records are written: Avro single-object encoding, or JSON with the same fields. */
public enum OutputFormat {
  AVRO,
  JSON
}
