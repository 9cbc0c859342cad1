package org.depprune.driver.results;

import java.io.Serializable;

/** Where and when a trial's task ran: its attempt number, executor, host, start and end. */
public record Execution(int attempt, String executor, String host, String startedAt, String finishedAt)
    implements Serializable {}
