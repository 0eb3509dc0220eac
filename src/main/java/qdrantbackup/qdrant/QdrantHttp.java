package qdrantbackup.qdrant;

import java.util.concurrent.atomic.AtomicReference;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.apache.hc.core5.util.Timeout;

/** The HTTP client the Qdrant client talks through: timeouts, no compression, no retries of its own. */
final class QdrantHttp {
    private QdrantHttp() {}

    static CloseableHttpClient build(QdrantSettings settings) {
        return HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.of(settings.connectTimeout()))
                                .setSocketTimeout(Timeout.of(settings.readTimeout()))
                                .build())
                        .setMaxConnPerRoute(32)
                        .setMaxConnTotal(64)
                        .setTlsSocketStrategy(defaultTlsOnFirstUse())
                        .build())
                // Qdrant gzips on the fly when asked; snapshots are incompressible, so never ask.
                .disableContentCompression()
                .disableAutomaticRetries()
                .disableRedirectHandling()
                .build();
    }

    /**
     * The JDK's default TLS (certificates verified), set up on the first https connection: loading the CA
     * certificates would delay the first call to a plain-http Qdrant (e.g. the first readiness check).
     */
    private static TlsSocketStrategy defaultTlsOnFirstUse() {
        AtomicReference<TlsSocketStrategy> tls = new AtomicReference<>();
        return (socket, target, port, attachment, context) -> tls.updateAndGet(
                        t -> t != null ? t : DefaultClientTlsStrategy.createDefault())
                .upgrade(socket, target, port, attachment, context);
    }
}
