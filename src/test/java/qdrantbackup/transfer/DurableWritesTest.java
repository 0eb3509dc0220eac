package qdrantbackup.transfer;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.File;
import java.nio.file.CopyOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file gets its final name only through {@link SafeFiles#commit} (flush the file, rename, flush the
 * folder): no other class of the tool renames files, and only the inbox (moving a drop it has finished
 * with) renames without the flush.
 */
class DurableWritesTest {
    @TempDir
    Path dir;

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("qdrantbackup");

    @Test
    void onlySafeFilesRenamesFiles() {
        noClasses()
                .that()
                .doNotHaveFullyQualifiedName(SafeFiles.class.getName())
                .should()
                .callMethod(Files.class, "move", Path.class, Path.class, CopyOption[].class)
                .orShould()
                .callMethod(File.class, "renameTo", File.class)
                .because("a final name must come from SafeFiles.commit: flushed file, rename, flushed folder")
                .check(MAIN);
    }

    @Test
    void onlyTheInboxRenamesWithoutFlushing() {
        noClasses()
                .that()
                .doNotHaveFullyQualifiedName("qdrantbackup.restore.Inbox")
                .should()
                .callMethod(SafeFiles.class, "moveAtomically", Path.class, Path.class)
                .check(MAIN);
    }

    @Test
    void aCommittedFileHasItsFinalNameItsContentAndNoPartLeft() throws Exception {
        Path part = dir.resolve("a.snapshot" + SafeFiles.PART);
        SafeFiles.createPrivateFile(part);
        Files.writeString(part, "whole");
        Path target = dir.resolve("a.snapshot");

        SafeFiles.commit(part, target);

        assertThat(target).hasContent("whole");
        assertThat(part).doesNotExist();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target)))
                .isEqualTo("rw-------");
    }
}
