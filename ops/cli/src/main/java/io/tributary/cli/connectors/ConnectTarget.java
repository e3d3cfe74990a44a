package io.tributary.cli.connectors;

import io.tributary.cli.common.SettingDefaults;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Which Connect worker a connectors command talks to, and how it logs in to it. */
public final class ConnectTarget {
    @Option(names = "--connect-url", paramLabel = "URL", descriptionKey = "TRIBUTARY_CONNECT_URL",
            description = "Connect REST URL (env TRIBUTARY_CONNECT_URL; ./tributary: the local stack's).")
    String connectUrl;

    @Option(names = "--connect-user", paramLabel = "USER", descriptionKey = "TRIBUTARY_CONNECT_USER",
            description = "User for the Connect REST API's basic auth (env TRIBUTARY_CONNECT_USER); the password comes from "
                    + "TRIBUTARY_CONNECT_PASSWORD. Default: no login.")
    String connectUser;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    public String connectUrl() {
        return SettingDefaults.require(connectUrl, "--connect-url", "TRIBUTARY_CONNECT_URL");
    }

    /** A REST client of the worker, logging in with basic auth when a user is set. */
    public ConnectRestClient rest() {
        if (connectUser == null || connectUser.isBlank()) {
            return new ConnectRestClient(connectUrl());
        }
        String password = SettingDefaults.require(SettingDefaults.of(command).get("TRIBUTARY_CONNECT_PASSWORD"),
                "the password of --connect-user", "TRIBUTARY_CONNECT_PASSWORD");
        return new ConnectRestClient(connectUrl(), connectUser, password);
    }
}
