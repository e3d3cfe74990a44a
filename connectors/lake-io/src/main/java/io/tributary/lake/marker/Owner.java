package io.tributary.lake.marker;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * Whose marker and files these are: the connector (Connect's {@code name}) and the incarnation of
 * the topic (its Kafka topic id, new when a topic is deleted and created again or a cluster is
 * replaced). A marker or file of another owner says nothing about this owner's records.
 */
public record Owner(String connector, String topicId) {
    /** The user metadata key (x-amz-meta-tributary-owner) naming the owner of each data object. */
    public static final String METADATA_KEY = "tributary-owner";

    /** The owner as an ASCII metadata value: the URL-encoded connector name, a slash, the topic id. */
    public String metadataValue() {
        return URLEncoder.encode(connector, StandardCharsets.UTF_8) + "/" + topicId;
    }

    /** Whether an object's user metadata names this owner. */
    public boolean owns(Map<String, String> metadata) {
        return metadataValue().equals(metadata.get(METADATA_KEY));
    }

    /**
     * Eight hex digits that every writer of this owner derives alike: the name suffix of a file whose
     * plain key is taken by another owner's object (see {@code LakePath.withOwnerSuffix}).
     */
    public String keySuffix() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(metadataValue().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "connector " + connector + ", topic id " + topicId;
    }
}
