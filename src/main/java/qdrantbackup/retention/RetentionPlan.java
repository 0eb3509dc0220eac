package qdrantbackup.retention;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of {@link RetentionPlanner#plan}: which backups are kept (and by which rules) and
 * which are expired. Both lists are newest first.
 *
 * @param kept     the kept backups, newest first, each with the rules that keep it
 * @param expired  the backups no rule keeps, newest first
 * @param latest   creation time of the newest backup the plan was computed against; {@code null}
 *                 only for an empty plan (no backups)
 * @param policy   the policy the plan was computed with
 */
public record RetentionPlan(List<Kept> kept, List<Candidate> expired, Instant latest, RetentionPolicy policy) {

    public RetentionPlan {
        kept = List.copyOf(kept);
        expired = List.copyOf(expired);
        Objects.requireNonNull(policy, "policy");
    }

    public boolean isEmpty() {
        return kept.isEmpty() && expired.isEmpty();
    }

    /** The kept backups without their rules, newest first. */
    public List<Candidate> keptBackups() {
        return kept.stream().map(Kept::backup).toList();
    }

    /**
     * A dry-run print: a header, then one line per backup, newest first:
     * {@code KEEP   <id> (<rules>)} or {@code EXPIRE <id>}.
     */
    public String describe() {
        StringBuilder out = new StringBuilder();
        out.append("retention (")
                .append(policy.describe())
                .append("), latest ")
                .append(latest == null ? "-" : latest.toString())
                .append(": ")
                .append(kept.size())
                .append(" kept, ")
                .append(expired.size())
                .append(" expired");
        List<Object> all = new ArrayList<>(kept.size() + expired.size());
        int k = 0;
        int e = 0;
        while (k < kept.size() || e < expired.size()) {
            boolean takeKept = e >= expired.size()
                    || (k < kept.size()
                            && Candidate.NEWEST_FIRST.compare(kept.get(k).backup(), expired.get(e)) <= 0);
            all.add(takeKept ? kept.get(k++) : expired.get(e++));
        }
        for (Object o : all) {
            out.append('\n');
            if (o instanceof Kept kb) {
                out.append("KEEP   ")
                        .append(kb.backup().id())
                        .append(" (")
                        .append(String.join(", ", kb.rules()))
                        .append(')');
            } else {
                out.append("EXPIRE ").append(((Candidate) o).id());
            }
        }
        return out.toString();
    }
}
