package dev.crucible.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.crucible.api.admission.Admission;
import dev.crucible.api.auth.ApiKeyStore;
import dev.crucible.api.auth.WebhookSecretSeal;
import dev.crucible.api.auth.Authenticator;
import dev.crucible.api.auth.KeysResource;
import dev.crucible.api.compat.judge0.Judge0Callbacks;
import dev.crucible.api.compat.judge0.Judge0Resource;
import dev.crucible.api.compat.piston.PistonResource;
import dev.crucible.api.evaluation.EvaluationsResource;
import dev.crucible.api.http.HttpEdge;
import dev.crucible.api.http.Json;
import dev.crucible.api.http.JsonBody;
import dev.crucible.api.http.ResponseBudget;
import dev.crucible.api.http.Router;
import dev.crucible.api.http.TrustedProxies;
import dev.crucible.api.runtime.RuntimePackages;
import dev.crucible.api.runtime.RuntimesResource;
import dev.crucible.api.submission.ChangeSignals;
import dev.crucible.api.submission.EventConsumer;
import dev.crucible.api.submission.LostJobReaper;
import dev.crucible.api.submission.Outbox;
import dev.crucible.api.submission.OutboxRelay;
import dev.crucible.api.submission.RequestLimits;
import dev.crucible.api.submission.RetentionSweep;
import dev.crucible.api.submission.SubmissionPurge;
import dev.crucible.api.submission.SubmissionService;
import dev.crucible.api.submission.SubmissionStore;
import dev.crucible.api.submission.SubmissionsResource;
import dev.crucible.api.submission.WebhookBodies;
import dev.crucible.api.session.SessionEventConsumer;
import dev.crucible.api.session.SessionReaper;
import dev.crucible.api.session.SessionStore;
import dev.crucible.api.session.SessionsResource;
import dev.crucible.api.system.SystemResource;
import dev.crucible.api.webhook.AddressPolicy;
import dev.crucible.api.webhook.CallbackFormat;
import dev.crucible.api.webhook.CallbackTarget;
import dev.crucible.api.webhook.WebhookDeliveries;
import dev.crucible.api.webhook.WebhookDispatcher;
import dev.crucible.api.webhook.WebhookSender;
import dev.crucible.lifecycle.ShutdownSignal;
import dev.crucible.queue.QueueMeters;
import dev.crucible.queue.QueueSettings;
import dev.crucible.queue.SessionDispatch;
import dev.crucible.queue.RedisQueue;
import dev.crucible.runtime.RuntimeCatalog;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The api process: wires the parts in order, serves until SIGTERM, then closes them in reverse. */
public final class Main {
    private static final Logger log = LoggerFactory.getLogger(Main.class);
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private Main() {}

    public static void main(String[] args) throws Exception {
        // Limits of the JDK server that must be set before its first use; see jdk.httpserver's module docs.
        System.setProperty("sun.net.httpserver.maxReqTime", "30"); // seconds, despite what its name suggests
        System.setProperty("sun.net.httpserver.maxReqHeaders", "64");
        System.setProperty("sun.net.httpserver.maxReqHeaderSize", "32768");
        System.setProperty("jdk.httpserver.maxConnections", "1024");
        ApiConfig config = ApiConfig.fromEnvironment(System.getenv());
        log.info("starting with {}", config);
        RuntimeCatalog catalog = RuntimeCatalog.load(config.runtimesDir());
        Clock clock = Clock.systemUTC();
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (ShutdownSignal shutdown = ShutdownSignal.install();
             HikariDataSource database = dataSource(config.database(), "crucible-api", 16, Duration.ofSeconds(5));
             // Readiness and the size gauge have connections of their own: requests that hold every
             // connection of the main pool (a locked table, a slow disk) must not make the api look dead.
             HikariDataSource checks = dataSource(config.database(), "crucible-api-checks", 2, Duration.ofSeconds(2));
             RedisQueue queue = RedisQueue.connect(new QueueSettings(config.queue().redisUri().reveal(), config.queue().prefix(),
                     Duration.ofSeconds(10), Duration.ofSeconds(60), Integer.MAX_VALUE), new QueueMeters(meters));
             ExecutorService handlers = Executors.newVirtualThreadPerTaskExecutor()) {
            Flyway.configure().dataSource(database).load().migrate();
            Jdbi jdbi = Jdbi.create(database);
            ApiKeyStore keys = new ApiKeyStore(jdbi, new WebhookSecretSeal(config.keys().webhookSealingKey()));
            int sealed = keys.sealPlaintextSecrets();
            if (sealed > 0) {
                log.info("sealed {} webhook secret(s) stored before secrets were sealed", sealed);
            }
            keys.installBootstrapAdmin(config.keys().adminKey().reveal());

            SubmissionStore store = new SubmissionStore(jdbi);
            SubmissionPurge purge = new SubmissionPurge(jdbi, config.database().retention());
            Outbox outbox = new Outbox(jdbi);
            ChangeSignals signals = new ChangeSignals();
            ApiConfig.Submissions submitting = config.submissions();
            Admission admission = new Admission(submitting.admission().maxQueued(), meters);
            SubmissionService submissions = new SubmissionService(catalog, submitting.limits(), submitting.admission(),
                    submitting.webhooks(), store, outbox, admission, queue.jobQueue(),
                    queue.cancellations(), signals, AddressPolicy.publicOnly(), CallbackTarget.Resolver.system(), clock, purge,
                    keys::holds);
            RuntimePackages runtimePackages = new RuntimePackages(jdbi, clock);
            EventConsumer events = new EventConsumer(queue.eventSource(config.queue().instanceName()), store, signals, meters,
                    runtimePackages);
            OutboxRelay relay = new OutboxRelay(outbox, queue.jobQueue());
            RetentionSweep retention = new RetentionSweep(purge);
            events.start();
            relay.start();
            retention.start();
            ObjectMapper mapper = Json.mapper();
            Gauge.builder("crucible_queue_jobs", () -> orNaN(queue::jobBacklog))
                    .description("Jobs waiting in the submitters' lanes and running").register(meters);
            Gauge.builder("crucible_queue_waiting_keys", () -> orNaN(queue::waitingLanes))
                    .description("Submitter keys with jobs waiting: the lanes the executors serve in turn").register(meters);
            Gauge.builder("crucible_queue_oldest_job_age_seconds", () -> orNaN(() -> queue.oldestJobEnqueuedAt()
                            .map(at -> Math.max(0, clock.millis() - at.toEpochMilli()) / 1000.0).orElse(0.0)))
                    .description("Age of the oldest job, waiting or running; 0 when there is none")
                    .register(meters);
            JsonBody body = new JsonBody(mapper, RequestLimits.BODY_BYTES);
            SystemResource system = new SystemResource(Jdbi.create(checks), queue);
            Gauge.builder("crucible_database_size_bytes", () -> orNaN(system::databaseSizeBytes))
                    .description("Bytes the api's PostgreSQL database takes on disk").register(meters);
            Gauge.builder("crucible_executors_live", () -> orNaN(system::liveExecutors))
                    .description("Executors, on any host, that sent a heartbeat in the last 15 s").register(meters);
            Gauge.builder("crucible_executors_healthy", () -> orNaN(system::healthyExecutors))
                    .description("Live executors whose Docker answers, taking jobs").register(meters);
            Gauge.builder("crucible_queue_memory_bytes", () -> orNaN(queue::memoryBytes))
                    .description("Bytes Redis holds in memory: the work in flight").register(meters);
            config.logDir().ifPresent(dir -> Gauge.builder("crucible_log_bytes", () -> orNaN(() -> SystemResource.filesBytes(dir)))
                    .description("Bytes the logs in " + dir + " take on disk").register(meters));
            // The heap that large answers hold at once; webhook bodies have half as much of their own, so that
            // receivers that take their time cannot take it from the answers.
            ResponseBudget responses = new ResponseBudget(submitting.admission().responseBudgetBytes());
            SubmissionsResource submissionsResource = new SubmissionsResource(submissions, store, body, signals, mapper, responses,
                    queue.liveOutput());
            config.keys().pistonAnonymousKeyId().ifPresent(id ->
                    log.warn("/api/v2/ (Piston) requests without credentials are made as key {}, and spend its quotas", id));
            Judge0Resource judge0 = new Judge0Resource(catalog, submitting.limits(), submitting.admission(), submissionsResource, body);
            EvaluationsResource evaluations = new EvaluationsResource(jdbi, catalog, config.evaluations().maxSamples(),
                    submissionsResource, body, mapper, keys::holds);
            SessionStore sessionStore = new SessionStore(jdbi, admission);
            SessionDispatch sessionDispatch = queue.sessionDispatch();
            SessionsResource sessions = new SessionsResource(sessionStore, sessionDispatch, catalog, submitting.limits(), body, mapper,
                    signals, submitting.admission().maxWait(), clock, queue.liveOutput(), keys::holds);
            SessionEventConsumer sessionEvents = new SessionEventConsumer(queue.sessionEvents(config.queue().instanceName()),
                    sessionStore, sessionDispatch, signals, mapper);
            SessionReaper sessionReaper = new SessionReaper(sessionStore, queue.executorRegistry(), sessionDispatch, signals,
                    config.queue().executorLostAfter(), clock);
            sessionEvents.start();
            sessionReaper.start();
            Router router = routes(submissionsResource, sessions, new KeysResource(keys, submissions::purgeKey, body),
                    new RuntimesResource(catalog, submitting.limits(), runtimePackages), system,
                    new PistonResource(catalog, submitting.limits(), submissionsResource, body, config.keys().pistonAnonymousKeyId()),
                    judge0, evaluations);
            evaluations.feeder().start();
            WebhookDispatcher webhooks = new WebhookDispatcher(new WebhookDeliveries(jdbi), new WebhookBodies(store), keys,
                    Map.of(CallbackFormat.CRUCIBLE, mapper::writeValueAsBytes, CallbackFormat.JUDGE0, new Judge0Callbacks(catalog)),
                    WebhookSender.withDefaultTrust(), AddressPolicy.publicOnly(), CallbackTarget.Resolver.system(),
                    submitting.webhooks().allowHttp(), new ResponseBudget(submitting.admission().responseBudgetBytes() / 2), clock);
            webhooks.start();
            system.addMetricsRoute(router, meters);

            LostJobReaper reaper = new LostJobReaper(jdbi, store, queue.liveJobs(), signals, config.queue().reapAfter(), clock);
            reaper.start();

            HttpServer server = HttpServer.create(config.http().listen(), 256);
            server.setExecutor(handlers);
            server.createContext("/", new HttpEdge(router, new Authenticator(keys), mapper, meters,
                    new TrustedProxies(config.http().trustedProxies())));
            server.start();
            log.info("api listening on http://{}:{}", config.http().listen().getHostString(), server.getAddress().getPort());

            shutdown.await();
            log.info("stopping: no new requests, finishing those in flight");
            server.stop((int) STOP_GRACE.toSeconds());
            evaluations.feeder().stop(STOP_GRACE);
            reaper.stop(STOP_GRACE);
            sessionReaper.stop(STOP_GRACE);
            sessionEvents.stop(STOP_GRACE);
            retention.stop(STOP_GRACE);
            relay.stop(STOP_GRACE);
            webhooks.stop();
            events.stop(STOP_GRACE);
        }
    }

    /** The routes of {@code openapi.yaml}, every one; {@code RouteTableTest} holds them to it. */
    static Router routes(SubmissionsResource submissions, SessionsResource sessions, KeysResource keys, RuntimesResource runtimes, SystemResource system,
                         PistonResource piston, Judge0Resource judge0, EvaluationsResource evaluations) {
        Router router = new Router();
        submissions.addRoutes(router);
        sessions.addRoutes(router);
        evaluations.addRoutes(router);
        keys.addRoutes(router);
        runtimes.addRoutes(router);
        system.addRoutes(router);
        piston.addRoutes(router);
        judge0.addRoutes(router);
        return router;
    }

    /** A gauge's value, or NaN (no sample) while Redis does not answer. */
    private static double orNaN(Supplier<Number> value) {
        try {
            return value.get().doubleValue();
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }

    private static HikariDataSource dataSource(ApiConfig.Database config, String name, int connections, Duration connectTimeout) {
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(config.url());
        hikari.setUsername(config.user());
        hikari.setPassword(config.password().reveal());
        hikari.setMaximumPoolSize(connections);
        hikari.setConnectionTimeout(connectTimeout.toMillis());
        hikari.setValidationTimeout(Duration.ofSeconds(2).toMillis());
        hikari.setPoolName(name);
        // Hikari starts lazily-failing rather than refusing to start, so a database restart is ridden out.
        hikari.setInitializationFailTimeout(-1);
        hikari.addDataSourceProperty("socketTimeout", "30");
        hikari.addDataSourceProperty("connectTimeout", "5");
        return new HikariDataSource(hikari);
    }
}
