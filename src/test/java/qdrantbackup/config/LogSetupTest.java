package qdrantbackup.config;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.ConsoleAppender;
import java.nio.charset.StandardCharsets;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class LogSetupTest {

    @Test
    void logbackFindsTheSetUpWithoutAnXmlFile() {
        assertThat(ServiceLoader.load(Configurator.class).stream().map(ServiceLoader.Provider::type))
                .contains(LogSetup.class);
    }

    @Test
    void anXmlFileStillWinsWhenThereIsOne() {
        // the tests have logback-test.xml; an operator can pass -Dlogback.configurationFile=FILE
        assertThat(new LogSetup().configure(new LoggerContext()))
                .isEqualTo(Configurator.ExecutionStatus.INVOKE_NEXT_IF_ANY);
    }

    @Test
    void theJarLogsOneLinePerEventWithTimeLevelThreadAndLogger() {
        LoggerContext context = new LoggerContext();
        LogSetup.apply(context);

        ConsoleAppender<?> out = (ConsoleAppender<?>) context.getLogger("ROOT").getAppender("OUT");
        assertThat(out.isStarted()).isTrue();
        PatternLayoutEncoder encoder = (PatternLayoutEncoder) out.getEncoder();
        ch.qos.logback.classic.Logger logger = context.getLogger("qdrantbackup.backup.Backup");
        String line = new String(
                encoder.encode(new ch.qos.logback.classic.spi.LoggingEvent(
                        "x", logger, Level.INFO, "backup run started", null, null)),
                StandardCharsets.UTF_8);
        assertThat(line)
                .matches(
                        "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  \\[[^]]+\\] Backup - backup run started\\R");
    }

    @Test
    void librariesThatDumpRequestsStayAtWarn() {
        LoggerContext context = new LoggerContext();
        LogSetup.apply(context);

        assertThat(context.getLogger("qdrantbackup").getEffectiveLevel()).isEqualTo(LogSetup.toolLevel());
        assertThat(context.getLogger("org.apache.camel.main").getEffectiveLevel())
                .isEqualTo(Level.INFO);
        assertThat(context.getLogger("software.amazon.awssdk.request").getEffectiveLevel())
                .isEqualTo(Level.WARN);
        assertThat(context.getLogger("org.apache.hc.client5.http.wire").getEffectiveLevel())
                .isEqualTo(Level.WARN);
        assertThat(context.getLogger("org.quartz.core").getEffectiveLevel()).isEqualTo(Level.WARN);
    }

    @Test
    void camelsCopyOfASettingsErrorIsDroppedTheToolPrintsItsOwnLine() {
        LoggerContext context = new LoggerContext();
        LogSetup.apply(context);

        assertThat(context.getTurboFilterList()).hasAtLeastOneElementOfType(StartupErrorFilter.class);
    }
}
