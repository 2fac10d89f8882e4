-- The share service's own schema: tenants it knows (time zone, settings),
-- its projection of content's posts, short links with their all-time
-- figures, daily figures per link, HyperLogLog sketches of unique
-- visitors, the flush batches already applied, and milestones reached.

-- Tenants announced by identity; settings are set by their admins.
CREATE TABLE tenants (
  tenant text PRIMARY KEY,
  time_zone text NOT NULL DEFAULT 'UTC',
  -- agora.share.v1.ShareSettings, serialized (output fields cleared);
  -- NULL until an admin sets them (defaults apply).
  settings bytea,
  -- Optimistic concurrency: bumped by every update.
  version bigint NOT NULL DEFAULT 0,
  settings_update_time timestamptz,
  -- When clicks were last flushed from Redis.
  last_flush_time timestamptz
);

-- What share knows of content's posts (from content's events): masked text
-- only. `version` grows with every change, so that a stale cache write
-- never overwrites a newer one in Redis.
CREATE TABLE posts (
  tenant text NOT NULL,
  id text NOT NULL,
  kind integer NOT NULL DEFAULT 0,
  published boolean NOT NULL,
  title text NOT NULL DEFAULT '',
  excerpt text NOT NULL DEFAULT '',
  language text NOT NULL DEFAULT '',
  author text NOT NULL DEFAULT '',
  -- The contest of a contest entry (its UTM campaign), or ''.
  contest text NOT NULL DEFAULT '',
  publish_time timestamptz,
  version bigint NOT NULL DEFAULT 1,
  PRIMARY KEY (tenant, id)
);

-- Short links: one per (post, network, sharer); sharer '' for the
-- anonymous link. Figures are all-time and come from the flushes.
CREATE TABLE short_links (
  tenant text NOT NULL,
  code text NOT NULL,
  post text NOT NULL,
  network integer NOT NULL,
  sharer text NOT NULL,
  -- True once the sharer erased their account (sharer is then '').
  sharer_erased boolean NOT NULL DEFAULT false,
  target_url text NOT NULL,
  utm_campaign text NOT NULL,
  create_time timestamptz NOT NULL DEFAULT now(),
  clicks bigint NOT NULL DEFAULT 0,
  bot_clicks bigint NOT NULL DEFAULT 0,
  unique_visitors bigint NOT NULL DEFAULT 0,
  first_click_time timestamptz,
  last_click_time timestamptz,
  PRIMARY KEY (tenant, code)
);
CREATE UNIQUE INDEX short_links_by_sharer ON short_links
  (tenant, post, network, sharer) WHERE NOT sharer_erased;
CREATE INDEX short_links_newest ON short_links (tenant, create_time DESC, code);
CREATE INDEX short_links_of_post ON short_links (tenant, post);

-- Clicks per link and day of the tenant's calendar.
CREATE TABLE link_days (
  tenant text NOT NULL,
  code text NOT NULL,
  day date NOT NULL,
  clicks bigint NOT NULL DEFAULT 0,
  bot_clicks bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant, code, day)
);

-- HyperLogLog sketches of unique visitors as Redis holds them (GET of the
-- key), merged with Redis' at every flush: a union, so merging twice or
-- after a Redis restart neither loses nor double-counts. Scopes:
-- `link:{code}`, `post:{post}`, `postnet:{post}:{network}`,
-- `postday:{post}:{yyyymmdd}`.
CREATE TABLE sketches (
  tenant text NOT NULL,
  scope text NOT NULL,
  registers bytea NOT NULL,
  estimate bigint NOT NULL,
  update_time timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant, scope)
);

-- Flush batches whose counters were added: a batch retried after its
-- commit adds nothing again.
CREATE TABLE applied_flushes (
  tenant text NOT NULL,
  batch text NOT NULL,
  apply_time timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant, batch)
);

-- Unique-visitor milestones a member's link reached (announced once).
CREATE TABLE link_milestones (
  tenant text NOT NULL,
  code text NOT NULL,
  milestone bigint NOT NULL,
  reach_time timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant, code, milestone)
);

-- The key of the visitor hash when none is configured: made once, shared
-- by every replica, so that a visitor counts once across replicas and
-- restarts.
CREATE TABLE visitor_secret (
  id boolean PRIMARY KEY DEFAULT true CHECK (id),
  secret bytea NOT NULL
);
