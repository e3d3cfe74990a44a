CREATE EXTERNAL TABLE IF NOT EXISTS `tributary`.`transactions` (
  `id` bigint COMMENT 'Primary key.',
  `user_id` string COMMENT 'The paying user.',
  `source_type_id` bigint COMMENT 'masters.id of where the transaction came from.',
  `amount` decimal(12,2) COMMENT 'Amount, exact decimal.',
  `currency` string COMMENT 'ISO 4217 currency code.',
  `status` string COMMENT 'pending, paid, refunded, ...',
  `created_at` timestamp COMMENT 'When the transaction was created (UTC).',
  `_op` string COMMENT 'Debezium operation: c (insert), u (update), d (delete), r (snapshot read).',
  `_source_ts` timestamp COMMENT 'Commit time of the change in the source database (UTC); the dt/hour partition comes from it.',
  `_deleted` boolean COMMENT 'True for deletes: the columns then hold the row as it was before the delete.',
  `_source_pos` string COMMENT 'Binlog position: file index, position, row in event, and the change''s number among its row''s changes there (MariaDB gives one position per transaction); zero-padded, so string order is binlog order. A key''s latest change has the highest.'
)
COMMENT 'Changelog of the MySQL table transactions: one row per insert, update, delete or snapshot read. Columns added to the table later are appended as nullable fields. Lake table transactions.'
PARTITIONED BY (`dt` string, `hour` string)
STORED AS PARQUET
LOCATION 's3://tributary-lake/lake/transactions/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.dt.type' = 'date',
  'projection.dt.format' = 'yyyy-MM-dd',
  'projection.dt.range' = '2020-01-01,NOW',
  'projection.dt.interval' = '1',
  'projection.dt.interval.unit' = 'DAYS',
  'projection.hour.type' = 'integer',
  'projection.hour.range' = '0,23',
  'projection.hour.digits' = '2',
  'storage.location.template' = 's3://tributary-lake/lake/transactions/dt=${dt}/hour=${hour}/'
);
