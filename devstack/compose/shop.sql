-- The shop database the pipeline captures (Debezium's table.include.list: masters, transactions and the
-- signal table): the schema of `./tributary demo` (ShopDatabase runs this file on MariaDB) and of
-- compose.yaml's setup service (on MySQL 8). Statements end with ';' at the end of a line.
CREATE DATABASE IF NOT EXISTS shop CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE TABLE IF NOT EXISTS shop.masters (id BIGINT PRIMARY KEY, code VARCHAR(32) NOT NULL,
    display_name VARCHAR(100) NOT NULL, category VARCHAR(50));
CREATE TABLE IF NOT EXISTS shop.users (id VARCHAR(32) PRIMARY KEY, name VARCHAR(100) NOT NULL, email VARCHAR(200));
CREATE TABLE IF NOT EXISTS shop.transactions (id BIGINT AUTO_INCREMENT PRIMARY KEY, user_id VARCHAR(32) NOT NULL,
    source_type_id BIGINT NOT NULL, amount DECIMAL(12,2) NOT NULL, currency CHAR(3) NOT NULL,
    status VARCHAR(20) NOT NULL, created_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3));
-- Debezium's signal table (incremental snapshots): the connector user writes its window markers there.
CREATE TABLE IF NOT EXISTS shop.debezium_signal (id VARCHAR(42) PRIMARY KEY, type VARCHAR(32) NOT NULL, data VARCHAR(2048));
GRANT INSERT ON shop.debezium_signal TO 'debezium'@'%';
