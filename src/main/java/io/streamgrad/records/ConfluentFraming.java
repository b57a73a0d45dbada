package io.streamgrad.records;

/**
 * The Confluent wire format that Schema Registry serializers write in every language: a zero magic
 * byte, the writer schema's registry id as 4 bytes big-endian, then the Avro binary body. Told
 * apart from single-object encoding (C3 01) and JSON ('{') by its first byte.
 */
public final class ConfluentFraming {
  /** The first byte of every framed record. */
  public static final byte MAGIC = 0;

  /** The magic byte and the schema id: where the Avro body starts. */
  public static final int HEADER_BYTES = 5;

  private ConfluentFraming() {}

  /** True when bytes start with the magic byte and hold a whole header. */
  public static boolean isFramed(byte[] bytes) {
    return bytes != null && bytes.length >= HEADER_BYTES && bytes[0] == MAGIC;
  }

  /** The writer schema's id of a framed record. */
  public static int schemaId(byte[] bytes) {
    return ((bytes[1] & 0xFF) << 24)
        | ((bytes[2] & 0xFF) << 16)
        | ((bytes[3] & 0xFF) << 8)
        | (bytes[4] & 0xFF);
  }

  /** The 5 bytes that start every record written with the schema of this id. */
  public static byte[] header(int schemaId) {
    return new byte[] {
      MAGIC,
      (byte) (schemaId >>> 24),
      (byte) (schemaId >>> 16),
      (byte) (schemaId >>> 8),
      (byte) schemaId
    };
  }
}
