package dev.crucible.sdk;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** TLS that trusts exactly the certificates of one PEM file (a self-signed server's own, or a private CA), JDK only. */
final class Tls {
    private Tls() {}

    /**
     * An SSLContext whose only trust anchors are the certificates in {@code pem}. The system's CAs are not
     * trusted besides: the file says whom to trust. Hostnames are still verified by the HTTP client.
     */
    static SSLContext trusting(Path pem) {
        Collection<? extends Certificate> certificates;
        try (InputStream in = Files.newInputStream(pem)) {
            // X.509 CertificateFactory reads PEM (BEGIN/END CERTIFICATE blocks) as well as DER, several in a row.
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (IOException e) {
            throw new CrucibleException("cannot read the certificate file " + pem + ": " + CrucibleException.describe(e), e);
        } catch (GeneralSecurityException e) {
            throw new CrucibleException(pem + " holds no PEM certificate that can be read: " + CrucibleException.describe(e), e);
        }
        if (certificates.isEmpty()) {
            throw new CrucibleException(pem + " holds no certificate (a PEM file with -----BEGIN CERTIFICATE----- is expected)", null);
        }
        try {
            KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
            anchors.load(null, null);
            int n = 0;
            for (Certificate certificate : certificates) {
                anchors.setCertificateEntry("crucible-" + n++, certificate);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(anchors);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new CrucibleException("cannot trust the certificates of " + pem + ": " + CrucibleException.describe(e), e);
        }
    }
}
