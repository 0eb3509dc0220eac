package qdrantbackup.config;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.Map;

/**
 * The tool's logging, set up in code: one line per event on standard output, the tool's own lines
 * at {@code LOG_LEVEL} (default INFO), chatty libraries at WARN. Logback's XML configuration would
 * load an XML parser and several hundred classes, a tenth of the start-up time, so it is used only
 * when asked for: {@code -Dlogback.configurationFile=FILE}, or {@code logback-test.xml} in the tests.
 * Registered in {@code META-INF/services/ch.qos.logback.classic.spi.Configurator}.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class LogSetup extends ContextAwareBase implements Configurator {
    static final String PATTERN = "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%thread] %logger{0} - %msg%n";
    private static final Map<String, Level> LIBRARIES = Map.of(
            "org.apache.camel", Level.INFO,
            "org.apache.hc", Level.WARN,
            "software.amazon", Level.WARN,
            "org.quartz", Level.WARN);

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null
                || LogSetup.class.getClassLoader().getResource("logback-test.xml") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        apply(context);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    static void apply(LoggerContext context) {
        // a setting that cannot work is reported by the tool as one line, without Camel's stack trace
        StartupErrorFilter startupErrors = new StartupErrorFilter();
        startupErrors.setContext(context);
        startupErrors.start();
        context.addTurboFilter(startupErrors);

        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> out = new ConsoleAppender<>();
        out.setContext(context);
        out.setName("OUT");
        out.setEncoder(encoder);
        out.start();

        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(Level.INFO);
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(out);
        context.getLogger("qdrantbackup").setLevel(toolLevel());
        LIBRARIES.forEach((name, level) -> context.getLogger(name).setLevel(level));
    }

    static Level toolLevel() {
        String level = System.getProperty("LOG_LEVEL", System.getenv("LOG_LEVEL"));
        return Level.toLevel(level, Level.INFO);
    }
}
