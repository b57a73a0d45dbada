/**
 * Every wire format of the topics, reading and writing, with no Kafka: samples (Avro single-object
 * encoding or JSON, {@link io.streamgrad.records.SampleDecoder}), specs ({@link
 * io.streamgrad.records.SpecDecoder}), the output records ({@link
 * io.streamgrad.records.OutputRecords} builds them, {@link io.streamgrad.records.OutputEncoder}
 * writes them, {@link io.streamgrad.records.OutputDecoder} reads them back) and sample files
 * ({@link io.streamgrad.records.SampleFile}: JSON lines and CSV). Every released Avro schema stays
 * readable ({@link io.streamgrad.records.AvroCodec}).
 */
package io.streamgrad.records;
