package dev.crucible.queue;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where queued jobs wait, one lane per submitter, so that nobody's backlog delays anybody else's next
 * job by more than one job per slot.
 *
 * <p>A lane is a list of {@code <enqueued ms>:<submission id>}; the job texts wait in one hash by
 * submission id, and a ring lists the lanes that hold anything, each once. An executor with a free slot
 * takes the ring's first lane, moves that lane's oldest job into the job stream, read at once by its
 * own consumer, and puts the lane back at the ring's end if it holds more: round robin across
 * submitters. From the stream on, a job is what it always was (pending at its consumer, renewed while
 * it runs, reclaimed when its executor dies, dead-lettered after too many deliveries), since the move
 * and the read are one script. Each enqueue also rings a doorbell stream that idle executors block on.
 *
 * <p>The scripts name lane keys they build themselves: fine on one Redis server, not on a cluster.
 */
final class FairLanes {
    /** KEYS: ring, jobs hash, lane, doorbell. ARGV: submission id, job, lane name. A job already waiting is left as it is. */
    private static final String ENQUEUE = """
            if redis.call('HSETNX', KEYS[2], ARGV[1], ARGV[2]) == 0 then return 0 end
            local now = redis.call('TIME')
            local ms = now[1] * 1000 + math.floor(now[2] / 1000)
            if redis.call('RPUSH', KEYS[3], ms .. ':' .. ARGV[1]) == 1 then redis.call('RPUSH', KEYS[1], ARGV[3]) end
            redis.call('XADD', KEYS[4], 'MAXLEN', '~', '100', '*', 'at', ms)
            return 1""";
    /**
     * KEYS: ring, jobs hash, job stream, doorbell. ARGV: group, consumer, lane key prefix, how many jobs,
     * a lane to pass over ('' for none). Returns the doorbell's latest entry id ('0-0' when it never
     * rang), then entry id, submission id, lane, job for each job taken. The loop
     * ends when enough are taken, or every lane left is the one passed over; entries whose job was
     * withdrawn (cancelled) are dropped on the way, a bounded number per call.
     */
    private static final String DISPATCH = """
            local bell = redis.call('XREVRANGE', KEYS[4], '+', '-', 'COUNT', '1')
            local out = {bell[1] and bell[1][1] or '0-0'}
            local wanted = tonumber(ARGV[4])
            local visits = redis.call('LLEN', KEYS[1])
            local dropped = 0
            while #out < 1 + 4 * wanted and visits > 0 and dropped < 1000 do
                local lane = redis.call('LPOP', KEYS[1])
                if not lane then break end
                if lane == ARGV[5] then
                    redis.call('RPUSH', KEYS[1], lane)
                    visits = visits - 1
                else
                    local waiting = redis.call('LPOP', ARGV[3] .. lane)
                    local remaining = redis.call('LLEN', ARGV[3] .. lane)
                    local id = waiting and string.sub(waiting, string.find(waiting, ':', 1, true) + 1)
                    local job = id and redis.call('HGET', KEYS[2], id)
                    if job then
                        if remaining > 0 then redis.call('RPUSH', KEYS[1], lane) else visits = visits - 1 end
                        redis.call('HDEL', KEYS[2], id)
                        redis.call('XADD', KEYS[3], '*', 'submission_id', id, 'lane', lane, 'job', job)
                        local read = redis.call('XREADGROUP', 'GROUP', ARGV[1], ARGV[2], 'COUNT', '1', 'STREAMS', KEYS[3], '>')
                        local entry = read[1][2][1]
                        local fields = {}
                        for i = 1, #entry[2], 2 do fields[entry[2][i]] = entry[2][i + 1] end
                        out[#out + 1] = entry[1]
                        out[#out + 1] = fields['submission_id'] or ''
                        out[#out + 1] = fields['lane'] or ''
                        out[#out + 1] = fields['job'] or ''
                    else
                        -- withdrawn: the same lane keeps its turn with its next job
                        dropped = dropped + 1
                        if remaining > 0 then redis.call('LPUSH', KEYS[1], lane) else visits = visits - 1 end
                    end
                end
            end
            return out""";
    /** KEYS: ring. ARGV: lane key prefix. The enqueue time (ms) of the oldest waiting job, or false. */
    private static final String OLDEST = """
            local oldest = false
            for _, lane in ipairs(redis.call('LRANGE', KEYS[1], 0, -1)) do
                local head = redis.call('LINDEX', ARGV[1] .. lane, 0)
                if head then
                    local ms = tonumber(string.sub(head, 1, string.find(head, ':', 1, true) - 1))
                    if not oldest or ms < oldest then oldest = ms end
                end
            end
            return oldest""";

    private final RedisCommands<String, String> redis;
    private final QueueSettings settings;

    FairLanes(RedisCommands<String, String> redis, QueueSettings settings) {
        this.redis = redis;
        this.settings = settings;
    }

    /**
     * Jobs taken from their lanes, as the stream entries this consumer read (so pending there), and the
     * doorbell's latest entry id when they were taken: a wait for what comes after it misses no enqueue since.
     */
    record Taken(List<StreamMessage<String, String>> jobs, String latestBell) {}

    void enqueue(String submissionId, String lane, String job) {
        redis.eval(ENQUEUE, ScriptOutputType.INTEGER,
                new String[] {settings.ringKey(), settings.waitingJobsKey(), settings.laneKey(lane), settings.doorbellKey()},
                submissionId, job, lane);
    }

    /**
     * Up to {@code max} jobs, each from the next lane in the ring, passing over {@code passOver} (null
     * for none); moved to the stream and read there by {@code consumer} of {@code group}.
     */
    Taken take(String group, String consumer, int max, String passOver) {
        List<Object> flat = redis.eval(DISPATCH, ScriptOutputType.MULTI,
                new String[] {settings.ringKey(), settings.waitingJobsKey(), settings.jobsKey(), settings.doorbellKey()},
                group, consumer, settings.laneKey(""), Integer.toString(max), passOver == null ? "" : passOver);
        List<StreamMessage<String, String>> jobs = new ArrayList<>(flat.size() / 4);
        for (int i = 1; i + 3 < flat.size(); i += 4) {
            jobs.add(new StreamMessage<>(settings.jobsKey(), (String) flat.get(i),
                    Map.of("submission_id", (String) flat.get(i + 1), "lane", (String) flat.get(i + 2), "job", (String) flat.get(i + 3))));
        }
        return new Taken(jobs, (String) flat.getFirst());
    }

    /** Takes a waiting job out of its lane for good: it will never reach the stream. */
    void withdraw(String submissionId) {
        redis.hdel(settings.waitingJobsKey(), submissionId);
    }

    List<String> waitingSubmissionIds() {
        return redis.hkeys(settings.waitingJobsKey());
    }

    long waitingJobs() {
        return redis.hlen(settings.waitingJobsKey());
    }

    /** How many lanes (submitters) have jobs waiting. */
    long waitingLanes() {
        return redis.llen(settings.ringKey());
    }

    Optional<Instant> oldestWaitingSince() {
        Long ms = redis.eval(OLDEST, ScriptOutputType.INTEGER, new String[] {settings.ringKey()}, settings.laneKey(""));
        return Optional.ofNullable(ms).map(Instant::ofEpochMilli);
    }

    /**
     * Waits up to {@code wait} (more than zero) for the doorbell to ring after {@code after}: an
     * enqueue since then returns at once, so a job that arrives between a look and this wait is not missed.
     */
    void awaitBell(String after, Duration wait) {
        redis.xread(XReadArgs.Builder.block(wait).count(1), XReadArgs.StreamOffset.from(settings.doorbellKey(), after));
    }

}
