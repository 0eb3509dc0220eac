package qdrantbackup.backup;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** One backup run: its jobs and how it ended. Written as JSON to the state folder. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class BackupRun {
    private final Instant started = Instant.now();
    private final String trigger;
    private final List<BackupJob> jobs = new CopyOnWriteArrayList<>();
    private volatile Instant finished;
    private volatile String error;
    private volatile boolean offsite;
    private volatile String offsiteRefusal;

    public BackupRun(String trigger) {
        this.trigger = trigger;
    }

    public String getTrigger() {
        return trigger;
    }

    public String getStarted() {
        return started.toString();
    }

    public String getFinished() {
        return finished == null ? null : finished.toString();
    }

    /** When the run started, as an instant. */
    public Instant started() {
        return started;
    }

    public List<BackupJob> getJobs() {
        return jobs;
    }

    public String getError() {
        return error;
    }

    public boolean isOffsite() {
        return offsite;
    }

    public Double getSeconds() {
        return finished == null ? null : Duration.between(started, finished).toMillis() / 1000.0;
    }

    /** Every collection backed up, archived and (when on) shipped offsite. */
    public boolean isOk() {
        return error == null && jobs.stream().allMatch(j -> j.getResult() == BackupJob.Result.OK);
    }

    /** Why the offsite target refused this run's probe, or null. */
    public String offsiteRefusal() {
        return offsiteRefusal;
    }

    void offsiteRefused(String why) {
        offsiteRefusal = why;
    }

    void offsite(boolean on) {
        offsite = on;
    }

    void fail(String why) {
        error = why;
    }

    void finish() {
        finished = Instant.now();
    }
}
