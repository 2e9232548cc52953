package dev.crucible.api.submission;

import dev.crucible.api.http.ApiException;
import dev.crucible.api.model.FieldError;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * The opaque cursor of a listing: the (created_at, id) of the last item of a page, base64url. It
 * only narrows a query the caller's key already scopes, so it needs no signature.
 */
final class ListCursor {
    private ListCursor() {}

    static String write(Instant createdAt, UUID id) {
        String plain = createdAt.getEpochSecond() + "." + createdAt.getNano() + "," + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.US_ASCII));
    }

    static SubmissionStore.Position read(String cursor) {
        if (cursor == null) {
            return null;
        }
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII).split(",", 2);
            String[] time = parts[0].split("\\.", 2);
            Instant at = Instant.ofEpochSecond(Long.parseLong(time[0]), Long.parseLong(time[1]));
            if (at.isBefore(Instant.parse("0001-01-01T00:00:00Z")) || at.isAfter(Instant.parse("9999-12-31T23:59:59Z"))) {
                throw new IllegalArgumentException("out of range");
            }
            return new SubmissionStore.Position(at, UUID.fromString(parts[1]));
        } catch (RuntimeException e) {
            throw new ApiException.InvalidRequest(List.of(new FieldError("cursor", "is not a cursor this server gave out")));
        }
    }
}
