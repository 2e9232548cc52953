package dev.crucible.api.runtime;

import dev.crucible.queue.ExecutionEvent;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;

/**
 * The package versions of each runtime's image, learnt from the provenance of its runs: the executors
 * read them from their images, where the build recorded them. Only the api's host may lack the images,
 * so this is how it knows. What a run reports is checked again here: an event can come from anything
 * with access to Redis.
 */
public final class RuntimePackages {
    private static final Pattern ENTRY = Pattern.compile("[a-z0-9][a-z0-9+.-]{0,63}=[A-Za-z0-9.+~:-]{1,64}");
    private static final int MAX_PACKAGES = 64;
    /** A run reports what is known already; the row is written again at most this often. */
    private static final Duration REFRESH = Duration.ofMinutes(1);

    private final Jdbi jdbi;
    private final Clock clock;
    private final Map<String, Long> lastWritten = new ConcurrentHashMap<>();

    public RuntimePackages(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /** Notes what a finished run reported; nothing when it reported no packages. */
    public void reported(ExecutionEvent.Provenance provenance) {
        if (provenance == null || provenance.packages().isEmpty()) {
            return;
        }
        ExecutionEvent.RuntimeImage ran = provenance.runtimeImage();
        if (ran.runtime() == null || ran.image() == null) {
            return;
        }
        List<String> valid = provenance.packages().stream().filter(e -> ENTRY.matcher(e).matches()).limit(MAX_PACKAGES).toList();
        String key = ran.runtime() + "\0" + ran.image();
        long now = clock.millis();
        Long last = lastWritten.get(key);
        if (valid.isEmpty() || (last != null && now - last < REFRESH.toMillis())) {
            return;
        }
        lastWritten.put(key, now);
        jdbi.useHandle(h -> h.createUpdate("""
                        insert into runtime_packages (runtime, image, packages, seen_at) values (:runtime, :image, :packages, now())
                        on conflict (runtime) do update set image = excluded.image, packages = excluded.packages, seen_at = now()""")
                .bind("runtime", ran.runtime()).bind("image", ran.image()).bind("packages", String.join(",", valid))
                .execute());
    }

    /** Each runtime's packages by name and version, for the image it names; runtimes not seen yet are absent. */
    Map<String, Map<String, String>> byRuntime(Map<String, String> imageOfRuntime) {
        record Row(String runtime, String image, String packages) {}
        List<Row> rows = jdbi.withHandle(h -> h.createQuery("select runtime, image, packages from runtime_packages")
                .map((rs, ctx) -> new Row(rs.getString("runtime"), rs.getString("image"), rs.getString("packages"))).list());
        Map<String, Map<String, String>> known = new LinkedHashMap<>();
        for (Row row : rows) {
            if (!row.image().equals(imageOfRuntime.get(row.runtime()))) {
                continue; // reported by the runs of an earlier image of that runtime
            }
            Map<String, String> versions = new LinkedHashMap<>();
            for (String entry : row.packages().split(",")) {
                int equals = entry.indexOf('=');
                if (equals > 0) {
                    versions.put(entry.substring(0, equals), entry.substring(equals + 1));
                }
            }
            known.put(row.runtime(), versions);
        }
        return known;
    }
}
