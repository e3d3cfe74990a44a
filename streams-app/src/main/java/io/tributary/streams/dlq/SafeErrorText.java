package io.tributary.streams.dlq;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Error texts for dead-letter headers, the dead_letters table and logs, made from exceptions of
 * other libraries without the input they may quote: a JSON parser's "Unrecognized token 'taro@...'"
 * would otherwise carry a PII value into the dead-letter headers.
 */
public final class SafeErrorText {
    private static final Pattern QUOTED = Pattern.compile("'([^']*)'");
    /** Quoted words of Jackson's messages that name JSON tokens, not input. */
    private static final Set<String> TOKENS = Set.of("null", "true", "false", "NaN", "Infinity", "+Infinity", "-Infinity");

    private SafeErrorText() {
    }

    /** "not valid JSON at line L, column C: " and the parser's reason with quoted input replaced by '…'. */
    public static String invalidJson(JsonProcessingException e) {
        String reason = withoutQuotedInput(e.getOriginalMessage());
        if (e instanceof JsonEOFException) {
            reason += " (the JSON ends early: truncated?)";
        }
        JsonLocation at = e.getLocation();
        return "not valid JSON" + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr()) + ": " + reason;
    }

    static String withoutQuotedInput(String message) {
        if (message == null) {
            return "(no reason given)";
        }
        Matcher m = QUOTED.matcher(message);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String quoted = m.group(1);
            // One character (Jackson names it with its code anyway) or a JSON token word is not input worth hiding.
            m.appendReplacement(out, quoted.length() <= 1 || TOKENS.contains(quoted) ? Matcher.quoteReplacement(m.group())
                    : "'…'");
        }
        return m.appendTail(out).toString();
    }

    /** An exception by its classes only, outermost first (messages may quote input): {@code A (caused by B)}. */
    public static String classes(Throwable e) {
        StringBuilder out = new StringBuilder(e.getClass().getName());
        for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            out.append(" (caused by ").append(cause.getClass().getName()).append(')');
        }
        return out.toString();
    }

    /** The innermost cause: the class dead-letter headers name. */
    public static Throwable rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }
}
