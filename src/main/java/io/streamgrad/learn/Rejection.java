package io.streamgrad.learn;

/** A record that cannot be used, with a reason code and a message a user can act on. */
public record Rejection(ReasonCode reason, String message) {}
