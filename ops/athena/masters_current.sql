CREATE OR REPLACE VIEW "tributary"."masters_current" AS
SELECT "id", "code", "display_name", "category", "_source_ts", "_source_pos"
FROM (
  SELECT *, row_number() OVER (PARTITION BY "id" ORDER BY "_source_pos" DESC NULLS LAST, "_source_ts" DESC) AS "_rn" FROM "tributary"."masters"
) AS changes
WHERE "_rn" = 1 AND NOT "_deleted";
