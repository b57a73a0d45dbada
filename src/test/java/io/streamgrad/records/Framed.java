package io.streamgrad.records;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

/**
 * Records in the Confluent wire format built by hand, as a producer in another language writes
 * them, and a registry's id-to-schema table held in memory for tests that need no registry.
 */
final class Framed {
  private Framed() {}

  /** A producer's bytes: magic 0, the id big-endian, the record in its writer schema. */
  static byte[] bytes(int id, GenericRecord record) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0);
    out.write(id >>> 24);
    out.write(id >>> 16);
    out.write(id >>> 8);
    out.write(id);
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    try {
      new GenericDatumWriter<GenericRecord>(record.getSchema()).write(record, encoder);
      encoder.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static Schema schema(String json) {
    return new Schema.Parser().parse(json);
  }

  static GenericRecord record(Schema schema, Map<String, Object> fields) {
    GenericRecord record = new GenericData.Record(schema);
    fields.forEach(record::put);
    return record;
  }

  /** Ids to schemas, counting how often each is asked for. */
  static final class Registry implements SchemaLookup {
    final Map<Integer, Schema> schemas = new HashMap<>();
    final AtomicInteger lookups = new AtomicInteger();

    Registry with(int id, Schema schema) {
      schemas.put(id, schema);
      return this;
    }

    @Override
    public Optional<Schema> writerSchema(int id) {
      lookups.incrementAndGet();
      return Optional.ofNullable(schemas.get(id));
    }
  }
}
