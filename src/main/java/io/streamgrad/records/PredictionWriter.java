package io.streamgrad.records;

import io.streamgrad.avro.Prediction;
import io.streamgrad.learn.LastLookup;
import io.streamgrad.learn.LearnResult;
import io.streamgrad.nn.Trainer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

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
  private static final byte[] HEADER = AvroCodec.singleObjectHeader(Prediction.getClassSchema());
  private static final byte[][] OUTCOMES = new byte[Trainer.Outcome.values().length][];

  static {
    for (Trainer.Outcome outcome : Trainer.Outcome.values()) {
      OUTCOMES[outcome.ordinal()] = outcome.name().getBytes(StandardCharsets.UTF_8);
    }
  }

  private byte[] buffer = new byte[256];
  private int position;

  /** The UTF-8 bytes of the model id: a run of one model's samples encodes it once. */
  private final LastLookup<String, byte[]> modelBytes =
      new LastLookup<>(model -> model.getBytes(StandardCharsets.UTF_8));

  byte[] write(String model, LearnResult result, long time) {
    position = 0;
    writeBytes(HEADER);
    writeString(modelBytes.get(model));
    writeString(result.sampleId().getBytes(StandardCharsets.UTF_8));
    writeDoubles(result.outputs());
    if (result.decision() == null) {
      writeLong(0);
    } else {
      writeLong(1);
      writeLong(result.decision());
    }
    if (result.label() == null) {
      writeLong(0);
    } else {
      writeLong(1);
      writeDoubles(result.label());
    }
    if (result.loss() == null || !Double.isFinite(result.loss())) {
      writeLong(0);
    } else {
      writeLong(1);
      writeDouble(result.loss());
    }
    writeLong(result.step());
    writeLong(result.version());
    if (result.outcome() == null) {
      writeLong(0);
    } else {
      writeLong(1);
      writeString(OUTCOMES[result.outcome().ordinal()]);
    }
    writeLong(time);
    return Arrays.copyOf(buffer, position);
  }

  private void writeDoubles(double[] values) {
    if (values.length > 0) {
      writeLong(values.length);
      ensure(8L * values.length);
      for (double value : values) {
        writeDouble(value);
      }
    }
    writeLong(0);
  }

  private void writeString(byte[] utf8) {
    writeLong(utf8.length);
    writeBytes(utf8);
  }

  private void writeBytes(byte[] bytes) {
    ensure(bytes.length);
    System.arraycopy(bytes, 0, buffer, position, bytes.length);
    position += bytes.length;
  }

  /** An int is written as the long of the same value: the zig-zag varint is the same. */
  private void writeLong(long value) {
    ensure(10);
    long zigzag = (value << 1) ^ (value >> 63);
    while ((zigzag & ~0x7FL) != 0) {
      buffer[position++] = (byte) ((zigzag & 0x7F) | 0x80);
      zigzag >>>= 7;
    }
    buffer[position++] = (byte) zigzag;
  }

  private void writeDouble(double value) {
    ensure(8);
    long bits = Double.doubleToRawLongBits(value);
    for (int k = 0; k < 8; k++) {
      buffer[position++] = (byte) (bits >>> (8 * k));
    }
  }

  private void ensure(long more) {
    if (position + more > buffer.length) {
      buffer = Arrays.copyOf(buffer, (int) Math.max(2L * buffer.length, position + more));
    }
  }
}
