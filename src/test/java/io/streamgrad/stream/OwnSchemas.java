package io.streamgrad.stream;

import io.streamgrad.records.ConfluentWire;
import io.streamgrad.records.RegistryRecord;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * A registry in memory that holds every record type's current schema under an id of its own
 * (ordinal + 1): for topology tests that run every output format, the Confluent one included.
 */
final class OwnSchemas {
  private OwnSchemas() {}

  static ConfluentWire wire() {
    Map<RegistryRecord, Integer> ids = new EnumMap<>(RegistryRecord.class);
    for (RegistryRecord type : RegistryRecord.values()) {
      ids.put(type, type.ordinal() + 1);
    }
    return new ConfluentWire(
        id ->
            id >= 1 && id <= RegistryRecord.values().length
                ? Optional.of(RegistryRecord.values()[id - 1].schema())
                : Optional.empty(),
        ids,
        100);
  }
}
