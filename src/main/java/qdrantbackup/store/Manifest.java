package qdrantbackup.store;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a backup is: a set of data files under one manifest, written beside them as {@code <snapshot>.json}.
 * Enough to verify every file and to restore faithfully on another machine (aliases are not inside Qdrant
 * snapshots).
 *
 * <p>Format 2 lists the set's files; {@code snapshot}, {@code size} and {@code sha256} name the first (today
 * the only) file, as format 1 did, so a manifest written before sets existed (no {@code format}, no
 * {@code files}) reads as a set of that one file.
 *
 * @param snapshot   the backup's name: its first file's name, and the manifest's name without {@code .json}
 * @param kind       {@code collection}, or {@code full} for a full-storage snapshot
 * @param created    when the snapshot was made (ISO-8601 instant, UTC)
 * @param pointCount exact point count when the snapshot was made (null for full-storage snapshots)
 * @param config     the collection's config ({@code GET /collections/{c}} → config)
 * @param aliases    alias name to collection name, for the aliases that pointed at it
 * @param format     {@link #FORMAT} when written by this version; null in format 1
 * @param files      the set's data files; null in format 1 (see {@link #dataFiles()})
 * @param pointCountAfter       the exact count again once the snapshot was made; null before this field existed
 * @param changedDuringSnapshot whether the count moved meanwhile: then the snapshot holds between
 *                              {@code pointCount} and {@code pointCountAfter} points, not an exact number
 * @param qdrantCreated         the snapshot's time by Qdrant's clock (its name); {@code created} is this machine's
 * @param cluster               for a set made of a cluster's shards: nodes, files per shard, layout; else null
 * @param fingerprint           sampled points and exact searches taken after the snapshot; null when none was taken
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Manifest(
        String collection,
        String snapshot,
        String kind,
        long size,
        String sha256,
        String created,
        String qdrantVersion,
        Long pointCount,
        JsonNode config,
        Map<String, String> aliases,
        String tool,
        Integer format,
        List<DataFile> files,
        Long pointCountAfter,
        Boolean changedDuringSnapshot,
        String qdrantCreated,
        ClusterSet cluster,
        Fingerprint fingerprint) {

    public static final String COLLECTION = "collection";
    public static final String FULL = "full";
    /** The manifest format this version writes. */
    public static final int FORMAT = 2;
    /** A manifest's file name ends so: {@code <snapshot>.json}. */
    public static final String SUFFIX = ".json";
    /** A manifest is a few KB: a larger file is refused before it is parsed. */
    public static final long MAX_BYTES = 4L << 20;

    /** One data file of a set, as written to the store. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record DataFile(String name, long size, String sha256) {}

    /** A manifest as written before cluster sets existed. */
    public Manifest(
            String collection,
            String snapshot,
            String kind,
            long size,
            String sha256,
            String created,
            String qdrantVersion,
            Long pointCount,
            JsonNode config,
            Map<String, String> aliases,
            String tool,
            Integer format,
            List<DataFile> files,
            Long pointCountAfter,
            Boolean changedDuringSnapshot,
            String qdrantCreated) {
        this(
                collection,
                snapshot,
                kind,
                size,
                sha256,
                created,
                qdrantVersion,
                pointCount,
                config,
                aliases,
                tool,
                format,
                files,
                pointCountAfter,
                changedDuringSnapshot,
                qdrantCreated,
                null,
                null);
    }

    /** A manifest as format 2 wrote it before the snapshot facts (counts after, Qdrant's time) existed. */
    public Manifest(
            String collection,
            String snapshot,
            String kind,
            long size,
            String sha256,
            String created,
            String qdrantVersion,
            Long pointCount,
            JsonNode config,
            Map<String, String> aliases,
            String tool,
            Integer format,
            List<DataFile> files) {
        this(
                collection,
                snapshot,
                kind,
                size,
                sha256,
                created,
                qdrantVersion,
                pointCount,
                config,
                aliases,
                tool,
                format,
                files,
                null,
                null,
                null);
    }

    /** A set of one snapshot file, in this version's format. */
    public Manifest(
            String collection,
            String snapshot,
            String kind,
            long size,
            String sha256,
            String created,
            String qdrantVersion,
            Long pointCount,
            JsonNode config,
            Map<String, String> aliases,
            String tool) {
        this(
                collection,
                snapshot,
                kind,
                size,
                sha256,
                created,
                qdrantVersion,
                pointCount,
                config,
                aliases,
                tool,
                FORMAT,
                List.of(new DataFile(snapshot, size, sha256)));
    }

    /** This manifest with the facts of how its snapshot was taken. */
    public Manifest withSnapshotFacts(Long countAfter, Boolean changed, String qdrantTime) {
        return new Manifest(
                collection,
                snapshot,
                kind,
                size,
                sha256,
                created,
                qdrantVersion,
                pointCount,
                config,
                aliases,
                tool,
                format,
                files,
                countAfter,
                changed,
                qdrantTime,
                cluster,
                fingerprint);
    }

    /** This manifest describing a cluster set. */
    public Manifest withCluster(ClusterSet set) {
        return new Manifest(
                collection,
                snapshot,
                kind,
                size,
                sha256,
                created,
                qdrantVersion,
                pointCount,
                config,
                aliases,
                tool,
                format,
                files,
                pointCountAfter,
                changedDuringSnapshot,
                qdrantCreated,
                set,
                fingerprint);
    }

    /** This manifest with a fingerprint (null: without). */
    public Manifest withFingerprint(Fingerprint print) {
        return new Manifest(
                collection,
                snapshot,
                kind,
                size,
                sha256,
                created,
                qdrantVersion,
                pointCount,
                config,
                aliases,
                tool,
                format,
                files,
                pointCountAfter,
                changedDuringSnapshot,
                qdrantCreated,
                cluster,
                print);
    }

    /** Whether the point count of the snapshot is known exactly (no write while it was made). */
    @JsonIgnore
    public boolean exactCount() {
        return pointCount != null && !Boolean.TRUE.equals(changedDuringSnapshot);
    }

    /** The set's data files, first file first; a format-1 manifest has the one file it names. */
    public List<DataFile> dataFiles() {
        return files == null || files.isEmpty() ? List.of(new DataFile(snapshot, size, sha256)) : files;
    }

    /** The total size of the set's files. */
    @JsonIgnore
    public long totalSize() {
        return dataFiles().stream().mapToLong(DataFile::size).sum();
    }

    /** Whether it names what a backup needs; a file that lacks these is not a manifest of ours. */
    @JsonIgnore
    public boolean isComplete() {
        return collection != null
                && snapshot != null
                && sha256 != null
                && created != null
                && dataFiles().stream().allMatch(f -> f.name() != null && f.sha256() != null);
    }

    /** Whether {@code other} describes the same data: every file with the same name, size and SHA-256. */
    public boolean sameData(Manifest other) {
        List<DataFile> mine = dataFiles();
        List<DataFile> theirs = other.dataFiles();
        if (mine.size() != theirs.size()) {
            return false;
        }
        for (int i = 0; i < mine.size(); i++) {
            DataFile a = mine.get(i);
            DataFile b = theirs.get(i);
            if (!a.name().equals(b.name())
                    || a.size() != b.size()
                    || !a.sha256().equalsIgnoreCase(b.sha256())) {
                return false;
            }
        }
        return true;
    }

    public Instant createdAt() {
        return Instant.parse(created);
    }

    public String fileName() {
        return snapshot + SUFFIX;
    }
}
