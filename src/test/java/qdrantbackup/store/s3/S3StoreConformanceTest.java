package qdrantbackup.store.s3;

import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import qdrantbackup.store.BackupStore;
import qdrantbackup.store.BackupStoreConformance;
import qdrantbackup.testing.S3Server;
import qdrantbackup.transfer.HashingCopy;
import software.amazon.awssdk.core.sync.RequestBody;

/** The bucket (S3Proxy in-process) passes the store suite; each test has a prefix of its own. */
class S3StoreConformanceTest extends BackupStoreConformance {
    private static S3Server server;
    private S3Store store;
    private String prefix;

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
        prefix = "conformance-" + UUID.randomUUID();
        store = S3Store.create(settings(server, prefix), new RetryingObjects.Policy(2, Duration.ofMillis(10)));
    }

    @AfterEach
    void close() {
        store.close();
    }

    static OffsiteSettings settings(S3Server server, String prefix) {
        return qdrantbackup.store.s3.Buckets.settings(server.bucket(), prefix)
                .withEndpoint(server.endpoint(), true)
                .withCredentials(server.accessKey(), server.secretKey())
                .withUpload(5L << 20, 4);
    }

    @Override
    protected BackupStore store() {
        return store;
    }

    /** As version 1 uploaded: every object with its SHA-256 as metadata. */
    @Override
    protected void plant(String collection, String name, byte[] content) {
        server.client()
                .putObject(
                        b -> b.bucket(server.bucket())
                                .key(store.layout().key(collection, name))
                                .metadata(java.util.Map.of(S3Objects.SHA256_METADATA, HashingCopy.sha256(content))),
                        RequestBody.fromBytes(content));
    }

    /** Other bytes of the same size under the same metadata, as bit rot in the store would leave them. */
    @Override
    protected void damage(String collection, String name) {
        String key = store.layout().key(collection, name);
        byte[] bytes = server.bytes(key);
        bytes[bytes.length / 2] ^= 0x5a;
        server.client()
                .putObject(
                        b -> b.bucket(server.bucket()).key(key).metadata(server.metadata(key)),
                        RequestBody.fromBytes(bytes));
    }

    @Override
    protected Set<String> stored(String collection) {
        String under = store.layout().listPrefix(collection);
        return server.keys(under).stream().map(k -> k.substring(under.length())).collect(Collectors.toSet());
    }
}
