import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stand-in for Qdrant v1.19, for bench/backup-throughput.sh only: exactly the endpoints qdrant-backup calls,
 * answering in Qdrant's envelope, streaming snapshot files from disk with Content-Length, and reading restore
 * uploads to the end (discarding them; with {@code checksum=} the part is hashed and a mismatch refused with 400
 * as Qdrant does). Serves requests concurrently, on loopback only.
 *
 * <pre>java bench/StandInQdrant.java PORT_FILE name=/path/to/file.snapshot ... [--small N] [--cut-first F] [--no-range]</pre>
 * Each {@code name=file} is a collection whose every snapshot is that file (its SHA-256 is computed once at
 * start); {@code --small N} adds N collections small-0001… with a 64 KiB snapshot each. The chosen port is
 * written to PORT_FILE once the server listens. A {@code Range: bytes=N-} download is answered 206 with
 * Content-Range as actix-files does, or, with {@code --no-range}, 200 with the whole file (Qdrant on S3 storage);
 * {@code --cut-first F} cuts the first download of each snapshot after the fraction F of its bytes.
 */
public final class StandInQdrant {
    private static final int BUFFER = 1 << 20;
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm-ss");
    private static final LocalDateTime BASE = LocalDateTime.now(ZoneOffset.UTC).withNano(0);
    private static final AtomicLong SEQ = new AtomicLong();
    private static final AtomicLong UPLOADED = new AtomicLong();

    record Snap(Path file, long size, String sha256) {}

    private static final Map<String, Snap> COLLECTIONS = new LinkedHashMap<>();
    /** snapshot name -> collection, so GET/DELETE of a name made here resolve. */
    private static final Map<String, String> MADE = new java.util.concurrent.ConcurrentHashMap<>();

    private static final java.util.Set<String> CUT = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private static double cutFirst = -1;
    private static boolean ranges = true;

    public static void main(String[] args) throws Exception {
        Path portFile = Path.of(args[0]);
        Path smallFile = null;
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--cut-first")) {
                cutFirst = Double.parseDouble(args[++i]);
            } else if (args[i].equals("--no-range")) {
                ranges = false;
            } else if (args[i].equals("--small")) {
                int n = Integer.parseInt(args[++i]);
                if (smallFile == null) {
                    smallFile = Files.createTempFile("standin-small-", ".snapshot");
                    smallFile.toFile().deleteOnExit();
                    byte[] bytes = new byte[64 * 1024];
                    new java.util.Random(42).nextBytes(bytes);
                    Files.write(smallFile, bytes);
                }
                Snap s = snap(smallFile);
                for (int k = 1; k <= n; k++) {
                    COLLECTIONS.put(String.format("small-%04d", k), s);
                }
            } else {
                String[] kv = args[i].split("=", 2);
                COLLECTIONS.put(kv[0], snap(Path.of(kv[1])));
            }
        }
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setExecutor(Executors.newFixedThreadPool(16));
        server.createContext("/", StandInQdrant::handle);
        server.start();
        Files.writeString(portFile, Integer.toString(server.getAddress().getPort()));
        System.out.println("stand-in Qdrant on 127.0.0.1:" + server.getAddress().getPort() + " with "
                + COLLECTIONS.size() + " collection(s)");
    }

    static Snap snap(Path file) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        ByteBuffer buf = ByteBuffer.allocate(BUFFER);
        long size = 0;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            int n;
            while ((n = ch.read(buf.clear())) > 0) {
                sha.update(buf.flip());
                size += n;
            }
        }
        return new Snap(file, size, HexFormat.of().formatHex(sha.digest()));
    }

    static void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String method = ex.getRequestMethod();
            String path = ex.getRequestURI().getRawPath();
            String[] p = path.substring(1).split("/");
            for (int i = 0; i < p.length; i++) {
                p[i] = URLDecoder.decode(p[i], StandardCharsets.UTF_8);
            }
            if (path.equals("/") && method.equals("GET")) {
                json(ex, 200, "{\"title\":\"qdrant - vector search engine (stand-in)\",\"version\":\"1.19.0\"}");
            } else if (path.equals("/collections") && method.equals("GET")) {
                StringBuilder sb = new StringBuilder("{\"collections\":[");
                COLLECTIONS
                        .keySet()
                        .forEach(c -> sb.append("{\"name\":\"").append(c).append("\"},"));
                if (!COLLECTIONS.isEmpty()) {
                    sb.setLength(sb.length() - 1);
                }
                ok(ex, sb.append("]}").toString());
            } else if (path.equals("/aliases") && method.equals("GET")) {
                ok(ex, "{\"aliases\":[]}");
            } else if (p.length >= 2 && p[0].equals("collections")) {
                collection(ex, method, p);
            } else {
                error(ex, 404, "Not found: " + path);
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("stand-in: " + e);
        }
    }

    static void collection(HttpExchange ex, String method, String[] p) throws IOException {
        String c = p[1];
        Snap snap = COLLECTIONS.get(c);
        boolean upload = p.length == 4 && p[2].equals("snapshots") && p[3].equals("upload") && method.equals("POST");
        if (snap == null && !upload) {
            error(ex, 404, "Not found: Collection `" + c + "` doesn't exist!");
        } else if (p.length == 2 && method.equals("GET")) {
            ok(
                    ex,
                    "{\"status\":\"green\",\"optimizer_status\":\"ok\",\"points_count\":1000,"
                            + "\"segments_count\":2,\"config\":{\"params\":{\"vectors\":{\"size\":4,\"distance\":\"Cosine\"}}},"
                            + "\"payload_schema\":{}}");
        } else if (p.length == 4 && p[2].equals("points") && p[3].equals("count") && method.equals("POST")) {
            ex.getRequestBody().transferTo(OutputStream.nullOutputStream());
            ok(ex, "{\"count\":1000}");
        } else if (p.length == 3 && p[2].equals("snapshots") && method.equals("GET")) {
            StringBuilder list = new StringBuilder("[");
            MADE.forEach((name, owner) -> {
                if (owner.equals(c)) {
                    list.append(list.length() > 1 ? "," : "")
                            .append("{\"name\":\"" + name + "\",\"creation_time\":null,\"size\":" + snap.size()
                                    + ",\"checksum\":\"" + snap.sha256() + "\"}");
                }
            });
            ok(ex, list.append(']').toString());
        } else if (p.length == 3 && p[2].equals("snapshots") && method.equals("POST")) {
            String name =
                    c + "-1234567890-" + BASE.plusSeconds(SEQ.getAndIncrement()).format(STAMP) + ".snapshot";
            MADE.put(name, c);
            System.out.println("created " + name); // bench/failover.sh counts these
            ok(
                    ex,
                    "{\"name\":\"" + name + "\",\"creation_time\":null,\"size\":" + snap.size() + ",\"checksum\":\""
                            + snap.sha256() + "\"}");
        } else if (p.length == 4 && p[2].equals("snapshots") && !upload && c.equals(MADE.get(p[3]))) {
            if (method.equals("GET")) {
                stream(ex, snap, p[3]);
            } else if (method.equals("DELETE")) {
                MADE.remove(p[3]);
                ok(ex, "true");
            } else {
                error(ex, 405, "method not allowed");
            }
        } else if (upload) {
            String checksum = query(ex, "checksum");
            String type = String.valueOf(ex.getRequestHeaders().getFirst("Content-Type"));
            String boundary = type.contains("boundary=") ? type.substring(type.indexOf("boundary=") + 9) : null;
            String[] got = new String[1];
            long n = checksum == null || boundary == null
                    ? drain(ex.getRequestBody())
                    : drainHashing(ex.getRequestBody(), boundary.replace("\"", ""), got);
            UPLOADED.addAndGet(n);
            // as Qdrant: the checksum is compared before anything is recovered
            if (checksum != null && got[0] != null && !got[0].equalsIgnoreCase(checksum)) {
                System.out.println("POST upload into " + c + ": " + n + " bytes, checksum mismatch");
                error(ex, 400, "Checksum mismatch: expected " + got[0] + ", actual " + checksum);
                return;
            }
            System.out.println("POST upload into " + c + ": " + n + " bytes"
                    + (got[0] == null ? "" : ", checksum " + got[0] + " matches"));
            COLLECTIONS.putIfAbsent(c, new Snap(null, 0, null));
            ok(ex, "true");
        } else {
            error(ex, 404, "Not found: " + ex.getRequestURI());
        }
    }

    static void stream(HttpExchange ex, Snap snap, String name) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "application/octet-stream");
        if (ranges) {
            ex.getResponseHeaders().set("Accept-Ranges", "bytes");
        }
        String range = ex.getRequestHeaders().getFirst("Range");
        long start = 0;
        if (ranges && range != null && range.matches("bytes=\\d+-")) {
            start = Long.parseLong(range.substring(6, range.length() - 1));
            if (start >= snap.size()) {
                ex.getResponseHeaders().set("Content-Range", "bytes */" + snap.size());
                ex.sendResponseHeaders(416, -1);
                return;
            }
            ex.getResponseHeaders()
                    .set("Content-Range", "bytes " + start + "-" + (snap.size() - 1) + "/" + snap.size());
            ex.sendResponseHeaders(206, snap.size() - start);
        } else {
            ex.sendResponseHeaders(200, snap.size());
        }
        long stopAt = cutFirst >= 0 && CUT.add(name) ? (long) (snap.size() * cutFirst) : Long.MAX_VALUE;
        long sent = 0;
        byte[] buf = new byte[BUFFER];
        ByteBuffer bb = ByteBuffer.wrap(buf);
        try (FileChannel ch = FileChannel.open(snap.file(), StandardOpenOption.READ)) {
            OutputStream out = ex.getResponseBody();
            ch.position(start);
            int n;
            while ((n = ch.read(bb.clear().limit((int) Math.min(BUFFER, Math.max(0, stopAt - start - sent))))) > 0) {
                out.write(buf, 0, n);
                sent += n;
            }
            System.out.println("GET " + name + (range == null ? "" : " Range: " + range) + ": sent " + sent
                    + " bytes from " + start + (sent < snap.size() - start ? ", then cut the connection" : ""));
            if (sent < snap.size() - start) {
                out.flush();
                // fewer bytes than announced: closing the exchange drops the connection
                throw new IOException("cut after " + sent + " bytes");
            }
            out.close();
        }
    }

    static String query(HttpExchange ex, String key) {
        String q = ex.getRequestURI().getRawQuery();
        for (String kv : q == null ? new String[0] : q.split("&")) {
            if (kv.startsWith(key + "=")) {
                return URLDecoder.decode(kv.substring(key.length() + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    /**
     * Reads a one-part multipart body to the end, hashing the part's content (as Qdrant hashes the saved file):
     * the bytes after the part's headers up to the closing boundary, kept TAIL bytes behind until the end.
     */
    static long drainHashing(InputStream in, String boundary, String[] sha256) throws IOException {
        final int tail = 8192;
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IOException(e);
        }
        byte[] buf = new byte[BUFFER + tail];
        int held = 0;
        long total = 0;
        boolean inBody = false;
        int n;
        while ((n = in.read(buf, held, BUFFER)) > 0) {
            total += n;
            held += n;
            int from = 0;
            if (!inBody) {
                int end = indexOf(buf, held, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), 0);
                if (end < 0) {
                    continue; // headers not complete yet
                }
                inBody = true;
                from = end + 4;
            }
            int hashable = Math.max(from, held - tail);
            sha.update(buf, from, hashable - from);
            System.arraycopy(buf, hashable, buf, 0, held - hashable);
            held -= hashable;
        }
        byte[] close = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        int end = indexOf(buf, held, close, 0);
        if (!inBody || end < 0) {
            return total;
        }
        sha.update(buf, 0, end);
        sha256[0] = HexFormat.of().formatHex(sha.digest());
        return total;
    }

    private static int indexOf(byte[] b, int len, byte[] what, int from) {
        outer:
        for (int i = from; i <= len - what.length; i++) {
            for (int j = 0; j < what.length; j++) {
                if (b[i + j] != what[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    static long drain(InputStream in) throws IOException {
        byte[] buf = new byte[BUFFER];
        long total = 0;
        int n;
        while ((n = in.read(buf)) > 0) {
            total += n;
        }
        return total;
    }

    static void ok(HttpExchange ex, String result) throws IOException {
        json(ex, 200, "{\"result\":" + result + ",\"status\":\"ok\",\"time\":0.001}");
    }

    static void error(HttpExchange ex, int code, String message) throws IOException {
        json(ex, code, "{\"status\":{\"error\":\"" + message.replace("\"", "'") + "\"},\"time\":0.0}");
    }

    static void json(HttpExchange ex, int code, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(code, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }
}
