-- The read-only role BI tools (Grafana, Metabase, Redash, QuickSight) connect as, as `./tributary up`
-- creates it (devstack PostgresServerMain): SELECT on every table of the dashboards database, also on
-- the tables the JDBC sink creates later as user tributary. Local-only credentials.
CREATE ROLE tributary_bi LOGIN PASSWORD 'tributary-bi-local-only';
GRANT CONNECT ON DATABASE dashboards TO tributary_bi;
GRANT USAGE ON SCHEMA public TO tributary_bi;
ALTER DEFAULT PRIVILEGES FOR ROLE tributary IN SCHEMA public GRANT SELECT ON TABLES TO tributary_bi;
