package qdrantbackup;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import qdrantbackup.archive.Archive;
import qdrantbackup.backup.Backup;
import qdrantbackup.backup.BackupOptions;
import qdrantbackup.backup.Offsite;
import qdrantbackup.backup.SnapshotDownloader;
import qdrantbackup.config.Settings;
import qdrantbackup.offsite.OffsiteSettings;
import qdrantbackup.offsite.S3Offsite;
import qdrantbackup.offsite.S3Target;
import qdrantbackup.qdrant.QdrantClient;
import qdrantbackup.qdrant.Retry;
import qdrantbackup.restore.HealthCheck;
import qdrantbackup.restore.Inbox;
import qdrantbackup.restore.OffsiteBackups;
import qdrantbackup.restore.Restore;
import qdrantbackup.restore.S3Backups;
import qdrantbackup.retention.ArchivePlace;
import qdrantbackup.retention.OffsitePlace;
import qdrantbackup.retention.Retention;
import qdrantbackup.retention.RetentionPolicy;
import qdrantbackup.transfer.TransferLog;

/**
 * Builds the beans the routes call by name (qdrant, archive, backup, …) from the settings.
 * Registered with Camel Main, so it runs once the properties are loaded.
 */
public class Wiring implements CamelConfiguration {

    @Override
    public void configure(CamelContext camel) {
        Settings settings = Settings.of(camel);
        TransferLog.interval(settings.duration("progress.interval", Duration.ofSeconds(5)).toMillis() / 1000.0);

        QdrantClient qdrant = new QdrantClient(qdrantSettings(settings));
        Retry retry = new Retry(settings.integer("qdrant.retries", 4, 0),
            settings.duration("qdrant.retry-delay", Duration.ofSeconds(2)));
        Archive archive = new Archive(Path.of(settings.get("archive.dir", "archive")));
        Path state = Path.of(settings.get("state.dir", "state"));
        S3Target s3 = s3Target(settings);
        S3Offsite s3Offsite = s3 == null ? null : new S3Offsite(s3);
        Offsite offsite = s3Offsite == null ? Offsite.NONE : s3Offsite;

        SnapshotDownloader downloader = new SnapshotDownloader(qdrant, archive, retry);
        Backup backup = new Backup(qdrant, archive, downloader, offsite,
            new BackupOptions(BackupOptions.patterns(settings.get("backup.include", "*")),
                BackupOptions.patterns(settings.get("backup.exclude", "")),
                settings.bool("backup.full-storage", false),
                settings.bool("backup.delete-from-server", true)),
            new Backup.RunLog(state));

        RetentionPolicy localPolicy = policy(settings, "retention", null);
        RetentionPolicy offsitePolicy = policy(settings, "offsite.retention", localPolicy);
        Retention retention = new Retention(new ArchivePlace(archive), localPolicy,
            s3Offsite == null ? null : new OffsitePlace(s3Offsite), offsitePolicy);

        int parallel = settings.integer("backup.parallel", 1, 1);
        bind(camel, "settings", settings);
        bind(camel, "qdrant", qdrant);
        bind(camel, "archive", archive);
        bind(camel, "offsite", offsite);
        bind(camel, "backup", backup);
        bind(camel, "retention", retention);
        Inbox inbox = new Inbox(Path.of(settings.get("restore.inbox.dir", "inbox")));
        // read by routes/restore.camel.yaml; checked here so a bad value stops start-up with one line
        settings.bool("restore.inbox.enabled", true);
        settings.duration("restore.inbox.poll", Duration.ofSeconds(5));
        settings.duration("restore.inbox.min-age", Duration.ofSeconds(10));
        bind(camel, "inbox", inbox);
        bind(camel, "restore", new Restore(qdrant, archive, downloader, s3 == null ? OffsiteBackups.NONE : new S3Backups(s3),
            new HealthCheck(qdrant, settings.duration("restore.health-timeout", Duration.ofMinutes(30)),
                settings.duration("restore.health-poll", Duration.ofSeconds(2))), inbox));
        bind(camel, "collectionPool",
            camel.getExecutorServiceManager().newFixedThreadPool(this, "backup-collection", parallel));
    }

    /** The bucket, or null when offsite.bucket is empty (offsite off). */
    static S3Target s3Target(Settings s) {
        String bucket = s.get("offsite.bucket", null);
        String endpoint = s.get("offsite.endpoint", null);
        URI endpointUri = null;
        if (endpoint != null) {
            try {
                endpointUri = URI.create(endpoint);
            } catch (IllegalArgumentException e) {
                throw Settings.invalid("offsite.endpoint", endpoint, "give a URL such as http://minio:9000");
            }
        }
        OffsiteSettings o = new OffsiteSettings(bucket == null ? "-" : bucket, s.get("offsite.prefix", ""),
            s.get("offsite.region", null), endpointUri, s.bool("offsite.path-style", endpoint != null),
            s.get("offsite.access-key", null), s.get("offsite.secret-key", null),
            s.get("offsite.checksum-mode", OffsiteSettings.WHEN_REQUIRED),
            s.bytes("offsite.part-size", OffsiteSettings.DEFAULT_PART_SIZE),
            s.integer("offsite.upload-threads", OffsiteSettings.DEFAULT_UPLOAD_THREADS, 1));
        return bucket == null ? null : S3Target.create(o);
    }

    /** A retention policy from {@code <prefix>.*}; unset values fall back to {@code parent} (or the defaults). */
    static RetentionPolicy policy(Settings s, String prefix, RetentionPolicy parent) {
        RetentionPolicy base = parent != null ? parent : RetentionPolicy.defaults();
        String zone = s.get(prefix + ".timezone", parent != null ? base.zone().getId()
            : s.get("backup.schedule.timezone", "UTC"));
        return RetentionPolicy.of(s.integer(prefix + ".keep-last", base.keepLast()),
            s.integer(prefix + ".daily", base.daily()), s.integer(prefix + ".weekly", base.weekly()),
            s.integer(prefix + ".monthly", base.monthly()), zone, prefix);
    }

    static QdrantClient.QdrantSettings qdrantSettings(Settings s) {
        String url = s.get("qdrant.url", "http://localhost:6333");
        if (!url.matches("(?i)https?://.+")) {
            throw Settings.invalid("qdrant.url", url, "give the scheme and host, e.g. http://localhost:6333");
        }
        return new QdrantClient.QdrantSettings(url, s.get("qdrant.api-key", null),
            s.duration("qdrant.connect-timeout", Duration.ofSeconds(10)),
            s.duration("qdrant.read-timeout", Duration.ofMinutes(2)),
            s.duration("qdrant.snapshot-timeout", Duration.ofHours(2)),
            s.integer("qdrant.retries", 4, 0),
            s.duration("qdrant.retry-delay", Duration.ofSeconds(2)));
    }

    private static void bind(CamelContext camel, String name, Object bean) {
        camel.getRegistry().bind(name, bean);
    }
}
