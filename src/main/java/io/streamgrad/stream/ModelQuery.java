package io.streamgrad.stream;

import java.util.Map;
import org.apache.kafka.streams.query.Query;

/**
 * An interactive query of the {@link ModelStore}: one model, or every model of the instance when
 * model is null. The answer maps model ids to encoded learner states as of the last commit.
 */
public record ModelQuery(String model) implements Query<Map<String, byte[]>> {}
