package qdrantbackup.store.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import qdrantbackup.store.Manifest;
import qdrantbackup.store.TestBackups;
import qdrantbackup.testing.S3Server;
import software.amazon.awssdk.core.sync.RequestBody;

/** What the bucket store does beyond the suite: manifests read once, a refused manifest put, the size cap. */
class S3StoreTest {
    private static S3Server server;

    @TempDir
    Path tmp;

    private ScriptedObjects objects;
    private S3Store store;

    @BeforeAll
    static void startServer() {
        server = S3Server.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @BeforeEach
    void bucket() {
        OffsiteSettings settings = S3StoreConformanceTest.settings(server, "store-" + UUID.randomUUID());
        objects = new ScriptedObjects(S3Objects.create(settings));
        store = new S3Store(objects, settings);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private Manifest put(int second) {
        Path folder = tmp.resolve("made-" + second);
        Manifest m = TestBackups.make(folder, "products", second, 1000);
        store.put(m, folder);
        return m;
    }

    @Test
    void eachManifestIsReadOnceAndListingAgainCostsOnlyTheListing() {
        put(10);
        put(20);
        put(30);

        assertThat(store.list("products")).hasSize(3);
        assertThat(objects.reads).hasValue(3);

        assertThat(store.list("products")).hasSize(3);
        assertThat(objects.reads).as("cached by key, size and last-modified").hasValue(3);

        Manifest newest = put(40);
        assertThat(store.list("products")).first().isEqualTo(newest);
        assertThat(objects.reads).hasValue(4);
    }

    @Test
    void aRefusedManifestLeavesNoBackupAndTheRepeatPutsOnlyTheManifest() {
        objects.refuseManifests = true;
        Path folder = tmp.resolve("made");
        Manifest m = TestBackups.make(folder, "products", 10, 1000);

        assertThatThrownBy(() -> store.put(m, folder)).hasMessageContaining("refused");
        assertThat(store.list("products")).isEmpty();
        assertThat(store.has(m)).isFalse();
        assertThat(objects.filePuts).hasValue(1);

        objects.refuseManifests = false;
        store.put(m, folder);
        assertThat(store.list("products")).containsExactly(m);
        assertThat(objects.filePuts).as("the data file was there already").hasValue(1);
    }

    @Test
    void objectsNamedJsonOverFourMiBAreNotRead() {
        Manifest m = put(10);
        String key = store.layout().key("products", "huge.json");
        server.client()
                .putObject(
                        b -> b.bucket(server.bucket()).key(key),
                        RequestBody.fromBytes(new byte[(int) ManifestReader.MAX_MANIFEST_BYTES + 1]));

        assertThat(store.list("products")).containsExactly(m);
        assertThat(objects.reads).hasValue(1);
    }

    @Test
    void describeNamesBucketAndPrefix() {
        assertThat(store.describe()).startsWith("s3://" + server.bucket() + "/store-");
        OffsiteSettings bare = qdrantbackup.store.s3.Buckets.settings("b", "/");
        assertThat(new S3Store(objects, bare).describe()).isEqualTo("s3://b");
    }
}
