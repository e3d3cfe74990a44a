package io.tributary.cli.cdc;

import io.tributary.cli.common.SettingDefaults;
import io.tributary.cli.common.TributaryHome;
import io.tributary.cli.connectors.ConnectorFile;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Where the `cdc` commands find the Debezium connector's config and the source database it captures. */
public final class CdcSourceOptions {
    @Option(names = "--environment", defaultValue = "local",
            description = "Which connector configs name the tables and the signal table: local or production (default ${DEFAULT-VALUE}).")
    String environment;

    @Option(names = "--dir", paramLabel = "DIR", description = "Folder of the connector JSON files (default: <repo>/connectors/config).")
    Path dir;

    @Option(names = "--jdbc-url", descriptionKey = "TRIBUTARY_CDC_JDBC_URL",
            description = "Source database, e.g. jdbc:mariadb://mysql.internal:3306/ (env TRIBUTARY_CDC_JDBC_URL; ./tributary: the local stack's).")
    String jdbcUrl;

    @Option(names = "--db-user", descriptionKey = "TRIBUTARY_CDC_VERIFY_USER",
            description = "Database user: SELECT on the tables, REPLICATION CLIENT, INSERT on the signal table for --heal and "
                    + "resnapshot (env TRIBUTARY_CDC_VERIFY_USER). Its password comes from TRIBUTARY_CDC_VERIFY_PASSWORD.")
    String dbUser;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    /** The connector configs of the chosen environment. */
    List<ConnectorFile> connectorFiles() {
        return ConnectorFile.load(dir != null ? dir : TributaryHome.connectorConfigs(), environment);
    }

    /** A connection to the source database; the caller closes it. */
    SourceDatabase open() {
        String password = SettingDefaults.require(SettingDefaults.of(command).get("TRIBUTARY_CDC_VERIFY_PASSWORD"),
                "the password", "TRIBUTARY_CDC_VERIFY_PASSWORD");
        return new SourceDatabase(SettingDefaults.require(jdbcUrl, "--jdbc-url", "TRIBUTARY_CDC_JDBC_URL"),
                SettingDefaults.require(dbUser, "--db-user", "TRIBUTARY_CDC_VERIFY_USER"), password);
    }
}
