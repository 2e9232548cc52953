package dev.crucible.queue;

import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Sessions over Redis: a stream of starts read by the executors' group, a stream per executor of
 * requests for the sessions it holds, a stream of session events read by the api's group, and one
 * short-lived list per answer a request waits for.
 */
final class RedisSessions {
    private static final String EXECUTORS_GROUP = "executors";
    private static final String OWNER_GROUP = "owner";
    private static final String API_GROUP = "api";
    /** A request stream keeps about this many; requests are deleted once handled, so it holds only those in hand. */
    private static final long REQUESTS_KEPT = 10_000;
    /** An answer nobody took (its asker gave up) goes after this. */
    private static final Duration REPLY_KEPT = Duration.ofSeconds(60);
    /** Answers awaited at once: each holds a connection of its own for its blocking pop. */
    private static final int WAITERS = 16;

    private final QueueSettings settings;
    private final Codec codec;
    private final RedisCommands<String, String> shared;
    private final Function<String, StatefulRedisConnection<String, String>> connect;
    private final GroupReaderFactory readers;
    private final DeadLetters deadLetters;

    /** Makes a group reader on a connection of its own. */
    interface GroupReaderFactory {
        GroupReader reader(String stream, String kind, String group, String consumer);
    }

    /** Moves an entry that cannot be read aside, with why, so that it cannot block the rest. */
    interface DeadLetters {
        void deadLetter(GroupReader reader, StreamMessage<String, String> message, String reason);
    }

    RedisSessions(QueueSettings settings, Codec codec, RedisCommands<String, String> shared,
                  Function<String, StatefulRedisConnection<String, String>> connect, GroupReaderFactory readers,
                  DeadLetters deadLetters) {
        this.settings = settings;
        this.codec = codec;
        this.shared = shared;
        this.connect = connect;
        this.readers = readers;
        this.deadLetters = deadLetters;
    }

    SessionDispatch dispatch() {
        Semaphore waiters = new Semaphore(WAITERS);
        ConcurrentLinkedQueue<StatefulRedisConnection<String, String>> idle = new ConcurrentLinkedQueue<>();
        return new SessionDispatch() {
            @Override
            public void open(SessionRequest.Open request) {
                add(settings.sessionOpensKey(), request);
            }

            @Override
            public void send(String executor, SessionRequest request) {
                add(settings.sessionInboxKey(executor), request);
            }

            @Override
            public Optional<SessionReply> ask(String executor, Function<String, SessionRequest> request, Duration timeout) {
                String address = UUID.randomUUID().toString();
                long deadline = System.nanoTime() + timeout.toNanos();
                try {
                    if (!waiters.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                        return Optional.empty();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return Optional.empty();
                }
                try {
                    StatefulRedisConnection<String, String> connection = Optional.ofNullable(idle.poll())
                            .orElseGet(() -> connect.apply("session-replies"));
                    try {
                        send(executor, request.apply(address));
                        // A blocking pop counts whole seconds before Redis 6 and the command timeout caps it: wait in steps.
                        long left;
                        while ((left = deadline - System.nanoTime()) > 0) {
                            double seconds = Math.max(0.1, Math.min(Duration.ofNanos(left).toMillis(), settings.maxBlock().toMillis()) / 1000.0);
                            KeyValue<String, String> popped = RedisQueue.call("await the answer " + address,
                                    () -> connection.sync().blpop(seconds, settings.sessionReplyKey(address)));
                            if (popped != null && popped.hasValue()) {
                                return Optional.of(codec.read(popped.getValue(), SessionReply.class, address));
                            }
                        }
                        return Optional.empty();
                    } finally {
                        idle.add(connection);
                    }
                } finally {
                    waiters.release();
                }
            }
        };
    }

    SessionInbox inbox(String executor) {
        GroupReader opens = readers.reader(settings.sessionOpensKey(), "session-opens", EXECUTORS_GROUP, executor);
        GroupReader own = readers.reader(settings.sessionInboxKey(executor), "session-requests", OWNER_GROUP, executor);
        return new SessionInbox() {
            @Override
            public List<Delivery> takeOpens(int max, Duration block) {
                // Starts another executor took and never finished (it died) are not taken over: the api has given
                // up on them by then, and a session is started once or not at all.
                return RedisQueue.call("take session starts", () -> deliveries(opens, opens.readNew(max, block)));
            }

            @Override
            public List<Delivery> take(int max, Duration block) {
                return RedisQueue.call("take session requests", () -> deliveries(own, own.take(max, block)));
            }

            @Override
            public void done(Delivery delivery) {
                GroupReader reader = delivery.stream().equals(settings.sessionOpensKey()) ? opens : own;
                RedisQueue.run("acknowledge session request " + delivery.entryId(), () -> reader.acknowledgeAndDelete(delivery.entryId()));
            }

            @Override
            public void reply(String replyTo, SessionReply reply) {
                String key = settings.sessionReplyKey(replyTo);
                RedisQueue.run("answer " + replyTo, () -> {
                    shared.rpush(key, codec.write(reply));
                    shared.pexpire(key, REPLY_KEPT.toMillis());
                });
            }

            @Override
            public void publish(SessionEvent event) {
                RedisQueue.run("publish a session event", () -> shared.xadd(settings.sessionEventsKey(), Map.of("event", codec.write(event))));
            }
        };
    }

    SessionEventSource events(String consumer) {
        GroupReader reader = readers.reader(settings.sessionEventsKey(), "session-events", API_GROUP, consumer);
        return new SessionEventSource() {
            @Override
            public List<Delivery> take(int max, Duration block) {
                return RedisQueue.call("take session events", () -> {
                    List<Delivery> events = new ArrayList<>();
                    for (StreamMessage<String, String> message : reader.take(max, block)) {
                        readable(reader, message, SessionEvent.class, "event").ifPresent(e -> events.add(new Delivery(message.getId(), e)));
                    }
                    return events;
                });
            }

            @Override
            public void acknowledge(Delivery delivery) {
                RedisQueue.run("acknowledge session event " + delivery.entryId(), () -> reader.acknowledgeAndDelete(delivery.entryId()));
            }
        };
    }

    private void add(String stream, SessionRequest request) {
        RedisQueue.run("send a session request for " + request.sessionId(), () -> shared.xadd(stream,
                XAddArgs.Builder.maxlen(REQUESTS_KEPT).approximateTrimming(), Map.of("request", codec.write(request))));
    }

    private List<SessionInbox.Delivery> deliveries(GroupReader reader, List<StreamMessage<String, String>> messages) {
        List<SessionInbox.Delivery> deliveries = new ArrayList<>();
        for (StreamMessage<String, String> message : messages) {
            readable(reader, message, SessionRequest.class, "request")
                    .ifPresent(r -> deliveries.add(new SessionInbox.Delivery(message.getStream(), message.getId(), r)));
        }
        return deliveries;
    }

    /** The entry's value; one that cannot be read goes to the dead letters (its asker, if any, times out). */
    private <T> Optional<T> readable(GroupReader reader, StreamMessage<String, String> message, Class<T> type, String field) {
        try {
            return Optional.of(codec.read(message.getBody().get(field), type, message.getId()));
        } catch (UnreadableEntryException e) {
            deadLetters.deadLetter(reader, message, e.getMessage());
            return Optional.empty();
        }
    }
}
