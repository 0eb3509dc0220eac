package qdrantbackup.backup;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import qdrantbackup.qdrant.SnapshotInfo;

/**
 * When a snapshot was made. Qdrant's creation_time can be null (filesystems without birth time), so
 * the UTC timestamp at the end of the name ({@code …-YYYY-MM-DD-HH-MM-SS.snapshot}) comes first.
 */
final class SnapshotTimes {
    private static final Pattern STAMP = Pattern.compile("(\\d{4}-\\d{2}-\\d{2}-\\d{2}-\\d{2}-\\d{2})\\.snapshot$");
    private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm-ss");

    private SnapshotTimes() {
    }

    static Instant created(SnapshotInfo snapshot) {
        Matcher m = STAMP.matcher(snapshot.name());
        if (m.find()) {
            return LocalDateTime.parse(m.group(1), NAME).toInstant(ZoneOffset.UTC);
        }
        if (snapshot.creationTime() != null) {
            return LocalDateTime.parse(snapshot.creationTime()).toInstant(ZoneOffset.UTC);
        }
        return Instant.now();
    }
}
