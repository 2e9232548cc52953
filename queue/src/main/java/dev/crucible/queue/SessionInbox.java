package dev.crucible.queue;

import java.time.Duration;
import java.util.List;

/** An executor's side of sessions: the starts it takes, the requests for the sessions it holds, its answers. */
public interface SessionInbox {
    /** Session starts no executor took yet, at most {@code max}, waiting up to {@code block}; take only as many as there is room for. */
    List<Delivery> takeOpens(int max, Duration block);

    /** Requests for this executor's sessions, waiting up to {@code block}. */
    List<Delivery> take(int max, Duration block);

    /** Acknowledges and deletes a delivery once it is handled (an open: once its session is ready or refused). */
    void done(Delivery delivery);

    void reply(String replyTo, SessionReply reply);

    void publish(SessionEvent event);

    /** A request and the stream entry it came in. */
    record Delivery(String stream, String entryId, SessionRequest request) {}
}
