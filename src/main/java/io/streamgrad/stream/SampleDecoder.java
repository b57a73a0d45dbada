package io.streamgrad.stream;

import io.streamgrad.learn.ReasonCode;
import io.streamgrad.learn.RejectedException;
import io.streamgrad.learn.Sample;
import io.streamgrad.learn.SampleJson;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Turns the bytes of a record on the samples topic into a {@link Sample}: Avro single-object
 * encoding when they start with C3 01, the JSON form of DESIGN §3 when they start with '{'.
 * Anything else is rejected with a reason code.
 */
public final class SampleDecoder {
  private final AvroCodec<io.streamgrad.avro.Sample> avro =
      new AvroCodec<>(io.streamgrad.avro.Sample.getClassSchema());

  public Sample decode(byte[] bytes) {
    if (bytes == null || bytes.length == 0) {
      throw new RejectedException(ReasonCode.UNDECODABLE, "empty value: expected an Avro or JSON sample");
    }
    if (AvroCodec.isSingleObject(bytes)) {
      io.streamgrad.avro.Sample record = avro.decode(bytes);
      return new Sample(record.getId(), toArray(record.getFeatures()),
          record.getLabel() == null ? null : toArray(record.getLabel()), record.getEventTime());
    }
    if (startsLikeJson(bytes)) {
      return SampleJson.parse(new String(bytes, StandardCharsets.UTF_8));
    }
    throw new RejectedException(ReasonCode.UNDECODABLE, "value starts with neither C3 01 (Avro) nor '{' (JSON)");
  }

  public byte[] encodeAvro(Sample sample) {
    return avro.encode(toAvro(sample));
  }

  public static io.streamgrad.avro.Sample toAvro(Sample sample) {
    return io.streamgrad.avro.Sample.newBuilder()
        .setId(sample.id())
        .setFeatures(toList(sample.features()))
        .setLabel(sample.label() == null ? null : toList(sample.label()))
        .setEventTime(sample.eventTime())
        .build();
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

  static double[] toArray(List<Double> values) {
    double[] array = new double[values.size()];
    for (int i = 0; i < array.length; i++) {
      array[i] = values.get(i);
    }
    return array;
  }

  static List<Double> toList(double[] values) {
    Double[] boxed = new Double[values.length];
    for (int i = 0; i < values.length; i++) {
      boxed[i] = values[i];
    }
    return java.util.Arrays.asList(boxed);
  }
}
