/**
 * The running service: {@link io.streamgrad.service.Configuration} resolves the settings (flag,
 * environment, file, built-in defaults) into one {@link io.streamgrad.service.ServiceSettings};
 * {@link io.streamgrad.service.Service} starts the embedded broker when no servers are given,
 * creates the topics and runs Kafka Streams with the properties of {@link
 * io.streamgrad.service.StreamsProperties}. {@link io.streamgrad.service.KafkaClients} is the one
 * place that builds Kafka clients.
 */
package io.streamgrad.service;
