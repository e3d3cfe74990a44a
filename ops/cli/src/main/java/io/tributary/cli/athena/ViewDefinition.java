package io.tributary.cli.athena;

import io.tributary.schemas.contract.CurrentState;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code <table>_current} view as a file in ops/athena/ declares it. An Athena view fixes its
 * columns when it is created, so the check is that the file is exactly what {@link AthenaDdl} makes
 * from the base table's definition beside it: a column added to the table (or a hand edit) shows up
 * as a stale view instead of a view that silently lacks the column.
 */
public record ViewDefinition(String database, String view, String sql) {
    private static final Pattern NAME = Pattern.compile("CREATE OR REPLACE VIEW \"([^\"]+)\"\\.\"([^\"]+)\" AS");

    /** The views of a file (none when it holds only tables). */
    public static List<ViewDefinition> parseAll(String sql) {
        List<ViewDefinition> views = new ArrayList<>();
        for (String part : sql.split("(?=CREATE OR REPLACE VIEW)")) {
            Matcher m = NAME.matcher(part);
            if (m.find()) {
                views.add(new ViewDefinition(m.group(1), m.group(2), part.substring(m.start()).strip() + "\n"));
            }
        }
        return views;
    }

    /** The CDC table the view reads, or null when its name is not {@code <cdc table>_current}. */
    public String baseTable() {
        if (!view.endsWith(CurrentState.CURRENT_SUFFIX)) {
            return null;
        }
        String table = view.substring(0, view.length() - CurrentState.CURRENT_SUFFIX.length());
        return CurrentState.key(table).isPresent() ? table : null;
    }

    /** What is wrong with the view next to these table definitions; empty when it is what the generator makes. */
    public List<String> problems(List<TableDefinition> tables) {
        String table = baseTable();
        if (table == null) {
            return List.of(view + ": not the current-state view of a CDC table (" + CurrentState.tables() + ")");
        }
        Optional<TableDefinition> base = tables.stream().filter(t -> t.table().equals(table)).findFirst();
        if (base.isEmpty()) {
            return List.of(view + ": its table " + table + " has no definition beside it");
        }
        String expected = new AthenaDdl(database, "unused", "", LocalDate.EPOCH)
                .createCurrentView(table, List.copyOf(base.get().columns().keySet()));
        if (!expected.strip().equals(sql.strip())) {
            return List.of(view + ": differs from the view generated for the columns of " + table
                    + " (a column added or the file edited); regenerate it with `tributary athena ddl --write`");
        }
        return List.of();
    }
}
