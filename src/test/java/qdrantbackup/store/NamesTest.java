package qdrantbackup.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NamesTest {
    @Test
    void lengthIsCountedInBytesNotCharacters() {
        String fits = "é".repeat(127) + "x"; // 255 bytes
        String tooLong = "é".repeat(128); // 128 characters, 256 bytes
        assertThat(Names.problem(fits)).isNull();
        assertThat(Names.problem(tooLong))
                .isEqualTo("it is 256 bytes long in UTF-8, more than the 255 a file name may have");
    }

    @Test
    void aSnapshotFileNameMustLeaveRoomForItsLongestSidecar() {
        String name = "x".repeat(240) + ".snapshot"; // 249 bytes; with .json.part 259
        assertThat(Names.problem(name)).isNull();
        assertThatThrownBy(() -> Names.checkFile("snapshot", name))
                .hasMessageEndingWith("is refused: with its sidecar .json.part it is 259 bytes long in UTF-8, more than"
                        + " the 255 a file name may have");
        assertThat(Names.fileProblem("x".repeat(236) + ".snapshot")).isNull(); // 245 + 10 = 255
    }

    @Test
    void aCollectionWhoseSnapshotFilesCannotFitIsRefusedUpFront() {
        assertThat(Names.collectionProblem("c".repeat(195))).isNull();
        assertThat(Names.collectionProblem("c".repeat(196)))
                .startsWith("its snapshot files (<name>-<peer>-<time>.snapshot.json.part) would be up to 256 bytes")
                .endsWith("use a name of at most 195 bytes");
        // the longest Qdrant snapshot name of a 195-byte collection, with its sidecar, fits exactly
        String longest = "c".repeat(195) + "-18446744073709551615-2026-12-31-23-59-59.snapshot";
        assertThat(Names.fileProblem(longest)).isNull();
    }

    @Test
    void namesTheArchiveRootHoldsAreNotCollections() {
        assertThat(Names.collectionProblem("full-storage")).contains("full-storage snapshots");
        assertThat(Names.collectionProblem(".lock")).contains("lock file");
        // pre-restore folders are inside a collection's folder: a collection may be called so
        assertThat(Names.collectionProblem("pre-restore")).isNull();
        assertThat(Names.collectionProblem("full-storage ")).isNull();
    }

    @Test
    void trailingSpacesAreKeptAndMakeAnotherName() {
        assertThat(Names.check("collection", "a ")).isEqualTo("a ");
        assertThat(new qdrantbackup.store.s3.KeyLayout("p").key("a ", "f.snapshot"))
                .isEqualTo("p/a /f.snapshot")
                .isNotEqualTo(new qdrantbackup.store.s3.KeyLayout("p").key("a", "f.snapshot"));
    }
}
