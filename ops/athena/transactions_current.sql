CREATE OR REPLACE VIEW "tributary"."transactions_current" AS
SELECT "id", "user_id", "source_type_id", "amount", "currency", "status", "created_at", "_source_ts", "_source_pos"
FROM (
  SELECT *, row_number() OVER (PARTITION BY "id" ORDER BY "_source_pos" DESC NULLS LAST, "_source_ts" DESC) AS "_rn" FROM "tributary"."transactions"
) AS changes
WHERE "_rn" = 1 AND NOT "_deleted";
