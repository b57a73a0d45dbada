package io.streamgrad.records;

import io.streamgrad.nn.Trainer;
import java.nio.charset.StandardCharsets;

/**
 * The UTF-8 bytes of each step outcome's name, the Avro string that predictions and outcomes carry:
 * encoded once, not per record.
 */
final class OutcomeNames {
  private static final byte[][] UTF8 = new byte[Trainer.Outcome.values().length][];

  static {
    for (Trainer.Outcome outcome : Trainer.Outcome.values()) {
      UTF8[outcome.ordinal()] = outcome.name().getBytes(StandardCharsets.UTF_8);
    }
  }

  private OutcomeNames() {}

  static byte[] utf8(Trainer.Outcome outcome) {
    return UTF8[outcome.ordinal()];
  }
}
