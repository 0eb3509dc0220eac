package qdrantbackup.restore;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import qdrantbackup.store.Manifest;

/**
 * One restore, from the drop to the outcome; written as {@code <file>.report.json} beside the moved
 * input. Getters are the report; the rest is the state the steps pass along.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
    "file",
    "outcome",
    "reason",
    "target",
    "collection",
    "snapshot",
    "source",
    "size",
    "sha256",
    "replace",
    "safetyCopy",
    "rollback",
    "aliases",
    "checks",
    "steps",
    "started",
    "finished",
    "seconds"
})
public final class RestoreReport {
    /** How a restore ended. */
    public enum Outcome {
        /** Restored and every check passed. */
        RESTORED,
        /** Refused before anything in Qdrant changed (bad input, incompatible snapshot). */
        REFUSED,
        /** Failed; the target is as it was before (never touched, or rolled back and checked: see rollback). */
        FAILED,
        /** Failed, and putting the previous state back failed too: the reason says what to do. */
        ROLLBACK_FAILED
    }

    /** One check and its result, e.g. points: 1200 = 1200 in the manifest. */
    public record Check(String name, boolean ok, String detail) {}

    private final Instant started = Instant.now();
    private final Path dropped;
    private final List<Check> checks = new ArrayList<>();
    private final Map<String, Double> steps = new LinkedHashMap<>();
    private Instant finished;
    private Outcome outcome;
    private String reason;
    private String rollback;
    private String collection;
    private String snapshot;
    private String source;
    private String target;
    private boolean replace;
    private Long size;
    private Map<String, Object> aliases;
    private String sha256;
    private Instant stepStarted = started;

    // state passed between the steps
    private Path sourceFile;
    private Manifest manifest;
    private Path safetyFile;
    private Manifest safetyManifest;
    private String uploadName;
    private boolean touched;
    private boolean uploadCleaned;
    private RestoreRequest request;
    private final List<Path> inputs = new ArrayList<>();
    private boolean filed;

    public RestoreReport(Path dropped) {
        this.dropped = dropped;
        inputs.add(dropped);
    }

    /** The restore a crashed process left, rebuilt from its journal so that it can be finished or rolled back. */
    static RestoreReport resumed(RestoreJournal.Entry e) {
        RestoreReport r = new RestoreReport(Path.of(e.drop()));
        r.inputs.clear();
        e.inputs().forEach(i -> r.inputs.add(Path.of(i)));
        r.source(
                e.source(),
                e.sourceFile() == null ? null : Path.of(e.sourceFile()),
                e.manifest(),
                e.collection(),
                e.snapshot());
        r.target(e.target(), e.replace());
        r.sha256 = e.sha256();
        r.request(new RestoreRequest(e.collection(), e.snapshot(), e.target(), e.replace(), e.forceAliases()));
        if (e.safetyCopy() != null) {
            Path copy = Path.of(e.safetyCopy());
            r.safetyCopy(
                    copy,
                    qdrantbackup.store.local.LocalStore.readManifest(copy.resolveSibling(copy.getFileName() + ".json"))
                            .orElse(null));
        }
        if (e.uploadName() != null) {
            r.uploading(e.uploadName());
        }
        if (e.step().touched()) {
            r.touching(); // a set has no upload name, yet Qdrant may have changed
        }
        return r;
    }

    public String getFile() {
        return dropped.getFileName().toString();
    }

    public Outcome getOutcome() {
        return outcome;
    }

    public boolean isOk() {
        return outcome == Outcome.RESTORED;
    }

    public String getReason() {
        return reason;
    }

    public String getRollback() {
        return rollback;
    }

    public String getCollection() {
        return collection;
    }

    public String getSnapshot() {
        return snapshot;
    }

    /** Where the snapshot came from: inbox, archive or offsite. */
    public String getSource() {
        return source;
    }

    public String getTarget() {
        return target;
    }

    public boolean isReplace() {
        return replace;
    }

    public Long getSize() {
        return size;
    }

    public String getSha256() {
        return sha256;
    }

    /** The copy of the target taken before it was replaced, to undo the restore by hand. */
    public String getSafetyCopy() {
        return safetyFile == null ? null : safetyFile.toString();
    }

    /** The aliases re-created ({@code recreated}) and those left pointing at another collection ({@code leftAlone}). */
    public Map<String, Object> getAliases() {
        return aliases;
    }

    public List<Check> getChecks() {
        return checks;
    }

    /** Seconds each step took. */
    public Map<String, Double> getSteps() {
        return steps;
    }

    public String getStarted() {
        return started.toString();
    }

    public String getFinished() {
        return finished == null ? null : finished.toString();
    }

    public Double getSeconds() {
        return finished == null ? null : Duration.between(started, finished).toMillis() / 1000.0;
    }

    /** How long the restore took (for metrics). */
    public Duration duration() {
        return Duration.between(started, finished == null ? Instant.now() : finished);
    }

    public Instant started() {
        return started;
    }

    public Instant finished() {
        return finished;
    }

    // ---- state, not in the report ----

    @JsonIgnore
    public Path dropped() {
        return dropped;
    }

    /** The files that move to done/ or failed/ together: the drop and a manifest beside it. */
    @JsonIgnore
    public List<Path> inputs() {
        return inputs;
    }

    /** Already filed (by the recovery of an interrupted restore): the route stops here. */
    @JsonIgnore
    public boolean isFiled() {
        return filed;
    }

    void markFiled() {
        filed = true;
    }

    Path sourceFile() {
        return sourceFile;
    }

    Manifest manifest() {
        return manifest;
    }

    Path safetyFile() {
        return safetyFile;
    }

    Manifest safetyManifest() {
        return safetyManifest;
    }

    String uploadName() {
        return uploadName;
    }

    boolean touched() {
        return touched;
    }

    /** Qdrant is about to change (a set's collection is created or replaced): a failure now rolls back. */
    void touching() {
        this.touched = true;
    }

    /** The upload was refused for its credentials: Qdrant took nothing. */
    void untouched() {
        this.touched = false;
    }

    RestoreRequest request() {
        return request;
    }

    boolean forceAliases() {
        return request != null && request.forceAliases();
    }

    void aliases(List<String> recreated, Map<String, String> leftAlone) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("recreated", recreated);
        a.put("leftAlone", leftAlone);
        this.aliases = a;
    }

    void request(RestoreRequest r) {
        this.request = r;
    }

    /** True while the uploaded copy still needs deleting from Qdrant's disk. */
    boolean uploadNeedsCleanup() {
        return uploadName != null && !uploadCleaned;
    }

    void uploadCleaned() {
        uploadCleaned = true;
    }

    void source(String where, Path file, Manifest m, String collectionName, String snapshotName) {
        this.source = where;
        this.sourceFile = file;
        this.manifest = m;
        this.collection = collectionName;
        this.snapshot = snapshotName;
    }

    void target(String name, boolean replaceIt) {
        this.target = name;
        this.replace = replaceIt;
    }

    void verified(long bytes, String hash) {
        this.size = bytes;
        this.sha256 = hash;
    }

    void safetyCopy(Path file, Manifest m) {
        this.safetyFile = file;
        this.safetyManifest = m;
    }

    void uploading(String name) {
        this.uploadName = name;
        this.touched = true;
    }

    void check(String name, boolean ok, String detail) {
        checks.add(new Check(name, ok, detail));
    }

    /** Records how long the step since the last call took. */
    void step(String name) {
        Instant now = Instant.now();
        steps.merge(name, Duration.between(stepStarted, now).toMillis() / 1000.0, Double::sum);
        stepStarted = now;
    }

    void end(Outcome how, String why, String rollbackNote) {
        this.outcome = how;
        this.reason = why;
        this.rollback = rollbackNote;
    }

    void finish() {
        finished = Instant.now();
        if (outcome == null) {
            outcome = Outcome.RESTORED;
        }
    }

    /** One line for the log. */
    public String line() {
        return getFile() + " -> " + (target == null ? "?" : target) + ": " + outcome
                + (getSeconds() == null ? "" : " in " + getSeconds() + "s");
    }
}
