package org.depprune.driver.results;

import java.io.Serializable;

/**
 * Where and when a trial's task ran: its attempt number (how many times Spark ran it before: task
 * retries plus reruns of its stage), executor, host, start and end.
 */
public record Execution(int attempt, String executor, String host, String startedAt, String finishedAt)
    implements Serializable {}
