package qdrantbackup;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import qdrantbackup.backup.Backup;
import qdrantbackup.backup.BackupOptions;
import qdrantbackup.backup.CollectionSnapshot;
import qdrantbackup.backup.SnapshotDownloader;
import qdrantbackup.config.Settings;
import qdrantbackup.config.StartupChecks;
import qdrantbackup.config.UnknownSettings;
import qdrantbackup.lifecycle.PartialFiles;
import qdrantbackup.lifecycle.RunMarker;
import qdrantbackup.notify.Event;
import qdrantbackup.notify.Notifier;
import qdrantbackup.qdrant.QdrantClient;
import qdrantbackup.qdrant.Retry;
import qdrantbackup.restore.GreenWait;
import qdrantbackup.restore.Inbox;
import qdrantbackup.restore.Restore;
import qdrantbackup.restore.RestoreReport;
import qdrantbackup.retention.Retention;
import qdrantbackup.retention.RetentionPolicy;
import qdrantbackup.store.BackupStore;
import qdrantbackup.store.local.LocalStore;
import qdrantbackup.store.s3.OffsiteSettings;
import qdrantbackup.store.s3.S3Store;
import qdrantbackup.transfer.TransferLog;
import qdrantbackup.transfer.Transfers;

/**
 * Builds the beans the routes call by name (qdrant, archive, backup, …) from the settings.
 * Registered with Camel Main, so it runs once the properties are loaded.
 */
public class Wiring implements CamelConfiguration {

    @Override
    public void configure(CamelContext camel) {
        Settings settings = Settings.of(camel);
        // start-up checks (ops): unknown settings are refused once the routes are built
        UnknownSettings.install(camel, settings);
        StartupChecks.cron(settings, "backup.schedule.cron", "0 0 2 * * ?");
        StartupChecks.cron(settings, "retention.schedule.cron", "0 30 3 * * ?");
        StartupChecks.folder(settings, "archive.dir", "archive");
        StartupChecks.folder(settings, "state.dir", "state");
        if (settings.find("restore.inbox.dir").isPresent() && settings.bool("restore.inbox.enabled", true)) {
            StartupChecks.folder(settings, "restore.inbox.dir", "inbox");
        }
        TransferLog.interval(
                settings.duration("progress.interval", Duration.ofSeconds(5)).toMillis() / 1000.0);

        QdrantClient qdrant = new QdrantClient(qdrantSettings(settings));
        Retry retry = new Retry(
                settings.integer("qdrant.retries", 4, 0),
                settings.duration("qdrant.retry-delay", Duration.ofSeconds(2)));
        LocalStore archive = new LocalStore(Path.of(settings.get("archive.dir", "archive")));
        Path state = Path.of(settings.get("state.dir", "state"));
        S3Store s3 = s3Store(settings);
        boolean checkBucket = settings.bool("offsite.check-on-start", true); // read even when offsite is off
        if (s3 != null && checkBucket) {
            checkBucketWhileStarting(camel, s3, settings.get("offsite.bucket", null));
        }
        BackupStore offsite = s3 == null ? BackupStore.NONE : s3;

        // graceful stop (ops): transfers still running after camel.main.shutdown-timeout stop and
        // delete their partial file; the next start reports the interrupted run and cleans up
        Transfers transfers = new Transfers(Duration.ofSeconds(10));
        addService(camel, transfers);
        RunMarker runMarker = new RunMarker(state, transfers::stopping);
        addService(camel, runMarker);
        if (runMarker.reportInterrupted()) {
            PartialFiles.clean(archive.root());
        }

        SnapshotDownloader downloader = new SnapshotDownloader(qdrant, retry, transfers);
        CollectionSnapshot snapshots = new CollectionSnapshot(qdrant, downloader);
        Backup backup = new Backup(
                qdrant,
                archive,
                snapshots,
                offsite,
                new BackupOptions(
                        BackupOptions.patterns(settings.get("backup.include", "*")),
                        BackupOptions.patterns(settings.get("backup.exclude", "")),
                        settings.bool("backup.full-storage", false),
                        settings.bool("backup.delete-from-server", true)),
                new Backup.RunLog(state));

        RetentionPolicy localPolicy = policy(settings, "retention", null);
        RetentionPolicy offsitePolicy = policy(settings, "offsite.retention", localPolicy);
        Retention retention = new Retention(archive, localPolicy, offsite.enabled() ? offsite : null, offsitePolicy);

        backup.onFinish(runMarker::finished);
        Notifier notifier = notifier(settings);
        backup.onFinish(notifier::backupFinished);
        retention.onFailure((collection, why) -> notifier.notify(Event.retention(collection, why)));

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
        Restore restore = new Restore(
                qdrant,
                archive,
                snapshots,
                offsite,
                new GreenWait(
                        qdrant,
                        settings.duration("restore.health-timeout", Duration.ofMinutes(30)),
                        settings.duration("restore.health-poll", Duration.ofSeconds(2))),
                inbox);
        restore.onFinish(r -> {
            if (r.getOutcome() != RestoreReport.Outcome.RESTORED) {
                notifier.notify(
                        Event.restore(r.getTarget() != null ? r.getTarget() : r.getCollection(), r.getReason()));
            }
        });
        bind(camel, "restore", restore);
        bind(camel, "notifier", notifier);
        bind(camel, "transfers", transfers);
        bind(camel, "runMarker", runMarker);
        addService(camel, notifier);
        bind(
                camel,
                "collectionPool",
                camel.getExecutorServiceManager().newFixedThreadPool(this, "backup-collection", parallel));
    }

    /** The bucket, or null when offsite.bucket is empty (offsite off). */
    static S3Store s3Store(Settings s) {
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
        OffsiteSettings o = new OffsiteSettings(
                bucket == null ? "-" : bucket,
                s.get("offsite.prefix", ""),
                s.get("offsite.region", null),
                endpointUri,
                s.bool("offsite.path-style", endpoint != null),
                s.get("offsite.access-key", null),
                s.get("offsite.secret-key", null),
                s.get("offsite.checksum-mode", OffsiteSettings.WHEN_REQUIRED),
                s.bytes("offsite.part-size", OffsiteSettings.DEFAULT_PART_SIZE),
                s.integer("offsite.upload-threads", OffsiteSettings.DEFAULT_UPLOAD_THREADS, 1));
        return bucket == null ? null : S3Store.create(o);
    }

    /** A retention policy from {@code <prefix>.*}; unset values fall back to {@code parent} (or the defaults). */
    static RetentionPolicy policy(Settings s, String prefix, RetentionPolicy parent) {
        RetentionPolicy base = parent != null ? parent : RetentionPolicy.defaults();
        String zone = s.get(
                prefix + ".timezone", parent != null ? base.zone().getId() : s.get("backup.schedule.timezone", "UTC"));
        return RetentionPolicy.of(
                s.integer(prefix + ".keep-last", base.keepLast()),
                s.integer(prefix + ".daily", base.daily()),
                s.integer(prefix + ".weekly", base.weekly()),
                s.integer(prefix + ".monthly", base.monthly()),
                zone,
                prefix);
    }

    static QdrantClient.QdrantSettings qdrantSettings(Settings s) {
        String url = s.get("qdrant.url", "http://localhost:6333");
        if (!url.matches("(?i)https?://.+")) {
            throw Settings.invalid("qdrant.url", url, "give the scheme and host, e.g. http://localhost:6333");
        }
        return new QdrantClient.QdrantSettings(
                url,
                s.get("qdrant.api-key", null),
                s.duration("qdrant.connect-timeout", Duration.ofSeconds(10)),
                s.duration("qdrant.read-timeout", Duration.ofMinutes(2)),
                s.duration("qdrant.snapshot-timeout", Duration.ofHours(2)),
                s.integer("qdrant.retries", 4, 0),
                s.duration("qdrant.retry-delay", Duration.ofSeconds(2)));
    }

    /**
     * The bucket check runs while Camel loads the routes and starts its services (the AWS SDK alone takes
     * about a second to load); the start waits for its answer before any route starts.
     */
    static void checkBucketWhileStarting(CamelContext camel, S3Store s3, String bucket) {
        CompletableFuture<Void> check = CompletableFuture.runAsync(() -> checkBucket(s3, bucket), task -> {
            Thread t = new Thread(task, "bucket-check");
            t.setDaemon(true);
            t.start();
        });
        try {
            camel.addStartupListener(new StartupListener() {
                @Override
                public void onCamelContextStarting(CamelContext context, boolean alreadyStarted) {
                    try {
                        check.join();
                    } catch (CompletionException e) {
                        throw e.getCause() instanceof RuntimeException r ? r : e;
                    }
                }

                @Override
                public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
                    // answered before the routes started
                }
            });
        } catch (Exception e) {
            throw new IllegalStateException("cannot install the bucket check", e);
        }
    }

    /**
     * Start-up check of the bucket (write probe): a definite answer from S3 (no such bucket, credentials
     * refused, wrong region) stops the start with one line; S3 not answering only warns, so a network
     * outage at boot does not stop local backups (they are shipped by the next run's catch-up).
     */
    static void checkBucket(S3Store s3, String bucket) {
        try {
            s3.checkWritable();
        } catch (RuntimeException e) {
            if (e.getCause() instanceof software.amazon.awssdk.services.s3.model.S3Exception
                    || String.valueOf(e.getMessage()).contains("credentials")) {
                StartupChecks.probe("offsite.bucket", bucket, null, () -> {
                    throw e;
                });
            }
            org.slf4j.LoggerFactory.getLogger(Wiring.class)
                    .warn(
                            "offsite bucket {} cannot be checked now, starting"
                                    + " anyway (backups stay local until it answers): {}",
                            bucket,
                            e.getMessage());
        }
    }

    /** The failure webhook (notify.webhook-url; off when empty). */
    static Notifier notifier(Settings s) {
        Duration timeout = s.duration("notify.timeout", Duration.ofSeconds(10));
        return s.find("notify.webhook-url")
                .map(url -> {
                    java.net.URI uri;
                    try {
                        uri = java.net.URI.create(url);
                    } catch (IllegalArgumentException e) {
                        uri = null;
                    }
                    if (uri == null
                            || uri.getHost() == null
                            || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                        // the value may carry a token: name the setting, not the value
                        throw new Settings.SettingException(
                                "setting notify.webhook-url is invalid: give an http(s) URL such as"
                                        + " https://hooks.example.com/services/..., or leave it empty to send no notifications");
                    }
                    return new Notifier(
                            uri, timeout, Notifier.localHost(), java.util.Arrays.asList(s.get("qdrant.api-key", null)));
                })
                .orElseGet(Notifier::none);
    }

    private static void addService(CamelContext camel, Object service) {
        try {
            camel.addService(service, true, true);
        } catch (Exception e) {
            throw new IllegalStateException("cannot register " + service, e);
        }
    }

    private static void bind(CamelContext camel, String name, Object bean) {
        camel.getRegistry().bind(name, bean);
    }
}
