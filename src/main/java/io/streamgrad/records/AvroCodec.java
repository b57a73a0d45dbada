package io.streamgrad.records;

import io.streamgrad.learn.ReasonCode;
import io.streamgrad.learn.RejectedException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * Avro single-object encoding (C3 01, an 8-byte schema fingerprint, the body) for one generated
 * record type, with every released writer schema of that type registered, so records written by
 * older versions still decode. No schema registry is needed.
 */
public final class AvroCodec<T extends SpecificRecordBase> {
  private final BinaryMessageEncoder<T> encoder;
  private final BinaryMessageDecoder<T> decoder;

  public AvroCodec(Schema schema) {
    SpecificData data = SpecificData.getForSchema(schema);
    this.encoder = new BinaryMessageEncoder<>(data, schema);
    this.decoder = new BinaryMessageDecoder<>(data, schema);
    for (Schema old : releasedSchemas(schema.getName())) {
      decoder.addSchema(old);
    }
  }

  /** The schemas kept under schemas/history (NAME-v1.avsc, NAME-v2.avsc, ...) on the classpath. */
  public static java.util.List<Schema> releasedSchemas(String name) {
    java.util.List<Schema> schemas = new java.util.ArrayList<>();
    for (int v = 1; ; v++) {
      try (InputStream in =
          AvroCodec.class.getResourceAsStream("/schemas/history/" + name + "-v" + v + ".avsc")) {
        if (in == null) {
          return schemas;
        }
        schemas.add(
            new Schema.Parser().parse(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
      } catch (IOException e) {
        throw new IllegalStateException("cannot read released schema " + name + " v" + v, e);
      }
    }
  }

  public byte[] encode(T record) {
    try {
      ByteBuffer buffer = encoder.encode(record);
      byte[] bytes = new byte[buffer.remaining()];
      buffer.get(bytes);
      return bytes;
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode " + record.getSchema().getName(), e);
    }
  }

  /**
   * @throws RejectedException UNKNOWN_SCHEMA for an unknown fingerprint, UNDECODABLE otherwise
   */
  public T decode(byte[] bytes) {
    try {
      return decoder.decode(bytes);
    } catch (MissingSchemaException e) {
      throw new RejectedException(
          ReasonCode.UNKNOWN_SCHEMA,
          "Avro record with an unknown schema fingerprint: " + e.getMessage(),
          e);
    } catch (BadHeaderException e) {
      throw new RejectedException(
          ReasonCode.UNDECODABLE, "not Avro single-object encoding: " + e.getMessage(), e);
    } catch (IOException
        | AvroRuntimeException
        | IndexOutOfBoundsException
        | NegativeArraySizeException e) {
      throw new RejectedException(
          ReasonCode.UNDECODABLE, "truncated or corrupt Avro record: " + e, e);
    }
  }

  /**
   * The 10 bytes that start every single-object record of schema: C3 01, then its CRC-64-AVRO
   * fingerprint, little-endian.
   */
  static byte[] singleObjectHeader(Schema schema) {
    long fingerprint = org.apache.avro.SchemaNormalization.parsingFingerprint64(schema);
    byte[] header = new byte[10];
    header[0] = (byte) 0xC3;
    header[1] = (byte) 0x01;
    for (int i = 0; i < 8; i++) {
      header[2 + i] = (byte) (fingerprint >>> (8 * i));
    }
    return header;
  }

  /** True when bytes start with the single-object encoding's marker C3 01. */
  public static boolean isSingleObject(byte[] bytes) {
    return bytes.length >= 2 && bytes[0] == (byte) 0xC3 && bytes[1] == (byte) 0x01;
  }
}
