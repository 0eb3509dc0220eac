package qdrantbackup.readback;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import qdrantbackup.config.Settings;
import qdrantbackup.notify.Event;
import qdrantbackup.notify.Notifier;
import qdrantbackup.store.s3.S3Store;

/** The read-back bean from the settings: a damaged or missing object goes to the webhook. */
public final class ReadBackWiring {
    private ReadBackWiring() {}

    public static ReadBack create(Settings settings, S3Store bucket, Path stateDir, Notifier notifier) {
        settings.bool("verify.schedule.enabled");
        ReadBack readBack = new ReadBack(
                bucket,
                new ReadBackState(stateDir),
                settings.duration("verify.period"),
                settings.integer("verify.runs-per-period"),
                Clock.systemUTC());
        readBack.onResult(r -> {
            if (!r.ok() && !"ERROR".equals(r.outcome())) {
                notifier.notify(new Event("read-back", r.collection(), r.detail(), Instant.now()));
            }
        });
        return readBack;
    }
}
