package io.tributary.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.devstack.connect.ConnectWorker;
import io.tributary.testing.DevStack;
import io.tributary.testing.DevStackExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(DevStackExtension.class)
class ConnectWorkerIT {

    @Test
    void restApiListsTheDebeziumMySqlAndMariaDbConnectors(DevStack stack) {
        ConnectWorker worker = (ConnectWorker) stack.stack().component(ConnectWorker.NAME);
        assertThat(worker.connectorPlugins()).containsAll(ConnectWorker.DEBEZIUM_CONNECTORS).contains(ConnectWorker.JDBC_SINK);
        assertThat(stack.stack().health()).allSatisfy((name, health) -> assertThat(health.healthy()).isTrue());
    }
}
