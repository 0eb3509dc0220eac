package qdrantbackup.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Service;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import qdrantbackup.backup.BackupJob;
import qdrantbackup.backup.BackupRun;
import qdrantbackup.backup.Tool;

/**
 * Posts a JSON message to the webhook (setting {@code notify.webhook-url}) for each failure: one per
 * failed collection of a backup run (one for the run when it failed as a whole), per retention
 * failure, per restore failure. Sending happens on its own thread with a timeout, so a slow or dead
 * webhook never holds up a backup; its failures are logged, never fatal. The URL often carries a
 * token: only its scheme and host are ever logged. Without a URL, {@link #notify} does nothing.
 */
public final class Notifier implements Service {
    private static final Logger LOG = LoggerFactory.getLogger(Notifier.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int QUEUE = 100;

    private final URI url;
    private final Duration timeout;
    private final String host;
    private final List<String> secrets;
    private final HttpClient http;
    private final ThreadPoolExecutor sender;

    /**
     * @param url     the webhook, or null for none
     * @param secrets values that must never leave in a message (API keys); blanked if they appear
     */
    public Notifier(URI url, Duration timeout, String host, List<String> secrets) {
        this.url = url;
        this.timeout = timeout;
        this.host = host;
        this.secrets = withUrlParts(url, secrets).stream()
                .filter(s -> s != null && s.length() >= 4)
                .toList();
        this.http = url == null
                ? null
                : HttpClient.newBuilder()
                        .connectTimeout(timeout)
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .build();
        this.sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(QUEUE), r -> {
            Thread t = new Thread(r, "notify-webhook");
            t.setDaemon(true);
            return t;
        });
    }

    /** Notifications off. */
    public static Notifier none() {
        return new Notifier(null, Duration.ofSeconds(1), "", List.of());
    }

    public boolean enabled() {
        return url != null;
    }

    /** Sends the event in the background; returns at once. */
    public void notify(Event event) {
        if (url == null) {
            return;
        }
        try {
            sender.execute(() -> send(event));
        } catch (RejectedExecutionException e) {
            LOG.warn(
                    "failure notification for {} {} dropped: {} messages are already waiting for {}",
                    event.what(),
                    label(event),
                    QUEUE,
                    redacted(url));
        }
    }

    /** After a backup run: a message per failed collection, or one for the run if it failed as a whole. */
    public void backupFinished(BackupRun run) {
        if (run.getError() != null) {
            notify(Event.backup(null, run.getError()));
        }
        for (BackupJob job : run.getJobs()) {
            if (job.getResult() == BackupJob.Result.FAILED) {
                notify(Event.backup(job.getCollection(), job.getError()));
            } else if (job.getResult() == BackupJob.Result.LOCAL_ONLY) {
                notify(Event.backup(job.getCollection(), "archived locally but not offsite: " + job.getError()));
            }
        }
    }

    /** The JSON body: what, collection, why, when, host, tool, and a readable {@code text} for chat webhooks. */
    String body(Event e) {
        ObjectNode n = JSON.createObjectNode();
        n.put("what", e.what());
        n.put("collection", e.collection());
        String why = scrub(e.why());
        n.put("why", why);
        n.put("when", e.when().toString());
        n.put("host", host);
        n.put("tool", Tool.NAME_VERSION);
        n.put("text", "qdrant-backup on " + host + ": " + e.what() + " of " + label(e) + " failed: " + why);
        return n.toString();
    }

    private void send(Event event) {
        try {
            HttpRequest request = HttpRequest.newBuilder(url)
                    .timeout(timeout)
                    .header("Content-Type", "application/json")
                    .header("User-Agent", Tool.NAME_VERSION)
                    .POST(HttpRequest.BodyPublishers.ofString(body(event)))
                    .build();
            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() / 100 != 2) {
                LOG.warn(
                        "failure notification for {} {} was refused by {}: HTTP {}",
                        event.what(),
                        label(event),
                        redacted(url),
                        response.statusCode());
            } else {
                LOG.info("failure notification for {} {} sent to {}", event.what(), label(event), redacted(url));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            LOG.warn(
                    "failure notification for {} {} could not be sent to {} (within notify.timeout {}s): {}",
                    event.what(),
                    label(event),
                    redacted(url),
                    timeout.toSeconds(),
                    scrub(why.replace(url.toString(), redacted(url))));
        }
    }

    private String scrub(String text) {
        String s = text == null ? "unknown" : text;
        for (String secret : secrets) {
            s = s.replace(secret, "***");
        }
        return s;
    }

    /** The webhook's own secrets: its user-info, path and query (Slack-style URLs carry the token there). */
    private static List<String> withUrlParts(URI url, List<String> secrets) {
        List<String> all = new java.util.ArrayList<>();
        for (String s : secrets) {
            if (s != null && !s.isEmpty()) {
                all.add(s);
            }
        }
        if (url != null) {
            all.add(url.toString());
            for (String part : new String[] {url.getRawUserInfo(), url.getUserInfo(), url.getRawQuery()}) {
                if (part != null && !part.isEmpty()) {
                    all.add(part);
                }
            }
            String path = url.getRawPath();
            if (path != null && path.length() > 1) {
                all.add(path);
            }
            // a long path segment or query value is a token (Slack: /services/T…/B…/<24 characters>)
            String parts = (path == null ? "" : path) + "&" + (url.getRawQuery() == null ? "" : url.getRawQuery());
            for (String p : parts.split("[/&=]")) {
                if (p.length() >= 12) {
                    all.add(p);
                }
            }
        }
        // longest first: a URL is replaced whole before its parts
        all.sort(java.util.Comparator.comparingInt(String::length).reversed());
        return List.copyOf(all);
    }

    private static String label(Event e) {
        return e.collection() == null ? "(whole run)" : e.collection();
    }

    /** {@code https://hooks.example.com/…}: paths and queries of webhooks carry tokens. */
    public static String redacted(URI url) {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() > 0 ? ":" + url.getPort() : "") + "/…";
    }

    public static String localHost() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "unknown-host";
        }
    }

    @Override
    public void start() {
        if (url != null) {
            LOG.info("failures are notified to {}", redacted(url));
        }
    }

    /** Lets waiting messages go out (each within the timeout), then stops. */
    @Override
    public void stop() {
        sender.shutdown();
        try {
            if (!sender.awaitTermination(timeout.toMillis() * 2 + 500, TimeUnit.MILLISECONDS)) {
                LOG.warn(
                        "{} failure notification(s) not sent: stopping",
                        sender.getQueue().size());
                sender.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
