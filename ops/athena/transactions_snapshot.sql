CREATE EXTERNAL TABLE IF NOT EXISTS `tributary`.`transactions_snapshot` (
  `id` bigint COMMENT 'Primary key.',
  `user_id` string COMMENT 'The paying user.',
  `source_type_id` bigint COMMENT 'masters.id of where the transaction came from.',
  `amount` decimal(12,2) COMMENT 'Amount, exact decimal.',
  `currency` string COMMENT 'ISO 4217 currency code.',
  `status` string COMMENT 'pending, paid, refunded, ...',
  `created_at` timestamp COMMENT 'When the transaction was created (UTC).',
  `_source_ts` timestamp COMMENT 'Commit time of the change in the source database (UTC); the dt/hour partition comes from it.',
  `_source_pos` string COMMENT 'Binlog position: file index, position, row in event, and the change''s number among its row''s changes there (MariaDB gives one position per transaction); zero-padded, so string order is binlog order. A key''s latest change has the highest.'
)
COMMENT 'State of the table transactions at the end of the UTC day dt: the latest row of each primary key by _source_pos, deleted rows left out. Built by `tributary compact` from the previous day''s snapshot and the day''s changes once the day is closed. Lake table transactions_snapshot.'
PARTITIONED BY (`dt` string)
STORED AS PARQUET
LOCATION 's3://tributary-lake/lake/transactions_snapshot/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.dt.type' = 'date',
  'projection.dt.format' = 'yyyy-MM-dd',
  'projection.dt.range' = '2020-01-01,NOW',
  'projection.dt.interval' = '1',
  'projection.dt.interval.unit' = 'DAYS',
  'storage.location.template' = 's3://tributary-lake/lake/transactions_snapshot/dt=${dt}/'
);
