package dev.crucible.queue;

import io.lettuce.core.Consumer;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisBusyException;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAutoClaimArgs;
import io.lettuce.core.XClaimArgs;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.models.stream.PendingMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One consumer of one stream in one consumer group, on its own connection (blocking reads stall
 * everything else multiplexed on a Lettuce connection).
 *
 * <p>Reads first the consumer's own pending entries (given to it before a restart and never
 * acknowledged), then, when {@code reclaimAfter} is set, entries that sat idle that long at another
 * consumer, then new entries.
 */
final class GroupReader {
    private final RedisCommands<String, String> redis;
    private final String stream;
    private final String kind;
    private final QueueObserver observer;
    private final Consumer<String> consumer;
    private final Duration maxBlock;
    private final Duration reclaimAfter;
    private static final Duration HANDED_BACK_IDLE = Duration.ofDays(365);
    /** Where the read of this consumer's own pending entries stands; null once they are all handed out. */
    private String pendingCursor = "0";
    /** Entries handed out in this life before the pending ones were read: pending too, but not from before a restart. */
    private final Set<String> handedOutEarly = new HashSet<>();

    /** @param kind the stream's name for {@code observer}: {@code jobs} or {@code events} */
    GroupReader(RedisCommands<String, String> redis, String stream, String kind, String group, String consumerName,
                Duration maxBlock, Duration reclaimAfter, QueueObserver observer) {
        this.redis = redis;
        this.stream = stream;
        this.kind = kind;
        this.observer = observer;
        this.consumer = Consumer.from(group, consumerName);
        this.maxBlock = maxBlock;
        this.reclaimAfter = reclaimAfter;
        createGroup(redis, stream, group);
    }

    static void createGroup(RedisCommands<String, String> redis, String stream, String group) {
        try {
            redis.xgroupCreate(XReadArgs.StreamOffset.from(stream, "0"), group, XGroupCreateArgs.Builder.mkstream());
        } catch (RedisBusyException alreadyThere) {
            // BUSYGROUP: another process or an earlier start created it; that is the normal case.
        }
    }

    List<StreamMessage<String, String>> take(int max, Duration block) {
        List<StreamMessage<String, String>> owned = takeOwnedOrReclaimed(max);
        return owned.isEmpty() ? readNew(max, block) : owned;
    }

    /** Entries this consumer was given before a restart, else entries idle too long at another consumer. */
    List<StreamMessage<String, String>> takeOwnedOrReclaimed(int max) {
        if (pendingCursor != null) {
            List<StreamMessage<String, String>> pending = redis.xreadgroup(consumer, XReadArgs.Builder.count(max),
                    XReadArgs.StreamOffset.from(stream, pendingCursor));
            if (!pending.isEmpty()) {
                pendingCursor = pending.getLast().getId();
                // Entries deleted while pending come back with no body; there is nothing left to run.
                acknowledgeEmpty(pending);
                return withBody(pending).stream().filter(m -> !handedOutEarly.contains(m.getId())).toList();
            }
            pendingCursor = null;
            handedOutEarly.clear();
        }
        if (reclaimAfter != null) {
            var claimed = redis.xautoclaim(stream,
                    XAutoClaimArgs.Builder.xautoclaim(consumer, reclaimAfter, "0-0").count(max));
            List<StreamMessage<String, String>> live = withBody(claimed.getMessages());
            if (!live.isEmpty()) {
                observer.reclaimed(kind, live.size());
                return live;
            }
        }
        return List.of();
    }

    /** Entries no consumer of the group was given yet, waiting up to {@code block} for one ({@code ZERO}: not at all). */
    List<StreamMessage<String, String>> readNew(int max, Duration block) {
        XReadArgs args = XReadArgs.Builder.count(max);
        if (!block.isZero()) {
            args.block(capped(block));
        }
        List<StreamMessage<String, String>> fresh = redis.xreadgroup(consumer, args, XReadArgs.StreamOffset.lastConsumed(stream));
        return fresh == null ? List.of() : fresh;
    }

    /** Notes an entry this consumer was given by other means than {@link #take}, so that it is not given again as pending. */
    void handedOut(String entryId) {
        if (pendingCursor != null) {
            handedOutEarly.add(entryId);
        }
    }

    String group() {
        return consumer.getGroup();
    }

    String consumerName() {
        return consumer.getName();
    }

    /** {@code block}, or less: a blocking read must return before the command timeout fires. */
    Duration capped(Duration block) {
        return block.compareTo(maxBlock) > 0 ? maxBlock : block;
    }

    /** How often the entry was handed out: first delivery, restarts, reclaims. */
    long deliveries(String entryId) {
        List<PendingMessage> pending = redis.xpending(stream, consumer.getGroup(), Range.create(entryId, entryId), Limit.create(0, 1));
        return pending.isEmpty() ? 0 : pending.getFirst().getRedeliveryCount();
    }

    void renew(String entryId) {
        redis.xclaim(stream, consumer, XClaimArgs.Builder.justid(), entryId);
    }

    /**
     * Leaves the entry pending, idle as if for a year: past any consumer's reclaim time, so the next
     * take of any consumer claims it. The claim that hands it back leaves its count of deliveries one
     * less than it was, so the next claim, which counts one up, leaves it as it was.
     */
    void handBack(String entryId) {
        long deliveries = deliveries(entryId);
        redis.xclaim(stream, consumer, XClaimArgs.Builder.justid().idle(HANDED_BACK_IDLE)
                .retryCount(Math.max(0, deliveries - 1)), entryId);
    }

    String kind() {
        return kind;
    }

    void acknowledgeAndDelete(String entryId) {
        redis.xack(stream, consumer.getGroup(), entryId);
        redis.xdel(stream, entryId);
    }

    private static List<StreamMessage<String, String>> withBody(List<StreamMessage<String, String>> messages) {
        List<StreamMessage<String, String>> live = new ArrayList<>();
        for (StreamMessage<String, String> message : messages) {
            if (message.getBody() != null && !message.getBody().isEmpty()) {
                live.add(message);
            }
        }
        return live;
    }

    private void acknowledgeEmpty(List<StreamMessage<String, String>> messages) {
        for (StreamMessage<String, String> message : messages) {
            if (message.getBody() == null || message.getBody().isEmpty()) {
                redis.xack(stream, consumer.getGroup(), message.getId());
            }
        }
    }
}
