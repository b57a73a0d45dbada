/**
 * The {@code bench} command and its harness: the kernel against a hand-written loop side by side in
 * one JVM ({@link io.streamgrad.bench.SideBySide}), and the learner end to end on a real broker
 * ({@link io.streamgrad.bench.E2eBench}). Reached only from the command line; the JMH suites live
 * in {@code src/jmh/java}. BENCHMARKS.md has the figures and the commands.
 */
package io.streamgrad.bench;
