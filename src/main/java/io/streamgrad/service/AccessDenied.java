package io.streamgrad.service;

import io.streamgrad.stream.StreamSettings;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;

/**
 * Kafka refused this service's principal an operation (an ACL is missing): a fault no retry mends,
 * so the service ends with exit code 3 and this message, which names the operation and the resource
 * as an operator grants them ({@code kafka-acls --operation … --topic …}). Kafka's exceptions name
 * the resource only; the operation follows from what the service does with it.
 */
public final class AccessDenied extends RuntimeException {
  private AccessDenied(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * The denial somewhere in failure's causes, described, or empty when there is none.
   *
   * @param doing what the service was doing, when the caller knows the operation (e.g. CREATE)
   */
  public static Optional<AccessDenied> in(
      Throwable failure, String applicationId, StreamSettings topics, String doing) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof AuthorizationException denied) {
        return Optional.of(
            new AccessDenied(
                "Kafka denied "
                    + what(denied, applicationId, topics, doing)
                    + " ("
                    + denied.getClass().getSimpleName()
                    + ": "
                    + denied.getMessage()
                    + "); grant the ACLs listed in the README (Security)",
                denied));
      }
    }
    return Optional.empty();
  }

  private static String what(
      AuthorizationException denied, String applicationId, StreamSettings topics, String doing) {
    if (denied instanceof TopicAuthorizationException topic) {
      Set<String> names = topic.unauthorizedTopics();
      String name = names.isEmpty() ? "?" : names.iterator().next();
      return (doing != null ? doing : topicOperation(name, applicationId, topics))
          + " on topic "
          + name;
    }
    if (denied instanceof GroupAuthorizationException group) {
      return "READ on group " + (group.groupId() != null ? group.groupId() : applicationId);
    }
    if (denied instanceof TransactionalIdAuthorizationException) {
      return "WRITE on transactional id " + applicationId + "-* (prefixed)";
    }
    if (denied instanceof ClusterAuthorizationException) {
      return (doing != null ? doing : "an operation") + " on the cluster";
    }
    return doing != null ? doing : "an operation";
  }

  private static String topicOperation(String name, String applicationId, StreamSettings topics) {
    if (List.of(topics.samplesTopic(), topics.modelsTopic()).contains(name)) {
      return "READ";
    }
    if (List.of(topics.predictionsTopic(), topics.lossTopic(), topics.deadLettersTopic())
        .contains(name)) {
      return "WRITE";
    }
    if (name.startsWith(applicationId + "-")) {
      return "CREATE, READ or WRITE (internal topics, prefixed " + applicationId + "-)";
    }
    return "access";
  }
}
