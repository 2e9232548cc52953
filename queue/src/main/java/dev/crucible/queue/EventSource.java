package dev.crucible.queue;

import java.time.Duration;
import java.util.List;

/** The api's side of the event stream: a consumer in the api group. */
public interface EventSource {
    /** Events not yet acknowledged by this consumer first, then new ones, waiting up to {@code block}. */
    List<EventDelivery> take(int max, Duration block);

    /** Acknowledges and deletes the event. Call only after it was stored. */
    void acknowledge(EventDelivery delivery);

    /** An event handed to this consumer, with the stream entry id it must be acknowledged by. */
    record EventDelivery(String entryId, ExecutionEvent event) {}
}
