package qdrantbackup.backup;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Duration;
import java.time.Instant;
import qdrantbackup.qdrant.SnapshotInfo;
import qdrantbackup.store.FollowingPut;
import qdrantbackup.store.Manifest;

/** The backup of one collection (or of the full storage) within a run, as it goes. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class BackupJob {
    /** How a collection's backup ended. */
    public enum Result {
        RUNNING,
        OK,
        LOCAL_ONLY,
        FAILED
    }

    /** The archive folder used for full-storage snapshots. */
    public static final String FULL_STORAGE = "full-storage";

    private final String collection;
    private final boolean full;
    private volatile Result result = Result.RUNNING;
    private volatile SnapshotInfo snapshot;
    private volatile CollectionSnapshot.Taken taken;
    private volatile Manifest archived;
    private volatile String error;
    private volatile Instant started;
    private volatile Instant finished;
    private final java.util.concurrent.atomic.AtomicReference<FollowingPut> upload =
            new java.util.concurrent.atomic.AtomicReference<>();

    private BackupJob(String collection, boolean full) {
        this.collection = collection;
        this.full = full;
    }

    public static BackupJob collection(String name) {
        return new BackupJob(name, false);
    }

    public static BackupJob fullStorage() {
        return new BackupJob(FULL_STORAGE, true);
    }

    public String getCollection() {
        return collection;
    }

    public boolean isFull() {
        return full;
    }

    public Result getResult() {
        return result;
    }

    public String getSnapshot() {
        return snapshot == null ? null : snapshot.name();
    }

    public long getBytes() {
        return archived == null ? 0 : archived.totalSize();
    }

    public String getSha256() {
        return archived == null ? null : archived.sha256();
    }

    public String getError() {
        return error;
    }

    public Double getSeconds() {
        return started == null || finished == null
                ? null
                : Duration.between(started, finished).toMillis() / 1000.0;
    }

    @JsonIgnore
    public SnapshotInfo snapshotInfo() {
        return snapshot;
    }

    @JsonIgnore
    public Manifest archived() {
        return archived;
    }

    @JsonIgnore
    public Instant started() {
        return started;
    }

    void start() {
        started = Instant.now();
    }

    void snapshot(CollectionSnapshot.Taken made) {
        taken = made;
        snapshot = made.info();
    }

    CollectionSnapshot.Taken taken() {
        return taken;
    }

    void archived(Manifest backup) {
        archived = backup;
    }

    /** The offsite upload that followed the download, to be completed (or aborted) by a later step. */
    void upload(FollowingPut streaming) {
        upload.set(streaming);
    }

    /** Takes the upload that followed the download, if any: whoever takes it completes or aborts it. */
    FollowingPut takeUpload() {
        return upload.getAndSet(null);
    }

    void end(Result outcome, String why) {
        result = outcome;
        error = why;
        finished = Instant.now();
    }

    /** One line for the log and for backup-now's output. */
    public String line() {
        String what = String.format("%-30s %-10s", collection, result);
        return switch (result) {
            case OK ->
                what + String.format(" %s  %.1f MiB in %.1fs", getSnapshot(), getBytes() / 1048576.0, getSeconds());
            case LOCAL_ONLY -> what + " archived " + getSnapshot() + " but not offsite: " + error;
            case FAILED -> what + " " + error;
            case RUNNING -> what;
        };
    }
}
