package dev.crucible.api.compat.judge0;

import dev.crucible.api.ApiConfig;
import dev.crucible.api.model.Judge0Config;
import dev.crucible.api.submission.RequestLimits;
import dev.crucible.api.webhook.WebhookDispatcher;
import dev.crucible.api.webhook.WebhookSender;
import dev.crucible.runtime.RuntimeCatalog;
import dev.crucible.runtime.RuntimeManifest;
import java.math.BigDecimal;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * {@code GET /config_info}: every key of Judge0 CE 1.13.1's {@code Config.config_info}
 * ({@code app/helpers/config.rb}), since the official Python SDK's model requires each one, with what
 * Crucible really does. Settings Crucible has no use for say so: off, or zero.
 */
final class Judge0Settings {
    private Judge0Settings() {}

    static Judge0Config config(RuntimeCatalog catalog, ApiConfig.RunLimits limits, ApiConfig.Admission admission, int maxBatch) {
        BigDecimal defaultSeconds = asFloat(BigDecimal.valueOf(mostCommon(catalog.all(), m -> m.defaultLimits().wallTimeMs(), 5000L))
                .movePointLeft(3));
        long defaultMemoryKb = mostCommon(catalog.all(), m -> m.defaultLimits().memoryMb(), 256L) * 1024;
        BigDecimal maxSeconds = asFloat(BigDecimal.valueOf(limits.maxWallTimeMs()).movePointLeft(3));
        return new Judge0Config()
                .maintenanceMode(false)
                .enableWaitResult(true)
                // Judge0 reads an empty list as "every language": with none taking options, they are off.
                .enableCompilerOptions(!new Judge0Languages(catalog).takingCompilerOptions().isEmpty())
                .allowedLanguagesForCompileOptions(new Judge0Languages(catalog).takingCompilerOptions())
                .enableCommandLineArguments(true)
                .enableSubmissionDelete(false)
                .enableCallbacks(true)
                .callbacksMaxTries(WebhookDispatcher.MAX_ATTEMPTS)
                .callbacksTimeout(asFloat(BigDecimal.valueOf(WebhookSender.DEADLINE.toSeconds())))
                .enableAdditionalFiles(false)
                .maxQueueSize((int) Math.min(Integer.MAX_VALUE, admission.maxQueued()))
                .cpuTimeLimit(defaultSeconds)
                .maxCpuTimeLimit(maxSeconds)
                .cpuExtraTime(asFloat(BigDecimal.ZERO))
                .maxCpuExtraTime(Judge0Requests.MAX_CPU_EXTRA_TIME)
                .wallTimeLimit(defaultSeconds)
                .maxWallTimeLimit(maxSeconds)
                .memoryLimit(Math.toIntExact(defaultMemoryKb))
                .maxMemoryLimit(Math.toIntExact(limits.maxMemoryMb() * 1024))
                .stackLimit(64_000)
                .maxStackLimit((int) Judge0Requests.MAX_STACK_KB)
                .maxProcessesAndOrThreads(Judge0Results.SANDBOX_PROCESSES)
                .maxMaxProcessesAndOrThreads(Judge0Results.SANDBOX_PROCESSES)
                .enablePerProcessAndThreadTimeLimit(false)
                .allowEnablePerProcessAndThreadTimeLimit(false)
                .enablePerProcessAndThreadMemoryLimit(false)
                .allowEnablePerProcessAndThreadMemoryLimit(false)
                .maxFileSize(Judge0Results.SANDBOX_FILE_SIZE_KB)
                .maxMaxFileSize(Judge0Results.SANDBOX_FILE_SIZE_KB)
                .numberOfRuns(1)
                .maxNumberOfRuns(RequestLimits.RUNS)
                .redirectStderrToStdout(false)
                .maxExtractSize(0)
                .enableBatchedSubmissions(true)
                .maxSubmissionBatchSize(maxBatch)
                .submissionCacheDuration(asFloat(BigDecimal.ZERO))
                .useDocsAsHomepage(false)
                .allowEnableNetwork(false)
                .enableNetwork(false);
    }

    /** Seconds as Judge0 writes its float settings: {@code 5.0}, {@code 0.5}. */
    static BigDecimal asFloat(BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        return stripped.scale() <= 0 ? stripped.setScale(1) : stripped;
    }

    /**
     * The default most runtimes share (the smallest such on a tie), as {@code config_info} has room
     * for one: a runtime's own defaults apply to it (Java's are larger; {@code GET /v1/runtimes}).
     */
    static long mostCommon(List<RuntimeManifest> runtimes, Function<RuntimeManifest, Long> figure, long otherwise) {
        Map<Long, Long> counts = runtimes.stream().collect(Collectors.groupingBy(figure, Collectors.counting()));
        return counts.entrySet().stream()
                .max(Comparator.<Map.Entry<Long, Long>>comparingLong(Map.Entry::getValue)
                        .thenComparing(Map.Entry::getKey, Comparator.reverseOrder()))
                .map(Map.Entry::getKey).orElse(otherwise);
    }
}
