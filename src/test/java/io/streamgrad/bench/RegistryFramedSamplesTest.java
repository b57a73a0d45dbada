package io.streamgrad.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.streamgrad.learn.Sample;
import io.streamgrad.records.ConfluentFraming;
import io.streamgrad.records.SampleDecoder;
import org.junit.jupiter.api.Test;

class RegistryFramedSamplesTest {
  @Test
  void shouldFrameASampleThatTheRegistryReaderDecodesAsTheSingleObjectOne() {
    Sample sample = new Sample("b1", new double[] {0.5, -1, 2}, new double[] {1}, 3);
    byte[] framed = RegistryFramedSamples.frame(new SampleDecoder().encodeAvro(sample));
    assertEquals(RegistryFramedSamples.SAMPLE_ID, ConfluentFraming.schemaId(framed));
    Sample read = new SampleDecoder().readingRegistry(RegistryFramedSamples.wire()).decode(framed);
    assertEquals("b1", read.id());
    assertArrayEquals(sample.features(), read.features(), 0.0);
    assertArrayEquals(sample.label(), read.label(), 0.0);
  }
}
