package qdrantbackup.restore;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import qdrantbackup.store.Manifest;
import qdrantbackup.transfer.SafeFiles;

/**
 * {@code <state.dir>/restore-running.json}: the restore in progress (the drop, the target, the safety copy,
 * the step reached), rewritten at each step that matters and removed when the restore is filed. A crash
 * leaves it behind, and the next start finishes the restore or rolls it back from it ({@link RestoreRecovery}).
 */
final class RestoreJournal {
    private static final Logger LOG = LoggerFactory.getLogger(RestoreJournal.class);
    static final String FILE = "restore-running.json";

    /** How far a restore got. Only from {@link #UPLOADING} on can the target differ from before. */
    enum Step {
        VERIFIED,
        SAFETY_COPY,
        UPLOADING,
        REPLACING,
        UPLOADED,
        ROLLING_BACK;

        boolean touched() {
            return compareTo(UPLOADING) >= 0;
        }
    }

    /** What the journal holds. Paths are absolute; {@code safetyCopy} null: the target did not exist. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Entry(
            long pid,
            String started,
            String drop,
            java.util.List<String> inputs,
            String collection,
            String snapshot,
            String source,
            String sourceFile,
            String sha256,
            Manifest manifest,
            String target,
            boolean replace,
            boolean forceAliases,
            String safetyCopy,
            String uploadName,
            Step step,
            int attempts) {

        /** This entry taken over by this process, after {@code interruptions} interruptions. */
        Entry takenOver(int interruptions) {
            return new Entry(
                    ProcessHandle.current().pid(),
                    started,
                    drop,
                    inputs,
                    collection,
                    snapshot,
                    source,
                    sourceFile,
                    sha256,
                    manifest,
                    target,
                    replace,
                    forceAliases,
                    safetyCopy,
                    uploadName,
                    step,
                    interruptions);
        }

        boolean ownedByLiveProcess() {
            return pid != ProcessHandle.current().pid()
                    && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        }
    }

    private final Path file;
    private boolean mine;

    RestoreJournal(Path stateDir) {
        this.file = stateDir == null ? null : stateDir.resolve(FILE);
    }

    Path file() {
        return file;
    }

    /** Records the restore at {@code step}; a failure to write is a warning (the restore goes on). */
    void record(RestoreReport r, Step step, int attempts) {
        if (file == null) {
            return;
        }
        Entry e = new Entry(
                ProcessHandle.current().pid(),
                Instant.now().toString(),
                r.dropped().toAbsolutePath().toString(),
                r.inputs().stream().map(p -> p.toAbsolutePath().toString()).toList(),
                r.getCollection(),
                r.getSnapshot(),
                r.getSource(),
                r.sourceFile() == null ? null : r.sourceFile().toAbsolutePath().toString(),
                r.getSha256(),
                r.manifest(),
                r.getTarget(),
                r.isReplace(),
                r.forceAliases(),
                r.safetyFile() == null ? null : r.safetyFile().toAbsolutePath().toString(),
                r.uploadName(),
                step,
                attempts);
        write(e);
    }

    /** Writes an entry (also the recovery's, which takes the record over). */
    void write(Entry e) {
        mine = true;
        try {
            SafeFiles.createPrivateDirectories(file.getParent());
            SafeFiles.writeJson(file, e);
        } catch (RuntimeException ex) {
            LOG.warn("could not record the restore in progress in {}: {}", file, ex.getMessage());
        }
    }

    /** The restore a previous process left unfinished, if any. An unreadable journal is set aside. */
    Optional<Entry> read() {
        if (file == null || !Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(SafeFiles.JSON.readValue(file.toFile(), Entry.class));
        } catch (IOException e) {
            Path aside = file.resolveSibling(FILE + ".unreadable");
            LOG.error(
                    "the record of an interrupted restore {} cannot be read ({}); moved to {}: check the collections"
                            + " it may concern by hand",
                    file,
                    e.getMessage(),
                    aside);
            SafeFiles.commit(file, aside);
            return Optional.empty();
        }
    }

    /** The recovery takes over a crashed process's record: it is cleared when that restore is filed. */
    void adopt() {
        mine = true;
    }

    /** Removes the record this process wrote or adopted (never another's, e.g. one a refused drop found). */
    void clear() {
        if (file != null && mine) {
            mine = false;
            SafeFiles.deleteQuietly(file);
            SafeFiles.forceFolder(file.getParent());
        }
    }
}
