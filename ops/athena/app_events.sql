CREATE EXTERNAL TABLE IF NOT EXISTS `tributary`.`app_events` (
  `event_id` string COMMENT 'Producer-assigned unique id of the event; the dedup key of replays.',
  `event_time` timestamp COMMENT 'When the event happened (UTC), from the event itself; the Kafka record timestamp and the dt/hour partition come from it.',
  `event_type` string COMMENT 'Kind of event, e.g. page_view, purchase.',
  `user_id` string COMMENT 'JSON user.id: the acting user; events of one user share a Kafka partition.',
  `user_email` string COMMENT 'JSON user.email. PII: dropped (null) by default configuration.',
  `user_ip` string COMMENT 'JSON user.ip. PII: salted SHA-256 (hex) by default configuration.',
  `user_profile_plan` string COMMENT 'JSON user.profile.plan: the user''s subscription plan.',
  `user_profile_address_country` string COMMENT 'JSON user.profile.address.country: ISO 3166 country code.',
  `user_profile_address_city` string COMMENT 'JSON user.profile.address.city, as sent (any script).',
  `source_type_id` bigint COMMENT 'JSON source_type_id: id of the masters row that says where the event came from.',
  `request_path` string COMMENT 'JSON request.path.',
  `request_method` string COMMENT 'JSON request.method.',
  `request_status` int COMMENT 'JSON request.status: HTTP status code.',
  `request_latency_ms` double COMMENT 'JSON request.latency_ms: server time in milliseconds (numbers or numeric strings).',
  `amount` decimal(18,2) COMMENT 'JSON amount: money value of a purchase, exact decimal.',
  `tags` string COMMENT 'JSON tags: the array as a JSON string.',
  `source_type_name` string COMMENT 'Enriched: masters.display_name of source_type_id as of event_time (often Japanese).',
  `source_type_category` string COMMENT 'Enriched: masters.category of source_type_id as of event_time.',
  `extra` map<string,string> COMMENT 'Fields of the JSON event that this contract does not declare, flattened names to JSON text; kept, never lost.',
  `_enrichment` string COMMENT 'Enrichment status: ok, or missing:<lookup>[,missing:<lookup>...] when a master was not found as of event_time.'
)
COMMENT 'One application event (access log line), flattened from nested JSON and enriched with the master data valid at its event time. Lake table app_events.'
PARTITIONED BY (`dt` string, `hour` string)
STORED AS PARQUET
LOCATION 's3://tributary-lake/lake/app_events/'
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
  'storage.location.template' = 's3://tributary-lake/lake/app_events/dt=${dt}/hour=${hour}/'
);
