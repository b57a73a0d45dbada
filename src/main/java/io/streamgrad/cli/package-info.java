/**
 * The command line: {@link io.streamgrad.cli.Main} and one class per command (demo, run, replay,
 * produce, tail, topics, load; bench comes from {@code io.streamgrad.bench}). Commands only wire
 * the layers below; none calls another as a library. {@link io.streamgrad.cli.Replay} is the
 * offline path: the stream's learner over a file.
 */
package io.streamgrad.cli;
