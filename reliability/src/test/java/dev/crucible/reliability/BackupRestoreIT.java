package dev.crucible.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code ./crucible backup} and {@code restore} on the running stack: what changed after the backup
 * (a key revoked, a submission made) is undone by the restore, and what was there before reads back
 * the same. The database is replaced in place rather than {@code .crucible/postgres} destroyed,
 * which would cost a new cluster and a rebuilt stack.
 */
class BackupRestoreIT {
    private final RunningStack stack = new RunningStack();

    @Test
    void restoreBringsBackTheKeysAndSubmissionsOfTheBackupAndNothingAfter() throws IOException {
        RunningStack.Answer created = stack.send("POST", "/v1/keys", "{\"name\":\"backup-it\",\"role\":\"submitter\"}",
                stack.adminKey(), Map.of());
        assertEquals(201, created.status(), () -> "key creation answered " + created.body());
        String keyId = created.body().get("id").asText();
        String key = created.body().get("key").asText();
        String before = stack.submit("python", "print('kept by the backup')");
        JsonNode finished = stack.awaitFinal(List.of(before), Duration.ofSeconds(60)).getFirst();

        Path dir = Files.createTempDirectory("crucible-backup-it");
        Path dump = dir.resolve("crucible.dump");
        try {
            stack.backup(dump);
            assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE), Files.getPosixFilePermissions(dump));

            assertEquals(204, stack.send("DELETE", "/v1/keys/" + keyId, null, stack.adminKey(), Map.of()).status());
            assertEquals(401, stack.send("GET", "/v1/submissions?limit=1", null, key, Map.of()).status());
            String after = stack.submit("python", "print('made after the backup')");

            stack.restore(dump);

            assertEquals(200, stack.send("GET", "/v1/submissions?limit=1", null, key, Map.of()).status(),
                    "the key revoked after the backup authenticates again");
            JsonNode restored = stack.submission(before);
            assertEquals(finished.get("status"), restored.get("status"));
            assertEquals(finished.get("stdout"), restored.get("stdout"));
            assertEquals(finished.get("verdict"), restored.get("verdict"));
            assertEquals(404, stack.send("GET", "/v1/submissions/" + after, null, stack.adminKey(), Map.of()).status(),
                    "a submission made after the backup is not in the restored database");
        } finally {
            Files.deleteIfExists(dump);
            Files.delete(dir);
        }
    }

    @Test
    void restoreRefusesWhatIsNotARegularFile() throws IOException {
        Path dir = Files.createTempDirectory("crucible-restore-it");
        try {
            AssertionError refused = assertThrows(AssertionError.class, () -> stack.restore(dir));
            assertTrue(refused.getMessage().contains("is not a readable regular file"), refused.getMessage());
        } finally {
            Files.delete(dir);
        }
    }
}
