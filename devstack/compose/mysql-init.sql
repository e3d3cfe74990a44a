-- Users of the Docker stack (compose.yaml), the same as the devstack's MariaDB users.
-- Local-only passwords for a server on your machine.
CREATE USER IF NOT EXISTS 'tributary'@'%' IDENTIFIED BY 'tributary-local-only';
GRANT ALL PRIVILEGES ON *.* TO 'tributary'@'%' WITH GRANT OPTION;
CREATE USER IF NOT EXISTS 'debezium'@'%' IDENTIFIED BY 'debezium-local-only';
-- What Debezium's MySQL connector documents (MySQL 8 names REPLICATION CLIENT; MariaDB calls it BINLOG MONITOR).
GRANT SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, REPLICATION CLIENT, LOCK TABLES ON *.* TO 'debezium'@'%';
FLUSH PRIVILEGES;
