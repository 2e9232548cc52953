package dev.crucible.queue;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * The Redis behind Crucible's queue: lanes where jobs wait, one per submitter ({@link FairLanes}), a
 * job stream of the jobs taken from them, read by the executors' consumer group, an event stream read
 * by the api's group, and a sorted set of executor heartbeats.
 *
 * <p>Entries are deleted once acknowledged, so the streams hold only unfinished work; PostgreSQL, not
 * Redis, is the record of what was accepted.
 */
public final class RedisQueue implements AutoCloseable {
    private static final String EXECUTORS_GROUP = "executors";
    private static final String API_GROUP = "api";
    /**
     * A page of the job stream as entry id, submission id, entry id, ...: read in Redis, so that the
     * jobs themselves (up to megabytes each, code included) never travel to the api.
     */
    private static final String LIVE_PAGE_SCRIPT = """
            local out = {}
            for _, entry in ipairs(redis.call('XRANGE', KEYS[1], ARGV[1], '+', 'COUNT', tonumber(ARGV[2]))) do
                local id = ''
                for i = 1, #entry[2], 2 do
                    if entry[2][i] == 'submission_id' then id = entry[2][i + 1] end
                end
                out[#out + 1] = entry[1]
                out[#out + 1] = id
            end
            return out""";
    /** The dead-letter stream keeps the newest this many (about): it is for looking into, not a store. */
    private static final long DEAD_LETTERS_KEPT = 1000;
    /** A submission's live output keeps about this many chunks; the executor caps it lower. */
    private static final long LIVE_CHUNKS_KEPT = 4096;
    /** Entries per page: Redis holds a page's jobs in the script's memory while it reads them. */
    private static final int LIVE_PAGE = 20;

    private final QueueSettings settings;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> shared;
    private final List<StatefulRedisConnection<String, String>> dedicated = new ArrayList<>();
    private final Codec codec = new Codec();
    /** The lanes, over the shared connection: enqueues, withdrawals and figures, never a blocking read. */
    private final FairLanes lanes;
    private final QueueObserver observer;
    private final Clock clock;

    private RedisQueue(QueueSettings settings, RedisClient client, StatefulRedisConnection<String, String> shared,
                       QueueObserver observer, Clock clock) {
        this.settings = settings;
        this.client = client;
        this.shared = shared;
        this.lanes = new FairLanes(shared.sync(), settings);
        this.observer = observer;
        this.clock = clock;
    }

    /**
     * Connects now; fails with {@link QueueException} when Redis does not answer within the command timeout.
     *
     * @param observer told of every reclaim and dead letter of this process's readers
     */
    public static RedisQueue connect(QueueSettings settings, QueueObserver observer) {
        RedisClient client = RedisClient.create(RedisURI.create(settings.redisUri()));
        client.setOptions(ClientOptions.builder()
                .timeoutOptions(TimeoutOptions.enabled(settings.commandTimeout()))
                .socketOptions(SocketOptions.builder().connectTimeout(settings.commandTimeout()).build())
                .build());
        try {
            return new RedisQueue(settings, client, client.connect(), observer, Clock.systemUTC());
        } catch (RedisException e) {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            throw new QueueException("cannot connect to Redis at " + redacted(settings.redisUri()), e);
        }
    }

    public JobQueue jobQueue() {
        return (submissionId, lane, encodedJob) -> run("enqueue " + submissionId,
                () -> lanes.enqueue(submissionId.toString(), lane, encodedJob));
    }

    public LiveJobs liveJobs() {
        RedisCommands<String, String> redis = shared.sync();
        return () -> call("list the waiting and running jobs", () -> {
            Set<UUID> live = new HashSet<>();
            // Waiting ones first: a job moved to the stream in between is then found in the stream.
            lanes.waitingSubmissionIds().forEach(id -> submissionId(id).ifPresent(live::add));
            String from = "-";
            List<Object> page;
            do {
                page = redis.eval(LIVE_PAGE_SCRIPT, ScriptOutputType.MULTI, new String[] {settings.jobsKey()},
                        from, Integer.toString(LIVE_PAGE));
                for (int i = 0; i + 1 < page.size(); i += 2) {
                    submissionId((String) page.get(i + 1)).ifPresent(live::add);
                    from = "(" + page.get(i);
                }
            } while (page.size() == 2 * LIVE_PAGE);
            return live;
        });
    }

    /**
     * A consumer in the executors' group; {@code consumer} must be stable across restarts of the same executor.
     *
     * @param givenUp told of each job this consumer's takes give up on, so that its submission can be ended
     */
    public JobSource jobSource(String consumer, GivenUpJobs givenUp) {
        StatefulRedisConnection<String, String> connection = connect(consumer);
        GroupReader reader = reader(connection, settings.jobsKey(), "jobs", EXECUTORS_GROUP, consumer);
        // On the consumer's own connection: the doorbell wait blocks it.
        FairLanes dispatch = new FairLanes(connection.sync(), settings);
        return new JobSource() {
            @Override
            public List<JobDelivery> take(int max, Duration block) {
                return call("take jobs", () -> {
                    List<JobDelivery> owned = deliveries(reader, reader.takeOwnedOrReclaimed(max), givenUp);
                    if (!owned.isEmpty()) {
                        return owned;
                    }
                    // Jobs put on the stream itself, by an api from before lanes.
                    List<JobDelivery> direct = deliveries(reader, reader.readNew(max, Duration.ZERO), givenUp);
                    if (!direct.isEmpty()) {
                        return direct;
                    }
                    FairLanes.Taken waiting = fromLanes(max, null);
                    List<JobDelivery> taken = deliveries(reader, waiting.jobs(), givenUp);
                    if (!taken.isEmpty() || block.isZero()) {
                        return taken;
                    }
                    dispatch.awaitBell(waiting.latestBell(), reader.capped(block));
                    return deliveries(reader, fromLanes(max, null).jobs(), givenUp);
                });
            }

            @Override
            public Optional<JobDelivery> takeFromOtherLane(String lane) {
                return call("take a job of another lane than " + lane,
                        () -> deliveries(reader, fromLanes(1, lane).jobs(), givenUp).stream().findFirst());
            }

            private FairLanes.Taken fromLanes(int max, String passOver) {
                FairLanes.Taken taken = dispatch.take(reader.group(), reader.consumerName(), max, passOver);
                taken.jobs().forEach(job -> reader.handedOut(job.getId()));
                return taken;
            }

            @Override
            public void complete(JobDelivery delivery) {
                run("complete job " + delivery.entryId(), () -> reader.acknowledgeAndDelete(delivery.entryId()));
            }

            @Override
            public void renew(JobDelivery delivery) {
                run("renew job " + delivery.entryId(), () -> reader.renew(delivery.entryId()));
            }

            @Override
            public void handBack(JobDelivery delivery) {
                run("hand back job " + delivery.entryId(), () -> reader.handBack(delivery.entryId()));
            }
        };
    }

    /** Decoded jobs within their bound of deliveries, each with the lane it waited in. */
    private List<JobSource.JobDelivery> deliveries(GroupReader reader, List<StreamMessage<String, String>> messages, GivenUpJobs givenUp) {
        Map<String, String> laneOf = new HashMap<>();
        messages.forEach(m -> laneOf.put(m.getId(), m.getBody().getOrDefault("lane", "")));
        return decode(reader, messages, "job", Job.class, givenUp).stream()
                .filter(d -> withinDeliveries(reader, d, givenUp))
                .map(d -> new JobSource.JobDelivery(d.entryId(), laneOf.get(d.entryId()), d.value())).toList();
    }

    public EventSink eventSink() {
        RedisCommands<String, String> redis = shared.sync();
        return event -> call("publish event for " + event.submissionId(), () ->
                redis.xadd(settings.eventsKey(), Map.of("submission_id", event.submissionId().toString(), "event", codec.write(event))));
    }

    /** A consumer in the api's group; {@code consumer} must be stable across restarts of the same api instance. */
    public EventSource eventSource(String consumer) {
        GroupReader reader = reader(connect(consumer), settings.eventsKey(), "events", API_GROUP, consumer);
        return new EventSource() {
            @Override
            public List<EventDelivery> take(int max, Duration block) {
                return call("take events", () -> decode(reader, reader.take(max, block), "event", ExecutionEvent.class, null).stream()
                        .map(d -> new EventDelivery(d.entryId(), d.value())).toList());
            }

            @Override
            public void acknowledge(EventDelivery delivery) {
                run("acknowledge event " + delivery.entryId(), () -> reader.acknowledgeAndDelete(delivery.entryId()));
            }
        };
    }

    /** The api's side of sessions. */
    public SessionDispatch sessionDispatch() {
        return sessions().dispatch();
    }

    /** An executor's side of sessions; {@code executor} is its stable name. */
    public SessionInbox sessionInbox(String executor) {
        return sessions().inbox(executor);
    }

    /** A consumer of session events in the api's group; {@code consumer} must be stable across restarts of the same api instance. */
    public SessionEventSource sessionEvents(String consumer) {
        return sessions().events(consumer);
    }

    private RedisSessions sessions() {
        return new RedisSessions(settings, codec, shared.sync(), this::connect,
                (stream, kind, group, consumer) -> reader(connect(consumer), stream, kind, group, consumer),
                (reader, message, reason) -> deadLetter(reader, message.getId(), message.getBody(), message.getStream(), reason));
    }

    public ExecutorRegistry executorRegistry() {
        RedisCommands<String, String> redis = shared.sync();
        return new ExecutorRegistry() {
            @Override
            public void heartbeat(String executor, boolean healthy) {
                run("heartbeat", () -> {
                    redis.zadd(settings.executorsKey(), clock.millis(), executor);
                    if (healthy) {
                        redis.zadd(settings.healthyExecutorsKey(), clock.millis(), executor);
                    } else {
                        redis.zrem(settings.healthyExecutorsKey(), executor);
                    }
                });
            }

            @Override
            public Optional<Instant> lastBeat(String executor) {
                Double at = call("look up executor " + executor, () -> redis.zscore(settings.executorsKey(), executor));
                return at == null ? Optional.empty() : Optional.of(Instant.ofEpochMilli(at.longValue()));
            }

            @Override
            public long liveCount(Duration window) {
                return count(settings.executorsKey(), window);
            }

            @Override
            public long healthyCount(Duration window) {
                return count(settings.healthyExecutorsKey(), window);
            }

            private long count(String key, Duration window) {
                long since = clock.millis() - window.toMillis();
                return call("count executors", () -> {
                    redis.zremrangebyscore(key, Range.create(0, since - window.toMillis()));
                    return redis.zcount(key, Range.create(since, Long.MAX_VALUE));
                });
            }
        };
    }

    /** Cancellation marks expire after a day: no job waits in the queue that long. */
    public Cancellations cancellations() {
        RedisCommands<String, String> redis = shared.sync();
        return new Cancellations() {
            @Override
            public void cancel(UUID submissionId) {
                run("cancel " + submissionId, () -> {
                    redis.setex(settings.cancelledKey(submissionId), 86_400, "1");
                    // A job still waiting never runs, and its code leaves Redis now.
                    lanes.withdraw(submissionId.toString());
                });
            }

            @Override
            public boolean isCancelled(UUID submissionId) {
                return call("look up cancellation of " + submissionId, () -> redis.exists(settings.cancelledKey(submissionId)) > 0);
            }
        };
    }

    /**
     * Live output, over the shared connection: appends are pipelined without waiting, reads are short
     * ranges. A submission's chunks are one stream, trimmed to {@link #LIVE_CHUNKS_KEPT} and expiring
     * {@link LiveOutput#KEPT_FOR} after the last append.
     */
    public LiveOutput liveOutput() {
        RedisCommands<String, String> redis = shared.sync();
        RedisAsyncCommands<String, String> async = shared.async();
        return new LiveOutput() {
            @Override
            public CompletableFuture<Void> append(UUID submissionId, OutputChunk chunk) {
                String key = settings.liveOutputKey(submissionId);
                CompletableFuture<String> added = async.xadd(key, XAddArgs.Builder.maxlen(LIVE_CHUNKS_KEPT).approximateTrimming(),
                        Map.of("chunk", codec.write(chunk))).toCompletableFuture();
                CompletableFuture<Boolean> expiring = async.pexpire(key, LiveOutput.KEPT_FOR.toMillis()).toCompletableFuture();
                return CompletableFuture.allOf(added, expiring);
            }

            @Override
            public Page read(UUID submissionId, String after, int max) {
                Range<String> range = after == null ? Range.unbounded()
                        : Range.from(Range.Boundary.excluding(after), Range.Boundary.unbounded());
                return call("read the live output of " + submissionId, () -> {
                    List<Entry> chunks = new ArrayList<>();
                    String last = after;
                    for (StreamMessage<String, String> message : redis.xrange(settings.liveOutputKey(submissionId), range, Limit.from(max))) {
                        last = message.getId();
                        try {
                            chunks.add(new Entry(message.getId(), codec.read(message.getBody().get("chunk"), OutputChunk.class, message.getId())));
                        } catch (UnreadableEntryException unreadable) {
                            // Passed over: only a watcher's view of the output is lost, the result is stored apart.
                        }
                    }
                    return new Page(chunks, last);
                });
            }
        };
    }

    /** Round trip to Redis, for readiness checks. */
    public void ping() {
        run("ping", () -> shared.sync().ping());
    }

    /** Jobs waiting in lanes plus those in the job stream, being run. */
    public long jobBacklog() {
        return call("measure backlog", () -> lanes.waitingJobs() + shared.sync().xlen(settings.jobsKey()));
    }

    /**
     * Bytes Redis holds in memory ({@code INFO memory}'s {@code used_memory}): it should level off at
     * the work in flight. Its append-only file is rewritten from memory as it grows, so its disk use follows.
     */
    public long memoryBytes() {
        return call("measure Redis's memory", () -> infoField(shared.sync().info("memory"), "used_memory"));
    }

    private static long infoField(String info, String field) {
        return info.lines().filter(line -> line.startsWith(field + ":")).findFirst()
                .map(line -> Long.parseLong(line.substring(field.length() + 1).strip()))
                .orElseThrow(() -> new QueueException("Redis's INFO has no " + field + ": " + info.lines().limit(3).toList(), null));
    }

    /** How many lanes (submitters) have jobs waiting. */
    public long waitingLanes() {
        return call("count waiting lanes", lanes::waitingLanes);
    }

    /**
     * When the oldest job, waiting or being run, was enqueued: Redis's clock, read from the lanes'
     * oldest entries and the job stream's first entry id ({@code <ms>-<seq>}). Empty when there is none.
     */
    public Optional<Instant> oldestJobEnqueuedAt() {
        Optional<Instant> waiting = call("find the oldest waiting job", lanes::oldestWaitingSince);
        List<StreamMessage<String, String>> oldest = call("find the oldest job",
                () -> shared.sync().xrange(settings.jobsKey(), Range.unbounded(), Limit.create(0, 1)));
        Optional<Instant> running = oldest.stream().findFirst()
                .map(entry -> Instant.ofEpochMilli(Long.parseLong(entry.getId().substring(0, entry.getId().indexOf('-')))));
        return Stream.of(waiting, running).flatMap(Optional::stream).min(Comparator.naturalOrder());
    }

    @Override
    public void close() {
        for (StatefulRedisConnection<String, String> connection : dedicated.reversed()) {
            connection.close();
        }
        shared.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }

    private synchronized StatefulRedisConnection<String, String> connect(String consumer) {
        StatefulRedisConnection<String, String> connection = call("connect " + consumer, client::connect);
        dedicated.add(connection);
        return connection;
    }

    private GroupReader reader(StatefulRedisConnection<String, String> connection, String stream, String kind, String group,
                               String consumer) {
        return call("create group " + group, () -> new GroupReader(connection.sync(), stream, kind, group, consumer,
                settings.maxBlock(), settings.reclaimAfter(), observer));
    }

    private record Decoded<T>(String entryId, T value) {}

    /**
     * Decodes entries; one that cannot be read is moved to the dead-letter stream so it cannot block the rest.
     *
     * @param givenUp told of an unreadable job; null for events
     */
    private <T> List<Decoded<T>> decode(GroupReader reader, List<StreamMessage<String, String>> messages, String field, Class<T> type,
                                        GivenUpJobs givenUp) {
        List<Decoded<T>> decoded = new ArrayList<>(messages.size());
        for (StreamMessage<String, String> message : messages) {
            try {
                decoded.add(new Decoded<>(message.getId(), codec.read(message.getBody().get(field), type, message.getId())));
            } catch (UnreadableEntryException e) {
                if (givenUp != null) {
                    giveUpUnreadableJob(message.getBody().get("submission_id"), e, givenUp);
                }
                deadLetter(reader, message.getId(), message.getBody(), message.getStream(), e.getMessage());
            }
        }
        return decoded;
    }

    /**
     * False, after giving the job up, when it was handed out more than {@code maxDeliveries} times: a
     * job that keeps killing its executors must not go round for ever.
     */
    private boolean withinDeliveries(GroupReader reader, Decoded<Job> job, GivenUpJobs givenUp) {
        long deliveries = reader.deliveries(job.entryId());
        if (deliveries <= settings.maxDeliveries()) {
            return true;
        }
        String reason = "given up after " + deliveries + " deliveries: its executors stopped before finishing it";
        givenUp.givenUp(job.value().submissionId(), reason);
        deadLetter(reader, job.entryId(), Map.of("submission_id", job.value().submissionId().toString()), settings.jobsKey(), reason);
        return false;
    }

    /** Copies {@code fields} with the reason to the dead-letter stream, then takes the entry off its own. */
    private void deadLetter(GroupReader reader, String entryId, Map<String, String> fields, String source, String reason) {
        Map<String, String> dead = new HashMap<>(fields);
        dead.put("dead_letter_reason", reason);
        dead.put("dead_letter_source", source);
        shared.sync().xadd(settings.deadLetterKey(), XAddArgs.Builder.maxlen(DEAD_LETTERS_KEPT).approximateTrimming(), dead);
        reader.acknowledgeAndDelete(entryId);
        observer.deadLettered(reader.kind());
    }

    /** A job nobody can run is given up, so that its submission does not wait forever. */
    private static void giveUpUnreadableJob(String submissionId, UnreadableEntryException cause, GivenUpJobs givenUp) {
        // Without an id that names a submission, the dead-letter copy is all there is.
        submissionId(submissionId).ifPresent(id -> givenUp.givenUp(id, "the job could not be read from the queue: " + cause.getMessage()));
    }

    private static Optional<UUID> submissionId(String field) {
        try {
            return Optional.of(UUID.fromString(String.valueOf(field)));
        } catch (IllegalArgumentException noId) {
            return Optional.empty();
        }
    }

    interface RedisCall<T> {
        T run();
    }

    static <T> T call(String what, RedisCall<T> action) {
        try {
            return action.run();
        } catch (RedisException e) {
            throw new QueueException("Redis failed to " + what + ": " + e.getMessage(), e);
        }
    }

    static void run(String what, Runnable action) {
        call(what, () -> {
            action.run();
            return null;
        });
    }

    static String redacted(String uri) {
        return uri.replaceAll("//[^@/]*@", "//***@");
    }
}
