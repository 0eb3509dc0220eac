package qdrantbackup.store.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import qdrantbackup.testing.S3Server;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** A store away for a moment is retried with growing pauses; a refusal is not. */
class RetryingObjectsTest {
    private static S3Server server;
    private final List<Duration> pauses = new ArrayList<>();

    @BeforeAll
    static void startServer() {
        server = S3Server.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    private ScriptedObjects scripted() {
        return new ScriptedObjects(S3Objects.create(S3StoreConformanceTest.settings(server, "retry")));
    }

    private RetryingObjects retrying(ScriptedObjects objects) {
        return new RetryingObjects(objects, new RetryingObjects.Policy(3, Duration.ofMillis(100)), pauses::add);
    }

    private static OffsiteException answered(int status, String code) {
        S3Exception e = (S3Exception) S3Exception.builder()
                .statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).build())
                .message(code)
                .build();
        return new OffsiteException("stat failed: HTTP " + status, e);
    }

    @Test
    void fiveHundredsAndLostConnectionsAreRetriedWithGrowingPauses() {
        ScriptedObjects objects = scripted()
                .failNext(
                        answered(503, "SlowDown"),
                        new OffsiteException("cannot reach S3", SdkClientException.create("Connection refused")));

        assertThat(retrying(objects).stat("retry/c/missing")).isEmpty();

        assertThat(objects.calls).hasValue(3);
        assertThat(pauses).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
    }

    @Test
    void refusalsAreNotRetried() {
        for (OffsiteException refusal : List.of(
                answered(403, "SignatureDoesNotMatch"),
                answered(404, "NoSuchBucket"),
                answered(501, "NotImplemented"),
                new OffsiteException("sha256 mismatch"))) {
            ScriptedObjects objects = scripted().failNext(refusal);

            assertThatThrownBy(() -> retrying(objects).stat("retry/c/x")).isSameAs(refusal);
            assertThat(objects.calls).hasValue(1);
        }
        assertThat(pauses).isEmpty();
    }

    @Test
    void aStoreAwayForLongerFailsAfterTheLastAttempt() {
        OffsiteException away = answered(500, "InternalError");
        ScriptedObjects objects = scripted().failNext(away, away, away, away);

        assertThatThrownBy(() -> retrying(objects).list("retry/")).isSameAs(away);
        assertThat(objects.calls).hasValue(3);
    }
}
