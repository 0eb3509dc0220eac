package qdrantbackup.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import qdrantbackup.testing.Backups;
import qdrantbackup.testing.FakeQdrant;
import qdrantbackup.testing.S3Server;
import qdrantbackup.testing.TestApp;
import software.amazon.awssdk.core.sync.RequestBody;

/** Expiry of the bucket through the real routes, with more objects than one listing page holds. */
class OffsiteExpiryTest {
    static final Instant FIRST = Instant.parse("2024-05-11T02:00:00Z");
    static final int DAYS = 600; // 2024-05-11 .. 2025-12-31: 1,200 objects

    @TempDir
    Path dir;

    FakeQdrant qdrant;
    S3Server s3;
    TestApp app;

    @BeforeEach
    void start() throws Exception {
        qdrant = FakeQdrant.start(dir.resolve("qdrant"));
        s3 = S3Server.start();
        Map<String, String> settings = s3.settings("q");
        settings.put("offsite.retention.monthly", "12");
        app = TestApp.start(dir, qdrant.url(), settings);
    }

    @AfterEach
    void stop() {
        app.close();
        qdrant.close();
        s3.close();
    }

    static List<String> dailyBackupKeys(String prefix, String collection, int days) {
        List<String> keys = new ArrayList<>();
        IntStream.range(0, days).forEach(d -> {
            String name = Backups.name(collection, FIRST.plus(Duration.ofDays(d)));
            keys.add(prefix + collection + "/" + name);
            keys.add(prefix + collection + "/" + name + ".json");
        });
        return keys;
    }

    /** A data object holds its own key; a manifest object is the manifest of the data object beside it. */
    private void put(String key) {
        s3.client().putObject(b -> b.bucket(s3.bucket()).key(key), RequestBody.fromString(body(key)));
    }

    static String body(String key) {
        if (!key.endsWith(".json")) {
            return key;
        }
        String dataKey = key.substring(0, key.length() - ".json".length());
        String name = dataKey.substring(dataKey.lastIndexOf('/') + 1);
        String collection = dataKey.substring(0, dataKey.lastIndexOf('/'));
        collection = collection.substring(collection.lastIndexOf('/') + 1);
        byte[] data = dataKey.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Instant created = qdrantbackup.qdrant.SnapshotNames.time(name).orElseThrow();
        try {
            return qdrantbackup.transfer.SafeFiles.JSON.writeValueAsString(new qdrantbackup.store.Manifest(
                    collection,
                    name,
                    "collection",
                    data.length,
                    FakeQdrant.sha256(data),
                    created.toString(),
                    FakeQdrant.VERSION,
                    1L,
                    null,
                    null,
                    "test"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void theBucketKeepsWhatItsPolicySaysAndNothingElseVanishes() {
        dailyBackupKeys("q/", "products", DAYS).parallelStream().forEach(this::put);
        put("q/products/README-from-the-operator.txt");
        put("q/products/pre-restore/" + Backups.name("products", FIRST));
        // a snapshot whose manifest never arrived is not a complete backup: not counted, not touched
        String orphan = "q/products/" + Backups.name("products", FIRST.minusSeconds(60));
        put(orphan);
        put("elsewhere/products/" + Backups.name("products", FIRST));

        app.camel().createProducerTemplate().requestBody("direct:expire", false);

        List<String> left = s3.keys("");
        List<String> snapshots = left.stream()
                .filter(k -> k.startsWith("q/products/products-") && k.endsWith(".snapshot"))
                .toList();
        // offsite policy: the local daily 7 / weekly 4 with monthly 12 = the worked example's 15 + 6 older months
        assertThat(snapshots).hasSize(15 + 6 + 1);
        assertThat(left)
                .contains(
                        orphan,
                        "q/products/README-from-the-operator.txt",
                        "q/products/pre-restore/" + Backups.name("products", FIRST),
                        "elsewhere/products/" + Backups.name("products", FIRST));
        for (String kept : List.of("2025-12-31", "2025-12-07", "2025-07-31", "2025-01-31")) {
            String key = "q/products/" + Backups.name("products", Instant.parse(kept + "T02:00:00Z"));
            assertThat(left).contains(key, key + ".json");
        }
        assertThat(left)
                .doesNotContain("q/products/" + Backups.name("products", Instant.parse("2025-12-24T02:00:00Z")));
        // every kept snapshot still has its manifest
        snapshots.stream()
                .filter(k -> !k.equals(orphan))
                .forEach(k -> assertThat(left).contains(k + ".json"));
    }
}
