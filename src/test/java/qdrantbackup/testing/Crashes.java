package qdrantbackup.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The crash suites' helpers: a daemon in a child JVM that halts at a named crash point, and what follows. */
public final class Crashes {
    private Crashes() {}

    /** The JVM options that make a child halt at {@code point} (none: it runs normally). */
    public static List<String> at(String point) {
        return point == null ? List.of() : List.of("-Dqdrantbackup.crash-at=" + point);
    }

    /** A daemon's settings: this Qdrant, this archive, no schedules and no inbox unless {@code extra} says so. */
    public static Map<String, String> daemon(String qdrantUrl, Path archive, Map<String, String> extra) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("qdrant.url", qdrantUrl);
        s.put("qdrant.retry-delay", "20ms");
        s.put("archive.dir", archive.toString());
        s.put("backup.schedule.enabled", "false");
        s.put("retention.schedule.enabled", "false");
        s.put("restore.inbox.enabled", "false");
        s.put("routes.reload", "false");
        s.putAll(extra);
        return s;
    }

    /** Waits until the instance answers ready (or has died, e.g. at a crash point during start). */
    public static Members.Instance ready(Members.Instance m) {
        await().atMost(Duration.ofSeconds(60))
                .until(() -> m.ready().startsWith("200") || !m.process().isAlive());
        return m;
    }

    /** The instance halted at its crash point, as kill -9 would have ended it. */
    public static void halted(Members.Instance m) throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(() -> !m.process().isAlive());
        assertThat(m.process().exitValue()).as("halted at the crash point").isEqualTo(137);
        assertThat(m.logText()).contains("crash point");
    }

    /** Starts a backup run over the management port and waits for its end. */
    public static Members.Instance backupRun(Members.Instance m) {
        assertThat(m.post("/backup")).startsWith("202");
        await().atMost(Duration.ofSeconds(90)).until(() -> m.logText().contains("backup run succeeded"));
        return m;
    }
}
