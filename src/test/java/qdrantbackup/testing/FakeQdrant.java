package qdrantbackup.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.extension.ResponseTransformerV2;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.http.HttpHeaders;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.Response;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * A stateful stand-in for a single-node Qdrant v1.19 REST API, served by WireMock.
 *
 * <p>One catch-all WireMock stub is answered by a {@link ResponseDefinitionTransformerV2}
 * ({@code Handler}) that routes on method and path and computes each answer from the fake's
 * state (collections, aliases, snapshot files on disk). Answers follow Qdrant v1.19: the
 * {@code {"result","status","time"}} envelope, error bodies {@code {"status":{"error":..}}},
 * plain-text auth errors, snapshot names {@code {collection}-{peer_id}-{YYYY-MM-DD-HH-MM-SS}.snapshot}
 * with a u64 peer id above {@code Long.MAX_VALUE}, SHA-256 checksums in {@code <name>.checksum}
 * side-car files, uploads kept on disk under the multipart filename.
 *
 * <p>Snapshot files are real ustar archives ({@link SnapshotTars}) with {@code version.info},
 * {@code config.json}, {@code payload_index.json} and per shard {@code i/shard_config.json},
 * {@code i/replica_state.json}, {@code i/newest_clocks.json}; shard 0 also carries a random filler
 * {@code 0/segments/<uuid>.tar} that brings the file to the configured size. <b>Fake's own
 * convention:</b> the point count travels in {@code 0/fake_points.json} ({@code {"points":N}}) and the
 * points themselves in {@link FakePoints#ENTRY}; an upload without either restores 0 points. Points are
 * answered by {@link FakeSearch}.
 *
 * <p>Layout of the work folder: {@code snapshots/<collection>/<name>.snapshot} (+ {@code .checksum}),
 * {@code snapshots/full-snapshot-*.snapshot}, {@code tmp/}.
 *
 * <p>Memory: WireMock's request journal is disabled; the fake keeps its own record of method,
 * path, query and headers (never bodies). Downloads are served as a byte array read from the file
 * (WireMock's transformer API has no streaming body), and uploads arrive as WireMock's in-memory
 * request body: fine for the KB–MB snapshots of tests, not for GB files.
 *
 * <p>Compression: WireMock's Jetty gzip handler plays actix's {@code Compress} middleware: a
 * request with {@code Accept-Encoding: gzip} gets a gzipped, chunked answer without
 * {@code Content-Length}; {@code Accept-Encoding: identity} (or none) gets the raw bytes with
 * their length.
 *
 * <p>Thread-safe: state changes happen under one lock; fault rules use atomic counters.
 *
 * <p>Known simplifications: {@code wait=false} work is done before the 202 is sent (so the
 * snapshot is listed at once); an upload is kept in {@code snapshots/<c>/} as soon as the
 * handler runs, also when the recovery then fails (the real code moves it first); error texts
 * for 422 validation and alias-not-found are close to, not byte-equal with, Qdrant's; the
 * read-only key's 403 is plain text; recorded paths are the raw (percent-encoded) request paths.
 */
public final class FakeQdrant implements AutoCloseable {

    public static final String VERSION = "1.19.0";
    public static final String COMMIT = "74f3e85b9473c62560006c043e13737ce6b48412";
    /** A u64 peer id that does not fit in a Java long, as real clusters have. */
    public static final String PEER_ID = "11532566549086892528";

    public static final String DEFAULT_VECTORS = "{\"size\":4,\"distance\":\"Cosine\"}";
    public static final long DEFAULT_SNAPSHOT_SIZE = 64 * 1024;

    static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter NAME_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm-ss");
    private static final DateTimeFormatter CREATION_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");
    private static final long SMALL_ENTRY = 1024 * 1024;

    private final Object lock = new Object();
    private final Path workDir;
    private final Path snapshotsDir;
    private final Path tmpDir;
    private final Map<String, Coll> collections = new LinkedHashMap<>();
    private final Map<String, String> aliases = new TreeMap<>();
    private final Map<String, Long> snapshotSizes = new LinkedHashMap<>();
    private final Map<String, Long> writesDuringSnapshot = new LinkedHashMap<>();
    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<RecordedRequest> requests = new ConcurrentLinkedQueue<>();

    private volatile String apiKey;
    private volatile String readOnlyKey;
    private volatile Clock clock = Clock.systemUTC();
    private volatile int yellowPollsAfterRestore = 1;
    private volatile long defaultSnapshotSize = DEFAULT_SNAPSHOT_SIZE;
    private volatile boolean snapshotsOnS3;
    private final java.util.concurrent.atomic.AtomicLong downloadBytesSent =
            new java.util.concurrent.atomic.AtomicLong();

    private volatile WireMockServer server;
    private volatile int port;

    /** What the fake knows about one collection; guarded by {@link #lock}. */
    private static final class Coll {
        final String name;
        FakePoints data;
        JsonNode vectors;
        int shardNumber;
        int yellowPolls;

        Coll(String name, FakePoints data, JsonNode vectors, int shardNumber) {
            this.name = name;
            this.data = data;
            this.vectors = vectors;
            this.shardNumber = shardNumber;
        }

        long points() {
            return data.count();
        }
    }

    private enum RuleKind {
        FAIL,
        DELAY,
        DROP_DOWNLOAD,
        CORRUPT_DOWNLOAD,
        SLOW_DOWNLOAD
    }

    /** A fault that applies to the next {@code remaining} matching requests. */
    private static final class Rule {
        final RuleKind kind;
        final String method;
        final Pattern path;
        final int status;
        final String body;
        final long delayMs;
        final AtomicInteger remaining;

        Rule(RuleKind kind, String method, String pathRegex, int status, String body, long delayMs, int times) {
            this.kind = kind;
            this.method = method;
            this.path = Pattern.compile(pathRegex);
            this.status = status;
            this.body = body;
            this.delayMs = delayMs;
            this.remaining = new AtomicInteger(times);
        }

        boolean matches(RuleKind k, String m, String p) {
            return kind == k && methodMatches(method, m) && path.matcher(p).matches();
        }

        /** Consumes one use; false if another thread took the last one. */
        boolean take() {
            return remaining.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
        }
    }

    /** One request as the fake saw it (no body, only its length). */
    public record RecordedRequest(
            String method, String path, String query, Map<String, List<String>> headers, int bodyLength) {
        /** First value of a header (case-insensitive name), or null. */
        public String header(String name) {
            List<String> v = headers.get(name.toLowerCase());
            return v == null || v.isEmpty() ? null : v.get(0);
        }
    }

    private FakeQdrant(Path workDir) {
        this.workDir = workDir;
        this.snapshotsDir = workDir.resolve("snapshots");
        this.tmpDir = workDir.resolve("tmp");
    }

    // ------------------------------------------------------------------ lifecycle

    /** Starts a fake on a free loopback port; snapshot files live under {@code workDir}. */
    public static FakeQdrant start(Path workDir) {
        FakeQdrant q = new FakeQdrant(workDir);
        try {
            Files.createDirectories(q.snapshotsDir);
            Files.createDirectories(q.tmpDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        q.startServer(options().dynamicPort());
        q.port = q.server.port();
        return q;
    }

    private void startServer(WireMockConfiguration config) {
        WireMockServer s = new WireMockServer(config.bindAddress("127.0.0.1")
                // actix ignores "Upgrade: h2c" (java.net.http sends it): answer in HTTP/1.1 like Qdrant
                .http2PlainDisabled(true)
                .disableRequestJournal()
                .stubRequestLoggingDisabled(true)
                .extensions(new Handler(), new StripStubHeaders()));
        s.start();
        s.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(404)));
        server = s;
    }

    /** Base URL, e.g. {@code http://127.0.0.1:40123}. */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public Path workDir() {
        return workDir;
    }

    /** Stops the server: connections are refused until {@link #up()}. State is kept. */
    public void down() {
        WireMockServer s = server;
        if (s != null) {
            s.stop();
            server = null;
        }
    }

    /** Starts the server again on the same port with the same state. */
    public void up() {
        if (server == null) {
            startServer(options().port(port));
        }
    }

    @Override
    public void close() {
        down();
    }

    // ------------------------------------------------------------------ configuration

    /** Requires this read-write (manage) key in {@code api-key} or {@code Authorization: Bearer}. */
    public FakeQdrant withApiKey(String key) {
        this.apiKey = key;
        return this;
    }

    /** Also accepts this key, for reads only: mutating calls get 403 (plain text). */
    public FakeQdrant withReadOnlyKey(String key) {
        this.readOnlyKey = key;
        return this;
    }

    /**
     * The next snapshot of {@code collection} is taken while {@code points} are added: the snapshot holds the
     * count from before, the collection the count after.
     */
    public FakeQdrant writesDuringSnapshot(String collection, long points) {
        synchronized (lock) {
            writesDuringSnapshot.put(collection, points);
        }
        return this;
    }

    /** Clock for snapshot names (UTC); a fixed clock makes same-second name collisions testable. */
    public FakeQdrant withClock(Clock clock) {
        this.clock = clock;
        return this;
    }

    /** How many {@code GET /collections/{c}} polls report {@code yellow} after a restore (default 1). */
    public FakeQdrant yellowPollsAfterRestore(int polls) {
        this.yellowPollsAfterRestore = polls;
        return this;
    }

    /** Default size of created snapshot files (approximate, rounded to tar blocks). */
    public FakeQdrant defaultSnapshotSize(long bytes) {
        this.defaultSnapshotSize = bytes;
        return this;
    }

    /** Creates (or replaces) a collection with {@link #DEFAULT_VECTORS} and one shard. */
    public FakeQdrant collection(String name, long points) {
        return collection(name, points, DEFAULT_VECTORS, 1);
    }

    /** Creates (or replaces) a collection with the given vectors config JSON and shard number. */
    public FakeQdrant collection(String name, long points, String vectorsJson, int shardNumber) {
        JsonNode vectors = parse(vectorsJson);
        synchronized (lock) {
            collections.put(name, new Coll(name, FakePoints.generate(name, vectors, points), vectors, shardNumber));
        }
        return this;
    }

    /** Size of the snapshot files created for this collection. */
    public FakeQdrant snapshotSize(String collection, long bytes) {
        synchronized (lock) {
            snapshotSizes.put(collection, bytes);
        }
        return this;
    }

    /** Points an alias at a collection (no existence check: tests may set up odd states). */
    public FakeQdrant alias(String alias, String collection) {
        synchronized (lock) {
            aliases.put(alias, collection);
        }
        return this;
    }

    /** Removes a collection and its aliases, like {@code DELETE /collections/{c}}. */
    public FakeQdrant removeCollection(String name) {
        synchronized (lock) {
            collections.remove(name);
            aliases.values().removeIf(name::equals);
        }
        return this;
    }

    // ------------------------------------------------------------------ fault injection

    /**
     * The next {@code times} requests matching method ({@code null} or {@code "*"} = any) and path
     * regex (whole path, no query) get this status and body (JSON if it starts with '{', else
     * plain text); then normal behaviour resumes. Applies before authentication.
     */
    public void failNext(String method, String pathRegex, int status, String body, int times) {
        rules.add(new Rule(RuleKind.FAIL, method, pathRegex, status, body, 0, times));
    }

    /** Delays the next {@code times} matching answers by {@code delay}, then answers normally. */
    public void delayNext(String method, String pathRegex, Duration delay, int times) {
        rules.add(new Rule(RuleKind.DELAY, method, pathRegex, 0, null, delay.toMillis(), times));
    }

    /**
     * The next {@code times} downloads of this collection's snapshots send the headers with the
     * full {@code Content-Length} but only half the body, then close the connection.
     */
    public void dropConnectionOnDownload(String collection, int times) {
        rules.add(new Rule(RuleKind.DROP_DOWNLOAD, "GET", downloadPath(collection), 0, null, 0, times));
    }

    /** The next {@code times} downloads of this collection's snapshots serve altered bytes (same length). */
    public void corruptDownload(String collection, int times) {
        rules.add(new Rule(RuleKind.CORRUPT_DOWNLOAD, "GET", downloadPath(collection), 0, null, 0, times));
    }

    /**
     * The next {@code times} downloads of this collection's snapshots send their body in 50 pieces
     * spread over {@code duration} (headers at once, with the full Content-Length): a long transfer.
     */
    public void slowDownload(String collection, Duration duration, int times) {
        rules.add(
                new Rule(RuleKind.SLOW_DOWNLOAD, "GET", downloadPath(collection), 0, null, duration.toMillis(), times));
    }

    /**
     * Serves downloads as Qdrant with its snapshots on S3 storage does: a streamed 200 with the whole body, no
     * Content-Length, no Accept-Ranges, and Range headers ignored.
     */
    public FakeQdrant snapshotsOnS3(boolean onS3) {
        snapshotsOnS3 = onS3;
        return this;
    }

    /** Body bytes the snapshot downloads have sent so far (a cut-off counts what went out before the cut). */
    public long downloadBytesSent() {
        return downloadBytesSent.get();
    }

    private static String downloadPath(String collection) {
        return "/collections/" + Pattern.quote(collection) + "/snapshots/[^/]+";
    }

    /** Removes all fault rules that are still pending. */
    public void clearFaults() {
        rules.clear();
    }

    // ------------------------------------------------------------------ inspection

    /** Names of the {@code *.snapshot} files the server holds for a collection, sorted. */
    public List<String> serverSnapshots(String collection) {
        return listSnapshotFiles(snapshotsDir.resolve(collection)).stream()
                .map(p -> p.getFileName().toString())
                .toList();
    }

    /** Names of the full-storage snapshot files, sorted. */
    public List<String> serverFullSnapshots() {
        return listSnapshotFiles(snapshotsDir).stream()
                .map(p -> p.getFileName().toString())
                .toList();
    }

    public boolean collectionExists(String name) {
        synchronized (lock) {
            return collections.containsKey(name);
        }
    }

    public List<String> collectionNames() {
        synchronized (lock) {
            return List.copyOf(collections.keySet());
        }
    }

    /** Point count of a collection, or -1 if it does not exist. */
    public long points(String name) {
        synchronized (lock) {
            Coll c = collections.get(name);
            return c == null ? -1 : c.points();
        }
    }

    /** Alias name → collection name. */
    public Map<String, String> aliases() {
        synchronized (lock) {
            return Map.copyOf(aliases);
        }
    }

    /** The vectors config JSON of a collection (compact form), or null. */
    public String vectorsConfig(String name) {
        synchronized (lock) {
            Coll c = collections.get(name);
            return c == null ? null : c.vectors.toString();
        }
    }

    public int shardNumber(String name) {
        synchronized (lock) {
            Coll c = collections.get(name);
            return c == null ? 0 : c.shardNumber;
        }
    }

    /** Path of a collection snapshot file in the fake's snapshot folder (may not exist). */
    public Path snapshotFile(String collection, String name) {
        return snapshotsDir.resolve(collection).resolve(name);
    }

    /** Path of a full snapshot file in the fake's snapshot folder (may not exist). */
    public Path fullSnapshotFile(String name) {
        return snapshotsDir.resolve(name);
    }

    /** Requests seen (in arrival order) matching method ({@code null}/"*" = any) and path regex. */
    public List<RecordedRequest> requests(String method, String pathRegex) {
        Pattern p = Pattern.compile(pathRegex);
        return requests.stream()
                .filter(r ->
                        methodMatches(method, r.method()) && p.matcher(r.path()).matches())
                .toList();
    }

    public int countRequests(String method, String pathRegex) {
        return requests(method, pathRegex).size();
    }

    /** Values of one header on matching requests (null where the header was absent). */
    public List<String> requestHeaderValues(String method, String pathRegex, String header) {
        List<String> out = new ArrayList<>();
        for (RecordedRequest r : requests(method, pathRegex)) {
            out.add(r.header(header));
        }
        return out;
    }

    /** Values of one header on all requests seen (null where absent). */
    public List<String> requestHeaderValues(String header) {
        return requestHeaderValues(null, ".*", header);
    }

    public void resetRequests() {
        requests.clear();
    }

    private static boolean methodMatches(String wanted, String actual) {
        return wanted == null || "*".equals(wanted) || wanted.equalsIgnoreCase(actual);
    }

    // ------------------------------------------------------------------ test inputs

    /**
     * Writes a collection snapshot tar (same layout as the fake creates) that the fake's upload
     * accepts; returns its SHA-256 (lowercase hex).
     */
    public static String writeSnapshotTar(
            Path target, String collection, long points, String vectorsJson, int shardNumber, long size) {
        try {
            JsonNode vectors = parse(vectorsJson);
            return writeCollectionTar(
                    target,
                    vectors,
                    shardNumber,
                    FakePoints.generate(collection, vectors, points),
                    size,
                    Instant.now());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Lowercase hex SHA-256 of a file. */
    public static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = sha256();
            byte[] buf = new byte[1 << 20];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String sha256(byte[] data) {
        return HexFormat.of().formatHex(sha256().digest(data));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------ snapshot files

    private static String writeCollectionTar(
            Path target, JsonNode vectors, int shards, FakePoints data, long size, Instant now) throws IOException {
        Map<String, String> small = new LinkedHashMap<>();
        small.put("version.info", VERSION);
        small.put("config.json", collectionConfig(vectors, shards).toString());
        small.put("payload_index.json", data.payloadIndexJson());
        for (int i = 0; i < shards; i++) {
            small.put(i + "/shard_config.json", "{\"type\":\"Local\"}");
            small.put(
                    i + "/replica_state.json",
                    "{\"this_peer_id\":" + PEER_ID + ",\"peers\":{\"" + PEER_ID + "\":\"Active\"},\"shard_key\":null}");
            small.put(i + "/newest_clocks.json", "{\"clocks\":[]}");
        }
        small.put("0/fake_points.json", "{\"points\":" + data.count() + "}");
        small.put(FakePoints.ENTRY, new String(data.toJson(), StandardCharsets.UTF_8));

        String fillerName = "0/segments/" + UUID.randomUUID() + ".tar";
        long used = 2L * SnapshotTars.BLOCK + SnapshotTars.BLOCK; // end marker + filler header
        for (String v : small.values()) {
            used += SnapshotTars.entryFootprint(v.getBytes(StandardCharsets.UTF_8).length);
        }
        long filler = Math.max(0, size - used);

        MessageDigest md = sha256();
        try (OutputStream out = new DigestOutputStream(new BufferedOutputStream(Files.newOutputStream(target)), md)) {
            SnapshotTars.Writer w = new SnapshotTars.Writer(out, now.getEpochSecond());
            for (Map.Entry<String, String> e : small.entrySet()) {
                w.add(e.getKey(), e.getValue());
            }
            w.addRandom(fillerName, filler, new Random());
            w.finish();
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** The collection config as Qdrant stores it in a snapshot's config.json and shows in info. */
    private static ObjectNode collectionConfig(JsonNode vectors, int shards) {
        ObjectNode cfg = JSON.createObjectNode();
        ObjectNode params = cfg.putObject("params");
        params.set("vectors", vectors);
        params.put("shard_number", shards);
        params.put("replication_factor", 1);
        params.put("write_consistency_factor", 1);
        params.put("on_disk_payload", true);
        ObjectNode hnsw = cfg.putObject("hnsw_config");
        hnsw.put("m", 16)
                .put("ef_construct", 100)
                .put("full_scan_threshold", 10000)
                .put("max_indexing_threads", 0)
                .put("on_disk", false);
        ObjectNode opt = cfg.putObject("optimizer_config");
        opt.put("deleted_threshold", 0.2)
                .put("vacuum_min_vector_number", 1000)
                .put("default_segment_number", 0)
                .putNull("max_segment_size");
        opt.putNull("memmap_threshold");
        opt.put("indexing_threshold", 10000).put("flush_interval_sec", 5).putNull("max_optimization_threads");
        cfg.putObject("wal_config")
                .put("wal_capacity_mb", 32)
                .put("wal_segments_ahead", 0)
                .put("wal_retain_closed", 1);
        cfg.putNull("quantization_config");
        cfg.putObject("strict_mode_config").put("enabled", false);
        return cfg;
    }

    /** Creates a collection snapshot file; caller holds the lock. Same-second names replace. */
    private ObjectNode createCollectionSnapshot(Coll c, Path dir) throws IOException {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        String name = c.name + "-" + PEER_ID + "-" + NAME_TIME.format(now.atOffset(ZoneOffset.UTC)) + ".snapshot";
        long size = snapshotSizes.getOrDefault(c.name, defaultSnapshotSize);
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(tmpDir, "snap", ".tmp");
        String checksum = writeCollectionTar(temp, c.vectors, c.shardNumber, c.data, size, now);
        return storeSnapshot(temp, dir.resolve(name), checksum, now);
    }

    /** Moves a finished archive into place (atomic rename) and writes its checksum side-car. */
    private ObjectNode storeSnapshot(Path temp, Path target, String checksum, Instant now) throws IOException {
        Files.setLastModifiedTime(temp, FileTime.from(now));
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.writeString(checksumFile(target), checksum);
        return describe(target);
    }

    private static Path checksumFile(Path snapshot) {
        return snapshot.resolveSibling(snapshot.getFileName() + ".checksum");
    }

    /** SnapshotDescription: name, creation_time, size, checksum (omitted when no side-car). */
    private static ObjectNode describe(Path file) throws IOException {
        BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
        ObjectNode d = JSON.createObjectNode();
        d.put("name", file.getFileName().toString());
        LocalDateTime created = LocalDateTime.ofInstant(attrs.creationTime().toInstant(), ZoneOffset.UTC);
        d.put("creation_time", CREATION_TIME.format(created));
        d.put("size", attrs.size());
        Path sum = checksumFile(file);
        if (Files.exists(sum)) {
            d.put("checksum", Files.readString(sum).trim());
        }
        return d;
    }

    private static List<Path> listSnapshotFiles(Path dir) {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.snapshot")) {
            for (Path p : ds) {
                if (Files.isRegularFile(p)) {
                    out.add(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.sort(null);
        return out;
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("invalid JSON: " + json, e);
        }
    }

    // ------------------------------------------------------------------ HTTP handling

    /** An answer to send: status, content type, body, extra headers, or a fault. */
    private static final class Answer {
        int status = 200;
        String contentType;
        byte[] body = new byte[0];
        final Map<String, String> headers = new LinkedHashMap<>();
        Fault fault;
        boolean noLength;
        boolean truncate;
        long dribbleMs;

        static Answer of(int status, String contentType, byte[] body) {
            Answer a = new Answer();
            a.status = status;
            a.contentType = contentType;
            a.body = body;
            return a;
        }
    }

    /** The parsed request: method, decoded path segments, query parameters. */
    private static final class Call {
        final Request req;
        final String method;
        final String path;
        final String query;
        final List<String> seg;
        final Map<String, String> params = new LinkedHashMap<>();
        final long t0 = System.nanoTime();

        Call(Request req) {
            this.req = req;
            this.method = req.getMethod().getName();
            String url = req.getUrl();
            int q = url.indexOf('?');
            this.path = q < 0 ? url : url.substring(0, q);
            this.query = q < 0 ? "" : url.substring(q + 1);
            List<String> s = new ArrayList<>();
            for (String part : path.split("/")) {
                if (!part.isEmpty()) {
                    s.add(percentDecode(part));
                }
            }
            this.seg = s;
            for (String kv : query.split("&")) {
                if (kv.isEmpty()) {
                    continue;
                }
                int eq = kv.indexOf('=');
                params.put(
                        percentDecode(eq < 0 ? kv : kv.substring(0, eq)),
                        eq < 0 ? "" : percentDecode(kv.substring(eq + 1)));
            }
        }

        boolean is(String m, int segments) {
            return method.equals(m) && seg.size() == segments;
        }

        boolean waitParam() {
            return !"false".equalsIgnoreCase(params.getOrDefault("wait", "true"));
        }

        /** Seconds since the request arrived, written plainly (0.000123, not 1.23E-4) like serde. */
        BigDecimal elapsed() {
            double seconds = Math.max((System.nanoTime() - t0) / 1e9, 1e-6);
            return BigDecimal.valueOf(seconds).setScale(9, RoundingMode.HALF_UP);
        }
    }

    /** The WireMock extension: every request passes through here. */
    private final class Handler implements ResponseDefinitionTransformerV2 {
        @Override
        public String getName() {
            return "fake-qdrant";
        }

        @Override
        public ResponseDefinition transform(ServeEvent event) {
            Call call = new Call(event.getRequest());
            record(call);
            Rule delay = takeRule(RuleKind.DELAY, call);
            Answer answer;
            try {
                answer = answer(call);
            } catch (IOException | RuntimeException e) {
                answer = error(call, 500, "Service internal error: " + e);
            }
            return render(answer, delay == null ? 0 : delay.delayMs);
        }
    }

    /** Removes WireMock's own {@code Matched-Stub-*} headers, which Qdrant never sends. */
    private static final class StripStubHeaders implements ResponseTransformerV2 {
        @Override
        public String getName() {
            return "fake-qdrant-strip-stub-headers";
        }

        @Override
        public Response transform(Response response, ServeEvent event) {
            List<HttpHeader> kept = new ArrayList<>();
            for (HttpHeader h : response.getHeaders().all()) {
                if (!h.key().toLowerCase().startsWith("matched-stub-")) {
                    kept.add(h);
                }
            }
            return Response.Builder.like(response)
                    .headers(new HttpHeaders(kept))
                    .build();
        }
    }

    private void record(Call call) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (HttpHeader h : call.req.getHeaders().all()) {
            headers.put(h.key().toLowerCase(), List.copyOf(h.values()));
        }
        byte[] body = call.req.getBody();
        requests.add(new RecordedRequest(call.method, call.path, call.query, headers, body == null ? 0 : body.length));
    }

    private Rule takeRule(RuleKind kind, Call call) {
        for (Rule r : rules) {
            if (r.matches(kind, call.method, call.path) && r.take()) {
                return r;
            }
        }
        return null;
    }

    private static ResponseDefinition render(Answer a, long delayMs) {
        ResponseDefinitionBuilder b = aResponse();
        if (delayMs > 0) {
            b.withFixedDelay((int) delayMs);
        }
        if (a.fault != null) {
            return b.withFault(a.fault).build();
        }
        b.withStatus(a.status);
        if (a.contentType != null) {
            b.withHeader("content-type", a.contentType);
        }
        // an explicit length, as actix sends for files and JSON; Jetty's gzip handler drops it when
        // it compresses, and aborts the connection when fewer bytes follow (download drop fault)
        if (!a.noLength) {
            a.headers.putIfAbsent("Content-Length", String.valueOf(a.body.length));
        }
        a.headers.forEach(b::withHeader);
        if (a.dribbleMs > 0) {
            b.withChunkedDribbleDelay(50, (int) a.dribbleMs);
        }
        return b.withBody(a.body).build();
    }

    private Answer answer(Call call) throws IOException {
        Rule fail = takeRule(RuleKind.FAIL, call);
        if (fail != null) {
            String body = fail.body == null ? "" : fail.body;
            String type = body.startsWith("{") ? "application/json" : "text/plain; charset=utf-8";
            return Answer.of(fail.status, type, body.getBytes(StandardCharsets.UTF_8));
        }
        Answer denied = checkAuth(call);
        if (denied != null) {
            return denied;
        }
        return route(call);
    }

    // ------------------------------------------------------------------ auth

    private static boolean authExempt(String path) {
        return path.equals("/") || path.equals("/healthz") || path.startsWith("/livez") || path.startsWith("/readyz");
    }

    private Answer checkAuth(Call call) {
        String key = apiKey;
        String roKey = readOnlyKey;
        if ((key == null && roKey == null) || authExempt(call.path)) {
            return null;
        }
        String given = call.req.getHeader("api-key");
        if (given == null) {
            String auth = call.req.getHeader("Authorization");
            if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
                given = auth.substring(7).trim();
            }
        }
        if (given == null) {
            return plain(401, "Must provide an API key or an Authorization bearer token");
        }
        if (given.equals(key)) {
            return null;
        }
        if (given.equals(roKey)) {
            return isMutating(call) ? plain(403, "Forbidden: Write access is required") : null;
        }
        return plain(401, "Invalid API key or JWT");
    }

    private static boolean isMutating(Call call) {
        if (call.method.equals("GET") || call.method.equals("HEAD")) {
            return false;
        }
        // read-only POSTs: counting (and searching) points
        return !(call.method.equals("POST") && call.path.matches(".*/points(/count|/scroll|/query)?"));
    }

    // ------------------------------------------------------------------ routing

    private Answer route(Call c) throws IOException {
        List<String> s = c.seg;
        if (c.is("GET", 0)) {
            return versionInfo();
        }
        if (s.size() == 1 && c.method.equals("GET")) {
            switch (s.get(0)) {
                case "healthz", "livez":
                    return plain(200, "healthz check passed");
                case "readyz":
                    return plain(200, "all shards are ready");
                case "cluster":
                    return ok(c, JSON.createObjectNode().put("status", "disabled"));
                case "collections":
                    return listCollections(c);
                case "aliases":
                    return listAliases(c, null);
                case "snapshots":
                    return listFullSnapshots(c);
                default:
                    return notFoundRoute();
            }
        }
        if (s.isEmpty()) {
            return notFoundRoute();
        }
        if (s.get(0).equals("snapshots")) {
            return routeFullSnapshots(c);
        }
        if (s.get(0).equals("collections")) {
            return routeCollections(c);
        }
        return notFoundRoute();
    }

    private Answer routeFullSnapshots(Call c) throws IOException {
        if (c.is("POST", 1)) {
            return createFullSnapshot(c);
        }
        if (c.is("GET", 2)) {
            return download(c, snapshotsDir, c.seg.get(1), null);
        }
        if (c.is("DELETE", 2)) {
            return deleteSnapshot(c, snapshotsDir, c.seg.get(1));
        }
        return notFoundRoute();
    }

    private Answer routeCollections(Call c) throws IOException {
        List<String> s = c.seg;
        if (c.is("POST", 2) && s.get(1).equals("aliases")) {
            return updateAliases(c);
        }
        if (s.size() < 2) {
            return notFoundRoute();
        }
        String name = s.get(1);
        if (s.size() == 2) {
            switch (c.method) {
                case "GET":
                    return collectionInfo(c, name);
                case "PUT":
                    return createCollection(c, name);
                case "DELETE":
                    return deleteCollection(c, name);
                default:
                    return notFoundRoute();
            }
        }
        String sub = s.get(2);
        if (s.size() == 3 && c.method.equals("GET")) {
            switch (sub) {
                case "exists":
                    return exists(c, name);
                case "aliases":
                    return listAliases(c, name);
                case "cluster":
                    return collectionCluster(c, name);
                case "snapshots":
                    return listCollectionSnapshots(c, name);
                default:
                    return notFoundRoute();
            }
        }
        if (sub.equals("points") && c.is("POST", 4) && s.get(3).equals("count")) {
            return count(c, name);
        }
        if (sub.equals("points") || (sub.equals("index") && c.is("PUT", 3))) {
            return points(c, name, s.size() == 4 ? s.get(3) : sub);
        }
        if (!sub.equals("snapshots")) {
            return notFoundRoute();
        }
        if (c.is("POST", 3)) {
            return createCollectionSnapshot(c, name);
        }
        if (c.is("POST", 4) && s.get(3).equals("upload")) {
            return upload(c, name);
        }
        if (c.is("GET", 4)) {
            return downloadCollectionSnapshot(c, name, s.get(3));
        }
        if (c.is("DELETE", 4)) {
            return deleteCollectionSnapshot(c, name, s.get(3));
        }
        return notFoundRoute();
    }

    // ------------------------------------------------------------------ service & collections

    private static Answer versionInfo() {
        ObjectNode v = JSON.createObjectNode()
                .put("title", "qdrant - vector search engine")
                .put("version", VERSION)
                .put("commit", COMMIT);
        return json(200, v);
    }

    private Answer listCollections(Call c) {
        ArrayNode list = JSON.createArrayNode();
        synchronized (lock) {
            collections.keySet().forEach(n -> list.addObject().put("name", n));
        }
        ObjectNode result = JSON.createObjectNode();
        result.set("collections", list);
        return ok(c, result);
    }

    /** Resolves an alias to its collection, as Qdrant does for collection paths. Caller holds lock. */
    private Coll find(String name) {
        Coll coll = collections.get(name);
        if (coll == null && aliases.containsKey(name)) {
            coll = collections.get(aliases.get(name));
        }
        return coll;
    }

    private Answer collectionInfo(Call c, String name) {
        synchronized (lock) {
            Coll coll = find(name);
            if (coll == null) {
                return collectionNotFound(c, name);
            }
            String status = "green";
            if (coll.yellowPolls > 0) {
                coll.yellowPolls--;
                status = "yellow";
            }
            ObjectNode info = JSON.createObjectNode();
            info.put("status", status);
            info.put("optimizer_status", "ok");
            info.putArray("warnings");
            info.put("indexed_vectors_count", 0);
            info.put("points_count", coll.points());
            info.put("segments_count", 2 * coll.shardNumber);
            info.set("config", collectionConfig(coll.vectors, coll.shardNumber));
            info.set("payload_schema", coll.data.payloadSchema());
            info.putObject("update_queue").put("length", 0);
            return ok(c, info);
        }
    }

    private Answer createCollection(Call c, String name) {
        Answer invalid = validateName(c, name);
        if (invalid != null) {
            return invalid;
        }
        JsonNode body = parse(c.req.getBodyAsString().isBlank() ? "{}" : c.req.getBodyAsString());
        synchronized (lock) {
            if (collections.containsKey(name)) {
                return error(c, 409, "Wrong input: Collection `" + name + "` already exists!");
            }
            JsonNode vectors = body.has("vectors") ? body.get("vectors") : parse(DEFAULT_VECTORS);
            collections.put(
                    name,
                    new Coll(
                            name,
                            FakePoints.empty(vectors),
                            vectors,
                            body.path("shard_number").asInt(1)));
        }
        return ok(c, JSON.getNodeFactory().booleanNode(true));
    }

    private Answer deleteCollection(Call c, String name) {
        synchronized (lock) {
            // Qdrant answers true even when there was nothing to delete; aliases go with it
            if (collections.remove(name) != null) {
                aliases.values().removeIf(name::equals);
            }
        }
        return ok(c, JSON.getNodeFactory().booleanNode(true));
    }

    private Answer exists(Call c, String name) {
        boolean e;
        synchronized (lock) {
            e = collections.containsKey(name);
        }
        return ok(c, JSON.createObjectNode().put("exists", e));
    }

    private Answer count(Call c, String name) {
        synchronized (lock) {
            Coll coll = find(name);
            if (coll == null) {
                return collectionNotFound(c, name);
            }
            return ok(c, JSON.createObjectNode().put("count", coll.points()));
        }
    }

    /** Scroll, retrieve, query and payload index creation, answered by {@link FakeSearch}. */
    private Answer points(Call c, String name, String op) {
        JsonNode body = parse(c.req.getBodyAsString().isBlank() ? "{}" : c.req.getBodyAsString());
        synchronized (lock) {
            Coll coll = find(name);
            if (coll == null) {
                return collectionNotFound(c, name);
            }
            try {
                switch (c.method + " " + op) {
                    case "POST points":
                        return ok(c, FakeSearch.retrieve(coll.data, body));
                    case "POST scroll":
                        return ok(c, FakeSearch.scroll(coll.data, body));
                    case "POST query":
                        return ok(c, FakeSearch.query(coll.data, body));
                    case "PUT index":
                        coll.data.index(
                                body.path("field_name").asText(),
                                body.path("field_schema").asText("keyword"));
                        return ok(
                                c,
                                JSON.createObjectNode().put("operation_id", 0).put("status", "completed"));
                    default:
                        return notFoundRoute();
                }
            } catch (FakeSearch.BadRequest e) {
                return error(c, 400, e.getMessage());
            }
        }
    }

    /** The points of a collection (for tests that doctor or compare them); null when absent. */
    public FakePoints pointData(String name) {
        synchronized (lock) {
            Coll coll = collections.get(name);
            return coll == null ? null : coll.data;
        }
    }

    /** Creates a payload index, as {@code PUT /collections/{c}/index} does. */
    public FakeQdrant payloadIndex(String collection, String field, String type) {
        synchronized (lock) {
            collections.get(collection).data.index(field, type);
        }
        return this;
    }

    private Answer collectionCluster(Call c, String name) {
        synchronized (lock) {
            Coll coll = find(name);
            if (coll == null) {
                return collectionNotFound(c, name);
            }
            ObjectNode r = JSON.createObjectNode();
            r.put("peer_id", new BigInteger(PEER_ID));
            r.put("shard_count", coll.shardNumber);
            ArrayNode local = r.putArray("local_shards");
            for (int i = 0; i < coll.shardNumber; i++) {
                local.addObject()
                        .put("shard_id", i)
                        .put("points_count", i == 0 ? coll.points() : 0)
                        .put("state", "Active");
            }
            r.putArray("remote_shards");
            r.putArray("shard_transfers");
            return ok(c, r);
        }
    }

    // ------------------------------------------------------------------ aliases

    private Answer listAliases(Call c, String collection) {
        ArrayNode list = JSON.createArrayNode();
        synchronized (lock) {
            if (collection != null && find(collection) == null) {
                return collectionNotFound(c, collection);
            }
            aliases.forEach((alias, coll) -> {
                if (collection == null || collection.equals(coll)) {
                    list.addObject().put("alias_name", alias).put("collection_name", coll);
                }
            });
        }
        ObjectNode result = JSON.createObjectNode();
        result.set("aliases", list);
        return ok(c, result);
    }

    /** Applies all actions to a copy and commits only if every one succeeds (atomic, like Qdrant). */
    private Answer updateAliases(Call c) {
        JsonNode body;
        try {
            body = JSON.readTree(c.req.getBody());
        } catch (IOException e) {
            return error(c, 400, "Json deserialize error: " + e.getMessage());
        }
        synchronized (lock) {
            Map<String, String> next = new TreeMap<>(aliases);
            for (JsonNode action : body.path("actions")) {
                String problem = applyAliasAction(action, next);
                if (problem != null) {
                    return error(c, 404, problem);
                }
            }
            aliases.clear();
            aliases.putAll(next);
        }
        return ok(c, JSON.getNodeFactory().booleanNode(true));
    }

    private String applyAliasAction(JsonNode action, Map<String, String> next) {
        if (action.has("create_alias")) {
            JsonNode a = action.get("create_alias");
            String coll = a.path("collection_name").asText();
            if (!collections.containsKey(coll)) {
                return "Not found: Collection `" + coll + "` doesn't exist!";
            }
            next.put(a.path("alias_name").asText(), coll);
        } else if (action.has("delete_alias")) {
            String alias = action.get("delete_alias").path("alias_name").asText();
            if (next.remove(alias) == null) {
                return "Not found: Alias " + alias + " does not exists!";
            }
        } else if (action.has("rename_alias")) {
            JsonNode a = action.get("rename_alias");
            String old = a.path("old_alias_name").asText();
            String coll = next.remove(old);
            if (coll == null) {
                return "Not found: Alias " + old + " does not exists!";
            }
            next.put(a.path("new_alias_name").asText(), coll);
        }
        return null;
    }

    // ------------------------------------------------------------------ collection snapshots

    private Answer listCollectionSnapshots(Call c, String name) throws IOException {
        String real;
        synchronized (lock) {
            Coll coll = find(name);
            if (coll == null) {
                return collectionNotFound(c, name);
            }
            real = coll.name;
        }
        ArrayNode list = JSON.createArrayNode();
        for (Path p : listSnapshotFiles(snapshotsDir.resolve(real))) {
            list.add(describe(p));
        }
        return ok(c, list);
    }

    private Answer createCollectionSnapshot(Call c, String name) throws IOException {
        ObjectNode description;
        synchronized (lock) {
            Coll coll = find(name);
            if (coll == null) {
                return collectionNotFound(c, name);
            }
            description = createCollectionSnapshot(coll, snapshotsDir.resolve(coll.name));
            Long writes = writesDuringSnapshot.remove(coll.name);
            if (writes != null) {
                coll.data.add(writes);
            }
        }
        // wait=false: the work is already done here, the client just does not see the result
        return c.waitParam() ? ok(c, description) : accepted(c);
    }

    private Answer downloadCollectionSnapshot(Call c, String name, String snapshot) throws IOException {
        String real;
        synchronized (lock) {
            Coll coll = find(name);
            if (coll == null) {
                return collectionNotFound(c, name);
            }
            real = coll.name;
        }
        return download(c, snapshotsDir.resolve(real), snapshot, real);
    }

    private Answer deleteCollectionSnapshot(Call c, String name, String snapshot) throws IOException {
        String real;
        synchronized (lock) {
            Coll coll = find(name);
            if (coll == null) {
                return collectionNotFound(c, name);
            }
            real = coll.name;
        }
        return deleteSnapshot(c, snapshotsDir.resolve(real), snapshot);
    }

    private Answer deleteSnapshot(Call c, Path dir, String snapshot) throws IOException {
        Path file = snapshotPath(dir, snapshot);
        synchronized (lock) {
            if (file == null || !Files.isRegularFile(file)) {
                return snapshotNotFound(c, snapshot);
            }
            Files.delete(file);
            Files.deleteIfExists(checksumFile(file));
        }
        return c.waitParam() ? ok(c, JSON.getNodeFactory().booleanNode(true)) : accepted(c);
    }

    /** The file for a snapshot name, or null if the name tries to leave the folder. */
    private static Path snapshotPath(Path dir, String snapshot) {
        if (snapshot.contains("/") || snapshot.contains("\\") || snapshot.equals("..") || snapshot.equals(".")) {
            return null;
        }
        return dir.resolve(snapshot);
    }

    /**
     * Serves a snapshot file like actix {@code NamedFile}: octet-stream with Content-Length,
     * Accept-Ranges and single-range {@code Range} support. Gzip is left to Jetty's handler.
     */
    private Answer download(Call c, Path dir, String snapshot, String collection) throws IOException {
        Path file = snapshotPath(dir, snapshot);
        if (file == null || !Files.isRegularFile(file)) {
            return snapshotNotFound(c, snapshot);
        }
        byte[] data = Files.readAllBytes(file);
        Answer a = Answer.of(200, "application/octet-stream", data);
        a.headers.put("Content-Disposition", "attachment; filename=\"" + snapshot + "\"");
        if (collection != null && takeRule(RuleKind.CORRUPT_DOWNLOAD, c) != null) {
            a.body = corrupt(data);
        }
        if (snapshotsOnS3) {
            a.noLength = true;
        } else {
            a.headers.put("Accept-Ranges", "bytes");
            applyRange(c, a);
        }
        Rule slow = collection == null ? null : takeRule(RuleKind.SLOW_DOWNLOAD, c);
        if (slow != null) {
            a.dribbleMs = slow.delayMs;
        }
        if (collection != null && a.status != 416 && takeRule(RuleKind.DROP_DOWNLOAD, c) != null) {
            // announce the full length (of the range), send half, then Jetty aborts the connection
            a.headers.put("Content-Length", String.valueOf(a.body.length));
            a.body = java.util.Arrays.copyOf(a.body, a.body.length / 2);
        }
        downloadBytesSent.addAndGet(a.body.length);
        return a;
    }

    private static byte[] corrupt(byte[] data) {
        byte[] copy = data.clone();
        for (int i = 0; i < copy.length; i += 4096) {
            copy[i] ^= (byte) 0x5a;
        }
        return copy;
    }

    private static void applyRange(Call c, Answer a) {
        String range = c.req.getHeader("Range");
        if (range == null || !range.startsWith("bytes=") || range.contains(",")) {
            return;
        }
        String[] se = range.substring(6).split("-", -1);
        long len = a.body.length;
        try {
            long start;
            long end;
            if (se[0].isEmpty()) {
                start = Math.max(0, len - Long.parseLong(se[1]));
                end = len - 1;
            } else {
                start = Long.parseLong(se[0]);
                end = se[1].isEmpty() ? len - 1 : Math.min(len - 1, Long.parseLong(se[1]));
            }
            if (start >= len || start > end) {
                a.status = 416;
                a.headers.put("Content-Range", "bytes */" + len);
                a.body = new byte[0];
                return;
            }
            a.status = 206;
            a.headers.put("Content-Range", "bytes " + start + "-" + end + "/" + len);
            a.body = java.util.Arrays.copyOfRange(a.body, (int) start, (int) end + 1);
        } catch (NumberFormatException e) {
            // malformed ranges are ignored: the whole file is sent
        }
    }

    // ------------------------------------------------------------------ upload (restore)

    private Answer upload(Call c, String name) throws IOException {
        Answer invalid = validateName(c, name);
        if (invalid != null) {
            return invalid;
        }
        String checksum = c.params.get("checksum");
        if (checksum != null && !SHA256.matcher(checksum.trim()).matches()) {
            return error(c, 422, "Validation error in query parameters: [checksum: invalid SHA256 hash]");
        }
        Multipart.Part part = Multipart.find(c.req.getHeader("Content-Type"), c.req.getBody(), "snapshot");
        if (part == null) {
            return error(c, 400, "Bad request: multipart field `snapshot` is missing");
        }
        Answer result = recoverFromUpload(c, name, checksum, part);
        // wait=false: Qdrant answers 202 at once and only logs what goes wrong in the recovery
        return c.waitParam() ? result : accepted(c);
    }

    private Answer recoverFromUpload(Call c, String name, String checksum, Multipart.Part part) throws IOException {
        // the real server moves the upload into snapshots/<c>/ before recovering from it
        Path dir = snapshotsDir.resolve(name);
        Files.createDirectories(dir);
        String fileName = part.fileName() == null || part.fileName().isBlank()
                ? UUID.randomUUID().toString()
                : Path.of(part.fileName().replace('\\', '/')).getFileName().toString();
        Path stored = dir.resolve(fileName);
        Files.write(stored, part.data());

        String actual = sha256(part.data());
        if (checksum != null && !actual.equalsIgnoreCase(checksum.trim())) {
            // Qdrant passes the arguments swapped: "expected" is the file's hash
            return error(c, 400, "Checksum mismatch: expected " + actual + ", actual " + checksum);
        }
        Map<String, byte[]> entries;
        try {
            entries = SnapshotTars.read(part.data(), SMALL_ENTRY);
        } catch (IOException e) {
            return error(c, 500, "Service internal error: " + e.getMessage());
        }
        if (!entries.containsKey("config.json")) {
            return error(
                    c,
                    500,
                    "Service internal error: failed to read collection config: "
                            + "config.json: No such file or directory (os error 2)");
        }
        return restore(c, name, entries);
    }

    private Answer restore(Call c, String name, Map<String, byte[]> entries) {
        JsonNode config = JSON.createObjectNode();
        try {
            config = JSON.readTree(entries.get("config.json"));
        } catch (IOException e) {
            return error(c, 500, "Service internal error: Json error: " + e.getMessage());
        }
        JsonNode vectors = config.path("params").path("vectors");
        int shards = config.path("params").path("shard_number").asInt(1);
        FakePoints data;
        if (entries.containsKey(FakePoints.ENTRY)) {
            data = FakePoints.fromSnapshot(vectors, entries.get(FakePoints.ENTRY), entries.get("payload_index.json"));
        } else if (entries.containsKey("0/fake_points.json")) {
            // a tar written before points travelled: the count alone, points generated for it
            long points = parse(new String(entries.get("0/fake_points.json"), StandardCharsets.UTF_8))
                    .path("points")
                    .asLong();
            data = FakePoints.generate(name, vectors, points);
        } else {
            data = FakePoints.empty(vectors);
        }
        synchronized (lock) {
            Coll existing = collections.get(name);
            if (existing != null && (!existing.vectors.equals(vectors) || existing.shardNumber != shards)) {
                return error(
                        c,
                        400,
                        "Wrong input: Snapshot is not compatible with existing collection: "
                                + "Collection vectors: " + existing.vectors + ", shard_number: " + existing.shardNumber
                                + ". Snapshot vectors: " + vectors + ", shard_number: " + shards);
            }
            Coll coll = new Coll(name, data, vectors, shards);
            coll.yellowPolls = yellowPollsAfterRestore;
            collections.put(name, coll);
        }
        return ok(c, JSON.getNodeFactory().booleanNode(true));
    }

    /** Qdrant's collection name rule: 1..255 chars, none of {@code < > : " / \ | ? *} or controls. */
    private static Answer validateName(Call c, String name) {
        String problem = null;
        if (name.isEmpty() || name.length() > 255) {
            problem = "length must be between 1 and 255";
        } else {
            for (char ch : name.toCharArray()) {
                if ("<>:\"/\\|?*".indexOf(ch) >= 0 || ch < 0x20 || ch == 0x7f) {
                    problem = "collection name cannot contain \"" + ch + "\" char";
                    break;
                }
            }
        }
        return problem == null
                ? null
                : error(c, 422, "Validation error in path parameters: [collection_name: " + problem + "]");
    }

    // ------------------------------------------------------------------ full snapshots

    private Answer listFullSnapshots(Call c) throws IOException {
        ArrayNode list = JSON.createArrayNode();
        for (Path p : listSnapshotFiles(snapshotsDir)) {
            list.add(describe(p));
        }
        return ok(c, list);
    }

    /** A tar of one snapshot per collection plus config.json with the mapping and the aliases. */
    private Answer createFullSnapshot(Call c) throws IOException {
        ObjectNode description;
        synchronized (lock) {
            Path work = Files.createTempDirectory(tmpDir, "full");
            ObjectNode config = JSON.createObjectNode();
            ObjectNode mapping = config.putObject("collections_mapping");
            ObjectNode aliasMap = config.putObject("collections_aliases");
            List<Path> parts = new ArrayList<>();
            for (Coll coll : collections.values()) {
                ObjectNode d = createCollectionSnapshot(coll, work.resolve(coll.name));
                mapping.put(coll.name, d.get("name").asText());
                parts.add(work.resolve(coll.name).resolve(d.get("name").asText()));
            }
            aliases.forEach(aliasMap::put);

            Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
            String name = "full-snapshot-" + NAME_TIME.format(now.atOffset(ZoneOffset.UTC)) + ".snapshot";
            Path temp = Files.createTempFile(tmpDir, "full", ".tmp");
            MessageDigest md = sha256();
            try (OutputStream out = new DigestOutputStream(new BufferedOutputStream(Files.newOutputStream(temp)), md)) {
                SnapshotTars.Writer w = new SnapshotTars.Writer(out, now.getEpochSecond());
                for (Path p : parts) {
                    w.add(p.getFileName().toString(), p);
                }
                w.add("config.json", config.toString());
                w.finish();
            }
            description = storeSnapshot(
                    temp, snapshotsDir.resolve(name), HexFormat.of().formatHex(md.digest()), now);
            deleteTree(work);
        }
        return c.waitParam() ? ok(c, description) : accepted(c);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    // ------------------------------------------------------------------ response helpers

    private static Answer json(int status, JsonNode body) {
        try {
            return Answer.of(status, "application/json", JSON.writeValueAsBytes(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Answer ok(Call c, JsonNode result) {
        ObjectNode env = JSON.createObjectNode();
        env.set("result", result);
        env.put("status", "ok");
        env.put("time", c.elapsed());
        return json(200, env);
    }

    private static Answer accepted(Call c) {
        return json(202, JSON.createObjectNode().put("status", "accepted").put("time", c.elapsed()));
    }

    private static Answer error(Call c, int status, String message) {
        ObjectNode env = JSON.createObjectNode();
        env.putObject("status").put("error", message);
        env.put("time", c.elapsed());
        return json(status, env);
    }

    private static Answer plain(int status, String text) {
        return Answer.of(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    private static Answer collectionNotFound(Call c, String name) {
        return error(c, 404, "Not found: Collection `" + name + "` doesn't exist!");
    }

    private static Answer snapshotNotFound(Call c, String name) {
        return error(c, 404, "Not found: Snapshot " + name + " not found");
    }

    /** actix answers unknown routes with an empty 404. */
    private static Answer notFoundRoute() {
        return Answer.of(404, null, new byte[0]);
    }

    private static String percentDecode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '%' && i + 2 < s.length()) {
                out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                byte[] b = String.valueOf(ch).getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
