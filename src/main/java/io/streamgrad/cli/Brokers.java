package io.streamgrad.cli;

import io.streamgrad.service.ExitCodes;
import io.streamgrad.service.KafkaClients;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;

/**
 * What every command that talks to Kafka does before anything else: reach the brokers within its
 * --timeout, and find the topics it needs. Without it, Kafka's clients retry silently for minutes,
 * and a producer to a missing topic waits out its metadata timeout for each record.
 */
final class Brokers {
  private Brokers() {}

  /**
   * @throws io.streamgrad.service.Service.BrokerUnreachable (exit 3) when the brokers do not answer
   *     or their hosts do not resolve
   * @throws CommandFailure (exit 2) when a topic is missing, naming it and how to create it
   */
  static void check(String bootstrapServers, Duration timeout, List<String> topics) {
    check(bootstrapServers, Map.of(), timeout, topics);
  }

  /**
   * As {@link #check(String, Duration, List)}, with the client settings (TLS, SASL) the brokers
   * require: without them a secured listener looks like no broker at all.
   */
  static void check(
      String bootstrapServers,
      Map<String, String> clientSettings,
      Duration timeout,
      List<String> topics) {
    try (Admin admin = KafkaClients.admin(bootstrapServers, clientSettings)) {
      KafkaClients.awaitCluster(admin, bootstrapServers, timeout);
      if (topics.isEmpty()) {
        return;
      }
      List<String> missing = KafkaClients.missingTopics(admin, bootstrapServers, topics, timeout);
      if (!missing.isEmpty()) {
        throw new CommandFailure(
            ExitCodes.USAGE,
            (missing.size() == 1 ? "topic " : "topics ")
                + String.join(", ", missing)
                + (missing.size() == 1 ? " does" : " do")
                + " not exist on "
                + bootstrapServers
                + ": create Streamgrad's topics with `streamgrad topics --bootstrap-servers "
                + bootstrapServers
                + "` (or start `streamgrad run`, which creates them)");
      }
    }
  }
}
