package qdrantbackup.store.s3;

import java.io.IOException;
import java.nio.file.Path;
import qdrantbackup.transfer.HashingCopy;

/** An archived file is read again before it is shipped: bit rot on the archive's disk never reaches the bucket. */
final class FileCheck {
    private FileCheck() {}

    /** Throws {@link DamagedFileException} when {@code file}'s SHA-256 is not {@code expected}. */
    static void matches(Path file, String expected, String key) {
        String actual;
        try {
            actual = HashingCopy.sha256(file);
        } catch (IOException e) {
            throw new OffsiteException("cannot read " + file + " for upload: " + e.getMessage(), e);
        }
        if (!actual.equalsIgnoreCase(expected)) {
            throw new DamagedFileException("the archived copy " + file + " is damaged: its SHA-256 is " + actual
                    + ", its manifest says " + expected + "; it was not shipped (the upload was aborted). Restore"
                    + " from another copy, or delete the backup (snapshot and .json) so the next run takes a new one");
        }
    }

    /** The file on disk is not what its manifest recorded. */
    static final class DamagedFileException extends OffsiteException {
        DamagedFileException(String message) {
            super(message);
        }
    }
}
