CREATE EXTERNAL TABLE IF NOT EXISTS `tributary`.`masters` (
  `id` bigint COMMENT 'Primary key; app events refer to it as source_type_id.',
  `code` string COMMENT 'Stable machine name of the source type.',
  `display_name` string COMMENT 'Human name shown in dashboards (often Japanese).',
  `category` string COMMENT 'Grouping of source types.',
  `_op` string COMMENT 'Debezium operation: c (insert), u (update), d (delete), r (snapshot read).',
  `_source_ts` timestamp COMMENT 'Commit time of the change in the source database (UTC); the dt/hour partition comes from it.',
  `_deleted` boolean COMMENT 'True for deletes: the columns then hold the row as it was before the delete.',
  `_source_pos` string COMMENT 'Binlog position: file index, position, row in event, and the change''s number among its row''s changes there (MariaDB gives one position per transaction); zero-padded, so string order is binlog order. A key''s latest change has the highest.'
)
COMMENT 'Changelog of the MySQL table masters (source types with display names): one row per change. The streams app also keeps its history in a versioned store to enrich events as of their event time. Lake table masters.'
PARTITIONED BY (`dt` string, `hour` string)
STORED AS PARQUET
LOCATION 's3://tributary-lake/lake/masters/'
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
  'storage.location.template' = 's3://tributary-lake/lake/masters/dt=${dt}/hour=${hour}/'
);
