package io.streamgrad.records;

import io.streamgrad.avro.Outcome;
import io.streamgrad.learn.LabelResult;
import io.streamgrad.learn.LastLookup;
import java.nio.charset.StandardCharsets;

/**
 * Writes a {@link LabelResult} as an Outcome record in Avro, field by field from the arrays into
 * one re-used buffer, as {@link PredictionWriter} writes predictions: the same bytes as the generic
 * writer (a test checks it) without a record of boxed doubles in between. One outcome per applied
 * label makes it part of every delayed sample's cost (BENCHMARKS.md, "Delayed labels").
 */
final class OutcomeWriter {
  private static final byte[] SINGLE_OBJECT_HEADER =
      AvroCodec.singleObjectHeader(Outcome.getClassSchema());

  private final AvroBinaryBuffer out = new AvroBinaryBuffer();

  /** What precedes the body: the single-object header, or the Confluent wire format's. */
  private final byte[] header;

  /** The UTF-8 bytes of the model id: a run of one model's labels encodes it once. */
  private final LastLookup<String, byte[]> modelBytes =
      new LastLookup<>(model -> model.getBytes(StandardCharsets.UTF_8));

  OutcomeWriter() {
    this(SINGLE_OBJECT_HEADER);
  }

  OutcomeWriter(byte[] header) {
    this.header = header;
  }

  byte[] write(String model, LabelResult result, long time) {
    out.reset();
    out.writeBytes(header);
    out.writeString(modelBytes.get(model));
    out.writeString(result.sampleId().getBytes(StandardCharsets.UTF_8));
    out.writeDoubles(result.served().outputs());
    Integer decision = result.served().decision();
    if (decision == null) {
      out.writeLong(0);
    } else {
      out.writeLong(1);
      out.writeLong(decision);
    }
    out.writeDoubles(result.label());
    if (result.loss() == null) {
      out.writeLong(0);
    } else {
      out.writeLong(1);
      out.writeDouble(result.loss());
    }
    out.writeLong(result.served().step());
    out.writeLong(result.served().version());
    out.writeLong(result.trainedStep());
    out.writeLong(result.trainedVersion());
    out.writeString(OutcomeNames.utf8(result.outcome()));
    out.writeLong(result.delayMs());
    out.writeLong(time);
    return out.toByteArray();
  }
}
