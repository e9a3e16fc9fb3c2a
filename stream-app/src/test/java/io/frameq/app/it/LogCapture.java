package io.frameq.app.it;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.AppenderBase;

import org.slf4j.LoggerFactory;

/**
 * Everything logged in this JVM while open, as the text an operator's log would hold (message, exception
 * messages and stack frames). Kafka's loggers are raised to INFO meanwhile, so its config dumps — where a
 * leaked secret would most likely show — are captured too; the levels are put back on close.
 */
final class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {

    private static final List<String> RAISED = List.of("org.apache.kafka", "kafka", "io.frameq");

    private final List<String> lines = new ArrayList<>();
    private final Map<Logger, Level> previous = new HashMap<>();
    private final Logger root;

    LogCapture() {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        setContext(ctx);
        setName("it-capture");
        root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        for (String name : RAISED) {
            Logger l = ctx.getLogger(name);
            previous.put(l, l.getLevel());
            l.setLevel(Level.INFO);
        }
        start();
        root.addAppender(this);
    }

    @Override
    protected synchronized void append(ILoggingEvent e) {
        StringBuilder sb = new StringBuilder(e.getLoggerName()).append(" - ").append(e.getFormattedMessage());
        for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
            sb.append("\n").append(t.getClassName()).append(": ").append(t.getMessage());
            for (StackTraceElementProxy s : t.getStackTraceElementProxyArray()) {
                sb.append("\n\tat ").append(s.getSTEAsString());
            }
        }
        lines.add(sb.toString());
    }

    synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    /** The captured lines that contain {@code s}. */
    synchronized List<String> containing(String s) {
        return lines.stream().filter(l -> l.contains(s)).toList();
    }

    @Override
    public void close() {
        root.detachAppender(this);
        stop();
        previous.forEach(Logger::setLevel);
    }
}
