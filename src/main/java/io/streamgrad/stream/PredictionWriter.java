package io.streamgrad.stream;

import io.streamgrad.avro.Prediction;
import io.streamgrad.learn.LearnResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

/**
 * Writes a {@link LearnResult} as a Prediction record in Avro single-object encoding, field by
 * field from the learner's arrays: the same bytes as the generic writer (a test checks it) without
 * building a record of boxed doubles first. One record per sample makes this the hot path.
 */
final class PredictionWriter {
  private static final byte[] HEADER = AvroCodec.singleObjectHeader(Prediction.getClassSchema());
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(256);
  private BinaryEncoder encoder;

  byte[] write(String model, LearnResult result, long time) {
    buffer.reset();
    buffer.write(HEADER, 0, HEADER.length);
    // Buffered: the direct encoder hands each byte of a varint to ByteArrayOutputStream.write,
    // a synchronized call (10 % of the learner's thread at 8-32-1 went there).
    BinaryEncoder out = EncoderFactory.get().binaryEncoder(buffer, encoder);
    encoder = out;
    try {
      out.writeString(model);
      out.writeString(result.sampleId());
      writeDoubles(out, result.outputs());
      if (result.decision() == null) {
        out.writeIndex(0);
      } else {
        out.writeIndex(1);
        out.writeInt(result.decision());
      }
      if (result.label() == null) {
        out.writeIndex(0);
      } else {
        out.writeIndex(1);
        writeDoubles(out, result.label());
      }
      if (result.loss() == null || !Double.isFinite(result.loss())) {
        out.writeIndex(0);
      } else {
        out.writeIndex(1);
        out.writeDouble(result.loss());
      }
      out.writeLong(result.step());
      out.writeInt(result.version());
      if (result.outcome() == null) {
        out.writeIndex(0);
      } else {
        out.writeIndex(1);
        out.writeString(result.outcome().name());
      }
      out.writeLong(time);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return buffer.toByteArray();
  }

  private static void writeDoubles(BinaryEncoder out, double[] values) throws IOException {
    out.writeArrayStart();
    out.setItemCount(values.length);
    for (double value : values) {
      out.startItem();
      out.writeDouble(value);
    }
    out.writeArrayEnd();
  }
}
