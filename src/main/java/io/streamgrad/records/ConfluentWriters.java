package io.streamgrad.records;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.EnumMap;
import java.util.Map;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * Writes our output records in the Confluent wire format: the 5-byte header with the id our schema
 * got when it was registered at start, then the Avro binary body. One per thread: it re-uses its
 * buffer and encoder.
 */
public final class ConfluentWriters {
  private final Map<RegistryRecord, Integer> ids;
  private final Map<RegistryRecord, SpecificDatumWriter<SpecificRecordBase>> writers =
      new EnumMap<>(RegistryRecord.class);
  private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);
  private BinaryEncoder encoder;

  /**
   * @param ids the registry id of the current schema of each output type that is written
   */
  public ConfluentWriters(Map<RegistryRecord, Integer> ids) {
    this.ids = Map.copyOf(ids);
  }

  /** The 5-byte header of records of this type. */
  public byte[] header(RegistryRecord type) {
    return ConfluentFraming.header(idOf(type));
  }

  public byte[] encode(SpecificRecordBase record) {
    RegistryRecord type = RegistryRecord.of(record.getSchema());
    if (type == null) {
      throw new IllegalArgumentException(
          "no registry record type for " + record.getSchema().getFullName());
    }
    SpecificDatumWriter<SpecificRecordBase> writer =
        writers.computeIfAbsent(
            type,
            t -> new SpecificDatumWriter<>(t.schema(), SpecificData.getForSchema(t.schema())));
    out.reset();
    out.writeBytes(ConfluentFraming.header(idOf(type)));
    encoder = EncoderFactory.get().directBinaryEncoder(out, encoder);
    try {
      writer.write(record, encoder);
      encoder.flush();
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode " + record.getSchema().getName(), e);
    }
    return out.toByteArray();
  }

  private int idOf(RegistryRecord type) {
    Integer id = ids.get(type);
    if (id == null) {
      throw new IllegalStateException(
          type + " has no registry id: its schema was not registered at start");
    }
    return id;
  }
}
