package io.streamgrad.records;

import io.streamgrad.learn.ReasonCode;
import io.streamgrad.learn.RejectedException;
import io.streamgrad.learn.Rejection;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * Reads records of one type in the Confluent wire format: the writer schema is looked up by its id
 * once, checked against our reader schema by Avro's schema resolution, and the resolving reader is
 * kept per id (at most {@code capacity} ids, least recently used out), so a stream of records costs
 * no registry call per record. A producer may thus write an older or newer compatible version of
 * the schema (fields in another order, extra fields, missing fields with defaults).
 *
 * <p>An id the registry does not know is {@code UNKNOWN_SCHEMA_ID}, a writer schema ours cannot
 * resolve is {@code UNRESOLVABLE_SCHEMA}, a body that does not decode under its writer schema is
 * {@code UNDECODABLE}; a registry that cannot be asked throws {@link SchemaUnavailableException},
 * which is no fault of the record. One per thread: it re-uses its decoder.
 */
public final class ConfluentReader<T extends SpecificRecordBase> {
  private final Schema reader;
  private final long readerFingerprint;
  private final SchemaLookup lookup;
  private final Map<Integer, Resolution<T>> resolved;
  private BinaryDecoder decoder;
  private int lastId;
  private Resolution<T> last;

  /** What one writer schema id came to: a resolving reader, or why its records are rejected. */
  private record Resolution<T>(
      SpecificDatumReader<T> reader, boolean writtenWithReaderSchema, Rejection rejection) {}

  /**
   * @param lookup where writer schemas come from, or null when no registry is configured (every
   *     framed record is then rejected, saying so)
   */
  public ConfluentReader(RegistryRecord type, SchemaLookup lookup, int capacity) {
    this.reader = type.schema();
    this.readerFingerprint = SchemaNormalization.parsingFingerprint64(reader);
    this.lookup = lookup;
    this.resolved =
        new LinkedHashMap<>(16, 0.75f, true) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<Integer, Resolution<T>> eldest) {
            return size() > capacity;
          }
        };
  }

  /**
   * True when the record was written with exactly our schema (same parsing canonical form), so a
   * caller may read its body at {@link ConfluentFraming#HEADER_BYTES} with a hand-written reader of
   * that schema.
   *
   * @throws RejectedException as {@link #decode}, for an id that cannot be used
   */
  public boolean writtenWithReaderSchema(byte[] bytes) {
    Resolution<T> resolution = resolution(ConfluentFraming.schemaId(bytes));
    return resolution.writtenWithReaderSchema();
  }

  /** The record, resolved to our schema. */
  public T decode(byte[] bytes) {
    int id = ConfluentFraming.schemaId(bytes);
    Resolution<T> resolution = resolution(id);
    int length = bytes.length - ConfluentFraming.HEADER_BYTES;
    decoder =
        DecoderFactory.get().binaryDecoder(bytes, ConfluentFraming.HEADER_BYTES, length, decoder);
    try {
      T record = resolution.reader().read(null, decoder);
      if (!decoder.isEnd()) {
        throw new IOException("bytes left over after the record");
      }
      return record;
    } catch (IOException
        | AvroRuntimeException
        | IndexOutOfBoundsException
        | NegativeArraySizeException
        | ClassCastException e) {
      throw new RejectedException(
          ReasonCode.UNDECODABLE,
          "the body does not decode under its writer schema (registry id "
              + id
              + ", "
              + reader.getName()
              + "): "
              + e,
          e);
    }
  }

  private Resolution<T> resolution(int id) {
    // A topic's records mostly share one writer schema: the last id skips the map (and its boxing
    // and access-order bookkeeping) for a run of them.
    Resolution<T> resolution = id == lastId ? last : null;
    if (resolution == null) {
      resolution = resolved.get(id);
      if (resolution == null) {
        resolution = resolve(id); // a SchemaUnavailableException caches nothing: asked again later
        resolved.put(id, resolution);
      }
      lastId = id;
      last = resolution;
    }
    if (resolution.rejection() != null) {
      throw new RejectedException(
          resolution.rejection().reason(), resolution.rejection().message());
    }
    return resolution;
  }

  private Resolution<T> resolve(int id) {
    if (lookup == null) {
      return rejected(
          ReasonCode.UNKNOWN_SCHEMA_ID,
          "Confluent wire format (magic byte 0, schema id "
              + id
              + ") but no schema registry is configured: set schema.registry.url");
    }
    Optional<Schema> writer;
    try {
      writer = lookup.writerSchema(id);
    } catch (IllegalArgumentException e) {
      return rejected(
          ReasonCode.UNRESOLVABLE_SCHEMA,
          "schema id " + id + " in the registry is no Avro schema: " + e.getMessage());
    }
    if (writer.isEmpty()) {
      return rejected(
          ReasonCode.UNKNOWN_SCHEMA_ID, "schema id " + id + " is not in the schema registry");
    }
    SchemaCompatibility.SchemaPairCompatibility compatibility =
        SchemaCompatibility.checkReaderWriterCompatibility(reader, writer.get());
    if (compatibility.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
      return rejected(
          ReasonCode.UNRESOLVABLE_SCHEMA,
          "the writer schema of registry id "
              + id
              + " ("
              + writer.get().getFullName()
              + ") cannot be read as "
              + reader.getFullName()
              + ": "
              + compatibility.getResult().getIncompatibilities().stream()
                  .map(i -> i.getType() + " at " + i.getLocation() + " (" + i.getMessage() + ")")
                  .toList());
    }
    SpecificDatumReader<T> datumReader =
        new SpecificDatumReader<>(writer.get(), reader, SpecificData.getForSchema(reader));
    boolean same = SchemaNormalization.parsingFingerprint64(writer.get()) == readerFingerprint;
    return new Resolution<>(datumReader, same, null);
  }

  private static <T> Resolution<T> rejected(ReasonCode reason, String message) {
    return new Resolution<>(null, false, new Rejection(reason, message));
  }
}
