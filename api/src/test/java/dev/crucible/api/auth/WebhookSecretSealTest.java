package dev.crucible.api.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crucible.config.Secret;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class WebhookSecretSealTest {
    private final WebhookSecretSeal seal = new WebhookSecretSeal(new Secret("0123456789abcdef".repeat(4)));
    private final UUID key = UUID.randomUUID();

    @Test
    void aSealedSecretOpensToItself() {
        String sealed = seal.seal("the-secret", key);
        assertTrue(sealed.startsWith("v1:") && !sealed.contains("the-secret"), sealed);
        assertEquals("the-secret", seal.open(sealed, key));
    }

    @Test
    void theSameSecretSealsDifferentlyEachTime() {
        assertNotEquals(seal.seal("the-secret", key), seal.seal("the-secret", key));
    }

    @Test
    void aSecretMovedToAnotherKeyDoesNotOpen() {
        String sealed = seal.seal("the-secret", key);
        var refused = assertThrows(IllegalStateException.class, () -> seal.open(sealed, UUID.randomUUID()));
        assertTrue(refused.getMessage().contains("does not open"), refused.getMessage());
    }

    @Test
    void anAlteredSealDoesNotOpen() {
        byte[] raw = Base64.getDecoder().decode(seal.seal("the-secret", key).substring(3));
        raw[raw.length - 1] ^= 1;
        String altered = "v1:" + Base64.getEncoder().encodeToString(raw);
        assertThrows(IllegalStateException.class, () -> seal.open(altered, key));
    }

    @Test
    void anotherSealingKeyDoesNotOpenIt() {
        WebhookSecretSeal other = new WebhookSecretSeal(new Secret("fedcba9876543210".repeat(4)));
        String sealed = seal.seal("the-secret", key);
        assertThrows(IllegalStateException.class, () -> other.open(sealed, key));
    }

    @Test
    void aValueFromBeforeSealingIsReadAsItIs() {
        assertFalse(WebhookSecretSeal.isSealed("legacy-plain"));
        assertEquals("legacy-plain", seal.open("legacy-plain", key));
    }

    @Test
    void aKeyThatIsNotThirtyTwoBytesIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new WebhookSecretSeal(new Secret("abcd")));
    }
}
