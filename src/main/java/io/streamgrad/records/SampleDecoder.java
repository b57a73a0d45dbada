package io.streamgrad.records;

import io.streamgrad.learn.ReasonCode;
import io.streamgrad.learn.RejectedException;
import io.streamgrad.learn.Sample;
import io.streamgrad.learn.inputs.FieldNames;
import io.streamgrad.learn.inputs.NamedValues;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Turns the bytes of a record on the samples topic into a {@link Sample}: Avro single-object
 * encoding when they start with C3 01, Avro in the Confluent wire format when they start with 00
 * (see {@link ConfluentReader}), the JSON form (docs/topics.md) when they start with '{'. Anything
 * else is rejected with a reason code. One per thread: it fills its buffers again for each record.
 */
public final class SampleDecoder {
  private final AvroCodec<io.streamgrad.avro.Sample> avro =
      new AvroCodec<>(io.streamgrad.avro.Sample.getClassSchema());

  /**
   * The single-object header of the current Sample schema: C3 01 and its fingerprint,
   * little-endian.
   */
  private static final byte[] CURRENT_HEADER =
      AvroCodec.singleObjectHeader(io.streamgrad.avro.Sample.getClassSchema());

  /** The header of Sample v2 (features always an array): read by the same fast path. */
  private static final byte[] V2_HEADER =
      AvroCodec.singleObjectHeader(
          AvroCodec.releasedSchemas(io.streamgrad.avro.Sample.getClassSchema().getName()).get(1));

  private final boolean reuseFeatures;

  private final SampleJsonReader json = new SampleJsonReader();

  /** Samples in the Confluent wire format: rejected until {@link #readingRegistry} is called. */
  private ConfluentReader<io.streamgrad.avro.Sample> confluent =
      ConfluentWire.none().reader(RegistryRecord.SAMPLE);

  /** The features array of the last sample, filled again by the next one of the same length. */
  private double[] features;

  public SampleDecoder() {
    this(false);
  }

  private SampleDecoder(boolean reuseFeatures) {
    this.reuseFeatures = reuseFeatures;
  }

  /**
   * A decoder that fills one features array again and again (for the current schema), so a decoded
   * sample is only valid until the next decode. Why: at 784 features a fresh array is 6 KB of
   * memory that is not in the cache, and zeroing it costs more than reading the record. For a
   * caller that is done with each sample before decoding the next: the learner.
   */
  public static SampleDecoder reusingFeatures() {
    return new SampleDecoder(true);
  }

  /**
   * Reads samples in the Confluent wire format too, with writer schemas from the registry of wire.
   */
  public SampleDecoder readingRegistry(ConfluentWire wire) {
    this.confluent = wire.reader(RegistryRecord.SAMPLE);
    return this;
  }

  public Sample decode(byte[] bytes) {
    if (bytes == null || bytes.length == 0) {
      throw new RejectedException(
          ReasonCode.UNDECODABLE, "empty value: expected an Avro or JSON sample");
    }
    if (hasHeader(bytes, CURRENT_HEADER)) {
      return decodeFast(bytes, CURRENT_HEADER.length, true);
    }
    if (hasHeader(bytes, V2_HEADER)) {
      return decodeFast(bytes, V2_HEADER.length, false);
    }
    if (ConfluentFraming.isFramed(bytes)) {
      // Written with our current schema (the usual case): the fast reader, after the 5 bytes.
      return confluent.writtenWithReaderSchema(bytes)
          ? decodeFast(bytes, ConfluentFraming.HEADER_BYTES, true)
          : SampleJson.checkWeight(fromAvro(confluent.decode(bytes)));
    }
    if (AvroCodec.isSingleObject(bytes)) {
      return SampleJson.checkWeight(fromAvro(avro.decode(bytes)));
    }
    if (startsLikeJson(bytes)) {
      return SampleJson.parse(json, bytes, 0, bytes.length);
    }
    throw new RejectedException(
        ReasonCode.UNDECODABLE,
        "value starts with neither C3 01 (Avro), 00 (Avro in the Confluent wire format) nor '{'"
            + " (JSON)");
  }

  private static boolean hasHeader(byte[] bytes, byte[] header) {
    if (bytes.length < header.length) {
      return false;
    }
    for (int i = 0; i < header.length; i++) {
      if (bytes[i] != header[i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * The current schema, read field by field straight into double[]: the generic reader would box
   * every feature into a List of Double, which for 784 features costs more than the SGD step. v2
   * differs only in its features, always an array (no union branch); v1 takes the generic path.
   */
  private Sample decodeFast(byte[] bytes, int bodyStart, boolean featuresUnion) {
    try {
      AvroBinaryCursor in = new AvroBinaryCursor(bytes, bodyStart);
      String id = in.readString();
      int featuresBranch = featuresUnion ? in.readInt() : 0;
      double[] features = null;
      java.util.Map<String, Object> named = null;
      if (featuresBranch == 0) {
        features = in.readDoubles(reuseFeatures ? this.features : null);
        if (reuseFeatures) {
          this.features = features;
        }
      } else if (featuresBranch == 1) {
        named = readNamed(in);
      } else {
        throw new IOException("bad union branch " + featuresBranch + " for features");
      }
      double[] label = null;
      int branch = in.readInt();
      if (branch == 1) {
        label = in.readDoubles();
      } else if (branch != 0) {
        throw new IOException("bad union branch " + branch + " for label");
      }
      long eventTime = in.readLong();
      double weight = in.readDouble();
      return SampleJson.checkWeight(new Sample(id, features, label, eventTime, weight, named));
    } catch (RejectedException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new RejectedException(
          ReasonCode.UNDECODABLE, "truncated or corrupt Avro sample: " + e, e);
    }
  }

  /**
   * A map of named values: blocks of a count (negative: its absolute value, then the block's size
   * in bytes) and that many entries, each a key and a value of the union null | double | string |
   * boolean, ended by a count of 0. Read field by field into {@link NamedValues}, with the keys of
   * the last record kept and compared as bytes, as the JSON reader does.
   */
  private java.util.Map<String, Object> readNamed(AvroBinaryCursor in) throws IOException {
    namedValues.clear();
    int field = 0;
    for (long count = in.readLong(); count != 0; count = in.readLong()) {
      if (count < 0) {
        count = -count;
        in.readLong(); // the block's size in bytes
      }
      for (long i = 0; i < count; i++, field++) {
        readKey(in, field);
        int branch = in.readInt();
        switch (branch) {
          case 0 -> namedValues.addNull();
          case 1 -> namedValues.addNumber(in.readDouble());
          case 2 -> namedValues.addText(in.readString());
          case 3 -> namedValues.addBoolean(in.readBoolean());
          default -> throw new IOException("bad union branch " + branch + " for a feature");
        }
      }
    }
    if (keys == null || keys.size() != field) {
      keys = FieldNames.of(keyNames, field);
    }
    return namedValues.build(keys);
  }

  /** The field-th key: the last record's when its bytes are the same, else decoded and kept. */
  private void readKey(AvroBinaryCursor in, int field) throws IOException {
    if (field < keyBytes.length
        && keyBytes[field] != null
        && in.skipStringEqualTo(keyBytes[field])) {
      return;
    }
    String key = in.readString();
    if (field >= keyNames.length) {
      keyNames = java.util.Arrays.copyOf(keyNames, Math.max(16, 2 * field));
      keyBytes = java.util.Arrays.copyOf(keyBytes, keyNames.length);
    }
    keyNames[field] = key;
    keyBytes[field] = key.getBytes(StandardCharsets.UTF_8);
    keys = null;
  }

  /** The keys of the last named Avro sample, in their order, and their UTF-8 bytes. */
  private String[] keyNames = new String[0];

  private byte[][] keyBytes = new byte[0][];

  /** The keys above as the last sample's values carry them; null once one changes. */
  private FieldNames keys;

  private final NamedValues.Builder namedValues = new NamedValues.Builder();

  private final AvroBinaryBuffer out = new AvroBinaryBuffer();

  /**
   * The sample in Avro single-object encoding of the current schema, written field by field: the
   * same bytes as Avro's own encoder (SampleDecoderTest), without boxing every feature.
   */
  public byte[] encodeAvro(Sample sample) {
    out.reset();
    out.writeBytes(CURRENT_HEADER);
    out.writeString(sample.id().getBytes(StandardCharsets.UTF_8));
    if (sample.isNamed()) {
      out.writeLong(1);
      writeNamed(sample.namedFeatures());
    } else {
      out.writeLong(0);
      out.writeDoubles(sample.features());
    }
    if (sample.label() == null) {
      out.writeLong(0);
    } else {
      out.writeLong(1);
      out.writeDoubles(sample.label());
    }
    out.writeLong(sample.eventTime());
    out.writeDouble(sample.weight());
    return out.toByteArray();
  }

  private void writeNamed(java.util.Map<String, Object> named) {
    if (!named.isEmpty()) {
      out.writeLong(named.size());
      for (java.util.Map.Entry<String, Object> field : named.entrySet()) {
        out.writeString(field.getKey().getBytes(StandardCharsets.UTF_8));
        Object value = field.getValue();
        if (value == null) {
          out.writeLong(0);
        } else if (value instanceof Number n) {
          out.writeLong(1);
          out.writeDouble(n.doubleValue());
        } else if (value instanceof Boolean b) {
          out.writeLong(3);
          out.writeBoolean(b);
        } else {
          out.writeLong(2);
          out.writeString(value.toString().getBytes(StandardCharsets.UTF_8));
        }
      }
    }
    out.writeLong(0);
  }

  public static io.streamgrad.avro.Sample toAvro(Sample sample) {
    Object features;
    if (sample.isNamed()) {
      java.util.Map<CharSequence, Object> named = new java.util.LinkedHashMap<>();
      sample.namedFeatures().forEach(named::put);
      features = named;
    } else {
      features = DoubleLists.toList(sample.features());
    }
    return io.streamgrad.avro.Sample.newBuilder()
        .setId(sample.id())
        .setFeatures(features)
        .setLabel(sample.label() == null ? null : DoubleLists.toList(sample.label()))
        .setEventTime(sample.eventTime())
        .setWeight(sample.weight())
        .build();
  }

  /** A generated record (of any released writer schema, resolved to the current one). */
  static Sample fromAvro(io.streamgrad.avro.Sample record) {
    Object features = record.getFeatures();
    double[] array = null;
    java.util.Map<String, Object> named = null;
    if (features instanceof java.util.Map<?, ?> map) {
      named = new java.util.LinkedHashMap<>();
      for (java.util.Map.Entry<?, ?> field : map.entrySet()) {
        Object value = field.getValue();
        named.put(
            field.getKey().toString(),
            value instanceof CharSequence text ? text.toString() : value);
      }
    } else {
      @SuppressWarnings("unchecked") // the union's other branch: an array of doubles
      java.util.List<Double> list = (java.util.List<Double>) features;
      array = DoubleLists.toArray(list);
    }
    return new Sample(
        record.getId().toString(),
        array,
        record.getLabel() == null ? null : DoubleLists.toArray(record.getLabel()),
        record.getEventTime(),
        record.getWeight(),
        named);
  }

  private static boolean startsLikeJson(byte[] bytes) {
    for (byte b : bytes) {
      if (b == '{') {
        return true;
      }
      if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
        return false;
      }
    }
    return false;
  }
}
