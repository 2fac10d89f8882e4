-- The ranking service's schema. PostgreSQL is the source of truth: every
-- tally and leaderboard in Redis can be recomputed from these tables.
-- `tenant` is the tenant id ("fr"); posts and members are referenced by the
-- id part of their resource names (content and identity own them).

-- Tenants as identity announces them: the time zone decides where a day
-- bucket starts.
CREATE TABLE tenants (
  id text PRIMARY KEY,
  time_zone text NOT NULL DEFAULT 'UTC',
  update_time timestamptz NOT NULL DEFAULT now()
);

-- Members as identity announces them (member.registered): account age for
-- the young-account hold, verified customers shown apart.
CREATE TABLE members (
  tenant text NOT NULL,
  id text NOT NULL,
  register_time timestamptz NOT NULL,
  verified_customer boolean NOT NULL DEFAULT false,
  erased boolean NOT NULL DEFAULT false,
  PRIMARY KEY (tenant, id)
);

-- Posts as content announces them. Only published posts take votes and
-- appear on boards; `first_publish_time` is the t of the hot formula.
CREATE TABLE posts (
  tenant text NOT NULL,
  id text NOT NULL,
  kind smallint NOT NULL,
  space text NOT NULL DEFAULT '',
  category text NOT NULL DEFAULT '',
  round text NOT NULL DEFAULT '',
  in_reply_to text NOT NULL DEFAULT '',
  -- Member id of the author; empty for service accounts and erased members.
  author text NOT NULL DEFAULT '',
  -- Evaluation mode announced by content (0: the tenant's per-kind setting).
  mode smallint NOT NULL DEFAULT 0,
  published boolean NOT NULL,
  first_publish_time timestamptz NOT NULL,
  update_time timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant, id)
);
CREATE INDEX posts_replies ON posts (tenant, in_reply_to)
  WHERE in_reply_to <> '';
CREATE INDEX posts_by_author ON posts (tenant, author);

-- One vote per member, post and axis (1 primary, 2 helpfulness).
-- status: 1 counted, 2 held (young account), 3 reversed, 4 inactive.
CREATE TABLE votes (
  tenant text NOT NULL,
  target text NOT NULL,
  voter text NOT NULL,
  axis smallint NOT NULL,
  choice smallint NOT NULL,
  stars smallint NOT NULL DEFAULT 0,
  status smallint NOT NULL,
  weight real NOT NULL,
  verified_customer boolean NOT NULL DEFAULT false,
  -- The post's author when the vote was cast (serial-voting detection).
  target_author text NOT NULL DEFAULT '',
  create_time timestamptz NOT NULL,
  update_time timestamptz NOT NULL,
  PRIMARY KEY (tenant, target, voter, axis)
);
CREATE INDEX votes_by_voter ON votes (tenant, voter, update_time DESC);
CREATE INDEX votes_by_time ON votes (tenant, update_time);
CREATE INDEX votes_held ON votes (tenant, voter) WHERE status = 2;

-- Shares and human clicks per post and day (from share's events), for the
-- most-shared board and tallies.
CREATE TABLE post_shares (
  tenant text NOT NULL,
  post text NOT NULL,
  day date NOT NULL,
  shares bigint NOT NULL DEFAULT 0,
  clicks bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant, post, day)
);

-- Posts whose Redis tally or board entries missed an update (Redis was
-- down or lost data): the repairer recomputes them from the tables above.
CREATE TABLE pending_repairs (
  tenant text NOT NULL,
  post text NOT NULL,
  since timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant, post)
);

-- A tenant's settings documents, each a serialized agora.ranking.v1
-- message without name/etag/update_time: "vote_settings",
-- "ranking_parameters", "reputation_policy".
CREATE TABLE settings (
  tenant text NOT NULL,
  kind text NOT NULL,
  body bytea NOT NULL,
  version bigint NOT NULL DEFAULT 1,
  update_time timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant, kind)
);

-- Leaderboard rebuilds. state: 1 running, 2 succeeded, 3 failed.
CREATE TABLE rebuilds (
  tenant text NOT NULL,
  id uuid NOT NULL,
  state smallint NOT NULL,
  requester bytea NOT NULL,
  progress_percent integer NOT NULL DEFAULT 0,
  votes_scanned bigint NOT NULL DEFAULT 0,
  boards_written bigint NOT NULL DEFAULT 0,
  tallies_written bigint NOT NULL DEFAULT 0,
  error_message text NOT NULL DEFAULT '',
  start_time timestamptz NOT NULL DEFAULT now(),
  end_time timestamptz,
  PRIMARY KEY (tenant, id)
);
-- At most one running rebuild per tenant.
CREATE UNIQUE INDEX rebuilds_running ON rebuilds (tenant) WHERE state = 1;
CREATE INDEX rebuilds_newest ON rebuilds (tenant, start_time DESC, id DESC);
