package dev.crucible.api.http;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One Server-Sent Events response as the api writes them: each event flushed at once, a keep-alive
 * comment when nothing was written for {@link #HEARTBEAT}, and event ids that let a client resume.
 *
 * <p>An id is the count of events {@code n}; on a stream that carries live output it is
 * {@code <n>.<live>}, live being the last output entry sent ({@code 0} before one). Such a stream
 * opened with a {@code Last-Event-ID} of its own making goes on counting from it, and its output
 * from after that entry.
 */
public final class EventStreamWriter {
    /** Well inside nginx's and most proxies' idle timeouts (60 s by default). */
    public static final Duration HEARTBEAT = Duration.ofSeconds(15);
    private static final Pattern LIVE_EVENT_ID = Pattern.compile("(\\d{1,9})\\.(0|\\d{1,20}-\\d{1,20})");

    private final OutputStream out;
    private final boolean live;
    private long lastWrite = System.nanoTime();
    private int sent;
    private String liveAfter;

    private EventStreamWriter(OutputStream out, boolean live) {
        this.out = out;
        this.live = live;
    }

    /** A stream of states only: ids count the events. */
    public static EventStreamWriter ofStates(OutputStream out) {
        return new EventStreamWriter(out, false);
    }

    /**
     * A stream of states and live output.
     *
     * @param lastEventId the {@code Last-Event-ID} of a reconnecting client; null, or one not of this kind, starts afresh
     */
    public static EventStreamWriter withLiveOutput(OutputStream out, String lastEventId) {
        EventStreamWriter writer = new EventStreamWriter(out, true);
        Matcher resumed = lastEventId == null ? null : LIVE_EVENT_ID.matcher(lastEventId.strip());
        if (resumed != null && resumed.matches()) {
            writer.sent = Integer.parseInt(resumed.group(1));
            writer.liveAfter = resumed.group(2).equals("0") ? null : resumed.group(2);
        }
        return writer;
    }

    /** Events sent on this stream, those before a resume included. */
    public int sent() {
        return sent;
    }

    /** The live output's last entry sent; null before the first. */
    public String liveAfter() {
        return liveAfter;
    }

    /** Where the live output is read on after: the entry just sent, or the last one looked at. */
    public void liveAfter(String entryId) {
        liveAfter = entryId;
    }

    public void event(String name, String data) throws IOException {
        sent++;
        String id = live ? sent + "." + (liveAfter == null ? "0" : liveAfter) : Integer.toString(sent);
        write("event: " + name + "\nid: " + id + "\ndata: " + data + "\n\n");
    }

    public void comment(String text) throws IOException {
        write(": " + text + "\n\n");
    }

    public void heartbeatIfDue() throws IOException {
        if (System.nanoTime() - lastWrite >= HEARTBEAT.toNanos()) {
            comment("keep-alive");
        }
    }

    private void write(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
        lastWrite = System.nanoTime();
    }
}
