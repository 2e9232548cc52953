package dev.crucible.api.webhook;

import java.util.Objects;

/** Where a completed submission is sent, and in which shape. */
public record Callback(String url, CallbackFormat format) {
    public Callback {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(format, "format");
    }
}
