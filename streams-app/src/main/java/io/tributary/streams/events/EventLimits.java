package io.tributary.streams.events;

/**
 * What one event may hold before it is dead-lettered at stage {@code limit}: its size in bytes
 * ({@code events.max.bytes}), its leaves, flattened columns and extra entries together
 * ({@code events.max.fields}), and the length of a flattened name ({@code events.max.name.length}).
 * They bound the work and the row one event can cause, whatever a producer sends.
 */
public record EventLimits(int maxBytes, int maxFields, int maxNameLength) {
}
