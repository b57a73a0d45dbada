package io.streamgrad.service;

import io.streamgrad.stream.StreamSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates Streamgrad's topics that are missing, with their settings: the samples and models topics
 * with the same partition count (co-partitioned: a model's spec and samples meet in one task), the
 * models topic compacted, dead letters able to hold a rejected record of any size.
 */
public final class TopicCreator {
  private TopicCreator() {}

  /**
   * @return the names of the topics it created
   */
  public static List<String> createMissing(
      Admin admin, StreamSettings settings, int partitions, short replication)
      throws InterruptedException, ExecutionException {
    Set<String> existing = admin.listTopics().names().get();
    List<NewTopic> wanted =
        List.of(
            new NewTopic(settings.samplesTopic(), partitions, replication),
            new NewTopic(settings.modelsTopic(), partitions, replication)
                .configs(
                    Map.of(
                        "cleanup.policy",
                        "compact",
                        "max.message.bytes",
                        String.valueOf(settings.maxModelBytes()))),
            new NewTopic(settings.predictionsTopic(), partitions, replication),
            new NewTopic(settings.lossTopic(), partitions, replication),
            new NewTopic(settings.deadLettersTopic(), partitions, replication)
                .configs(Map.of("max.message.bytes", String.valueOf(2 * 1024 * 1024))),
            new NewTopic(settings.eventsTopic(), partitions, replication),
            new NewTopic(settings.labels().labelsTopic(), partitions, replication),
            new NewTopic(settings.labels().outcomesTopic(), partitions, replication));
    List<NewTopic> missing = new ArrayList<>();
    for (NewTopic topic : wanted) {
      if (!existing.contains(topic.name())) {
        missing.add(topic);
      }
    }
    if (missing.isEmpty()) {
      return List.of();
    }
    try {
      admin.createTopics(missing).all().get();
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw e; // another instance created it meanwhile: fine
      }
    }
    return missing.stream().map(NewTopic::name).toList();
  }
}
