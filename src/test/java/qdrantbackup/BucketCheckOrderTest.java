package qdrantbackup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.RoutePolicySupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import qdrantbackup.command.Launcher;
import qdrantbackup.store.s3.OffsiteSettings;
import qdrantbackup.store.s3.S3Store;
import qdrantbackup.testing.S3Server;

/** The bucket is checked while Camel starts, but no route starts before its answer. */
class BucketCheckOrderTest {
    S3Server s3;
    CamelContext camel;
    final List<String> started = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        s3 = S3Server.start("backups");
        camel = new DefaultCamelContext();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:work")
                        .routeId("work")
                        .routePolicy(new RoutePolicySupport() {
                            @Override
                            public void onStart(Route route) {
                                started.add(route.getRouteId());
                            }
                        })
                        .log("work");
            }
        });
    }

    @AfterEach
    void stop() throws Exception {
        camel.close();
        s3.close();
    }

    private S3Store target(String bucket) {
        return S3Store.create(new OffsiteSettings(
                bucket,
                "qb",
                s3.region(),
                s3.endpoint(),
                true,
                s3.accessKey(),
                s3.secretKey(),
                OffsiteSettings.WHEN_REQUIRED,
                qdrantbackup.config.Settings.defaults().bytes("offsite.part-size"),
                qdrantbackup.config.Settings.defaults().integer("offsite.upload-threads")));
    }

    @Test
    void aMissingBucketFailsTheStartBeforeAnyRouteStarted() {
        Wiring.checkBucketWhileStarting(camel, target("no-such-bucket"), "no-such-bucket");

        Throwable e = catchThrowable(camel::start);

        assertThat(Launcher.startupMessage(e)).startsWith("setting offsite.bucket=no-such-bucket does not work: ");
        assertThat(started).isEmpty();
    }

    @Test
    void aWritableBucketLetsTheRoutesStart() {
        Wiring.checkBucketWhileStarting(camel, target("backups"), "backups");

        camel.start();

        assertThat(started).containsExactly("work");
    }
}
