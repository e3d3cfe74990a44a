CREATE EXTERNAL TABLE IF NOT EXISTS `tributary`.`dead_letters` (
  `stage` string COMMENT 'Pipeline stage that failed: parse, coerce, validate, cdc-parse, cdc-schema.',
  `error_class` string COMMENT 'Java class of the error.',
  `error_message` string COMMENT 'What was wrong, naming the field where one is at fault.',
  `source_topic` string COMMENT 'Topic the record was read from.',
  `source_partition` int COMMENT 'Partition the record was read from.',
  `source_offset` bigint COMMENT 'Offset of the record; with topic and partition it identifies the original.',
  `source_timestamp` timestamp COMMENT 'Timestamp of the original Kafka record; the dt/hour partition comes from it.',
  `original_bytes` int COMMENT 'Size of the original record value in bytes (the value itself is in the dead-letter topic).'
)
COMMENT 'A record the pipeline could not turn into a lake row: what failed, where and why. The dead-letter topic keeps the original bytes with the same facts as headers; this table leaves them out, as they may hold PII the pipeline would otherwise have removed. Lake table dead_letters.'
PARTITIONED BY (`dt` string, `hour` string)
STORED AS PARQUET
LOCATION 's3://tributary-lake/lake/dead_letters/'
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
  'storage.location.template' = 's3://tributary-lake/lake/dead_letters/dt=${dt}/hour=${hour}/'
);
