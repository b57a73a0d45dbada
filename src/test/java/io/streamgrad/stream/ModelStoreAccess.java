package io.streamgrad.stream;

import org.apache.kafka.streams.TopologyTestDriver;

/** For tests of other packages: a model's file as the topology's model store holds it. */
public final class ModelStoreAccess {
  private ModelStoreAccess() {}

  public static String modelFile(TopologyTestDriver driver, String model) {
    return ((ModelStore) driver.getStateStore(StreamSettings.STORE)).get(model).modelFile();
  }
}
