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
import qdrantbackup.backup.ServerSnapshots;
import qdrantbackup.backup.SnapshotDownloader;
import qdrantbackup.config.Settings;
import qdrantbackup.config.StartupChecks;
import qdrantbackup.config.UnknownSettings;
import qdrantbackup.ha.Cluster;
import qdrantbackup.ha.Leadership;
import qdrantbackup.lifecycle.ArchiveLock;
import qdrantbackup.lifecycle.Leftovers;
import qdrantbackup.lifecycle.PartialFiles;
import qdrantbackup.lifecycle.RunMarker;
import qdrantbackup.notify.Event;
import qdrantbackup.notify.Notifier;
import qdrantbackup.qdrant.QdrantClient;
import qdrantbackup.qdrant.QdrantSettings;
import qdrantbackup.qdrant.Retry;
import qdrantbackup.restore.GreenWait;
import qdrantbackup.restore.Inbox;
import qdrantbackup.restore.InboxFilter;
import qdrantbackup.restore.Restore;
import qdrantbackup.restore.RestoreReport;
import qdrantbackup.retention.Housekeeping;
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
    private final boolean readOnly;

    /** For the daemon and the commands that write (backup-now, expire). */
    public Wiring() {
        this(false);
    }

    /**
     * @param readOnly for commands that only read the archive (list, check, expire --dry-run): they take no
     *     lock and delete nothing, so they may run beside the daemon
     */
    public Wiring(boolean readOnly) {
        this.readOnly = readOnly;
    }

    @Override
    public void configure(CamelContext camel) {
        Settings settings = Settings.of(camel);
        // start-up checks (ops): unknown settings are refused once the routes are built
        UnknownSettings.install(camel);
        StartupChecks.cron(settings, "backup.schedule.cron");
        StartupChecks.cron(settings, "retention.schedule.cron");
        StartupChecks.cron(settings, "verify.schedule.cron");
        StartupChecks.folder(settings, "archive.dir");
        StartupChecks.folder(settings, "state.dir");
        if (settings.isSet("restore.inbox.dir") && settings.bool("restore.inbox.enabled")) {
            StartupChecks.folder(settings, "restore.inbox.dir");
        }
        TransferLog.interval(settings.duration("progress.interval").toMillis() / 1000.0);
        // ha.cluster: the routes' leaderOnly policy, and who leads (management answers by it)
        Leadership leadership = Cluster.install(camel, settings);
        bind(camel, "leadership", leadership);

        QdrantClient qdrant = new QdrantClient(qdrantSettings(settings));
        Retry retry = new Retry(settings.integer("qdrant.retries"), settings.duration("qdrant.retry-delay"));
        LocalStore archive = new LocalStore(Path.of(settings.string("archive.dir")));
        Path state = Path.of(settings.string("state.dir"));
        S3Store s3 = s3Store(settings);
        Duration abandonedAfter = settings.duration("offsite.abandoned-upload-age");
        if (s3 != null && !readOnly) {
            s3.recordUploadsIn(state, abandonedAfter);
        }
        // read even when offsite is off, so that a bad value stops the start whatever the bucket
        boolean checkBucket = settings.bool("offsite.check-on-start");
        if (s3 != null && checkBucket) {
            checkBucketWhileStarting(camel, s3, settings.string("offsite.bucket"));
        }
        BackupStore offsite = s3 == null ? BackupStore.NONE : s3;

        // graceful stop (ops): transfers still running after camel.main.shutdown-timeout stop and
        // delete their partial file; the next start reports the interrupted run and cleans up
        Transfers transfers = new Transfers(Duration.ofSeconds(10));
        addService(camel, transfers);
        RunMarker runMarker = new RunMarker(state, transfers::stopping);
        addService(camel, runMarker);
        // one writer per archive (ops): the lock comes before anything is cleaned up. With a cluster the
        // archive may be shared: an instance takes it when it becomes the leader, not at start.
        Duration lockWait = settings.duration("archive.lock-wait");
        if (!readOnly) {
            boolean interrupted = runMarker.reportInterrupted();
            Runnable takeArchive = () -> {
                ArchiveLock lock = ArchiveLock.acquire(archive.root(), lockWait, "qdrant-backup");
                bind(camel, "archiveLock", lock);
                addService(camel, lock);
                // a crash between a backup's data and its manifest, or in an expiry: finished or set aside
                Leftovers.heal(archive.root());
                if (interrupted) {
                    // a backup download recorded in state/ is resumed by the next run, not deleted
                    PartialFiles.clean(
                            archive.root(),
                            ServerSnapshots.resumableParts(state, settings.duration("backup.resume-max-age")));
                }
            };
            if (leadership.clustered()) {
                leadership.whenLeading(takeArchive);
            } else {
                takeArchive.run();
            }
        }

        SnapshotDownloader downloader = new SnapshotDownloader(qdrant, retry, transfers);
        Duration clockTolerance = settings.duration("backup.clock-tolerance");
        CollectionSnapshot snapshots = new CollectionSnapshot(
                qdrant,
                downloader,
                clockTolerance,
                java.time.Clock.systemUTC(),
                new ServerSnapshots(qdrant, state, settings.duration("backup.resume-max-age")));
        snapshots.fingerprintWith(new qdrantbackup.backup.Fingerprinting(
                qdrant,
                settings.integer("drill.fingerprint.sample-size"),
                settings.integer("drill.fingerprint.probes"),
                java.time.Clock.systemUTC()));
        Backup backup = new Backup(
                qdrant,
                archive,
                snapshots,
                offsite,
                new BackupOptions(
                        BackupOptions.patterns(settings.string("backup.include")),
                        BackupOptions.patterns(settings.string("backup.exclude")),
                        settings.bool("backup.full-storage"),
                        settings.bool("backup.delete-from-server")),
                new qdrantbackup.backup.RunLog(state));
        // a collection of a cluster is backed up as a set of shard snapshots (README "Clusters")
        qdrantbackup.cluster.ClusterNodes clusterNodes = new qdrantbackup.cluster.ClusterNodes(
                qdrant, settings.string("qdrant.nodes"), settings.string("qdrant.node-url"));
        qdrantbackup.backup.ClusterSetBackup clusterBackup = new qdrantbackup.backup.ClusterSetBackup(
                qdrant,
                clusterNodes,
                archive,
                snapshots,
                retry,
                transfers,
                state,
                settings.integer("backup.cluster.parallel"),
                settings.bool("backup.delete-from-server"));
        bind(camel, "clusterBackup", clusterBackup);
        // a scheduled fire that found a run going is sent again, as the schedule would, when that run ends
        org.apache.camel.ProducerTemplate relaunch = camel.createProducerTemplate();
        backup.relaunchWith(
                run -> relaunch.asyncRequestBodyAndHeader("direct:backup", run, "trigger", "schedule"),
                () -> camel.isStopping() || camel.isStopped());

        // unset offsite.retention.* values fall back to retention.* (declared in SettingCatalogue)
        RetentionPolicy localPolicy = policy(settings, "retention");
        RetentionPolicy offsitePolicy = policy(settings, "offsite.retention");
        Retention retention = new Retention(archive, localPolicy, offsite.enabled() ? offsite : null, offsitePolicy)
                .clockTolerance(clockTolerance, java.time.Clock.systemUTC())
                .housekeeping(new Housekeeping(
                        new Housekeeping.Limits(
                                state.resolve("runs"),
                                java.time.Duration.ofDays(settings.integer("state.runs.keep-days")),
                                Path.of(settings.string("restore.inbox.dir")).resolve(Inbox.DONE),
                                settings.duration("restore.inbox.done-max-age"),
                                archive,
                                settings.duration("restore.pre-restore.max-age")),
                        java.time.Clock.systemUTC()));
        backup.offsiteKeeps(backups -> qdrantbackup.retention.Expire.kept(backups, offsitePolicy));

        backup.onFinish(runMarker::finished);
        Notifier notifier = notifier(settings);
        backup.onFinish(notifier::backupFinished);
        retention.onFailure((collection, why) -> notifier.notify(Event.retention(collection, why)));

        int parallel = settings.integer("backup.parallel");
        bind(camel, "settings", settings);
        bind(camel, "qdrant", qdrant);
        bind(camel, "archive", archive);
        bind(camel, "offsite", offsite);
        bind(camel, "backup", backup);
        bind(camel, "retention", retention);
        Inbox inbox = new Inbox(Path.of(settings.string("restore.inbox.dir")));
        // read by routes/restore.camel.yaml; checked here so a bad value stops start-up with one line
        settings.bool("restore.inbox.enabled");
        settings.duration("restore.inbox.poll");
        settings.duration("restore.inbox.min-age");
        bind(camel, "inbox", inbox);
        bind(camel, "inboxFilter", new InboxFilter());
        Restore restore = new Restore(
                qdrant,
                archive,
                snapshots,
                offsite,
                new GreenWait(
                        qdrant, settings.duration("restore.health-timeout"), settings.duration("restore.health-poll")),
                inbox,
                // a read-only command leaves an interrupted restore for the daemon to finish
                readOnly ? null : state);
        restore.onFinish(r -> {
            if (r.getOutcome() != RestoreReport.Outcome.RESTORED) {
                notifier.notify(
                        Event.restore(r.getTarget() != null ? r.getTarget() : r.getCollection(), r.getReason()));
            }
        });
        restore.clusters(
                clusterNodes,
                clusterBackup,
                settings.duration("restore.health-timeout"),
                settings.duration("restore.health-poll"));
        bind(camel, "restore", restore);
        bind(camel, "readBack", qdrantbackup.readback.ReadBackWiring.create(settings, s3, state, notifier));
        bind(
                camel,
                "drill",
                qdrantbackup.drill.DrillWiring.create(
                        settings, qdrantSettings(settings), archive, offsite, state, notifier));
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
        String bucket = s.find("offsite.bucket").orElse(null);
        String endpoint = s.find("offsite.endpoint").orElse(null);
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
                s.string("offsite.prefix"),
                s.string("offsite.region"),
                endpointUri,
                s.bool("offsite.path-style"),
                s.find("offsite.access-key").orElse(null),
                s.find("offsite.secret-key").orElse(null),
                s.string("offsite.checksum-mode"),
                s.bytes("offsite.part-size"),
                s.integer("offsite.upload-threads"));
        return bucket == null ? null : S3Store.create(o);
    }

    /** A retention policy from {@code <prefix>.*}; what an unset value falls back to is declared. */
    static RetentionPolicy policy(Settings s, String prefix) {
        return RetentionPolicy.of(
                s.integer(prefix + ".keep-last"),
                s.integer(prefix + ".daily"),
                s.integer(prefix + ".weekly"),
                s.integer(prefix + ".monthly"),
                s.string(prefix + ".timezone"),
                prefix);
    }

    static QdrantSettings qdrantSettings(Settings s) {
        return new QdrantSettings(
                StartupChecks.httpUrl(s, "qdrant.url"),
                s.find("qdrant.api-key").orElse(null),
                s.duration("qdrant.connect-timeout"),
                s.duration("qdrant.read-timeout"),
                s.duration("qdrant.snapshot-timeout"),
                s.integer("qdrant.retries"),
                s.duration("qdrant.retry-delay"));
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
        Duration timeout = s.duration("notify.timeout");
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
                            uri,
                            timeout,
                            Notifier.localHost(),
                            java.util.stream.Stream.of(
                                            "qdrant.api-key",
                                            "offsite.access-key",
                                            "offsite.secret-key",
                                            "management.token")
                                    .flatMap(k -> s.find(k).stream())
                                    .toList());
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
