package qdrantbackup.store.s3;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.net.URI;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** Over plain http the body is sent without a second SHA-256 of it for the signature; the headers are signed. */
class UnsignedPayloadTest {
    @Test
    void anUploadOverHttpCarriesUnsignedPayloadAndASignature() {
        WireMockServer s3 = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        s3.start();
        try {
            s3.stubFor(put(urlPathEqualTo("/b/k"))
                    .willReturn(aResponse().withStatus(200).withHeader("ETag", "\"x\"")));
            OffsiteSettings settings = Buckets.settings("b", "")
                    .withEndpoint(URI.create("http://127.0.0.1:" + s3.port()), true)
                    .withCredentials("AKIDTEST", "secret-test");
            try (S3Client client = S3Clients.create(settings)) {
                client.putObject(r -> r.bucket("b").key("k"), RequestBody.fromString("0123456789".repeat(1000)));
            }
            var sent = s3.findAll(putRequestedFor(urlPathEqualTo("/b/k"))).get(0);
            assertThat(sent.getHeader("x-amz-content-sha256")).isEqualTo("UNSIGNED-PAYLOAD");
            assertThat(sent.getHeader("Authorization")).startsWith("AWS4-HMAC-SHA256 Credential=AKIDTEST/");
            assertThat(sent.getBodyAsString()).isEqualTo("0123456789".repeat(1000));
        } finally {
            s3.stop();
        }
    }
}
