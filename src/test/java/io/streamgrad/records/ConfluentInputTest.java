package io.streamgrad.records;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamgrad.learn.ModelSpec;
import io.streamgrad.learn.ReasonCode;
import io.streamgrad.learn.RejectedException;
import io.streamgrad.learn.Sample;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/**
 * Samples and specs in the Confluent wire format, decoded against our reader schema from hand-built
 * bytes and an in-memory id table: no registry is needed to check the framing and the resolution.
 */
class ConfluentInputTest {
  private static final Schema OURS = io.streamgrad.avro.Sample.getClassSchema();
  private static final Schema OLDER = AvroCodec.releasedSchemas("Sample").get(0);

  /** A newer producer's Sample: fields in another order, one field we do not know. */
  private static final Schema NEWER =
      Framed.schema(
          """
          {"type": "record", "name": "Sample", "namespace": "io.streamgrad.avro", "fields": [
            {"name": "features", "type": {"type": "array", "items": "double"}},
            {"name": "id", "type": "string"},
            {"name": "source", "type": "string", "default": ""},
            {"name": "label", "type": ["null", {"type": "array", "items": "double"}], "default": null},
            {"name": "weight", "type": "double", "default": 1.0},
            {"name": "event_time", "type": "long", "default": 0}
          ]}""");

  /** Features as strings: no Avro resolution turns them into doubles. */
  private static final Schema UNRESOLVABLE =
      Framed.schema(
          """
          {"type": "record", "name": "Sample", "namespace": "io.streamgrad.avro", "fields": [
            {"name": "id", "type": "string"},
            {"name": "features", "type": {"type": "array", "items": "string"}}
          ]}""");

  private final Framed.Registry registry =
      new Framed.Registry().with(11, OURS).with(3, OLDER).with(40, NEWER).with(41, UNRESOLVABLE);
  private final SampleDecoder decoder =
      SampleDecoder.reusingFeatures().readingRegistry(new ConfluentWire(registry, Map.of(), 100));

  @Test
  void shouldDecodeASampleWrittenWithOurSchema() {
    Sample sample =
        decoder.decode(
            Framed.bytes(
                11,
                Framed.record(
                    OURS,
                    Map.of(
                        "id",
                        "s1",
                        "features",
                        List.of(0.5, -2.0, 3.25),
                        "label",
                        List.of(1.0),
                        "event_time",
                        77L,
                        "weight",
                        0.5))));
    assertEquals("s1", sample.id());
    assertArrayEquals(new double[] {0.5, -2.0, 3.25}, sample.features(), 0.0);
    assertArrayEquals(new double[] {1.0}, sample.label(), 0.0);
    assertEquals(77L, sample.eventTime());
    assertEquals(0.5, sample.weight(), 0.0);
  }

  @Test
  void shouldFillInTheDefaultsAnOlderWriterSchemaLacks() {
    Sample sample =
        decoder.decode(
            Framed.bytes(
                3,
                Framed.record(
                    OLDER, Map.of("id", "old", "features", List.of(1.0, 2.0), "event_time", 5L))));
    assertEquals("old", sample.id());
    assertArrayEquals(new double[] {1.0, 2.0}, sample.features(), 0.0);
    assertNull(sample.label());
    assertEquals(1.0, sample.weight(), 0.0, "weight defaults to 1 for a writer without it");
  }

  @Test
  void shouldSkipFieldsWeDoNotKnowAndTakeFieldsInTheirOrder() {
    Sample sample =
        decoder.decode(
            Framed.bytes(
                40,
                Framed.record(
                    NEWER,
                    Map.of(
                        "features",
                        List.of(-1.0),
                        "id",
                        "new",
                        "source",
                        "sensor-7",
                        "label",
                        List.of(0.0),
                        "weight",
                        2.0,
                        "event_time",
                        9L))));
    assertEquals("new", sample.id());
    assertArrayEquals(new double[] {-1.0}, sample.features(), 0.0);
    assertArrayEquals(new double[] {0.0}, sample.label(), 0.0);
    assertEquals(2.0, sample.weight(), 0.0);
    assertEquals(9L, sample.eventTime());
  }

  @Test
  void shouldLookUpEachSchemaIdOnce() {
    for (int i = 0; i < 50; i++) {
      decoder.decode(framedSample(11, "a" + i));
      decoder.decode(
          Framed.bytes(
              3,
              Framed.record(
                  OLDER, Map.of("id", "b" + i, "features", List.of(1.0), "event_time", 0L))));
    }
    assertEquals(2, registry.lookups.get(), "one lookup per id, then the cache");
  }

  @Test
  void shouldRejectAnIdTheRegistryDoesNotKnow() {
    RejectedException e =
        assertThrows(RejectedException.class, () -> decoder.decode(framedSample(999, "x")));
    assertEquals(ReasonCode.UNKNOWN_SCHEMA_ID, e.reason());
    assertTrue(e.getMessage().contains("999"), e.getMessage());
  }

  @Test
  void shouldRejectAWriterSchemaOursCannotResolve() {
    RejectedException e =
        assertThrows(
            RejectedException.class,
            () ->
                decoder.decode(
                    Framed.bytes(
                        41,
                        Framed.record(
                            UNRESOLVABLE, Map.of("id", "s", "features", List.of("one"))))));
    assertEquals(ReasonCode.UNRESOLVABLE_SCHEMA, e.reason());
    assertTrue(e.getMessage().contains("registry id 41"), e.getMessage());
  }

  @Test
  void shouldRejectABodyThatDoesNotDecodeUnderItsWriterSchema() {
    byte[] framed =
        Framed.bytes(
            3,
            Framed.record(
                OLDER, Map.of("id", "cut", "features", List.of(1.0, 2.0, 3.0), "event_time", 0L)));
    RejectedException e =
        assertThrows(
            RejectedException.class,
            () -> decoder.decode(Arrays.copyOf(framed, framed.length - 9)));
    assertEquals(ReasonCode.UNDECODABLE, e.reason());
    assertTrue(e.getMessage().contains("registry id 3"), e.getMessage());
  }

  @Test
  void shouldRejectFramedRecordsWhenNoRegistryIsConfigured() {
    RejectedException e =
        assertThrows(
            RejectedException.class, () -> new SampleDecoder().decode(framedSample(11, "x")));
    assertEquals(ReasonCode.UNKNOWN_SCHEMA_ID, e.reason());
    assertTrue(e.getMessage().contains("schema.registry.url"), e.getMessage());
  }

  @Test
  void shouldLetARegistryOutagePassAndAskAgainOnTheNextRecord() {
    int[] calls = {0};
    SchemaLookup flaky =
        id -> {
          if (calls[0]++ == 0) {
            throw new SchemaUnavailableException(id, "registry down", null);
          }
          return java.util.Optional.of(OURS);
        };
    SampleDecoder sometimes =
        new SampleDecoder().readingRegistry(new ConfluentWire(flaky, Map.of(), 10));
    byte[] bytes = framedSample(11, "again");
    SchemaUnavailableException down =
        assertThrows(SchemaUnavailableException.class, () -> sometimes.decode(bytes));
    assertEquals(11, down.schemaId());
    assertEquals("again", sometimes.decode(bytes).id(), "nothing cached from the failure");
  }

  @Test
  void shouldKeepOnlyTheConfiguredNumberOfIds() {
    Framed.Registry many = new Framed.Registry();
    for (int id = 1; id <= 3; id++) {
      many.with(id, OURS);
    }
    SampleDecoder small = new SampleDecoder().readingRegistry(new ConfluentWire(many, Map.of(), 2));
    for (int id : new int[] {1, 2, 3, 1}) {
      small.decode(framedSample(id, "s"));
    }
    assertEquals(4, many.lookups.get(), "id 1 was evicted by id 3 and looked up again");
  }

  @Test
  void shouldDecodeASpecInTheConfluentWireFormat() {
    String file =
        "{\"format\": \"streamgrad-model/1\", \"model\": \"m\", \"layers\": [{\"in\": 2, \"out\":"
            + " 1, \"activation\": \"identity\"}], \"loss\": \"l2\"}";
    Schema specSchema = io.streamgrad.avro.ModelSpec.getClassSchema();
    SpecDecoder specs =
        new SpecDecoder()
            .readingRegistry(
                new ConfluentWire(new Framed.Registry().with(5, specSchema), Map.of(), 10));
    ModelSpec spec =
        specs.decode(
            "m",
            Framed.bytes(5, Framed.record(specSchema, Map.of("model", "m", "model_file", file))));
    assertEquals("m", spec.model());
  }

  private static byte[] framedSample(int id, String sampleId) {
    return Framed.bytes(
        id,
        Framed.record(
            OURS,
            Map.of(
                "id", sampleId, "features", List.of(1.0, 2.0), "event_time", 0L, "weight", 1.0)));
  }
}
