package dev.pictor.ops;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import org.slf4j.Logger;

import java.util.Map;

/**
 * pictor's logging, set up in code when logback starts (found through {@code META-INF/services}): one console
 * appender on stderr, text ({@code 2026-12-02 07:20:15.016 INFO  [main] d.p.d.DiscordBot - …}) or one JSON object per
 * line, as {@link LogSetup} chose from {@code PICTOR_LOG_FORMAT} ({@code pictor.log.format}), every line through the
 * {@link RedactingEncoder}; pictor's own level from {@code PICTOR_LOG_LEVEL} ({@code pictor.log.level}), libraries at
 * INFO or WARN. Reading an XML file instead costs a cold JVM about 0.2 s of CPU at every start (issue #15); an XML
 * file named with {@code -Dlogback.configurationFile}, or a {@code logback-test.xml} on the class path (the tests'),
 * is still read by logback as usual, and then this does nothing.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_LOW_PRIORITY)
public final class LogConfig extends ContextAwareBase implements Configurator {
    static final String PATTERN = "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%thread] %logger{20} - %msg%n%ex{short}";

    /** The levels of the loggers pictor sets; the root (every other library) logs warnings and errors. */
    static Map<String, Level> levels(Level pictor) {
        return Map.of("dev.pictor", pictor,
                "pictor", Level.INFO, // the command line's own stderr lines, as log events when the format is json
                "net.dv8tion", Level.INFO, "org.telegram", Level.INFO,
                "okhttp3", Level.WARN, "com.zaxxer", Level.WARN, "io.micrometer", Level.WARN);
    }

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null
                || LogConfig.class.getClassLoader().getResource("logback-test.xml") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        apply(context, System.getProperty("pictor.log.format"), System.getProperty("pictor.log.level"));
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** Sets {@code context} up: {@code format} "json" or text (anything else), pictor's {@code level} (INFO if unknown). */
    static void apply(LoggerContext context, String format, String level) {
        Encoder<ILoggingEvent> lines;
        if ("json".equals(format)) {
            lines = new JsonLogEncoder();
        } else {
            var text = new PatternLayoutEncoder();
            text.setPattern(PATTERN);
            lines = text;
        }
        lines.setContext(context);
        var redacting = new RedactingEncoder();
        redacting.setContext(context);
        redacting.setDelegate(lines);
        redacting.start();
        var console = new ConsoleAppender<ILoggingEvent>();
        console.setContext(context);
        console.setName("console");
        console.setTarget("System.err");
        console.setEncoder(redacting);
        console.start();
        levels(Level.toLevel(level, Level.INFO)).forEach((name, l) -> context.getLogger(name).setLevel(l));
        var root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.addAppender(console);
    }
}
