package qdrantbackup.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DrillMetricsTest {
    @TempDir
    Path state;

    private static double gauge(SimpleMeterRegistry r, String name, String collection) {
        return r.get(name).tag("collection", collection).gauge().value();
    }

    private void report(String file, String snapshot, String created, boolean ok, String finished, String extra)
            throws Exception {
        Files.createDirectories(state.resolve("drills"));
        Files.writeString(
                state.resolve("drills").resolve(file),
                "{\"collection\":\"products\",\"snapshot\":\"" + snapshot + "\",\"backupCreated\":\"" + created
                        + "\",\"ok\":" + ok + ",\"finished\":\"" + finished + "\"" + extra + "}");
    }

    @Test
    void theLastVerifiedTimeIsSeededFromTheReportsAndAFailedDrillDoesNotMoveIt() throws Exception {
        report(
                "products-1.json",
                "s1",
                "2026-11-29T02:00:00Z",
                true,
                "2026-11-29T05:00:10Z",
                ",\"recall\":0.98,\"durationSeconds\":12.5");
        report(
                "products-2.json",
                "s2",
                "2026-12-01T02:00:00Z",
                false,
                "2026-12-01T05:00:10Z",
                ",\"durationSeconds\":3.0");
        Files.writeString(state.resolve("drills/broken.json"), "{not json");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new DrillMetrics(registry, state); // not held: the gauges must still read (no weak reference)
        System.gc();

        assertThat(gauge(registry, DrillMetrics.LAST_VERIFIED, "products"))
                .isEqualTo(Instant.parse("2026-11-29T02:00:00Z").getEpochSecond());
        assertThat(gauge(registry, DrillMetrics.UNPROVEN_SINCE, "products"))
                .isEqualTo(Instant.parse("2026-11-29T02:00:00Z").getEpochSecond());
        assertThat(gauge(registry, DrillMetrics.LAST_OK, "products")).isZero();
        assertThat(gauge(registry, DrillMetrics.LAST_DURATION, "products")).isEqualTo(3.0);
        assertThat(gauge(registry, DrillMetrics.LAST_RECALL, "products")).isNaN();
    }

    @Test
    void withoutAnyProvenBackupTheLastVerifiedTimeIsZeroAndTheClockRunsFromTheFirstSighting() throws Exception {
        report("products-1.json", "s1", "2026-11-29T02:00:00Z", false, "2026-11-29T05:00:10Z", "");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Instant now = Instant.parse("2026-12-01T10:00:00Z");
        new DrillMetrics(registry, state, Clock.fixed(now, ZoneOffset.UTC));

        assertThat(gauge(registry, DrillMetrics.LAST_VERIFIED, "products")).isZero();
        assertThat(gauge(registry, DrillMetrics.UNPROVEN_SINCE, "products")).isEqualTo(now.getEpochSecond());
        assertThat(gauge(registry, DrillMetrics.LAST_OK, "products")).isZero();
    }

    @Test
    void aWatchedCollectionShowsItsFirstSightingAndHasNoDrillResultYetAndListWritesNothing() {
        Instant first = Instant.parse("2026-11-20T03:00:00Z");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new DrillMetrics(registry, state, Clock.fixed(first, ZoneOffset.UTC)).watch("users");
        assertThat(gauge(registry, DrillMetrics.UNPROVEN_SINCE, "users")).isEqualTo(first.getEpochSecond());
        assertThat(gauge(registry, DrillMetrics.LAST_VERIFIED, "users")).isZero();
        assertThat(registry.find(DrillMetrics.LAST_OK).gauges()).isEmpty();
        // saved by a backup run or a drill only (ProofMetricsTest): a read-only command leaves state/ alone
        assertThat(state.resolve(FirstSeen.FILE)).doesNotExist();
    }

    @Test
    void aSavedSightingIsKeptOverARestartAndAnUnreadableFileStartsTheClockNow() throws Exception {
        Instant first = Instant.parse("2026-11-20T03:00:00Z");
        FirstSeen seen = new FirstSeen(state);
        seen.see("users", first);
        seen.save();
        assertThat(new FirstSeen(state).see("users", first.plusSeconds(9 * 86400)))
                .isEqualTo(first);

        Files.writeString(state.resolve(FirstSeen.FILE), "{half");
        Instant now = first.plusSeconds(86400);
        assertThat(new FirstSeen(state).see("users", now)).isEqualTo(now);
    }

    @Test
    void noReportsNoGauges() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new DrillMetrics(registry, state);
        assertThat(registry.find(DrillMetrics.LAST_VERIFIED).gauges()).isEmpty();
    }
}
