package dev.crucible.testsupport;

/** A Redis 7 of a test's own (see {@link ServiceContainer}), in memory only, with a password. */
public final class TestRedis implements AutoCloseable {
    private final ServiceContainer container;

    private TestRedis() {
        container = new ServiceContainer("redis", "redis", 6379, "REDIS_PASSWORD",
                "exec redis-server --bind 0.0.0.0 --port 6379 --protected-mode no --save '' --appendonly no"
                        + " --requirepass \"$REDIS_PASSWORD\"");
    }

    /** Starts one and waits until it takes connections. */
    public static TestRedis start() {
        return new TestRedis();
    }

    /** The URI Lettuce connects with, password included. */
    public String uri() {
        return "redis://:" + container.password() + "@127.0.0.1:" + container.hostPort();
    }

    @Override
    public void close() {
        container.close();
    }
}
