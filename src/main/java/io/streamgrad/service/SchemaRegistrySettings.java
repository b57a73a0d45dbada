package io.streamgrad.service;

import io.streamgrad.records.OutputFormat;
import io.streamgrad.records.SubjectNameStrategy;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How to reach the schema registry and what to do there, checked: the {@code schema.registry.*}
 * settings (docs/configuration.md).
 *
 * @param urls the registry's base URLs (Confluent's API under each), tried in turn; empty: none
 * @param basicAuthUserInfo {@code user:password}, or empty for no authentication
 * @param cacheCapacity writer schema ids each reader keeps resolved
 * @param subjectNameStrategy under which subject our output schemas are registered
 * @param registerOutputs whether {@code output.format=confluent-avro} asks for our schemas
 */
public record SchemaRegistrySettings(
    List<URI> urls,
    String basicAuthUserInfo,
    Tls tls,
    int cacheCapacity,
    SubjectNameStrategy subjectNameStrategy,
    boolean registerOutputs) {

  /** Key and trust stores for https:// registries; an empty location means none. */
  public record Tls(
      String truststoreLocation,
      String truststorePassword,
      String truststoreType,
      String keystoreLocation,
      String keystorePassword,
      String keystoreType,
      String keyPassword) {}

  public SchemaRegistrySettings {
    urls = List.copyOf(urls);
  }

  /** No registry. */
  public static SchemaRegistrySettings none() {
    return new SchemaRegistrySettings(
        List.of(),
        "",
        new Tls("", "", "PKCS12", "", "", "PKCS12", ""),
        1000,
        SubjectNameStrategy.TOPIC,
        false);
  }

  public boolean configured() {
    return !urls.isEmpty();
  }

  /** The URLs as one would write them in the setting, for messages. */
  public String describeUrls() {
    return String.join(",", urls.stream().map(URI::toString).toList());
  }

  static SchemaRegistrySettings of(Configuration config) {
    List<URI> urls = new ArrayList<>();
    for (String part : config.string("schema.registry.url").split(",", -1)) {
      String url = part.trim();
      if (url.isEmpty()) {
        continue;
      }
      try {
        URI uri = new URI(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())
            || uri.getHost() == null) {
          throw new URISyntaxException(url, "not an http:// or https:// URL with a host");
        }
        urls.add(uri);
      } catch (URISyntaxException e) {
        throw new Configuration.InvalidSetting(
            "setting schema.registry.url: '"
                + url
                + "' is not an http:// or https:// URL ("
                + e.getReason()
                + ")");
      }
    }
    String userInfo = config.string("schema.registry.basic.auth.user.info");
    if (!userInfo.isEmpty() && !userInfo.contains(":")) {
      throw new Configuration.InvalidSetting(
          "setting schema.registry.basic.auth.user.info must be user:password");
    }
    Tls tls =
        new Tls(
            config.string("schema.registry.ssl.truststore.location"),
            config.string("schema.registry.ssl.truststore.password"),
            config.choice("schema.registry.ssl.truststore.type", "PKCS12", "JKS"),
            config.string("schema.registry.ssl.keystore.location"),
            config.string("schema.registry.ssl.keystore.password"),
            config.choice("schema.registry.ssl.keystore.type", "PKCS12", "JKS"),
            config.string("schema.registry.ssl.key.password"));
    SubjectNameStrategy strategy =
        SubjectNameStrategy.valueOf(
            config
                .choice("schema.registry.subject.name.strategy", "topic", "record", "topic_record")
                .toUpperCase(Locale.ROOT));
    boolean confluentOutput = config.streamSettings().outputFormat() == OutputFormat.CONFLUENT_AVRO;
    if (confluentOutput && urls.isEmpty()) {
      throw new Configuration.InvalidSetting(
          "setting output.format=confluent-avro registers the output schemas in a schema"
              + " registry: set schema.registry.url");
    }
    return new SchemaRegistrySettings(
        urls,
        userInfo,
        tls,
        (int) config.number("schema.registry.cache.capacity", 1, 1_000_000),
        strategy,
        confluentOutput);
  }
}
