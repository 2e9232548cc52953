package dev.crucible.queue;

import java.time.Duration;
import java.util.Objects;

/**
 * How to reach Redis and name the streams.
 *
 * @param redisUri       e.g. {@code redis://:password@127.0.0.1:6380/0}
 * @param keyPrefix      every key this module uses starts with it, so that tests and deployments can share a server
 * @param commandTimeout the deadline of every Redis command; blocking reads wait less than this
 * @param reclaimAfter   how long a job may sit unacknowledged at one consumer before another takes it over;
 *                       longer than the largest wall-time limit plus the sandbox's start and teardown
 */
public record QueueSettings(String redisUri, String keyPrefix, Duration commandTimeout, Duration reclaimAfter) {
    public QueueSettings {
        Objects.requireNonNull(redisUri, "redisUri");
        Objects.requireNonNull(keyPrefix, "keyPrefix");
        if (commandTimeout.compareTo(Duration.ofSeconds(2)) < 0) {
            throw new IllegalArgumentException("commandTimeout must be at least 2s to leave room for blocking reads, was " + commandTimeout);
        }
    }

    String jobsKey() {
        return keyPrefix + ":jobs";
    }

    String eventsKey() {
        return keyPrefix + ":events";
    }

    String deadLetterKey() {
        return keyPrefix + ":dead";
    }

    String cancelledKey(java.util.UUID submissionId) {
        return keyPrefix + ":cancelled:" + submissionId;
    }

    String executorsKey() {
        return keyPrefix + ":executors";
    }

    /** Blocking reads must return before the command timeout fires. */
    Duration maxBlock() {
        return commandTimeout.minusSeconds(1);
    }
}
