package dev.crucible.queue;

import java.time.Duration;
import java.util.Objects;
import java.util.UUID;

/**
 * How to reach Redis and name the streams.
 *
 * @param redisUri       e.g. {@code redis://:password@127.0.0.1:6380/0}
 * @param keyPrefix      every key this module uses starts with it, so that tests and deployments can share a server
 * @param commandTimeout the deadline of every Redis command; blocking reads wait less than this
 * @param reclaimAfter   how long a job may sit unclaimed (its executor renews the claim while it runs) before
 *                       another executor takes it over
 * @param maxDeliveries  a job handed out more often than this (its executors kept dying on it) is given up:
 *                       dead-lettered, and its submission ends as internal_error
 */
public record QueueSettings(String redisUri, String keyPrefix, Duration commandTimeout, Duration reclaimAfter, int maxDeliveries) {
    public QueueSettings {
        Objects.requireNonNull(redisUri, "redisUri");
        Objects.requireNonNull(keyPrefix, "keyPrefix");
        if (maxDeliveries < 1) {
            throw new IllegalArgumentException("maxDeliveries must be at least 1, was " + maxDeliveries);
        }
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

    /** The lanes that hold waiting jobs, in round-robin order. */
    String ringKey() {
        return keyPrefix + ":lanes";
    }

    String laneKey(String lane) {
        return keyPrefix + ":lane:" + lane;
    }

    /** The waiting jobs' texts by submission id. */
    String waitingJobsKey() {
        return keyPrefix + ":waiting";
    }

    String doorbellKey() {
        return keyPrefix + ":doorbell";
    }

    String deadLetterKey() {
        return keyPrefix + ":dead";
    }

    String cancelledKey(UUID submissionId) {
        return keyPrefix + ":cancelled:" + submissionId;
    }

    /** A submission's live output: a stream of its chunks. */
    String liveOutputKey(UUID submissionId) {
        return keyPrefix + ":live:" + submissionId;
    }

    /** Session starts, read by the executors' group: the first with room takes one. */
    String sessionOpensKey() {
        return keyPrefix + ":sessions:open";
    }

    /** Requests for the sessions one executor holds. */
    String sessionInboxKey(String executor) {
        return keyPrefix + ":sessions:to:" + executor;
    }

    String sessionEventsKey() {
        return keyPrefix + ":sessions:events";
    }

    /** Where the answer to one session request is put, once. */
    String sessionReplyKey(String address) {
        return keyPrefix + ":sessions:reply:" + address;
    }

    String executorsKey() {
        return keyPrefix + ":executors";
    }

    String healthyExecutorsKey() {
        return keyPrefix + ":executors:healthy";
    }

    /** Blocking reads must return before the command timeout fires. */
    Duration maxBlock() {
        return commandTimeout.minusSeconds(1);
    }
}
