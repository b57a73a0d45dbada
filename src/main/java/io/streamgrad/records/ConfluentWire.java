package io.streamgrad.records;

import java.util.Map;

/**
 * What the Confluent wire format needs while the stream runs: where writer schemas of framed input
 * come from, and the ids our output schemas were registered under at start.
 *
 * @param lookup the registry, or null when none is configured (framed input is then rejected)
 * @param outputIds the id of each output type's current schema; empty unless {@code
 *     output.format=confluent-avro}
 * @param cacheCapacity how many writer schema ids each reader keeps resolved
 */
public record ConfluentWire(
    SchemaLookup lookup, Map<RegistryRecord, Integer> outputIds, int cacheCapacity) {

  public ConfluentWire {
    outputIds = Map.copyOf(outputIds);
  }

  /** No registry: framed input is rejected, outputs are not framed. */
  public static ConfluentWire none() {
    return new ConfluentWire(null, Map.of(), 1000);
  }

  public <T extends org.apache.avro.specific.SpecificRecordBase> ConfluentReader<T> reader(
      RegistryRecord type) {
    return new ConfluentReader<>(type, lookup, cacheCapacity);
  }
}
