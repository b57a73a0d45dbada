/**
 * The HTTP side of an {@link io.streamgrad.http.Instance}: the read-only API ({@link
 * io.streamgrad.http.HttpApi}: health, models through interactive queries, forwarded to the
 * instance that owns a model), the dashboard with its live loss feed, and {@code /metrics} in
 * Prometheus' format.
 */
package io.streamgrad.http;
