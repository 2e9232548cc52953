package dev.crucible.api.webhook;

import java.net.InetAddress;

/** Which addresses a webhook may be sent to. */
@FunctionalInterface
public interface AddressPolicy {
    /** Why {@code address} must not be a webhook target, or null when it may be. */
    String refusal(InetAddress address);

    /** Only public unicast addresses: see {@link PublicAddresses}. */
    static AddressPolicy publicOnly() {
        return PublicAddresses::refusal;
    }
}
