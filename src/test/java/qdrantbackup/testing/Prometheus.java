package qdrantbackup.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the management port's Prometheus text as a scraper would. */
public final class Prometheus {
    private Prometheus() {}

    /** {@code GET /observe/metrics} on the management port. */
    public static String scrape(int port) throws IOException, InterruptedException {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/observe/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    /** The value of one sample, e.g. {@code name{collection="users"} 1.0}; {@code labels} null: unlabelled. */
    public static double value(String metrics, String name, String labels) {
        Pattern p = Pattern.compile("(?m)^" + Pattern.quote(name)
                + (labels == null ? "" : "\\{" + Pattern.quote(labels) + "[,}]?.*?\\}?") + " (\\S+)$");
        Matcher m = p.matcher(metrics);
        assertThat(m.find()).as(name + " {" + labels + "} in\n" + metrics).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
