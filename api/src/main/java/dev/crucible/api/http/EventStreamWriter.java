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
 * {@code <n>.<live>}, live being the last output entry sent ({@code 0} before one), and on one that
 * also tells numbered changes {@code <n>.<live>.<mark>}, mark being the last change told. Such a
 * stream opened with a {@code Last-Event-ID} of its own making goes on counting from it, its output
 * from after that entry and its changes from after that mark.
 */
public final class EventStreamWriter {
    /** Well inside nginx's and most proxies' idle timeouts (60 s by default). */
    public static final Duration HEARTBEAT = Duration.ofSeconds(15);
    /** Parts of 19 digits at most fit a Redis entry id (two unsigned 64-bit numbers), so none sent back can fail a read. */
    private static final Pattern LIVE_EVENT_ID = Pattern.compile("(\\d{1,9})\\.(0|\\d{1,19}-\\d{1,19})(?:\\.(\\d{1,18}))?");

    private final OutputStream out;
    private final boolean live;
    private long lastWrite = System.nanoTime();
    private int sent;
    private String liveAfter;
    private Long mark;

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
            writer.mark = resumed.group(3) == null ? null : Long.valueOf(resumed.group(3));
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

    /** The last change told, as the client's {@code Last-Event-ID} gave it back; null on a fresh stream. */
    public Long mark() {
        return mark;
    }

    /** The last change told: every change up to it has been sent. */
    public void mark(long lastTold) {
        mark = lastTold;
    }

    public void event(String name, String data) throws IOException {
        sent++;
        String id = !live ? Integer.toString(sent)
                : sent + "." + (liveAfter == null ? "0" : liveAfter) + (mark == null ? "" : "." + mark);
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
