/**
 * The Kafka Streams side: the topology ({@link io.streamgrad.stream.StreamgradTopology}), its one
 * processor ({@link io.streamgrad.stream.LearnerProcessor}: decode, predict, train, emit), and the
 * stores: {@link io.streamgrad.stream.ModelStore} keeps the live learners and writes each one that
 * changed to its changelog once per commit, inside the exactly-once transaction; {@link
 * io.streamgrad.stream.WaitingRoom} keeps the samples that arrived before their model's spec. The
 * topology is a pure function of {@link io.streamgrad.stream.StreamSettings}.
 */
package io.streamgrad.stream;
