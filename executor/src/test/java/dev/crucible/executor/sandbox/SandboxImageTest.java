package dev.crucible.executor.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SandboxImageTest {
    @Test
    void theLabelGivesEachPackageAndItsVersion() {
        SandboxImage image = SandboxImage.of("sha256:1", Map.of(SandboxImage.PACKAGES_LABEL,
                "python3-minimal=3.11.2-1+b1,python3-numpy=1:1.24.2-1"));
        assertEquals(List.of("python3-minimal=3.11.2-1+b1", "python3-numpy=1:1.24.2-1"), image.packages());
    }

    @Test
    void anImageWithoutTheLabelHasNoPackages() {
        assertEquals(List.of(), SandboxImage.of("sha256:1", Map.of("other", "x")).packages());
        assertEquals(List.of(), SandboxImage.of("sha256:1", null).packages());
    }

    @Test
    void whatIsNoPackageAndVersionIsLeftOut() {
        assertEquals(List.of("ok=1.0"), SandboxImage.of("sha256:1", Map.of(SandboxImage.PACKAGES_LABEL,
                "ok=1.0,<script>=1,no-version=,=1.0,spaced = 2")).packages());
    }
}
