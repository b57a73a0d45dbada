package io.streamgrad.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;

/**
 * What a producer or consumer in a registry shop does, with nothing of Streamgrad's: the registry's
 * REST API and Avro. Registers writer schemas, frames records in the Confluent wire format, and
 * reads framed records back with the writer schema their id names.
 */
final class RegistryApi {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static final String TYPE = "application/vnd.schemaregistry.v1+json";

  private final String url;
  private final Map<Integer, Schema> schemas = new HashMap<>();

  RegistryApi(String url) {
    this.url = url;
  }

  /** Registers schema under subject and returns its id (the registry's, numbers may skip). */
  int register(String subject, Schema schema) throws IOException, InterruptedException {
    HttpResponse<String> answer =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(
                        url
                            + "/subjects/"
                            + URLEncoder.encode(subject, StandardCharsets.UTF_8)
                            + "/versions"))
                .header("Content-Type", TYPE)
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        JSON.writeValueAsString(Map.of("schema", schema.toString()))))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (answer.statusCode() != 200) {
      throw new IOException("registering under " + subject + ": " + answer.body());
    }
    return JSON.readTree(answer.body()).get("id").asInt();
  }

  /** The ids registered under subject's latest version. */
  int latestId(String subject) throws IOException, InterruptedException {
    HttpResponse<String> answer =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(
                        url
                            + "/subjects/"
                            + URLEncoder.encode(subject, StandardCharsets.UTF_8)
                            + "/versions/latest"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (answer.statusCode() != 200) {
      throw new IOException("subject " + subject + ": " + answer.body());
    }
    return JSON.readTree(answer.body()).get("id").asInt();
  }

  /** The writer schema of id, from the registry, once. */
  Schema schema(int id) throws IOException, InterruptedException {
    Schema known = schemas.get(id);
    if (known != null) {
      return known;
    }
    HttpResponse<String> answer =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(url + "/schemas/ids/" + id)).build(),
            HttpResponse.BodyHandlers.ofString());
    if (answer.statusCode() != 200) {
      throw new IOException("schema id " + id + ": " + answer.body());
    }
    JsonNode node = JSON.readTree(answer.body());
    Schema schema = new Schema.Parser().parse(node.get("schema").asText());
    schemas.put(id, schema);
    return schema;
  }

  /** A record framed as Confluent's serializers frame it: 0, the id big-endian, the body. */
  static byte[] frame(int id, GenericRecord record) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0);
    out.write(id >>> 24);
    out.write(id >>> 16);
    out.write(id >>> 8);
    out.write(id);
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    try {
      new GenericDatumWriter<GenericRecord>(record.getSchema()).write(record, encoder);
      encoder.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** A framed record read with the writer schema its id names in the registry. */
  GenericRecord read(byte[] framed) throws IOException, InterruptedException {
    if (framed.length < 5 || framed[0] != 0) {
      throw new IOException("not in the Confluent wire format");
    }
    int id =
        ((framed[1] & 0xFF) << 24)
            | ((framed[2] & 0xFF) << 16)
            | ((framed[3] & 0xFF) << 8)
            | (framed[4] & 0xFF);
    Schema schema = schema(id);
    return new GenericDatumReader<GenericRecord>(schema)
        .read(null, DecoderFactory.get().binaryDecoder(framed, 5, framed.length - 5, null));
  }
}
