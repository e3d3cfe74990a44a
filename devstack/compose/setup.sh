#!/bin/bash
# compose.yaml's one-shot `setup` service (in the apache/kafka image, after setup-db created the shop
# database): creates the pipeline's source topics named in the streams app's shipped config (Debezium
# creates a table's topic only with its first change, and the app waits for all of them), then deploys
# the production connector configs (MySQL) with the CLI, which has the worker validate them first.
set -euo pipefail
config=/opt/tributary-streams-app/config/pipeline.properties
topics="$(sed -n 's/^events\.topic=//p' "$config") $(sed -n 's/^cdc\.topics=//p' "$config" | tr ',' ' ')"
for topic in $topics; do
  /opt/kafka/bin/kafka-topics.sh --bootstrap-server "$TRIBUTARY_KAFKA_BOOTSTRAP" --create --if-not-exists \
    --topic "$topic" --partitions 3 --replication-factor 1
done
exec /opt/tributary-cli/bin/tributary connectors apply --environment production
