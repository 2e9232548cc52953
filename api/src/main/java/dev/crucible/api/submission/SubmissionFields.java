package dev.crucible.api.submission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crucible.api.http.ApiException;
import dev.crucible.api.model.FieldError;
import dev.crucible.api.model.Submission;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * {@code ?fields=} of {@code GET /v1/submissions/{id}}: the top-level fields of a Submission a client
 * wants, {@code id} always among them. The names are the contract's, as the model serializes them.
 * Asking for none of the large ones spares the server reading them too.
 */
final class SubmissionFields {
    /** What a read without outputs leaves out: asked for any of them, the whole row is read. */
    private static final Set<String> LARGE = Set.of("stdout", "stderr", "compile_output", "tests", "runs", "output_files", "request");
    /** Only when asked for by name: what the submission asked for, which a whole submission leaves out. */
    static final String REQUEST = "request";

    private static final int MAX_NAMES = 64;
    private final ObjectMapper mapper;
    private final Set<String> known;

    SubmissionFields(ObjectMapper mapper) {
        this.mapper = mapper;
        this.known = mapper.getSerializationConfig().introspect(mapper.constructType(Submission.class)).findProperties().stream()
                .map(BeanPropertyDefinition::getName).collect(Collectors.toCollection(TreeSet::new));
    }

    /** The names asked for, checked; empty when the parameter is absent (the whole submission). */
    Optional<Set<String>> parse(Optional<String> raw) {
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        String[] names = raw.get().split(",", MAX_NAMES + 1);
        if (names.length > MAX_NAMES) {
            throw new ApiException.InvalidRequest(List.of(new FieldError("fields", "at most " + MAX_NAMES + " names")));
        }
        Set<String> wanted = new LinkedHashSet<>(List.of("id"));
        for (String name : names) {
            String trimmed = name.strip();
            if (!known.contains(trimmed)) {
                throw new ApiException.InvalidRequest(List.of(new FieldError("fields", (trimmed.isEmpty() ? "an empty name"
                        : "'" + trimmed.substring(0, Math.min(trimmed.length(), 64)) + "'") + " is no field of a submission; they are "
                        + String.join(", ", known))));
            }
            wanted.add(trimmed);
        }
        return Optional.of(wanted);
    }

    /** Whether {@code wanted} needs none of the large fields: the row can be read without them. */
    static boolean withoutLarge(Set<String> wanted) {
        return wanted.stream().noneMatch(LARGE::contains);
    }

    /** The submission with only {@code wanted} of its fields (those it has: an absent one stays absent). */
    JsonNode select(Submission submission, Set<String> wanted) {
        ObjectNode whole = mapper.valueToTree(submission);
        whole.retain(wanted);
        return whole;
    }
}
