package dev.crucible.api.audit;

import dev.crucible.api.auth.Caller;
import java.time.Duration;
import org.jdbi.v3.core.Handle;

/** Who did what, from where: one row per action, in the transaction of the action itself. */
public final class AuditLog {
    /** A batch of old entries, found by the index on their time, is quick; more than this is a database in trouble. */
    private static final Duration DELETE_TIMEOUT = Duration.ofSeconds(10);
    private AuditLog() {}

    public static void record(Handle handle, Caller caller, String action, String target) {
        handle.createUpdate("""
                insert into audit_log (api_key_id, action, target, client_address) values (:key, :action, :target, :address)""")
                .bind("key", caller.keyId()).bind("action", action).bind("target", target).bind("address", caller.clientAddress())
                .execute();
    }

    /** Deletes up to {@code limit} entries older than {@code age}, oldest first; returns how many. */
    public static int deleteOlderThan(Handle handle, Duration age, int limit) {
        return handle.createUpdate("""
                delete from audit_log where id in (
                    select id from audit_log where at < now() - :ageMs * interval '1 millisecond' order by at limit :limit
                    for update skip locked)""")
                .bind("ageMs", age.toMillis()).bind("limit", limit)
                .setQueryTimeout((int) DELETE_TIMEOUT.toSeconds()).execute();
    }
}
