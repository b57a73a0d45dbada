package io.streamgrad.stream;

import io.streamgrad.records.ConfluentWire;
import io.streamgrad.records.RegistryRecord;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A registry in memory that holds every record type's current schema under an id of its own (1, 2,
 * ...): for topology tests that run every output format, the Confluent one included.
 */
final class OwnSchemas {
  private OwnSchemas() {}

  static ConfluentWire wire() {
    Map<RegistryRecord, Integer> ids = new EnumMap<>(RegistryRecord.class);
    Map<Integer, RegistryRecord> types = new HashMap<>();
    int next = 1;
    for (RegistryRecord type : RegistryRecord.values()) {
      ids.put(type, next);
      types.put(next, type);
      next++;
    }
    return new ConfluentWire(
        id -> Optional.ofNullable(types.get(id)).map(RegistryRecord::schema), ids, 100);
  }
}
