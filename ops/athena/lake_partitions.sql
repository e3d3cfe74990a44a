CREATE EXTERNAL TABLE IF NOT EXISTS `tributary`.`lake_partitions` (
  `table_name` string COMMENT 'The lake table whose hour this row describes, e.g. app_events.',
  `rows` bigint COMMENT 'Rows in the hour''s objects when the row was written.',
  `files` int COMMENT 'Objects in the hour''s folder.',
  `bytes` bigint COMMENT 'Total size of the hour''s objects in bytes.',
  `closed_at` timestamp COMMENT 'When the hour was first declared complete (UTC).',
  `compacted_at` timestamp COMMENT 'When the hour was last compacted or checked complete (UTC).',
  `reopened` boolean COMMENT 'True when rows arrived after the hour was complete and are not compacted yet: rows, files and bytes then count only what was compacted.'
)
COMMENT 'One table hour that `tributary compact` declared complete: its event-time hour has been closed for the lateness allowance, every object in it is final and merged. The dt/hour partition of a row is the hour it describes. Rows that arrive later set reopened until the next compaction pass folds them in and updates the counts. Lake table lake_partitions.'
PARTITIONED BY (`dt` string, `hour` string)
STORED AS PARQUET
LOCATION 's3://tributary-lake/lake/lake_partitions/'
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
  'storage.location.template' = 's3://tributary-lake/lake/lake_partitions/dt=${dt}/hour=${hour}/'
);
