package dev.crucible.api.auth;

import dev.crucible.config.Secret;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.UUID;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Webhook secrets as they are stored: sealed with AES-256-GCM under a key the database never sees
 * ({@code CRUCIBLE_WEBHOOK_SEALING_KEY}, the launcher's {@code .crucible/secrets/webhook-sealing-key}),
 * bound to their key's id, so that a copy of the database signs no webhook, and a secret moved to
 * another row does not open. Stored as {@code v1:} and base64 of nonce and ciphertext; a value
 * without the prefix is one from before sealing, which {@link ApiKeyStore#sealPlaintextSecrets} seals.
 */
public final class WebhookSecretSeal {
    private static final String PREFIX = "v1:";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    /** @param hexKey 32 bytes, as 64 hex digits */
    public WebhookSecretSeal(Secret hexKey) {
        byte[] bytes;
        try {
            bytes = HexFormat.of().parseHex(hexKey.reveal());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the webhook sealing key must be 64 hex digits");
        }
        if (bytes.length != 32) {
            throw new IllegalArgumentException("the webhook sealing key must be 32 bytes (64 hex digits), not " + bytes.length);
        }
        this.key = new SecretKeySpec(bytes, "AES");
    }

    String seal(String secret, UUID keyId) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        byte[] sealed = run(Cipher.ENCRYPT_MODE, nonce, keyId, secret.getBytes(StandardCharsets.UTF_8));
        return PREFIX + Base64.getEncoder().encodeToString(ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array());
    }

    /** The secret of a stored value; one from before sealing is as it was stored. */
    String open(String stored, UUID keyId) {
        if (!isSealed(stored)) {
            return stored;
        }
        byte[] whole;
        try {
            whole = Base64.getDecoder().decode(stored.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the webhook secret of key " + keyId + " is not sealed as this api seals them");
        }
        if (whole.length <= NONCE_BYTES) {
            throw new IllegalStateException("the webhook secret of key " + keyId + " is too short to be sealed");
        }
        byte[] nonce = Arrays.copyOfRange(whole, 0, NONCE_BYTES);
        byte[] sealed = Arrays.copyOfRange(whole, NONCE_BYTES, whole.length);
        return new String(run(Cipher.DECRYPT_MODE, nonce, keyId, sealed), StandardCharsets.UTF_8);
    }

    static boolean isSealed(String stored) {
        return stored.startsWith(PREFIX);
    }

    private byte[] run(int mode, byte[] nonce, UUID keyId, byte[] input) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(keyId.toString().getBytes(StandardCharsets.US_ASCII));
            return cipher.doFinal(input);
        } catch (AEADBadTagException e) {
            throw new IllegalStateException("the webhook secret of key " + keyId + " does not open with this api's sealing key"
                    + " (CRUCIBLE_WEBHOOK_SEALING_KEY changed, or the value was altered)");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM failed on the webhook secret of key " + keyId + ": " + e, e);
        }
    }
}
