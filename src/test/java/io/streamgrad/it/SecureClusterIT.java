package io.streamgrad.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamgrad.service.KafkaClients;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The service on a secured cluster: three nodes with ACLs on (StandardAuthorizer), a SASL_SSL
 * listener (SCRAM-SHA-512, TLS without client certificates) and an SSL listener that requires one
 * (mutual TLS), certificates and users made by the test. The service's principal has exactly the
 * ACLs the README lists, given through the {@code kafka.*} pass-through; without one of them it
 * ends with exit code 3 and names what was denied.
 */
class SecureClusterIT {
  private static final Path DIR = Path.of("target", "secure-it");
  private static final int PARTITIONS = 3;
  private static final String SCRAM_PASSWORD = "streamgrad-secret";

  private static BrokerCluster cluster;
  private static TestCertificates certificates;

  @BeforeAll
  static void startCluster() throws Exception {
    certificates = TestCertificates.create(DIR.resolve("certs"));
    Path brokerStore = certificates.keyStore("broker");
    cluster =
        new BrokerCluster(DIR.resolve("brokers"))
            .withClientListener("SASL_SSL", "SASL_SSL")
            .withClientListener("MTLS", "SSL")
            .with(
                "authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer")
            // The INTERNAL and CONTROLLER listeners are PLAINTEXT (the brokers' own, and the
            // test's admin): their principal ANONYMOUS is the super user. Clients use the others.
            .with("super.users", "User:ANONYMOUS")
            .with("ssl.keystore.location", brokerStore.toAbsolutePath().toString())
            .with("ssl.keystore.password", TestCertificates.PASSWORD)
            .with("ssl.key.password", TestCertificates.PASSWORD)
            .with("ssl.keystore.type", "PKCS12")
            .with("ssl.truststore.location", certificates.trustStore().toAbsolutePath().toString())
            .with("ssl.truststore.password", TestCertificates.PASSWORD)
            .with("ssl.truststore.type", "PKCS12")
            .with("listener.name.sasl_ssl.sasl.enabled.mechanisms", "SCRAM-SHA-512")
            .with(
                "listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;")
            .with("listener.name.mtls.ssl.client.auth", "required")
            // User:streamgrad-mtls rather than User:CN=streamgrad-mtls.
            .with("ssl.principal.mapping.rules", "RULE:^CN=([^,]+)$/$1/,DEFAULT")
            .start(Duration.ofSeconds(90));
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  /**
   * The ACLs of the README's Security section, for a principal running application.id app on the
   * topics named prefix.*: read the inputs, write the outputs (and read the loss topic, for the
   * dashboard), the consumer group, the transactional ids and the internal topics.
   */
  static List<AclBinding> acls(String principal, String app, String prefix) {
    List<AclBinding> acls = new ArrayList<>();
    for (String topic : List.of("samples", "models", "labels")) {
      acls.add(
          allow(principal, ResourceType.TOPIC, prefix + "." + topic, false, AclOperation.READ));
    }
    for (String topic : List.of("predictions", "loss", "dead-letters", "events", "outcomes")) {
      acls.add(
          allow(principal, ResourceType.TOPIC, prefix + "." + topic, false, AclOperation.WRITE));
    }
    acls.add(allow(principal, ResourceType.TOPIC, prefix + ".loss", false, AclOperation.READ));
    acls.add(allow(principal, ResourceType.GROUP, app, false, AclOperation.READ));
    acls.add(allow(principal, ResourceType.TRANSACTIONAL_ID, app + "-", true, AclOperation.WRITE));
    for (AclOperation operation :
        List.of(
            AclOperation.CREATE,
            AclOperation.READ,
            AclOperation.WRITE,
            AclOperation.DESCRIBE_CONFIGS)) {
      acls.add(allow(principal, ResourceType.TOPIC, app + "-", true, operation));
    }
    return acls;
  }

  private static AclBinding allow(
      String principal, ResourceType type, String name, boolean prefixed, AclOperation operation) {
    return new AclBinding(
        new ResourcePattern(type, name, prefixed ? PatternType.PREFIXED : PatternType.LITERAL),
        new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW));
  }

  @Test
  void shouldLearnOverSaslSslWithExactlyTheListedAcls() throws Exception {
    String app = "secure-sasl";
    prepare(app, "User:streamgrad", acls("User:streamgrad", app, app));
    Map<String, String> settings = settings(app);
    settings.putAll(sasl("streamgrad"));
    runAndCheck(app, cluster.bootstrapServers("SASL_SSL"), settings);
  }

  @Test
  void shouldLearnOverMutualTls() throws Exception {
    String app = "secure-mtls";
    prepare(app, null, acls("User:streamgrad-mtls", app, app));
    Path clientStore = certificates.keyStore("streamgrad-mtls");
    Map<String, String> settings = settings(app);
    settings.put("kafka.security.protocol", "SSL");
    settings.putAll(trust());
    settings.put("kafka.ssl.keystore.location", clientStore.toAbsolutePath().toString());
    settings.put("kafka.ssl.keystore.password", TestCertificates.PASSWORD);
    settings.put("kafka.ssl.key.password", TestCertificates.PASSWORD);
    settings.put("kafka.ssl.keystore.type", "PKCS12");
    runAndCheck(app, cluster.bootstrapServers("MTLS"), settings);
  }

  @Test
  void shouldEndWithExitCode3NamingTheDeniedOperationAndResource() throws Exception {
    String app = "secure-lacking";
    List<AclBinding> acls = new ArrayList<>(acls("User:lacking", app, app));
    acls.removeIf(acl -> acl.pattern().resourceType() == ResourceType.GROUP);
    prepare(app, "User:lacking", acls);
    Map<String, String> settings = settings(app);
    settings.putAll(sasl("lacking"));
    ChildService service =
        new ChildService(cluster.bootstrapServers("SASL_SSL"), app, settings, DIR.resolve("logs"));
    service.start();
    int code = service.awaitExit(Duration.ofSeconds(120));
    String log = Files.readString(service.log(), StandardCharsets.UTF_8);
    assertEquals(3, code, "exit code of a service refused an operation; see " + service.log());
    assertTrue(
        log.contains("error: Kafka denied READ on group " + app), "the message names it:\n" + log);
  }

  /** The topics, the SCRAM user (when scramUser is not null) and the ACLs. */
  private static void prepare(String app, String scramUser, List<AclBinding> acls)
      throws Exception {
    try (Admin admin = cluster.admin()) {
      List<NewTopic> topics = new ArrayList<>();
      for (String topic :
          List.of(
              "samples",
              "models",
              "predictions",
              "loss",
              "dead-letters",
              "events",
              "labels",
              "outcomes")) {
        NewTopic newTopic = new NewTopic(app + "." + topic, PARTITIONS, (short) 3);
        topics.add(
            topic.equals("models")
                ? newTopic.configs(Map.of("cleanup.policy", "compact"))
                : newTopic);
      }
      admin.createTopics(topics).all().get();
      if (scramUser != null) {
        String user = scramUser.substring("User:".length());
        admin
            .alterUserScramCredentials(
                List.of(
                    new UserScramCredentialUpsertion(
                        user,
                        new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192),
                        SCRAM_PASSWORD)))
            .all()
            .get();
      }
      admin.createAcls(acls).all().get();
    }
  }

  private static Map<String, String> settings(String app) {
    Map<String, String> settings = new HashMap<>();
    settings.put("topics.partitions", String.valueOf(PARTITIONS));
    settings.put("topics.replication.factor", "3");
    settings.put("commit.interval.ms", "300");
    settings.put("loss.every.ms", "300");
    for (String topic :
        List.of(
            "samples",
            "models",
            "predictions",
            "loss",
            "dead-letters",
            "events",
            "labels",
            "outcomes")) {
      settings.put("topic." + topic, app + "." + topic);
    }
    return settings;
  }

  /** TLS without a client certificate (the broker's is checked against the test's CA), SCRAM. */
  private static Map<String, String> sasl(String user) {
    Map<String, String> settings = new HashMap<>(trust());
    settings.put("kafka.security.protocol", "SASL_SSL");
    settings.put("kafka.sasl.mechanism", "SCRAM-SHA-512");
    settings.put(
        "kafka.sasl.jaas.config",
        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
            + user
            + "\" password=\""
            + SCRAM_PASSWORD
            + "\";");
    return settings;
  }

  private static Map<String, String> trust() {
    return Map.of(
        "kafka.ssl.truststore.location",
        certificates.trustStore().toAbsolutePath().toString(),
        "kafka.ssl.truststore.password",
        TestCertificates.PASSWORD,
        "kafka.ssl.truststore.type",
        "PKCS12");
  }

  /** Runs the service, feeds it samples, and compares its models with replay. */
  private static void runAndCheck(String app, String bootstrapServers, Map<String, String> settings)
      throws Exception {
    ClusterWorkload work = new ClusterWorkload(app + ".samples", PARTITIONS, 1);
    ChildService service = new ChildService(bootstrapServers, app, settings, DIR.resolve("logs"));
    service.start();
    try {
      service.awaitRunning(Duration.ofSeconds(120));
      try (KafkaProducer<byte[], byte[]> producer =
          KafkaClients.producer(cluster.bootstrapServers(), Map.of())) {
        for (var spec : work.specs.entrySet()) {
          producer.send(
              new ProducerRecord<>(
                  app + ".models",
                  ClusterWorkload.bytes(spec.getKey()),
                  ClusterWorkload.bytes(spec.getValue())));
        }
        for (int i = 0; i < 300; i++) {
          producer.send(work.next());
        }
      }
      for (String model : work.specs.keySet()) {
        assertEquals(
            work.offline.get(model).modelFile(),
            ItSupport.awaitModel(
                service.httpPort(), model, work.perModel.get(model), Duration.ofSeconds(120)),
            model + " over " + settings.get("kafka.security.protocol"));
      }
      try (CommittedOutputs outputs =
          new CommittedOutputs(
              cluster.bootstrapServers(), app + ".predictions", app + ".loss", PARTITIONS)) {
        outputs.await(work.ids, work.perModel, Duration.ofSeconds(60));
        assertEquals(List.of(), outputs.problems());
        assertEquals(new java.util.HashSet<>(work.ids), outputs.predicted());
      }
    } finally {
      service.stop();
    }
  }
}
