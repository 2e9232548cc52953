package dev.crucible.sdk.cli;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where and as whom the command line submits, from the environment: CRUCIBLE_URL (the public entry
 * by default), CRUCIBLE_KEY, and CRUCIBLE_CA, a PEM file to trust instead of the system's CAs.
 * launcher/run.sh fills in the local stack's key and certificate when they are unset.
 */
record Settings(URI url, String key, Optional<Path> ca) {
    static final String DEFAULT_URL = "https://127.0.0.1:8443";

    static Settings from(Map<String, String> env) throws UsageException {
        String url = env.getOrDefault("CRUCIBLE_URL", "");
        URI base;
        try {
            base = new URI(url.isBlank() ? DEFAULT_URL : url.strip());
        } catch (URISyntaxException e) {
            throw new UsageException("CRUCIBLE_URL is not a URL: " + e.getMessage());
        }
        if (!"https".equals(base.getScheme()) && !"http".equals(base.getScheme()) || base.getHost() == null) {
            throw new UsageException("CRUCIBLE_URL is an http or https URL like " + DEFAULT_URL + ", not '" + url + "'");
        }
        String key = env.getOrDefault("CRUCIBLE_KEY", "").strip();
        if (key.isEmpty()) {
            throw new UsageException("no API key: set CRUCIBLE_KEY (./crucible run takes the local admin key, .crucible/admin-key, when it can read it)");
        }
        String ca = env.getOrDefault("CRUCIBLE_CA", "");
        if (ca.isBlank()) {
            return new Settings(base, key, Optional.empty());
        }
        Path pem = Path.of(ca);
        if (!Files.isReadable(pem)) {
            throw new UsageException("cannot read the certificate CRUCIBLE_CA names, " + ca
                    + " (./crucible run trusts the local stack's .crucible/tls/cert.pem, which ./crucible up makes)");
        }
        return new Settings(base, key, Optional.of(pem));
    }

    @Override
    public String toString() {
        return "Settings[" + url + ", ca " + ca.map(Path::toString).orElse("system") + "]"; // never the key
    }
}
