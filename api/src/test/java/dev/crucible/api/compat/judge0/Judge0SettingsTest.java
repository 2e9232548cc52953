package dev.crucible.api.compat.judge0;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crucible.api.ApiConfig;
import dev.crucible.api.http.Json;
import dev.crucible.runtime.RuntimeCatalog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class Judge0SettingsTest {
    /** The official Python SDK's Config model (judge0-python, base_types.py): every one is required there. */
    private static final Set<String> SDK_CONFIG = Set.of("allow_enable_network", "allow_enable_per_process_and_thread_memory_limit",
            "allow_enable_per_process_and_thread_time_limit", "allowed_languages_for_compile_options", "callbacks_max_tries",
            "callbacks_timeout", "cpu_extra_time", "cpu_time_limit", "enable_additional_files", "enable_batched_submissions",
            "enable_callbacks", "enable_command_line_arguments", "enable_compiler_options", "enable_network",
            "enable_per_process_and_thread_memory_limit", "enable_per_process_and_thread_time_limit", "enable_submission_delete",
            "enable_wait_result", "maintenance_mode", "max_cpu_extra_time", "max_cpu_time_limit", "max_extract_size",
            "max_file_size", "max_max_file_size", "max_max_processes_and_or_threads", "max_memory_limit", "max_number_of_runs",
            "max_processes_and_or_threads", "max_queue_size", "max_stack_limit", "max_submission_batch_size",
            "max_wall_time_limit", "memory_limit", "number_of_runs", "redirect_stderr_to_stdout", "stack_limit",
            "submission_cache_duration", "use_docs_as_homepage", "wall_time_limit");

    /** As written on the wire: a tree of the model would normalize its decimals. */
    private static JsonNode config() throws Exception {
        return Json.mapper().readTree(Json.mapper().writeValueAsString(Judge0Settings.config(RuntimeCatalog.load(Path.of("..", "runtimes")),
                new ApiConfig.RunLimits(30_000, 1024, 65_536), new ApiConfig.Admission(1000, 50, Duration.ofSeconds(30), 16 << 20), 20)));
    }

    @Test
    void everyKeyTheSdksStrictModelRequiresIsThere() throws Exception {
        Set<String> keys = new TreeSet<>();
        config().fieldNames().forEachRemaining(keys::add);
        assertEquals(new TreeSet<>(SDK_CONFIG), keys);
    }

    @Test
    void theLimitsAreCrucibles() throws Exception {
        JsonNode config = config();
        assertEquals("30.0", config.get("max_wall_time_limit").toString(), "a float, as Judge0 writes its own");
        assertEquals(1024 * 1024, config.get("max_memory_limit").asInt());
        assertEquals("5.0", config.get("cpu_time_limit").toString(), "the default most runtimes have");
        assertEquals(256 * 1024, config.get("memory_limit").asInt());
        assertEquals(20, config.get("max_submission_batch_size").asInt());
        assertEquals(1000, config.get("max_queue_size").asInt());
        assertEquals(true, config.get("enable_wait_result").asBoolean());
    }

    @Test
    void compilerOptionsAndCallbacksAreWhatCrucibleDoes() throws Exception {
        JsonNode config = config();
        assertEquals(true, config.get("enable_compiler_options").asBoolean());
        assertEquals("[\"C\",\"C++\"]", config.get("allowed_languages_for_compile_options").toString());
        assertEquals(true, config.get("enable_callbacks").asBoolean());
        assertEquals(6, config.get("callbacks_max_tries").asInt());
    }
}
