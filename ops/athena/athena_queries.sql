CREATE EXTERNAL TABLE IF NOT EXISTS `tributary`.`athena_queries` (
  `query_execution_id` string COMMENT 'Athena''s id of the query execution; unique, the key of this table.',
  `workgroup` string COMMENT 'Athena workgroup the query ran in.',
  `principal` string COMMENT 'Who started the query: userIdentity.arn of its CloudTrail StartQueryExecution event (IAM user, assumed role with session name, or service role). Null when CloudTrail has no such event (older than 90 days, not yet delivered, or without the query id).',
  `catalog` string COMMENT 'Data catalog of the query''s context, e.g. AwsDataCatalog.',
  `database` string COMMENT 'Database of the query''s context (the default schema of unqualified table names); null when none was set.',
  `statement_type` string COMMENT 'Athena''s statement type: DDL, DML or UTILITY.',
  `state` string COMMENT 'State when collected: QUEUED, RUNNING, SUCCEEDED, FAILED or CANCELLED.',
  `state_change_reason` string COMMENT 'Athena''s reason for the state, e.g. the error of a failed query.',
  `submitted_at` timestamp COMMENT 'When Athena accepted the query (UTC); the dt/hour partition comes from it.',
  `completed_at` timestamp COMMENT 'When the query ended (UTC); null while it was queued or running.',
  `engine_execution_ms` bigint COMMENT 'Milliseconds the query engine ran the query (EngineExecutionTimeInMillis).',
  `total_execution_ms` bigint COMMENT 'Milliseconds from submission to the end, queueing and planning included (TotalExecutionTimeInMillis).',
  `data_scanned_bytes` bigint COMMENT 'Bytes the query scanned (DataScannedInBytes): what Athena bills.',
  `estimated_cost_usd` double COMMENT 'Estimated cost in US dollars at price_per_tb_usd: DML queries that did not fail pay their bytes rounded up to the MiB, at least 10 MiB; DDL, utility statements and failed queries are free.',
  `price_per_tb_usd` double COMMENT 'Price per TB (2^40 bytes) scanned that estimated_cost_usd assumes (--price-per-tb).',
  `query_text` string COMMENT 'The SQL as Athena returns it.',
  `collected_at` timestamp COMMENT 'When `tributary athena usage` read this row from Athena (UTC); the latest collection of a query id replaces earlier ones.'
)
COMMENT 'One Athena query execution: who ran it, where, what it scanned and what it cost, as `tributary athena usage --write-lake` collects it from Athena (ListQueryExecutions, BatchGetQueryExecution) and CloudTrail (StartQueryExecution events). One row per query id: a later run over an overlapping window replaces the row, so a query that was still running has its final figures. Lake table athena_queries.'
PARTITIONED BY (`dt` string, `hour` string)
STORED AS PARQUET
LOCATION 's3://tributary-lake/lake/athena_queries/'
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
  'storage.location.template' = 's3://tributary-lake/lake/athena_queries/dt=${dt}/hour=${hour}/'
);
