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
 */
final class SubmissionFields {
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
        Set<String> wanted = new LinkedHashSet<>(List.of("id"));
        for (String name : raw.get().split(",", MAX_NAMES + 1)) {
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

    /** The submission with only {@code wanted} of its fields (those it has: an absent one stays absent). */
    JsonNode select(Submission submission, Set<String> wanted) {
        ObjectNode whole = mapper.valueToTree(submission);
        whole.retain(wanted);
        return whole;
    }
}
