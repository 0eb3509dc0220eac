package qdrantbackup.readback;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import qdrantbackup.store.Manifest;

/** The rolling share: daily runs over a week read every backup, the oldest-read first, and survive a restart. */
class ReadBackShareTest {
    private static final Instant NOW = Instant.parse("2026-12-02T05:00:00Z");

    @TempDir
    Path state;

    private static Manifest backup(String collection, int day) {
        String created = NOW.minus(Duration.ofDays(30 - day)).toString();
        return new Manifest(
                collection,
                collection + "-" + day + ".snapshot",
                Manifest.COLLECTION,
                10,
                "ab".repeat(32),
                created,
                "1.19.0",
                1L,
                null,
                Map.of(),
                "test");
    }

    @Test
    void sevenDailyRunsReadEachOfFourteenBackupsOnceAndThenStartAgainWithTheOldest() {
        List<Manifest> backups = new ArrayList<>();
        for (int i = 0; i < 14; i++) {
            backups.add(backup("c" + (i % 3), i));
        }
        Set<String> read = new HashSet<>();
        for (int day = 0; day < 7; day++) {
            Instant at = NOW.plus(Duration.ofDays(day));
            ReadBackState s = new ReadBackState(state); // reloaded from state/ each run, as after a restart
            ReadBack rb = new ReadBack(null, s, Duration.ofDays(7), 7, Clock.fixed(at, ZoneOffset.UTC));
            List<Manifest> chosen = rb.share(backups);
            if (day == 0) {
                // every backup is older than the period and never read back: all are due at once
                assertThat(chosen).hasSize(14);
            }
            chosen.forEach(m -> {
                read.add(m.snapshot());
                s.record(m.collection(), m.snapshot(), new ReadBackState.Last(at, true, "ok"));
            });
        }
        assertThat(read).hasSize(14);
        // the day after, the share (2 of 14) is the two read back longest ago, none due yet
        ReadBack next = new ReadBack(
                null,
                new ReadBackState(state),
                Duration.ofDays(7),
                7,
                Clock.fixed(NOW.plus(Duration.ofDays(6)), ZoneOffset.UTC));
        assertThat(next.share(backups)).hasSize(2);
    }

    @Test
    void aNewBackupIsDueOnlyAPeriodAfterItWasMadeButTheShareStillReadsTheOldest() {
        List<Manifest> fresh = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            fresh.add(new Manifest(
                    "c",
                    "c-" + i + ".snapshot",
                    Manifest.COLLECTION,
                    10,
                    "ab".repeat(32),
                    NOW.minus(Duration.ofHours(i + 1)).toString(),
                    "1.19.0",
                    1L,
                    null,
                    Map.of(),
                    "test"));
        }
        ReadBack rb =
                new ReadBack(null, new ReadBackState(state), Duration.ofDays(7), 7, Clock.fixed(NOW, ZoneOffset.UTC));
        List<Manifest> chosen = rb.share(fresh);
        assertThat(chosen).extracting(Manifest::snapshot).containsExactly("c-6.snapshot");
    }
}
