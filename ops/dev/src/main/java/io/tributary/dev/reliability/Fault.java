package io.tributary.dev.reliability;

/** The faults a fault run injects; each ends with the component back and healthy. */
public enum Fault {
    CONNECT_WORKER_KILL("SIGKILL of the Connect worker (Debezium and the sink in it), then a restart"),
    STREAMS_APP_KILL("SIGKILL of the streams app mid-transaction, then a restart"),
    MARIADB_KILL("SIGKILL of MariaDB, then a restart (crash recovery)"),
    BROKER_KILL("SIGKILL of the Kafka broker, then a restart on its log dir"),
    CONNECTOR_RESTART("restart of the Debezium connector through Connect's REST API"),
    MARIADB_RESTART("graceful restart of MariaDB"),
    STACK_RESTART("restart of the whole stack, as `tributary down` and `up` do");

    private final String description;

    Fault(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
