package qdrantbackup.retention;

import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;

/**
 * A backup as the retention planner sees it: an opaque id (for example the snapshot file name) and
 * its creation time.
 *
 * <p>Only <b>successful, verified</b> backups may be handed to the planner. Failed or partial
 * backups must be filtered out by the caller: they never count towards any rule, so they can never
 * cause a good backup to be expired.
 */
public record Candidate(String id, Instant created) {

    /** Newest first; ties on the creation time are broken by id (descending) so plans are deterministic. */
    public static final Comparator<Candidate> NEWEST_FIRST = Comparator.comparing(Candidate::created)
            .thenComparing(Candidate::id)
            .reversed();

    public Candidate {
        Objects.requireNonNull(id, "backup id");
        Objects.requireNonNull(created, "backup creation time");
        if (id.isBlank()) {
            throw new IllegalArgumentException("backup id must not be blank");
        }
    }
}
