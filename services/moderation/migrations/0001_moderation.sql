-- The moderation service's schema. Resource ids are UUIDs; `tenant` is the
-- tenant id ("fr"). Documents that are read and written whole (policies,
-- rules, screenings, queue item details, decisions) are stored as serialized
-- agora.moderation.v1 messages beside the columns that are queried. No
-- column ever holds unmasked personal data: only masked text is stored.

-- A tenant's moderation policy (ModerationPolicy without name/etag/times).
CREATE TABLE policies (
  tenant text PRIMARY KEY,
  policy bytea NOT NULL,
  version bigint NOT NULL DEFAULT 1,
  update_time timestamptz NOT NULL DEFAULT now()
);

-- Word lists and RE2 patterns (Rule without name/etag/times).
CREATE TABLE rules (
  tenant text NOT NULL,
  rule_id text NOT NULL,
  rule bytea NOT NULL,
  version bigint NOT NULL DEFAULT 1,
  create_time timestamptz NOT NULL DEFAULT now(),
  update_time timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant, rule_id)
);

-- Bumped on every change of a tenant's rules or policy: replicas compare it
-- to their compiled copy to know when to recompile.
CREATE TABLE screening_config_generations (
  tenant text PRIMARY KEY,
  generation bigint NOT NULL
);

-- Every screening that was not a dry run, for idempotent retries, the SLA
-- report (instant-publish share) and member exports.
CREATE TABLE screenings (
  tenant text NOT NULL,
  id uuid NOT NULL,
  request_id text,
  target_name text NOT NULL,
  author text NOT NULL,
  verdict smallint NOT NULL,
  risk_score integer NOT NULL,
  screening bytea NOT NULL,  -- the Screening returned (masked texts only)
  create_time timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant, id)
);
CREATE UNIQUE INDEX screenings_request_id ON screenings (tenant, request_id)
  WHERE request_id IS NOT NULL;
CREATE INDEX screenings_create_time ON screenings (tenant, create_time);

-- The review queue. `details` is the QueueItem's findings, masked title and
-- body, reasons; the columns are what lists filter and sort on.
CREATE TABLE queue_items (
  tenant text NOT NULL,
  id uuid NOT NULL,
  target_name text NOT NULL,
  target_kind smallint NOT NULL,
  space text NOT NULL DEFAULT '',
  author text NOT NULL,
  source smallint NOT NULL,
  state smallint NOT NULL,          -- QueueItem.State
  risk_score integer NOT NULL DEFAULT 0,
  flag_weight double precision NOT NULL DEFAULT 0,
  flag_count integer NOT NULL DEFAULT 0,
  screening_id uuid,
  appeal_id uuid,
  claimed_by text,
  lease_expire_time timestamptz,
  due_time timestamptz NOT NULL,
  decision_id uuid,
  details bytea NOT NULL,
  version bigint NOT NULL DEFAULT 1,
  create_time timestamptz NOT NULL DEFAULT now(),
  close_time timestamptz,
  PRIMARY KEY (tenant, id)
);
-- One open item per post: new flags on a queued post join its item.
CREATE UNIQUE INDEX queue_items_one_open_per_target ON queue_items (tenant, target_name)
  WHERE state IN (1, 2);
CREATE INDEX queue_items_open_due ON queue_items (tenant, due_time) WHERE state IN (1, 2);
CREATE INDEX queue_items_author ON queue_items (tenant, author);

CREATE TABLE decisions (
  tenant text NOT NULL,
  id uuid NOT NULL,
  queue_item_id uuid NOT NULL,
  target_name text NOT NULL,
  action smallint NOT NULL,
  moderator text NOT NULL,
  decision bytea NOT NULL,  -- the Decision returned
  create_time timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant, id)
);
CREATE INDEX decisions_queue_item ON decisions (tenant, queue_item_id);

-- Community flags: one per member per post.
CREATE TABLE flags (
  tenant text NOT NULL,
  id uuid NOT NULL,
  target_name text NOT NULL,
  target_kind smallint NOT NULL,
  reporter text NOT NULL,
  reason smallint NOT NULL,
  comment text NOT NULL DEFAULT '',
  weight double precision NOT NULL,
  state smallint NOT NULL,          -- Flag.State
  create_time timestamptz NOT NULL DEFAULT now(),
  resolve_time timestamptz,
  PRIMARY KEY (tenant, id),
  UNIQUE (tenant, target_name, reporter)
);

-- How much a member's flags count: lowered each time their flag is found
-- wrong, raised back slowly when upheld.
CREATE TABLE reporter_weights (
  tenant text NOT NULL,
  reporter text NOT NULL,
  weight_factor double precision NOT NULL DEFAULT 1.0,
  upheld integer NOT NULL DEFAULT 0,
  dismissed integer NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant, reporter)
);

-- Appeals: one per decision, decided by another moderator.
CREATE TABLE appeals (
  tenant text NOT NULL,
  id uuid NOT NULL,
  decision_id uuid NOT NULL,
  target_name text NOT NULL,
  target_kind smallint NOT NULL,
  appellant text NOT NULL,
  statement text NOT NULL,
  state smallint NOT NULL,          -- Appeal.State
  first_moderator text NOT NULL,    -- who made the appealed decision
  outcome_note text NOT NULL DEFAULT '',
  decided_by text,
  queue_item_id uuid,
  version bigint NOT NULL DEFAULT 1,
  create_time timestamptz NOT NULL DEFAULT now(),
  decide_time timestamptz,
  PRIMARY KEY (tenant, id),
  UNIQUE (tenant, decision_id)
);

-- The tamper-evident audit log: per tenant, sequence 1, 2, 3 ... each entry
-- carrying the SHA-256 of the previous one (previous_hash of entry 1 is 64
-- zeros). Appends are serialised per tenant by an advisory lock.
CREATE TABLE audit_log (
  tenant text NOT NULL,
  sequence bigint NOT NULL,
  id uuid NOT NULL,
  entry_type smallint NOT NULL,
  actor text NOT NULL,
  actor_type smallint NOT NULL,
  subject text NOT NULL,
  payload text NOT NULL,            -- JSON, masked
  previous_hash text NOT NULL,
  hash text NOT NULL,
  create_time timestamptz NOT NULL,
  PRIMARY KEY (tenant, sequence)
);
CREATE UNIQUE INDEX audit_log_id ON audit_log (tenant, id);

-- Answers of idempotent writes (request_id), replayed on retries.
CREATE TABLE idempotent_responses (
  tenant text NOT NULL,
  method text NOT NULL,
  request_id text NOT NULL,
  caller text NOT NULL,
  response bytea NOT NULL,
  create_time timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant, method, request_id, caller)
);
