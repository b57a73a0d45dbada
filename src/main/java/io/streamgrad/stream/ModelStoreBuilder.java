package io.streamgrad.stream;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * Builds the {@link ModelStore}, always with a changelog (it is the checkpoint) and never with a
 * cache (the store is its own cache).
 */
final class ModelStoreBuilder implements StoreBuilder<ModelStore> {
  private final String name;
  private final Map<String, String> logConfig = new HashMap<>();

  ModelStoreBuilder(String name, Map<String, String> logConfig) {
    this.name = name;
    this.logConfig.putAll(logConfig);
  }

  @Override
  public StoreBuilder<ModelStore> withCachingEnabled() {
    return this;
  }

  @Override
  public StoreBuilder<ModelStore> withCachingDisabled() {
    return this;
  }

  @Override
  public StoreBuilder<ModelStore> withLoggingEnabled(Map<String, String> config) {
    logConfig.putAll(config);
    return this;
  }

  @Override
  public StoreBuilder<ModelStore> withLoggingDisabled() {
    throw new IllegalStateException(
        "the model store's changelog is its checkpoint: it cannot be disabled");
  }

  @Override
  public ModelStore build() {
    return new ModelStore(name);
  }

  @Override
  public Map<String, String> logConfig() {
    return logConfig;
  }

  @Override
  public boolean loggingEnabled() {
    return true;
  }

  @Override
  public String name() {
    return name;
  }
}
