package io.streamgrad.stream;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * Builds one of our stores that keep their state in memory and write it behind to their changelog
 * from the pre-commit pass ({@link ModelStore}, {@link PendingStore}): always with a changelog (it
 * is the checkpoint) and never with a cache (the store is its own cache).
 */
final class WriteBehindStoreBuilder<S extends WriteBehindStore> implements StoreBuilder<S> {
  private final String name;
  private final Function<String, S> store;
  private final Map<String, String> logConfig = new HashMap<>();

  WriteBehindStoreBuilder(String name, Function<String, S> store, Map<String, String> logConfig) {
    this.name = name;
    this.store = store;
    this.logConfig.putAll(logConfig);
  }

  @Override
  public StoreBuilder<S> withCachingEnabled() {
    return this;
  }

  @Override
  public StoreBuilder<S> withCachingDisabled() {
    return this;
  }

  @Override
  public StoreBuilder<S> withLoggingEnabled(Map<String, String> config) {
    logConfig.putAll(config);
    return this;
  }

  @Override
  public StoreBuilder<S> withLoggingDisabled() {
    throw new IllegalStateException(
        "the changelog of store '" + name + "' is its checkpoint: it cannot be disabled");
  }

  @Override
  public S build() {
    return store.apply(name);
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
