package dev.crucible.api.compat.piston;

import dev.crucible.api.ApiConfig;
import dev.crucible.api.http.ApiException;
import dev.crucible.api.model.FieldError;
import dev.crucible.api.model.InputEncoding;
import dev.crucible.api.model.Limits;
import dev.crucible.api.model.PistonExecuteRequest;
import dev.crucible.api.model.PistonFile;
import dev.crucible.api.model.SourceFile;
import dev.crucible.api.model.SubmissionRequest;
import dev.crucible.runtime.RuntimeManifest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * A Piston execute request as a Crucible submission. Piston's limits are milliseconds and bytes;
 * {@code 0} (and {@code -1} for memory) mean the default. A limit above what the server allows is
 * refused, as Piston refuses one above its configured limit, rather than silently lowered.
 */
final class PistonRequests {
    private static final long MIB = 1L << 20;

    private final ApiConfig.RunLimits limits;

    PistonRequests(ApiConfig.RunLimits limits) {
        this.limits = limits;
    }

    SubmissionRequest toSubmission(PistonExecuteRequest request, RuntimeManifest runtime) {
        RuntimeManifest.DefaultLimits compileLimits = runtime.compile().limits();
        // Crucible compiles with the runtime's own compile limits: Piston's compile limits are checked, not applied.
        atMost("compile_timeout", orDefault("compile_timeout", request.getCompileTimeout()), compileLimits.wallTimeMs());
        atMost("compile_memory_limit", memory("compile_memory_limit", request.getCompileMemoryLimit()), compileLimits.memoryMb() * MIB);
        // Crucible limits wall time, not CPU time: these are checked for Piston's sake only.
        orDefault("compile_cpu_time", request.getCompileCpuTime());
        orDefault("run_cpu_time", request.getRunCpuTime());
        long runTimeout = atMost("run_timeout", orDefault("run_timeout", request.getRunTimeout()), limits.maxWallTimeMs());
        long runMemory = atMost("run_memory_limit", memory("run_memory_limit", request.getRunMemoryLimit()), limits.maxMemoryMb() * MIB);

        SubmissionRequest submission = new SubmissionRequest(runtime.name())
                .files(files(request.getFiles(), runtime.sourceFile()))
                .stdin(request.getStdin())
                .args(request.getArgs());
        Limits wanted = new Limits()
                .wallTimeMs(runTimeout == 0 ? null : runTimeout)
                .memoryMb(runMemory == 0 ? null : (runMemory + MIB - 1) / MIB);
        return wanted.getWallTimeMs() == null && wanted.getMemoryMb() == null ? submission : submission.limits(wanted);
    }

    /**
     * Piston's files as Crucible's, the entry file (the first utf8 one) first, as Crucible takes the
     * first file for the entry. A file without a name is named as Piston names it, {@code file<i>.code},
     * but the entry file, which takes the runtime's source file name.
     */
    static List<SourceFile> files(List<PistonFile> files, String sourceFile) {
        if (files == null || files.isEmpty()) {
            throw refused("files", "is required as a non-empty array");
        }
        int entry = -1;
        for (int i = 0; i < files.size() && entry < 0; i++) {
            if (encoding(files.get(i)) == PistonFile.EncodingEnum.UTF8) {
                entry = i;
            }
        }
        if (entry < 0) {
            throw refused("files", "must have at least one utf8 file, the entry point");
        }
        List<SourceFile> mapped = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            PistonFile file = files.get(i);
            if (file.getContent() == null) {
                throw refused("files[" + i + "].content", "is required as a string");
            }
            String name = file.getName() != null && !file.getName().isEmpty() ? file.getName()
                    : i == entry ? sourceFile : "file" + i + ".code";
            SourceFile converted = switch (encoding(file)) {
                case UTF8 -> new SourceFile(name, file.getContent());
                case BASE64 -> new SourceFile(name, file.getContent()).encoding(InputEncoding.BASE64);
                case HEX -> new SourceFile(name, hexAsBase64(file.getContent(), i)).encoding(InputEncoding.BASE64);
            };
            if (i == entry) {
                mapped.addFirst(converted);
            } else {
                mapped.add(converted);
            }
        }
        return mapped;
    }

    private static PistonFile.EncodingEnum encoding(PistonFile file) {
        return file.getEncoding() == null ? PistonFile.EncodingEnum.UTF8 : file.getEncoding();
    }

    private static String hexAsBase64(String hex, int index) {
        try {
            return Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex));
        } catch (IllegalArgumentException e) {
            throw refused("files[" + index + "].content", "is not valid hex: " + e.getMessage());
        }
    }

    /** A time limit in ms, 0 when it is to be the default. */
    private static long orDefault(String field, Long value) {
        if (value == null) {
            return 0;
        }
        if (value < 0) {
            throw refused(field, "must be a non-negative number, was " + value);
        }
        return value;
    }

    /** A memory limit in bytes, 0 when it is to be the default ({@code -1} in Piston). */
    private static long memory(String field, Long value) {
        return value != null && value == -1 ? 0 : orDefault(field, value);
    }

    private static long atMost(String field, long value, long limit) {
        if (value > limit) {
            throw refused(field, "cannot exceed the configured limit of " + limit);
        }
        return value;
    }

    static ApiException.InvalidRequest refused(String field, String message) {
        return new ApiException.InvalidRequest(List.of(new FieldError(field, message)));
    }
}
