package io.streamgrad.records;

import io.streamgrad.learn.ReasonCode;
import io.streamgrad.learn.RejectedException;
import io.streamgrad.learn.Sample;
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
    if (hasCurrentHeader(bytes)) {
      return decodeCurrent(bytes, CURRENT_HEADER.length);
    }
    if (ConfluentFraming.isFramed(bytes)) {
      // Written with our current schema (the usual case): the fast reader, after the 5 bytes.
      return confluent.writtenWithReaderSchema(bytes)
          ? decodeCurrent(bytes, ConfluentFraming.HEADER_BYTES)
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

  private static boolean hasCurrentHeader(byte[] bytes) {
    if (bytes.length < CURRENT_HEADER.length) {
      return false;
    }
    for (int i = 0; i < CURRENT_HEADER.length; i++) {
      if (bytes[i] != CURRENT_HEADER[i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * The current schema, read field by field straight into double[]: the generic reader would box
   * every feature into a List of Double, which for 784 features costs more than the SGD step. Older
   * writer schemas take the generic path.
   */
  private Sample decodeCurrent(byte[] bytes, int bodyStart) {
    try {
      AvroBinaryCursor in = new AvroBinaryCursor(bytes, bodyStart);
      String id = in.readString();
      double[] features = in.readDoubles(reuseFeatures ? this.features : null);
      if (reuseFeatures) {
        this.features = features;
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
      return SampleJson.checkWeight(new Sample(id, features, label, eventTime, weight));
    } catch (RejectedException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new RejectedException(
          ReasonCode.UNDECODABLE, "truncated or corrupt Avro sample: " + e, e);
    }
  }

  private final AvroBinaryBuffer out = new AvroBinaryBuffer();

  /**
   * The sample in Avro single-object encoding of the current schema, written field by field: the
   * same bytes as Avro's own encoder (SampleDecoderTest), without boxing every feature.
   */
  public byte[] encodeAvro(Sample sample) {
    out.reset();
    out.writeBytes(CURRENT_HEADER);
    out.writeString(sample.id().getBytes(StandardCharsets.UTF_8));
    out.writeDoubles(sample.features());
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

  public static io.streamgrad.avro.Sample toAvro(Sample sample) {
    return io.streamgrad.avro.Sample.newBuilder()
        .setId(sample.id())
        .setFeatures(DoubleLists.toList(sample.features()))
        .setLabel(sample.label() == null ? null : DoubleLists.toList(sample.label()))
        .setEventTime(sample.eventTime())
        .setWeight(sample.weight())
        .build();
  }

  /** A generated record (of any released writer schema, resolved to the current one). */
  static Sample fromAvro(io.streamgrad.avro.Sample record) {
    return new Sample(
        record.getId().toString(),
        DoubleLists.toArray(record.getFeatures()),
        record.getLabel() == null ? null : DoubleLists.toArray(record.getLabel()),
        record.getEventTime(),
        record.getWeight());
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
