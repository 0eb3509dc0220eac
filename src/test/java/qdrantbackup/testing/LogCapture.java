package qdrantbackup.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;

/** Collects every log line while open, to assert what an operator would read (and what they must not). */
public final class LogCapture implements AutoCloseable {
    // Other threads log while a test reads: a copy-on-write list, not logback's ListAppender.
    private final List<ILoggingEvent> events = new CopyOnWriteArrayList<>();
    private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent event) {
            event.prepareForDeferredProcessing();
            events.add(event);
        }
    };
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

    public LogCapture() {
        appender.start();
        root.addAppender(appender);
    }

    /** Formatted messages, with the level in front and any exception's messages appended. */
    public List<String> lines() {
        return events.stream()
                .map(e -> {
                    StringBuilder sb = new StringBuilder(e.getLevel() + " " + e.getFormattedMessage());
                    for (var t = e.getThrowableProxy(); t != null; t = t.getCause()) {
                        sb.append(" | ").append(t.getClassName()).append(": ").append(t.getMessage());
                    }
                    return sb.toString();
                })
                .toList();
    }

    public String text() {
        return String.join("\n", lines());
    }

    @Override
    public void close() {
        root.detachAppender(appender);
    }
}
