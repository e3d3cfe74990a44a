package io.tributary.cli.lake;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** How `tributary query` prints results: an aligned table, or CSV with quoting. */
class QueryCommandTest {
    private static String print(boolean csv) throws Exception {
        StringWriter out = new StringWriter();
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement st = db.createStatement();
             ResultSet r = st.executeQuery("SELECT * FROM (VALUES ('ウェブサイト', 12), ('a, \"b\"', NULL)) t(name, events)")) {
            QueryCommand.print(r, new PrintWriter(out, true), csv);
        }
        return out.toString();
    }

    @Test
    void printsATableAlignedForJapaneseTooWithARowCount() throws Exception {
        assertThat(print(false).lines()).containsExactly(
                "name         | events",
                "---------------------",
                "ウェブサイト | 12",
                "a, \"b\"       | null",
                "(2 rows)");
    }

    @Test
    void printsCsvWithQuotingAndEmptyNulls() throws Exception {
        assertThat(print(true).lines()).containsExactly("name,events", "ウェブサイト,12", "\"a, \"\"b\"\"\",");
    }
}
