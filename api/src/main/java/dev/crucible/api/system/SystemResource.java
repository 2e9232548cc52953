package dev.crucible.api.system;

import dev.crucible.api.generated.SystemApi;
import dev.crucible.api.http.Access;
import dev.crucible.api.http.Response;
import dev.crucible.api.http.Router;
import dev.crucible.api.model.Health;
import dev.crucible.api.model.Readiness;
import dev.crucible.api.model.ReadinessChecks;
import dev.crucible.queue.RedisQueue;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.stream.Stream;
import org.jdbi.v3.core.Jdbi;

/** Liveness and readiness; both answer without an API key and reveal nothing but up or down. */
public final class SystemResource implements SystemApi {
    /** An executor beats every 5 s; three missed beats and it no longer counts. */
    private static final Duration EXECUTOR_WINDOW = Duration.ofSeconds(15);
    /** A metrics scrape waits no longer than this for the database's size. */
    private static final Duration SIZE_TIMEOUT = Duration.ofSeconds(5);

    private final Jdbi jdbi;
    private final RedisQueue queue;

    public SystemResource(Jdbi jdbi, RedisQueue queue) {
        this.jdbi = jdbi;
        this.queue = queue;
    }

    /** Executors that sent a heartbeat within the window, on every host that shares the queue. */
    public long liveExecutors() {
        return queue.executorRegistry().liveCount(EXECUTOR_WINDOW);
    }

    /** Of those, the ones whose Docker answers: their circuit breaker is closed and they take jobs. */
    public long healthyExecutors() {
        return queue.executorRegistry().healthyCount(EXECUTOR_WINDOW);
    }

    @Override
    public Health health() {
        return new Health("ok");
    }

    @Override
    public Readiness ready() {
        String database = check(() -> jdbi.useHandle(h -> h.createQuery("select 1").setQueryTimeout(2).mapTo(Integer.class).one()));
        String redis = check(queue::ping);
        long live;
        long healthy;
        try {
            live = liveExecutors();
            healthy = healthyExecutors();
        } catch (RuntimeException e) {
            live = -1;
            healthy = -1;
        }
        // Ready is about the api: with executors live but unhealthy, submissions are accepted and wait.
        boolean ready = database.equals("ok") && redis.equals("ok") && live > 0;
        String executorCheck = live < 0 ? "unknown" : live + " live, " + healthy + " healthy";
        return new Readiness(ready, new ReadinessChecks(database, redis, executorCheck));
    }

    /** Bytes the api's database takes on disk, so that it is seen to level off once the retention purges. */
    public long databaseSizeBytes() {
        return jdbi.withHandle(h -> h.createQuery("select pg_database_size(current_database())")
                .setQueryTimeout((int) SIZE_TIMEOUT.toSeconds()).mapTo(Long.class).one());
    }

    /**
     * Bytes the regular files directly in {@code dir} take: the logs, which the launcher rotates, so
     * that their size is seen to level off. Links are not followed.
     */
    public static long filesBytes(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            long total = 0;
            for (Path file : (Iterable<Path>) files::iterator) {
                BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (attributes.isRegularFile()) {
                    total += attributes.size();
                }
            }
            return total;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot measure the files in " + dir, e);
        }
    }

    private static String check(Runnable probe) {
        try {
            probe.run();
            return "ok";
        } catch (RuntimeException e) {
            return "unavailable";
        }
    }

    /** Prometheus text: no key, like health; the api listens on loopback and nginx never forwards it. */
    public void addMetricsRoute(Router router, PrometheusMeterRegistry registry) {
        router.add("GET", "/metrics", Access.PUBLIC, request -> new Response(200, new Response.Text(
                registry.scrape(), "text/plain; version=0.0.4; charset=utf-8")));
    }

    public void addRoutes(Router router) {
        router.add("GET", "/v1/health", Access.PUBLIC, request -> Response.ok(health()));
        router.add("GET", "/v1/ready", Access.PUBLIC, request -> {
            Readiness readiness = ready();
            return new Response(readiness.getReady() ? 200 : 503, readiness);
        });
    }
}
