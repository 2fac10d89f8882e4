-- Audit records of committed actions not yet sealed into their tenant's
-- chain. An action writes its record here in its own transaction, without
-- the chain's lock; the sealer (repository/audit_log.h) later numbers and
-- hashes them into audit_log in batches, under the lock for a moment only.
-- Before this table, every action of a tenant held the chain's lock until
-- its commit, so a tenant's screenings ran one at a time (bench/RESULTS.md).
CREATE TABLE audit_pending (
  id bigserial PRIMARY KEY,       -- sealing order
  tenant text NOT NULL,
  entry_id uuid NOT NULL,
  entry_type smallint NOT NULL,
  actor text NOT NULL,
  actor_type smallint NOT NULL,
  subject text NOT NULL,
  payload text NOT NULL,          -- canonical JSON, masked
  create_time timestamptz NOT NULL
);
CREATE INDEX audit_pending_tenant ON audit_pending (tenant, id);
