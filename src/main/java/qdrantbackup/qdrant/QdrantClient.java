package qdrantbackup.qdrant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hc.client5.http.classic.methods.HttpDelete;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.classic.methods.HttpPut;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.util.Timeout;

/**
 * Qdrant's REST API, the parts a backup tool needs. Every call is retried with exponential
 * backoff while Qdrant does not answer or answers 5xx/408/429; 4xx answers fail at once with a
 * message that names the fix. The API key travels only in the {@code api-key} header.
 */
public class QdrantClient implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    /** Reads a streamed response body; {@code length} is -1 when the server did not say. */
    @FunctionalInterface
    public interface BodyReader<T> {
        T read(InputStream body, long length) throws IOException;
    }

    /**
     * Reads a body that may be part of the file: it starts at byte {@code start} of a file of {@code total} bytes
     * (-1 when the server did not say; {@code start} -1 when a 206 had no readable Content-Range).
     */
    @FunctionalInterface
    public interface RangeReader<T> {
        T read(InputStream body, long length, long start, long total) throws IOException;
    }

    private final QdrantSettings settings;
    private final Retry retry;
    // built on first use: its TLS set-up (the JDK's CA certificates) would slow every start-up
    private volatile CloseableHttpClient http;
    private final QdrantClient pool; // a node or shard view shares its parent's connections
    private final String scope; // "/shards/{id}": snapshot calls address one shard of the collection

    public QdrantClient(QdrantSettings settings) {
        this(settings, null, "");
    }

    private QdrantClient(QdrantSettings settings, QdrantClient pool, String scope) {
        this.settings = settings;
        this.retry = new Retry(settings.retries(), settings.retryDelay());
        this.pool = pool;
        this.scope = scope;
    }

    /** The same settings and connections, addressed to another node of the cluster. */
    public QdrantClient forNode(String nodeUrl) {
        return new QdrantClient(settings.withUrl(nodeUrl), pool == null ? this : pool, "");
    }

    /** Snapshot create, list, download and delete of one shard ({@code /collections/{c}/shards/{id}/…}). */
    public QdrantClient shard(int shardId) {
        return new QdrantClient(settings, pool == null ? this : pool, "/shards/" + shardId);
    }

    /** {@code GET path}: the result of the JSON envelope (cluster reads). */
    public JsonNode get(String what, String path) {
        return result(call(what, new HttpGet(uri(path)), null));
    }

    private CloseableHttpClient http() {
        if (pool != null) {
            return pool.http();
        }
        CloseableHttpClient client = http;
        if (client == null) {
            synchronized (this) {
                if (http == null) {
                    http = QdrantHttp.build(settings);
                }
                client = http;
            }
        }
        return client;
    }

    /** The address as messages show it: never with the user and password a URL may hold. */
    public String url() {
        return settings.shownUrl();
    }

    /** The address as set, credentials included: only for building another node's address. */
    public String rawUrl() {
        return settings.url();
    }

    /** {@code GET /}: the server's version, e.g. "1.19.0". */
    public String version() {
        return call("read Qdrant's version", new HttpGet(uri("/")), null)
                .path("version")
                .asText(null);
    }

    /**
     * {@code GET /} once, without retries and with a short answer timeout: for the readiness check,
     * which must answer quickly and say why Qdrant is not there.
     */
    public String ping(Duration timeout) {
        HttpGet get = new HttpGet(uri("/"));
        get.setConfig(
                RequestConfig.custom().setResponseTimeout(Timeout.of(timeout)).build());
        return send("answer a health check", get).path("version").asText("?");
    }

    /** {@code GET /collections}: every collection's name. */
    public List<String> collections() {
        JsonNode result = result(call("list collections", new HttpGet(uri("/collections")), null));
        List<String> names = new ArrayList<>();
        result.path("collections").forEach(c -> names.add(c.path("name").asText()));
        return names;
    }

    /** {@code GET /collections/{c}}: its CollectionInfo, or empty when it does not exist. */
    public Optional<JsonNode> collectionInfo(String collection) {
        try {
            return Optional.of(result(
                    call("read collection " + collection, new HttpGet(uri("/collections/" + seg(collection))), null)));
        } catch (QdrantException e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** {@code POST /collections/{c}/points/count {"exact":true}}: the exact number of points. */
    public long countPoints(String collection) {
        HttpPost post = new HttpPost(uri("/collections/" + seg(collection) + "/points/count"));
        return result(call("count points of " + collection, post, "{\"exact\":true}"))
                .path("count")
                .asLong();
    }

    /** {@code GET /aliases}: alias name to collection name. */
    public Map<String, String> aliases() {
        Map<String, String> aliases = new LinkedHashMap<>();
        result(call("list aliases", new HttpGet(uri("/aliases")), null))
                .path("aliases")
                .forEach(a -> aliases.put(
                        a.path("alias_name").asText(), a.path("collection_name").asText()));
        return aliases;
    }

    /** {@code POST /collections/aliases}: (re)points each alias at its collection, atomically. */
    public void createAliases(Map<String, String> aliasToCollection) {
        if (aliasToCollection.isEmpty()) {
            return;
        }
        // delete_alias of an alias that does not exist fails the whole batch: only delete known ones
        Map<String, String> existing = aliases();
        ObjectNode actions = JSON.createObjectNode();
        aliasToCollection.forEach((alias, collection) -> {
            if (existing.containsKey(alias)) {
                actions.withArray("actions")
                        .addObject()
                        .putObject("delete_alias")
                        .put("alias_name", alias);
            }
            ObjectNode create = actions.withArray("actions").addObject().putObject("create_alias");
            create.put("collection_name", collection).put("alias_name", alias);
        });
        call(
                "create aliases " + aliasToCollection.keySet(),
                new HttpPost(uri("/collections/aliases")),
                actions.toString());
    }

    /**
     * {@code POST /collections/{c}/snapshots?wait=true}: makes a snapshot on the server's disk. Retried
     * on an error answer; never on no answer (a timeout): that POST may still be making its snapshot, so
     * the caller lists the snapshots to find it ({@link NoAnswerException}).
     */
    public SnapshotInfo createSnapshot(String collection) {
        HttpPost post = new HttpPost(uri("/collections/" + seg(collection) + scope + "/snapshots?wait=true"));
        post.setConfig(longCall());
        return SnapshotInfo.of(result(callOnceOnSilence("create a snapshot of " + collection, post)));
    }

    /** {@code POST /snapshots?wait=true}: a snapshot of the whole storage (all collections, aliases). */
    public SnapshotInfo createFullSnapshot() {
        HttpPost post = new HttpPost(uri("/snapshots?wait=true"));
        post.setConfig(longCall());
        return SnapshotInfo.of(result(callOnceOnSilence("create a full-storage snapshot", post)));
    }

    /** {@code GET /collections/{c}/snapshots} (collection null: the full-storage ones): what is on the server. */
    public List<SnapshotInfo> listSnapshots(String collection) {
        String path = collection == null ? "/snapshots" : "/collections/" + seg(collection) + scope + "/snapshots";
        JsonNode r = result(call(
                "list the snapshots of " + (collection == null ? "the storage" : collection),
                new HttpGet(uri(path)),
                null));
        List<SnapshotInfo> out = new java.util.ArrayList<>();
        r.forEach(n -> out.add(SnapshotInfo.of(n)));
        return out;
    }

    /**
     * Streams a snapshot's bytes to {@code reader} (collection null: a full-storage snapshot).
     * Asks for the identity encoding so the length is known and the bytes are the file's own.
     * Not retried here: the caller verifies the bytes and decides.
     */
    public <T> T download(String collection, String snapshot, BodyReader<T> reader) {
        return download(collection, snapshot, 0, (body, length, start, total) -> reader.read(body, length));
    }

    /**
     * As {@link #download(String, String, BodyReader)} from byte {@code from} on ({@code Range: bytes=from-} when
     * above 0): a 206 body starts where its Content-Range says, a 200 (a server that ignores Range) at 0.
     */
    public <T> T download(String collection, String snapshot, long from, RangeReader<T> reader) {
        HttpGet get = new HttpGet(uri(snapshotPath(collection, snapshot)));
        get.setHeader("Accept-Encoding", "identity");
        if (from > 0) {
            get.setHeader("Range", "bytes=" + from + "-");
        }
        authorize(get);
        String what = "download snapshot " + snapshot;
        try {
            return http().execute(get, response -> {
                boolean partial = from > 0 && response.getCode() == 206;
                if (response.getCode() != 200 && !partial) {
                    throw QdrantErrors.failure(settings.shownUrl(), what, response);
                }
                HttpEntity entity = response.getEntity();
                long length = entity.getContentLength();
                long[] range =
                        partial ? ContentRange.parse(response.getFirstHeader("Content-Range")) : new long[] {0, length};
                InputStream in = entity.getContent();
                try {
                    return reader.read(in, length, range[0], range[1]);
                } catch (IOException | RuntimeException e) {
                    // drop the connection first: closing the stream would read the rest of the body
                    get.cancel();
                    throw e;
                } finally {
                    in.close();
                }
            });
        } catch (IOException e) {
            if (e.getCause() instanceof QdrantException q) {
                throw q;
            }
            throw new QdrantException(
                    "could not " + what + " from Qdrant at " + settings.shownUrl() + " (" + QdrantErrors.describe(e)
                            + ")",
                    0,
                    e);
        }
    }

    /** Deletes a snapshot file from the server (collection null: a full-storage snapshot). */
    public void deleteSnapshot(String collection, String snapshot) {
        call(
                "delete snapshot " + snapshot + " from the server",
                new HttpDelete(uri(snapshotPath(collection, snapshot) + "?wait=true")),
                null);
    }

    /**
     * {@code POST /collections/{c}/snapshots/upload?priority=snapshot&wait=true&checksum=…}: restores
     * the file into {@code collection}, streamed from disk as the multipart field {@code snapshot}.
     * Not retried: the caller owns the safety copy and decides. Returns the SHA-256 of the bytes sent, taken
     * as they were read for the upload.
     */
    public String uploadSnapshot(
            String collection, Path file, String fileName, String sha256, SnapshotUpload.Progress progress) {
        HttpPost post = new HttpPost(uri("/collections/" + seg(collection) + scope
                + "/snapshots/upload?priority=snapshot&wait=true" + (sha256 == null ? "" : "&checksum=" + sha256)));
        post.setConfig(longCall());
        SnapshotUpload body = SnapshotUpload.of(file, fileName, progress);
        post.setEntity(body.entity());
        send("upload snapshot " + fileName + " into " + collection, post);
        return body.sha256();
    }

    /** A read-only {@code POST} to {@code /collections/{c}/<path>} with a JSON body: its result ({@link PointsApi}). */
    JsonNode postToCollection(String what, String collection, String path, String json) {
        return result(call(what, new HttpPost(uri("/collections/" + seg(collection) + path)), json));
    }

    /** {@code PUT path} with a JSON body (collection and shard key creation); retried on an error answer. */
    public JsonNode put(String what, String path, String jsonBody) {
        return result(call(what, new HttpPut(uri(path)), jsonBody));
    }

    /** {@code DELETE /collections/{c}}. */
    public void deleteCollection(String collection) {
        call("delete collection " + collection, new HttpDelete(uri("/collections/" + seg(collection))), null);
    }

    @Override
    public synchronized void close() throws IOException {
        if (pool == null && http != null) {
            http.close();
        }
    }

    // ---- plumbing ----

    private JsonNode call(String what, HttpUriRequestBase request, String jsonBody) {
        return retry.run(what, () -> {
            if (jsonBody != null) {
                request.setEntity(new StringEntity(jsonBody, ContentType.APPLICATION_JSON));
            }
            return send(what, request);
        });
    }

    private JsonNode callOnceOnSilence(String what, HttpUriRequestBase request) {
        return retry.run(what, () -> {
            try {
                return send(what, request);
            } catch (QdrantException e) {
                throw e.status() == 0 ? new NoAnswerException(e) : e;
            }
        });
    }

    private JsonNode send(String what, HttpUriRequestBase request) {
        authorize(request);
        try {
            return http().execute(request, response -> {
                if (response.getCode() / 100 != 2) {
                    throw QdrantErrors.failure(settings.shownUrl(), what, response);
                }
                HttpEntity entity = response.getEntity();
                return entity == null ? JSON.createObjectNode() : JSON.readTree(EntityUtils.toString(entity));
            });
        } catch (IOException e) {
            throw QdrantErrors.unreachable(settings.shownUrl(), what, e);
        }
    }

    private void authorize(HttpUriRequestBase request) {
        if (settings.apiKey() != null && !settings.apiKey().isBlank()) {
            request.setHeader("api-key", settings.apiKey());
        }
    }

    private static JsonNode result(JsonNode envelope) {
        return envelope.path("result");
    }

    private RequestConfig longCall() {
        return RequestConfig.custom()
                .setResponseTimeout(Timeout.of(settings.snapshotTimeout()))
                .build();
    }

    private String uri(String path) {
        return settings.url().replaceAll("/+$", "") + path;
    }

    private String snapshotPath(String collection, String snapshot) {
        return (collection == null ? "" : "/collections/" + seg(collection) + scope) + "/snapshots/" + seg(snapshot);
    }

    /** Encodes one path segment: collection names may hold spaces and unicode. */
    public static String seg(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
