package dev.crucible.api.compat.judge0;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which attributes of a submission an answer carries, from {@code ?fields=} as Judge0 1.13.1 reads it
 * ({@code app/services/fields/submission.rb}): a comma list, {@code *} for all, nothing for the
 * default eight. The names are not trimmed, as Judge0 does not trim them.
 */
record Judge0Fields(Set<String> names) {
    /** Every attribute, in the order Judge0's serializer writes them: its table's columns, then status and language. */
    static final List<String> ALL = List.of("source_code", "language_id", "stdin", "expected_output", "stdout", "status_id",
            "created_at", "finished_at", "time", "memory", "stderr", "token", "number_of_runs", "cpu_time_limit",
            "cpu_extra_time", "wall_time_limit", "memory_limit", "stack_limit", "max_processes_and_or_threads",
            "enable_per_process_and_thread_time_limit", "enable_per_process_and_thread_memory_limit", "max_file_size",
            "compile_output", "exit_code", "exit_signal", "message", "wall_time", "compiler_options", "command_line_arguments",
            "redirect_stderr_to_stdout", "callback_url", "additional_files", "enable_network", "status", "language");
    static final Judge0Fields DEFAULT = new Judge0Fields(Set.of("token", "time", "memory", "stdout", "stderr", "compile_output",
            "message", "status"));
    static final Judge0Fields TOKEN = new Judge0Fields(Set.of("token"));

    Judge0Fields {
        names = Set.copyOf(names);
    }

    /** The fields {@code raw} names; an unknown one is Judge0's 400 naming every unknown one. */
    static Judge0Fields parse(String raw) {
        if (raw == null || raw.isEmpty()) {
            return DEFAULT;
        }
        // Ruby's split, like Java's, drops trailing empty parts and keeps the others: ",a" names "" and a.
        Set<String> wanted = new LinkedHashSet<>();
        List<String> invalid = new ArrayList<>();
        for (String name : raw.split(",")) {
            if (name.equals("*") || ALL.contains(name)) {
                wanted.add(name);
            } else if (!invalid.contains(name)) {
                invalid.add(name);
            }
        }
        if (!invalid.isEmpty()) {
            throw Judge0Refusal.badRequest("invalid fields: [" + String.join(", ", invalid) + "]");
        }
        if (wanted.contains("*")) {
            return new Judge0Fields(Set.copyOf(ALL));
        }
        return wanted.isEmpty() ? DEFAULT : new Judge0Fields(wanted);
    }

    boolean has(String name) {
        return names.contains(name);
    }

    /** The wanted attributes of {@code full} (every attribute, nulls included), in Judge0's order. */
    ObjectNode select(JsonNode full) {
        ObjectNode selected = JsonNodeFactory.instance.objectNode();
        for (String name : ALL) {
            if (names.contains(name)) {
                JsonNode value = full.get(name);
                selected.set(name, value == null ? JsonNodeFactory.instance.nullNode() : value);
            }
        }
        return selected;
    }
}
