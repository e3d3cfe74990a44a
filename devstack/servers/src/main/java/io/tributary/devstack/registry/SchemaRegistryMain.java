package io.tributary.devstack.registry;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Child-JVM entry point of the local schema registry: a stand-in for Confluent Schema Registry,
 * Apicurio (ccompat) or Karapace that speaks the same REST API, for local use and tests only.
 *
 * <p>Arguments: {@code HOST PORT BOOTSTRAP_SERVERS TOPIC}
 */
public final class SchemaRegistryMain {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaRegistryMain.class);

    private SchemaRegistryMain() {
    }

    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        KafkaLog log = new KafkaLog(args[2], args[3]);
        SchemaStore store = new SchemaStore(log);
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 64);
        server.createContext("/", new RegistryHttpApi(store));
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop(1);
            log.close();
        }, "registry-shutdown"));
        LOG.info("Schema registry listening on http://{}:{} (state in topic {}, {} subjects)", host, port, args[3],
                store.subjects().size());
    }
}
