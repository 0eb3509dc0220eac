package qdrantbackup.qdrant;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Qdrant names snapshots {@code {collection}-{peer_id}-YYYY-MM-DD-HH-MM-SS.snapshot} (UTC), full ones
 * {@code full-snapshot-YYYY-MM-DD-HH-MM-SS.snapshot}. The time in the name is the reliable one:
 * creation_time can be null on filesystems without birth time.
 */
public final class SnapshotNames {
    private static final Pattern STAMP = Pattern.compile("(\\d{4}-\\d{2}-\\d{2}-\\d{2}-\\d{2}-\\d{2})\\.snapshot$");
    private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm-ss");

    private SnapshotNames() {}

    /** The UTC time in a snapshot's name, if it has one. */
    public static Optional<Instant> time(String name) {
        Matcher m = STAMP.matcher(name);
        return m.find()
                ? Optional.of(LocalDateTime.parse(m.group(1), NAME).toInstant(ZoneOffset.UTC))
                : Optional.empty();
    }

    /** When a snapshot was made: from its name, else creation_time, else now. */
    public static Instant created(SnapshotInfo snapshot) {
        return time(snapshot.name())
                .orElseGet(() -> snapshot.creationTime() != null
                        ? LocalDateTime.parse(snapshot.creationTime()).toInstant(ZoneOffset.UTC)
                        : Instant.now());
    }
}
