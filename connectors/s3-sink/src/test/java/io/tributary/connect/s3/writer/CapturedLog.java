package io.tributary.connect.s3.writer;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.Property;

/** The log lines (level and message) of the writer package at INFO and above while a test runs. */
final class CapturedLog implements AutoCloseable {
    private static final String LOGGER = "io.tributary.connect.s3.writer";

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Level before;
    private final AbstractAppender appender;

    CapturedLog() {
        LoggerContext context = LoggerContext.getContext(false);
        before = context.getLogger(LOGGER).getLevel();
        appender = new AbstractAppender("captured-writer-log", null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                lines.add(event.getLevel() + " " + event.getMessage().getFormattedMessage());
            }
        };
        appender.start();
        Configurator.setLevel(LOGGER, Level.INFO);
        context.getConfiguration().getLoggerConfig(LOGGER).addAppender(appender, Level.INFO, null);
        context.updateLoggers();
    }

    /** The lines containing {@code text}. */
    List<String> containing(String text) {
        return lines.stream().filter(l -> l.contains(text)).toList();
    }

    @Override
    public void close() {
        LoggerContext context = LoggerContext.getContext(false);
        context.getConfiguration().getLoggerConfig(LOGGER).removeAppender(appender.getName());
        appender.stop();
        Configurator.setLevel(LOGGER, before);
    }
}
