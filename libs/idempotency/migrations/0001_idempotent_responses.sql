-- Answers of idempotent writes (request_id), replayed on retries. IF NOT
-- EXISTS: services that had this table in their own first migration keep it.
CREATE TABLE IF NOT EXISTS idempotent_responses (
  tenant text NOT NULL,
  method text NOT NULL,
  request_id text NOT NULL,
  caller text NOT NULL,
  response bytea NOT NULL,
  create_time timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant, method, request_id, caller)
);
