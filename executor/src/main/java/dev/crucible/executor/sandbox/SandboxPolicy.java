package dev.crucible.executor.sandbox;

/**
 * The hardening every sandbox gets, whatever the job asks. Memory, wall time and output come from the
 * job (already bounded by the api's maxima); everything here is fixed per executor.
 *
 * @param runtime        the Docker runtime; {@code runsc} is gVisor
 * @param hostPidsLimit  the pids cgroup of the sandbox on the host. Under runsc it counts gVisor's own
 *                       threads and, depending on the platform, host tasks per process inside: below
 *                       about 48 the sandbox cannot start, and it must be about 16 x processLimit or a
 *                       fork loop crashes the sandbox (exit 2) instead of getting EAGAIN (measured:
 *                       64 sleeping processes crash it at 512, not at 1024)
 * @param processLimit   RLIMIT_NPROC inside the sandbox, which gVisor enforces: what stops a fork bomb
 * @param openFiles      RLIMIT_NOFILE inside the sandbox
 * @param fileSizeBytes  RLIMIT_FSIZE: the largest file the program may write
 * @param tmpBytes       size of the tmpfs at /tmp
 * @param nanoCpus       CPU share of the sandbox, in billionths of a CPU
 */
public record SandboxPolicy(
        String runtime,
        long hostPidsLimit,
        long processLimit,
        long openFiles,
        long fileSizeBytes,
        long tmpBytes,
        long nanoCpus) {

    public static final SandboxPolicy DEFAULT =
            new SandboxPolicy("runsc", 1024, 64, 256, 64L << 20, 64L << 20, 1_000_000_000L);

    public SandboxPolicy {
        if (hostPidsLimit < 16 * processLimit) {
            throw new IllegalArgumentException("hostPidsLimit " + hostPidsLimit + " must be at least 16 x processLimit ("
                    + processLimit + "): gVisor needs host tasks of its own and several per process inside");
        }
    }
}
