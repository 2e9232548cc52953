package dev.crucible.api.webhook;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * A callback URL, checked: absolute http(s), no user info, a host whose every address the policy
 * allows. The check runs at submit and again at each send, and the send goes to the address that
 * was checked, so a DNS answer that changes in between cannot redirect it.
 */
public record CallbackTarget(URI uri, String host, int port, boolean tls, InetAddress address) {
    public static final int MAX_URL_CHARS = 2048;

    /**
     * @throws RefusedCallbackException with the reason, when the URL may not be used
     */
    public static CallbackTarget resolve(String url, boolean allowHttp, AddressPolicy policy, Resolver resolver) {
        if (url == null || url.isEmpty() || url.length() > MAX_URL_CHARS) {
            throw new RefusedCallbackException("callback_url must be 1.." + MAX_URL_CHARS + " characters");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new RefusedCallbackException("callback_url is not a valid URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean tls = scheme.equals("https");
        if (!tls && !(scheme.equals("http") && allowHttp)) {
            throw new RefusedCallbackException(allowHttp ? "callback_url must be http or https" : "callback_url must be https");
        }
        if (uri.getRawUserInfo() != null) {
            throw new RefusedCallbackException("callback_url must not carry user info");
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw new RefusedCallbackException("callback_url has no host");
        }
        int port = uri.getPort() == -1 ? (tls ? 443 : 80) : uri.getPort();
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
        } catch (UnknownHostException e) {
            throw new RefusedCallbackException("callback_url host " + host + " does not resolve");
        }
        if (addresses.length == 0) {
            throw new RefusedCallbackException("callback_url host " + host + " does not resolve");
        }
        for (InetAddress address : addresses) {
            String refusal = policy.refusal(address);
            if (refusal != null) {
                throw new RefusedCallbackException("callback_url host " + host + " resolves to " + refusal);
            }
        }
        return new CallbackTarget(uri, host, port, tls, addresses[0]);
    }

    /** Name resolution, replaceable so that tests never look a name up. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;

        static Resolver system() {
            return InetAddress::getAllByName;
        }
    }

    /** A callback URL that may not be used, and why. */
    public static final class RefusedCallbackException extends RuntimeException {
        public RefusedCallbackException(String message) {
            super(message);
        }
    }
}
