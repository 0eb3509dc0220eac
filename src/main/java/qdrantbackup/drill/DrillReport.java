package qdrantbackup.drill;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;

/** What one drill did and found; written as JSON to {@code <state.dir>/drills/}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class DrillReport {
    /** A check's result. */
    public enum Result {
        OK,
        FAILED,
        /** differences the writes during the backup explain: not damage */
        CHANGED_WHILE_BACKED_UP,
        SKIPPED
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Check(String name, Result result, String detail) {}

    public String collection;
    public String snapshot;
    public String source;
    public String backupCreated;
    public String scratch;
    public String qdrant;
    public String started;
    public String finished;
    public Double durationSeconds;
    public Double recall;
    public boolean ok;
    public String reason;
    public final List<Check> checks = new ArrayList<>();

    DrillReport(String collection, String started) {
        this.collection = collection;
        this.started = started;
    }

    void check(String name, Result result, String detail) {
        checks.add(new Check(name, result, detail));
    }

    /** The first failed check's detail, or null when none failed. */
    String firstFailure() {
        return checks.stream()
                .filter(c -> c.result() == Result.FAILED)
                .map(c -> c.name() + ": " + c.detail())
                .findFirst()
                .orElse(null);
    }
}
