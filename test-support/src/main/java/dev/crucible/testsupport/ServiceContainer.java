package dev.crucible.testsupport;

import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import java.time.Duration;
import java.util.UUID;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * A service of a test's own (PostgreSQL or Redis) in a container of the image {@code ./crucible test}
 * builds from Debian's packages, named by {@code CRUCIBLE_TEST_SERVICES_IMAGE}: nothing is pulled.
 *
 * <p>It runs under runc, not gVisor: the image holds only Debian's packages, and the daemon's runsc
 * runs without a network. Its port is published on 127.0.0.1 alone, and its password is made for the
 * one container. Testcontainers' reaper is off (its image cannot be pulled), so the test closes it,
 * and {@code ./crucible test} removes any a killed test left (label {@value #LABEL}).
 */
final class ServiceContainer implements AutoCloseable {
    static final String LABEL = "dev.crucible.test-service";
    private static final Duration STARTUP = Duration.ofSeconds(60);

    private final GenericContainer<?> container;
    private final int port;
    private final String password = UUID.randomUUID().toString().replace("-", "");

    /**
     * Starts {@code script} with {@code sh -c} as {@code user}, the password in {@code passwordVariable},
     * ready once its log says it accepts connections.
     */
    ServiceContainer(String name, String user, int port, String passwordVariable, String script) {
        this.port = port;
        String image = StackVariables.variable("CRUCIBLE_TEST_SERVICES_IMAGE");
        container = new GenericContainer<>(DockerImageName.parse(image))
                .withLabel(LABEL, name)
                .withEnv(passwordVariable, password)
                .withCommand("sh", "-c", script)
                .withExposedPorts(port)
                .withCreateContainerCmdModifier(create -> {
                    create.withUser(user);
                    create.getHostConfig()
                            .withRuntime("runc")
                            .withMemory(512L << 20)
                            .withPortBindings(new PortBinding(Ports.Binding.bindIp("127.0.0.1"), ExposedPort.tcp(port)));
                })
                .waitingFor(Wait.forLogMessage("(?i).*ready to accept connections.*\\n", 1).withStartupTimeout(STARTUP));
        try {
            container.start();
        } catch (RuntimeException e) {
            throw new IllegalStateException(name + " did not start from " + image + ": " + e.getMessage()
                    + "\n--- its log ---\n" + logsOf(container), e);
        }
    }

    private static String logsOf(GenericContainer<?> container) {
        try {
            return container.getLogs();
        } catch (RuntimeException gone) {
            return "(no log: " + gone.getMessage() + ")";
        }
    }

    /** The port on 127.0.0.1 that reaches the service. */
    int hostPort() {
        return container.getMappedPort(port);
    }

    String password() {
        return password;
    }

    @Override
    public void close() {
        container.stop();
    }
}
