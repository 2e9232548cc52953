package dev.crucible.queue;

import java.time.Duration;
import java.util.List;

/** The api's side of the session event stream: a consumer in the api group. */
public interface SessionEventSource {
    List<Delivery> take(int max, Duration block);

    /** Acknowledges and deletes the event. Call only after it was stored. */
    void acknowledge(Delivery delivery);

    record Delivery(String entryId, SessionEvent event) {}
}
