package qdrantbackup.config;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.Marker;

/**
 * Camel logs every failed start with a stack trace; for a setting that cannot work the tool prints
 * one line itself (App: "qdrant-backup cannot start: ..."), so Camel's copy is dropped.
 */
public final class StartupErrorFilter extends TurboFilter {
    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (t == null && params != null && params.length > 0 && params[params.length - 1] instanceof Throwable last) {
            t = last; // SLF4J passes the exception as the last argument
        }
        if (t == null || !logger.getName().startsWith("org.apache.camel")) {
            return FilterReply.NEUTRAL;
        }
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof Settings.SettingException) {
                return FilterReply.DENY;
            }
        }
        return FilterReply.NEUTRAL;
    }
}
