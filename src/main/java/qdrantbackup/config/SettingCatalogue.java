package qdrantbackup.config;

import static qdrantbackup.config.Setting.Type.BOOL;
import static qdrantbackup.config.Setting.Type.BYTES;
import static qdrantbackup.config.Setting.Type.CHOICE;
import static qdrantbackup.config.Setting.Type.CRON;
import static qdrantbackup.config.Setting.Type.DURATION;
import static qdrantbackup.config.Setting.Type.FOLDER;
import static qdrantbackup.config.Setting.Type.GLOBS;
import static qdrantbackup.config.Setting.Type.INT;
import static qdrantbackup.config.Setting.Type.SECRET;
import static qdrantbackup.config.Setting.Type.TEXT;
import static qdrantbackup.config.Setting.Type.URL;
import static qdrantbackup.config.Setting.Type.ZONE;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Every setting of the tool, declared once, grouped as in application.properties. A build test
 * (SettingsDeclarationTest) fails when application.properties or a route's {@code {{key:default}}}
 * disagrees with what is declared here. camel.* settings belong to Camel and are not declared.
 */
public final class SettingCatalogue {
    private SettingCatalogue() {}

    static final List<Setting> QDRANT = List.of(
            Setting.of("qdrant.url", URL, "http://localhost:6333", "REST address of Qdrant (scheme, host, port)"),
            Setting.of("qdrant.api-key", SECRET, "", "API key sent as the api-key header; never logged"),
            Setting.of("qdrant.connect-timeout", DURATION, "10s", "time to connect to Qdrant"),
            Setting.of("qdrant.read-timeout", DURATION, "2m", "time to wait for an answer to an ordinary request"),
            Setting.of(
                    "qdrant.snapshot-timeout",
                    DURATION,
                    "2h",
                    "time to wait for Qdrant to build or restore a snapshot"),
            Setting.of("qdrant.retries", INT, "4", "retries of a failed request or download")
                    .atLeast(0),
            Setting.of("qdrant.retry-delay", DURATION, "2s", "first backoff between retries (doubles each time)"),
            Setting.of(
                    "qdrant.nodes",
                    TEXT,
                    "",
                    "REST addresses of every cluster node, comma-separated; empty = ask"
                            + " GET /cluster on qdrant.url"),
            Setting.of(
                    "qdrant.node-url",
                    TEXT,
                    "{scheme}://{host}:{port}",
                    "a cluster peer's REST address: {host} from its p2p URI, {scheme} and {port} from qdrant.url"));

    static final List<Setting> BACKUP = List.of(
            Setting.of("backup.schedule.enabled", BOOL, "true", "whether backups run on their schedule"),
            Setting.of("backup.schedule.cron", CRON, "0 0 2 * * ?", "when backups run"),
            Setting.of("backup.schedule.timezone", ZONE, "UTC", "time zone of the backup and retention schedules"),
            Setting.of("backup.include", GLOBS, "*", "collections to back up; empty = all"),
            Setting.of("backup.exclude", GLOBS, "", "collections never backed up"),
            Setting.of("backup.parallel", INT, "1", "collections backed up at the same time")
                    .atLeast(1),
            Setting.of("backup.cluster.parallel", INT, "3", "cluster nodes snapshotted at the same time")
                    .atLeast(1),
            Setting.of("backup.full-storage", BOOL, "false", "also snapshot the whole storage (POST /snapshots)"),
            Setting.of("backup.delete-from-server", BOOL, "true", "delete a snapshot from Qdrant once archived"),
            Setting.of(
                    "backup.resume-max-age",
                    DURATION,
                    "6h",
                    "how old a snapshot an interrupted run was downloading may be for the next run to resume it"),
            Setting.of(
                    "backup.clock-tolerance",
                    DURATION,
                    "5m",
                    "how far Qdrant's clock may differ from this machine's before a backup warns"));

    static final List<Setting> ARCHIVE_AND_STATE = List.of(
            Setting.of("archive.dir", FOLDER, "archive", "where verified snapshots and manifests are kept"),
            Setting.of("state.dir", FOLDER, "state", "run summaries and other state"),
            Setting.of("state.runs.keep-days", INT, "90", "days a run summary in <state.dir>/runs/ is kept")
                    .atLeast(1),
            Setting.of(
                    "archive.lock-wait",
                    DURATION,
                    "0s",
                    "how long a second writer (backup-now, expire) waits for the archive's lock before exit code 4"));

    static final List<Setting> OFFSITE = List.of(
            Setting.of("offsite.bucket", TEXT, "", "S3 bucket receiving every archived backup; empty = offsite off"),
            Setting.of("offsite.prefix", TEXT, "qdrant-backup", "key prefix in the bucket"),
            Setting.of("offsite.region", TEXT, "us-east-1", "AWS region of the bucket"),
            Setting.of("offsite.endpoint", URL, "", "URL of an S3-compatible store; empty = AWS"),
            Setting.of("offsite.path-style", BOOL, "", "path-style addressing; by default on with offsite.endpoint")
                    .trueWhenSet("offsite.endpoint"),
            Setting.of("offsite.access-key", SECRET, "", "static access key; empty = AWS default chain"),
            Setting.of("offsite.secret-key", SECRET, "", "static secret key; empty = AWS default chain"),
            Setting.of("offsite.part-size", BYTES, "16MB", "multipart upload part size (S3 minimum 5MB)")
                    .atLeast(5L << 20),
            Setting.of("offsite.upload-threads", INT, "4", "multipart parts uploaded at once")
                    .atLeast(1),
            Setting.of("offsite.checksum-mode", CHOICE, "when_required", "when the AWS SDK sends checksum headers")
                    .oneOf("when_required", "when_supported"),
            Setting.of("offsite.check-on-start", BOOL, "true", "refuse to start when the bucket refuses a write probe"),
            Setting.of(
                    "offsite.abandoned-upload-age",
                    DURATION,
                    "1d",
                    "open multipart uploads under the prefix that no record explains are aborted after this"));

    static final List<Setting> RETENTION = List.of(
            // 0 switches a calendar rule off; RetentionPolicy refuses negative values with its own line
            Setting.of("retention.keep-last", INT, "1", "the newest backups always kept"),
            Setting.of("retention.daily", INT, "7", "days whose newest backup is kept"),
            Setting.of("retention.weekly", INT, "4", "ISO weeks whose newest backup is kept"),
            Setting.of("retention.monthly", INT, "6", "months whose newest backup is kept"),
            Setting.of("retention.timezone", ZONE, "", "time zone of days, weeks and months")
                    .fallsBackTo("backup.schedule.timezone"),
            Setting.of("retention.schedule.enabled", BOOL, "true", "whether expiry also runs on its own schedule"),
            Setting.of("retention.schedule.cron", CRON, "0 30 3 * * ?", "when expiry runs on its own"));

    static final List<Setting> OFFSITE_RETENTION = List.of(
            Setting.of("offsite.retention.keep-last", INT, "", "the bucket's keep-last")
                    .fallsBackTo("retention.keep-last"),
            Setting.of("offsite.retention.daily", INT, "", "the bucket's daily days")
                    .fallsBackTo("retention.daily"),
            Setting.of("offsite.retention.weekly", INT, "", "the bucket's weekly weeks")
                    .fallsBackTo("retention.weekly"),
            Setting.of("offsite.retention.monthly", INT, "", "the bucket's monthly months")
                    .fallsBackTo("retention.monthly"),
            Setting.of("offsite.retention.timezone", ZONE, "", "the bucket's retention time zone")
                    .fallsBackTo("retention.timezone"));

    static final List<Setting> RESTORE = List.of(
            Setting.of("restore.inbox.enabled", BOOL, "true", "whether the restore inbox is watched"),
            Setting.of("restore.inbox.dir", FOLDER, "inbox", "folder receiving snapshots and restore requests"),
            Setting.of("restore.inbox.poll", DURATION, "5s", "how often the inbox is looked at"),
            Setting.of("restore.inbox.min-age", DURATION, "10s", "how long a file must be unchanged to be picked up"),
            Setting.of(
                    "restore.health-timeout", DURATION, "30m", "how long a restored collection may take to turn green"),
            Setting.of("restore.health-poll", DURATION, "2s", "how often its health is asked"),
            Setting.of(
                    "restore.inbox.done-max-age",
                    DURATION,
                    "7d",
                    "how long a restored snapshot stays in <inbox>/done/ (reports stay)"),
            Setting.of(
                    "restore.pre-restore.max-age",
                    DURATION,
                    "30d",
                    "how long a pre-restore safety copy is kept (the newest of each collection always is)"));

    static final List<Setting> READ_BACK = List.of(
            Setting.of("verify.schedule.enabled", BOOL, "true", "whether the bucket read-back runs on its schedule"),
            Setting.of("verify.schedule.cron", CRON, "0 0 5 * * ?", "when the bucket read-back runs"),
            Setting.of("verify.period", DURATION, "7d", "every bucket backup is read back at least once in this"),
            Setting.of("verify.runs-per-period", INT, "7", "scheduled runs in a period: each reads at least its share")
                    .atLeast(1));

    static final List<Setting> SERVICES = List.of(
            Setting.of("notify.webhook-url", SECRET, "", "webhook receiving each failure as JSON; empty = none"),
            Setting.of("notify.timeout", DURATION, "10s", "time to connect to the webhook and get an answer"),
            Setting.of("routes.reload", BOOL, "true", "apply edits of routes/ without a restart"),
            Setting.of("progress.interval", DURATION, "5s", "how often long transfers log their progress"),
            Setting.of("health.qdrant-timeout", DURATION, "5s", "readiness: how long Qdrant may take to answer"),
            Setting.of("health.offsite-recheck", DURATION, "5m", "readiness: how long a bucket write check is trusted"),
            Setting.of(
                    "management.token",
                    SECRET,
                    "",
                    "bearer token of POST /backup and GET /backups; empty = both answer 403"));

    static final List<Setting> HA = List.of(
            Setting.of("ha.cluster", CHOICE, "none", "leader election among instances; none = this one runs everything")
                    .oneOf("none", "file", "kubernetes", "zookeeper"),
            Setting.of("ha.member-id", TEXT, "", "name of this instance; empty = host name and process id"),
            Setting.of("ha.check-interval", DURATION, "5s", "how often a follower tries to take the lead"),
            Setting.of("ha.file.root", FOLDER, "", "shared folder holding the leader lock (ha.cluster=file)"),
            Setting.of("ha.kubernetes.namespace", TEXT, "", "namespace of the Lease; empty = the pod's own namespace"),
            Setting.of("ha.kubernetes.lease-name", TEXT, "qdrant-backup", "the Lease is named <this>-leader"),
            Setting.of("ha.zookeeper.nodes", TEXT, "", "ZooKeeper servers host:port,... (ha.cluster=zookeeper)"),
            Setting.of("ha.zookeeper.base-path", TEXT, "/qdrant-backup", "ZooKeeper path of the election"));

    static final List<Setting> DRILL = List.of(
            Setting.of("drill.schedule.enabled", BOOL, "true", "whether restore drills run on their schedule"),
            Setting.of("drill.schedule.cron", CRON, "0 0 5 ? * SUN", "when restore drills run (weekly by default)"),
            Setting.of("drill.qdrant.url", URL, "", "Qdrant receiving the drills' scratch collections")
                    .fallsBackTo("qdrant.url"),
            Setting.of("drill.min-recall", TEXT, "0.95", "lowest recall@10 through the index a drill accepts (0..1)"),
            Setting.of(
                    "drill.keep-reports",
                    DURATION,
                    "180d",
                    "how long a drill report in <state.dir>/drills/ is kept (each collection's newest and newest passed"
                            + " stay)"),
            Setting.of(
                            "drill.fingerprint.sample-size",
                            INT,
                            "100",
                            "points sampled and hashed after each snapshot; 0 = none")
                    .atLeast(0),
            Setting.of("drill.fingerprint.probes", INT, "20", "sampled points whose exact top-10 search is recorded")
                    .atLeast(0));

    /** Every setting by key, in the order of application.properties. */
    private static final Map<String, Setting> BY_KEY = index(
            QDRANT,
            BACKUP,
            ARCHIVE_AND_STATE,
            OFFSITE,
            RETENTION,
            OFFSITE_RETENTION,
            RESTORE,
            READ_BACK,
            SERVICES,
            HA,
            DRILL);

    /** The declaration of {@code key}; reading an undeclared setting is a programming error. */
    public static Setting get(String key) {
        Setting s = BY_KEY.get(key);
        if (s == null) {
            throw new IllegalStateException("setting " + key + " is not declared in SettingCatalogue");
        }
        return s;
    }

    public static boolean isDeclared(String key) {
        return BY_KEY.containsKey(key);
    }

    public static Set<String> keys() {
        return BY_KEY.keySet();
    }

    public static List<Setting> all() {
        return List.copyOf(BY_KEY.values());
    }

    @SafeVarargs
    private static Map<String, Setting> index(List<Setting>... areas) {
        Map<String, Setting> byKey = new LinkedHashMap<>();
        Stream.of(areas).flatMap(List::stream).forEach(s -> {
            if (byKey.put(s.key(), s) != null) {
                throw new IllegalStateException("setting " + s.key() + " is declared twice");
            }
        });
        return java.util.Collections.unmodifiableMap(byKey);
    }
}
