package io.streamgrad.http;

import org.apache.kafka.streams.processor.internals.ProcessorContextUtils;

/** A deliberate use of Kafka internals outside the stores, which LayersTest must catch. */
public final class InternalsOutsideTheStores {
  private InternalsOutsideTheStores() {}

  static String name() {
    return ProcessorContextUtils.class.getName();
  }
}
