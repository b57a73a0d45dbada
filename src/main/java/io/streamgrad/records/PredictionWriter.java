package io.streamgrad.records;

import io.streamgrad.avro.Prediction;
import io.streamgrad.learn.LastLookup;
import io.streamgrad.learn.LearnResult;
import java.nio.charset.StandardCharsets;

/**
 * Writes a {@link LearnResult} as a Prediction record in Avro single-object encoding, field by
 * field from the learner's arrays into one re-used buffer: the same bytes as the generic writer (a
 * test checks it) without a record of boxed doubles, an encoder or a stream in between. One record
 * per sample makes this the hot path: on a small model Avro's buffered encoder is a large share of
 * all our per-record work (BENCHMARKS.md, "Learner path and codecs").
 *
 * <p>The encoding (Avro spec, "Binary Encoding"): int and long as zig-zag varints, double as its 8
 * bytes little-endian, string as its UTF-8 length then bytes, a union as its branch index then the
 * value, an array as one block (count, items) then a count of 0.
 */
final class PredictionWriter {
  private static final byte[] SINGLE_OBJECT_HEADER =
      AvroCodec.singleObjectHeader(Prediction.getClassSchema());

  private final AvroBinaryBuffer out = new AvroBinaryBuffer();

  /** What precedes the body: the single-object header, or the Confluent wire format's. */
  private final byte[] header;

  PredictionWriter() {
    this(SINGLE_OBJECT_HEADER);
  }

  PredictionWriter(byte[] header) {
    this.header = header;
  }

  /** The UTF-8 bytes of the model id: a run of one model's samples encodes it once. */
  private final LastLookup<String, byte[]> modelBytes =
      new LastLookup<>(model -> model.getBytes(StandardCharsets.UTF_8));

  byte[] write(String model, LearnResult result, long time) {
    out.reset();
    out.writeBytes(header);
    out.writeString(modelBytes.get(model));
    out.writeString(result.sampleId().getBytes(StandardCharsets.UTF_8));
    out.writeDoubles(result.outputs());
    if (result.decision() == null) {
      out.writeLong(0);
    } else {
      out.writeLong(1);
      out.writeLong(result.decision());
    }
    if (result.label() == null) {
      out.writeLong(0);
    } else {
      out.writeLong(1);
      out.writeDoubles(result.label());
    }
    if (result.loss() == null || !Double.isFinite(result.loss())) {
      out.writeLong(0);
    } else {
      out.writeLong(1);
      out.writeDouble(result.loss());
    }
    out.writeLong(result.step());
    out.writeLong(result.version());
    if (result.outcome() == null) {
      out.writeLong(0);
    } else {
      out.writeLong(1);
      out.writeString(OutcomeNames.utf8(result.outcome()));
    }
    out.writeLong(time);
    return out.toByteArray();
  }
}
