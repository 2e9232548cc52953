package dev.crucible.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.crucible.api.auth.Caller;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class AccessTest {
    private static Caller caller(Caller.Role role) {
        return new Caller(UUID.randomUUID(), role, "127.0.0.1");
    }

    @Test
    void allowedRoleIsAdmitted() {
        Caller submitter = caller(Caller.Role.SUBMITTER);
        assertSame(submitter, ((Access.Key) Access.roles(Caller.Role.ADMIN, Caller.Role.SUBMITTER)).admit(submitter));
    }

    @Test
    void otherRoleIsForbiddenNamingTheRolesNeeded() {
        var access = (Access.Key) Access.roles(Caller.Role.ADMIN, Caller.Role.SUBMITTER);
        var e = assertThrows(ApiException.Forbidden.class, () -> access.admit(caller(Caller.Role.VIEWER)));
        assertEquals("a viewer key may not do this; it needs admin or submitter", e.getMessage());
    }

    @Test
    void anyKeyAdmitsEveryRole() {
        var access = (Access.Key) Access.anyKey();
        for (Caller.Role role : Caller.Role.values()) {
            Caller caller = caller(role);
            assertSame(caller, access.admit(caller));
        }
    }
}
