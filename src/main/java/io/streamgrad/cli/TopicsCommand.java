package io.streamgrad.cli;

import io.streamgrad.service.Configuration;
import io.streamgrad.service.ExitCodes;
import io.streamgrad.service.KafkaClients;
import io.streamgrad.service.TopicCreator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code topics}: creates Streamgrad's missing topics with their settings (for
 * ops/create-topics.sh).
 */
@Command(
    name = "topics",
    mixinStandardHelpOptions = true,
    description = "Create Streamgrad's topics that are missing, with their settings.")
final class TopicsCommand implements Callable<Integer> {
  @Option(names = "--bootstrap-servers", required = true, description = "Kafka brokers, host:port")
  String bootstrapServers;

  @Option(
      names = "--partitions",
      defaultValue = "1",
      description = "partitions of each topic (default: ${DEFAULT-VALUE})")
  int partitions;

  @Option(
      names = "--replication-factor",
      defaultValue = "1",
      description = "default: ${DEFAULT-VALUE}")
  short replication;

  @Option(
      names = "--config",
      description = "configuration file with topic names (default: the shipped names)")
  java.nio.file.Path config;

  @Mixin TimeoutOption timeout = new TimeoutOption();

  @Override
  public Integer call() throws Exception {
    Configuration settings = Configuration.load(config, System.getenv(), Map.of());
    try (Admin admin = KafkaClients.admin(bootstrapServers, Map.of())) {
      KafkaClients.awaitCluster(admin, bootstrapServers, timeout.timeout);
      List<String> created =
          TopicCreator.createMissing(admin, settings.streamSettings(), partitions, replication);
      System.out.println(
          created.isEmpty() ? "all topics exist" : "created " + String.join(", ", created));
    }
    return ExitCodes.OK;
  }
}
