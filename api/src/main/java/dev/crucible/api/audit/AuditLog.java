package dev.crucible.api.audit;

import dev.crucible.api.auth.Caller;
import org.jdbi.v3.core.Handle;

/** Who did what, from where: one row per action, in the transaction of the action itself. */
public final class AuditLog {
    private AuditLog() {}

    public static void record(Handle handle, Caller caller, String action, String target) {
        handle.createUpdate("""
                insert into audit_log (api_key_id, action, target, client_address) values (:key, :action, :target, :address)""")
                .bind("key", caller.keyId()).bind("action", action).bind("target", target).bind("address", caller.clientAddress())
                .execute();
    }
}
