package dev.crucible.api.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.crucible.api.http.ApiException;
import dev.crucible.api.model.FieldError;
import dev.crucible.api.model.KeyRequest;
import dev.crucible.api.model.Role;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A key request is refused before anything is stored: no store stands behind the resource here. */
class KeyRequestValidationTest {
    private static final Caller ADMIN = new Caller(UUID.randomUUID(), Caller.Role.ADMIN, "127.0.0.1");

    private static List<FieldError> refused(KeyRequest request) {
        var e = assertThrows(ApiException.InvalidRequest.class,
                () -> ScopedValue.where(Caller.CURRENT, ADMIN).call(() -> new KeysResource(null, null, null).createKey(request)));
        return e.errors();
    }

    @Test
    void retentionOfZeroDaysIsRefused() {
        assertEquals(List.of(new FieldError("retention_days", "is 0; allowed 1..36500")),
                refused(new KeyRequest("k", Role.SUBMITTER).retentionDays(0)));
    }

    @Test
    void retentionBeyondACenturyIsRefused() {
        assertEquals(List.of(new FieldError("retention_days", "is 36501; allowed 1..36500")),
                refused(new KeyRequest("k", Role.SUBMITTER).retentionDays(36_501)));
    }
}
