-- Reputation: a ledger of every change of a member's reputation, the totals
-- and figures it adds up to, titles earned, and the contributions the
-- most-active-members board counts. Filled from events (ranking's own votes,
-- content's posts, answers, ideas and contests, share's milestones); each
-- source event is applied once. Members are referenced by the id part of
-- their resource names, like the rest of the schema.

-- A member's totals, one row per member with any reputation change or
-- activity. A member without a row has 1 point and nothing else.
CREATE TABLE reputations (
  tenant text NOT NULL,
  member text NOT NULL,
  -- Total points, never below 1 (Reputation.points).
  points bigint NOT NULL DEFAULT 1 CHECK (points >= 1),
  published_posts bigint NOT NULL DEFAULT 0,
  accepted_answers bigint NOT NULL DEFAULT 0,
  -- Helpful votes received on reviews.
  helpful_reviews bigint NOT NULL DEFAULT 0,
  -- Distinct days (tenant's calendar) with activity.
  active_days bigint NOT NULL DEFAULT 0,
  update_time timestamptz NOT NULL,
  PRIMARY KEY (tenant, member)
);
-- Rank among the tenant's members by points.
CREATE INDEX reputations_by_points ON reputations (tenant, points DESC);

-- Every change of a member's reputation (ReputationEvent). `points` is
-- what was applied after the daily cap and the floor of 1, so undoing a row
-- takes back exactly what it gave.
-- reason: agora.ranking.v1.ReputationReason; subject_kind:
-- agora.common.v1.ContentKind of `subject` (a post id, '' when none).
CREATE TABLE reputation_events (
  tenant text NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  -- Order of application: breaks ties between rows of the same time (an
  -- undo and the vote that replaces it) in the history's order.
  position bigint GENERATED ALWAYS AS IDENTITY,
  member text NOT NULL,
  reason smallint NOT NULL,
  points bigint NOT NULL,
  uncapped_points bigint NOT NULL,
  subject_kind smallint NOT NULL DEFAULT 0,
  subject text NOT NULL DEFAULT '',
  -- The event that caused the change and the row's place among the rows it
  -- caused: an event is applied once.
  source_event uuid NOT NULL,
  source_seq smallint NOT NULL,
  -- What the row rewards ("vote/{post}/{voter}/{axis}", "accepted/{answer}"
  -- ...), so that it is given once and can be undone; '' for undo rows.
  award_key text NOT NULL DEFAULT '',
  -- For an undo row, the row it reverses; `undone` marks that row.
  undoes uuid,
  undone boolean NOT NULL DEFAULT false,
  -- Positive points of a capped reason: what the daily cap adds up.
  counts_toward_cap boolean NOT NULL DEFAULT false,
  -- The day of the change in the tenant's time zone (cap, windows).
  day date NOT NULL,
  create_time timestamptz NOT NULL,
  PRIMARY KEY (tenant, id),
  UNIQUE (source_event, source_seq)
);
CREATE INDEX reputation_events_newest
  ON reputation_events (tenant, member, create_time DESC, position DESC);
CREATE INDEX reputation_events_by_day ON reputation_events (tenant, member, day);
-- At most one standing award per member and key (a vote rewards once).
CREATE UNIQUE INDEX reputation_events_standing_award
  ON reputation_events (tenant, member, award_key)
  WHERE award_key <> '' AND NOT undone;

-- Events the reputation engine has applied (whatever stream brought them,
-- and even when they changed nothing): redelivery changes nothing.
CREATE TABLE reputation_sources (
  event_id uuid PRIMARY KEY,
  tenant text NOT NULL,
  apply_time timestamptz NOT NULL DEFAULT now()
);

-- Titles a member holds. `display_name` is the serialized
-- agora.common.v1.LocalizedText of the definition at award time, kept when
-- the policy later drops the title.
CREATE TABLE member_titles (
  tenant text NOT NULL,
  member text NOT NULL,
  title text NOT NULL,
  display_name bytea NOT NULL,
  award_time timestamptz NOT NULL,
  PRIMARY KEY (tenant, member, title)
);

-- Posts counted in their author's published_posts: a removed or deleted
-- post stops counting, a restored one counts again, a post counts once.
CREATE TABLE reputation_posts (
  tenant text NOT NULL,
  post text NOT NULL,
  author text NOT NULL,
  counted boolean NOT NULL,
  PRIMARY KEY (tenant, post)
);

-- Days on which a member was active (published, voted, accepted an answer).
CREATE TABLE member_active_days (
  tenant text NOT NULL,
  member text NOT NULL,
  day date NOT NULL,
  PRIMARY KEY (tenant, member, day)
);

-- Contributions per member and day, the input of the most-active-members
-- board (weights in RankingParameters.contribution_weights).
-- contribution: agora.ranking.v1.Contribution.
CREATE TABLE member_contributions (
  tenant text NOT NULL,
  member text NOT NULL,
  day date NOT NULL,
  contribution smallint NOT NULL,
  count bigint NOT NULL,
  PRIMARY KEY (tenant, member, day, contribution)
);
CREATE INDEX member_contributions_by_day ON member_contributions (tenant, day);
