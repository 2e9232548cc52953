package dev.crucible.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A process's environment variables, read as the types its settings have. Every method names the
 * variable and the value it refused, so a typo at start is one look at the log away. A variable that is
 * unset or blank takes the fallback given; a required one without a fallback is a {@link ConfigException}.
 */
public final class Environment {
    /** Names that go into Redis keys and sandbox labels: no spaces, no separators. */
    private static final Pattern INSTANCE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    private final Map<String, String> variables;

    public Environment(Map<String, String> variables) {
        this.variables = Map.copyOf(variables);
    }

    /** The value, which must be set. */
    public String required(String name) {
        return find(name).orElseThrow(() -> new ConfigException(name + " is required"));
    }

    /** The value, which must be set; {@code example} shows its form in the message. */
    public String required(String name, String example) {
        return find(name).orElseThrow(() -> new ConfigException(name + " is required, e.g. " + example));
    }

    /** A required value that must not be printed, at least {@code minLength} characters long. */
    public Secret secret(String name, int minLength) {
        String value = required(name);
        if (value.length() < minLength) {
            throw new ConfigException(name + " must be at least " + minLength + " characters");
        }
        return new Secret(value);
    }

    /** A secret of {@code bytes} random bytes written in hex, as a cipher's key is; the message never shows the value. */
    public Secret hexSecret(String name, int bytes) {
        String value = required(name);
        if (!value.matches("[0-9a-fA-F]{" + 2 * bytes + "}")) {
            throw new ConfigException(name + " must be " + 2 * bytes + " hex digits (" + bytes + " random bytes, e.g. head -c "
                    + bytes + " /dev/urandom | od -An -tx1 | tr -d ' \\n'), not " + value.length() + " characters of something else");
        }
        return new Secret(value);
    }

    public String text(String name, String fallback) {
        return find(name).orElse(fallback);
    }

    /** A stable instance name: letters, digits, {@code _ . -}, at most 64. */
    public String instanceName(String name, String fallback) {
        String value = text(name, fallback);
        if (!INSTANCE_NAME.matcher(value).matches()) {
            throw new ConfigException(name + " must be letters, digits, '_', '.', '-', was '" + value + "'");
        }
        return value;
    }

    /** {@code host:port}; the port is the part after the last colon, so {@code [::1]:8080} works. */
    public InetSocketAddress hostPort(String name, String fallback) {
        String value = text(name, fallback);
        int colon = value.lastIndexOf(':');
        if (colon < 1) {
            throw new ConfigException(name + " must be host:port, was " + value);
        }
        String host = value.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(value.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new ConfigException(name + " must be host:port with a numeric port, was " + value);
        }
        if (port < 0 || port > 65_535) {
            throw new ConfigException(name + " must have a port 0..65535, was " + value);
        }
        return new InetSocketAddress(host, port);
    }

    /** A whole number in {@code min..max}; {@link Long#MAX_VALUE} as {@code max} means no upper bound. */
    public long integer(String name, long fallback, long min, long max) {
        String raw = find(name).orElse(null);
        long value;
        try {
            value = raw == null ? fallback : Long.parseLong(raw.trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(name + " must be a whole number, was '" + raw + "'");
        }
        if (value < min || value > max) {
            throw new ConfigException(name + (max == Long.MAX_VALUE ? " must be at least " + min : " must be " + min + ".." + max)
                    + ", was " + value);
        }
        return value;
    }

    /** A whole number in {@code min..max} that fits an {@code int}. */
    public int smallInteger(String name, int fallback, int min, int max) {
        return (int) integer(name, fallback, min, max);
    }

    /** A duration given in milliseconds (the variable's name says so: {@code _MS}), in {@code minMs..maxMs}. */
    public Duration millis(String name, long fallbackMs, long minMs, long maxMs) {
        return Duration.ofMillis(integer(name, fallbackMs, minMs, maxMs));
    }

    /** {@code true} or {@code false}, nothing else: {@code yes} or {@code 1} would be a guess. */
    public boolean flag(String name, boolean fallback) {
        String value = text(name, Boolean.toString(fallback));
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ConfigException(name + " must be true or false, was '" + value + "'");
        };
    }

    /** A URI of the given scheme; {@code form} shows what is expected in the message, e.g. {@code tcp://host:port}. */
    public URI uri(String name, String fallback, String scheme, String form) {
        String value = text(name, fallback);
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw new ConfigException(name + " must be " + form + ", was " + value + " (" + e.getReason() + ")");
        }
        if (!scheme.equals(uri.getScheme())) {
            throw new ConfigException(name + " must be " + form + ", was " + value);
        }
        return uri;
    }

    /**
     * Comma-separated IP address literals, IPv4 or IPv6; host names are refused, so that nothing is
     * looked up and no resolver decides what the setting means.
     */
    public List<InetAddress> addresses(String name, String fallback) {
        List<InetAddress> addresses = new ArrayList<>();
        for (String part : text(name, fallback).split(",")) {
            try {
                addresses.add(InetAddress.ofLiteral(part.strip()));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(name + " must be IP addresses separated by commas, was '" + part.strip() + "' among them");
            }
        }
        return List.copyOf(addresses);
    }

    /** A UUID, or empty when the variable is unset; {@code what} names what it identifies in the message. */
    public Optional<UUID> uuid(String name, String what) {
        return find(name).map(value -> {
            try {
                return UUID.fromString(value);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(name + " must be " + what + " (a UUID), was '" + value + "'");
            }
        });
    }

    public Path path(String name, String fallback) {
        return parsePath(name, text(name, fallback));
    }

    /** A path, or empty when the variable is unset. */
    public Optional<Path> path(String name) {
        return find(name).map(value -> parsePath(name, value));
    }

    private static Path parsePath(String name, String value) {
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new ConfigException(name + " must be a path, was '" + value + "': " + e.getReason());
        }
    }

    private Optional<String> find(String name) {
        String value = variables.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }
}
