package dev.crucible.queue;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/** The api's side of sessions: requests to executors, and the answers to those that wait for one. */
public interface SessionDispatch {
    /** Queues the start of a session, for the first executor with room. */
    void open(SessionRequest.Open request);

    /** Sends {@code request} to the executor that holds its session; returns once Redis has it. */
    void send(String executor, SessionRequest request);

    /**
     * Sends a request made by {@code request} with a fresh reply address, and waits up to {@code timeout}
     * for its answer; empty when none came in time (the executor is gone or stuck).
     */
    Optional<SessionReply> ask(String executor, Function<String, SessionRequest> request, Duration timeout);
}
