-- The content service's schema. `tenant` is the tenant id ("fr"); members
-- are referenced by the id part of their resource names (identity owns
-- them). Rich values that are only ever read whole (localized texts, the
-- moderation outcome, kind-specific details) are stored as serialized
-- protobuf messages; everything a query filters or sorts on is a column.

-- Tenants as identity announces them: languages decide which a post may be
-- written in and how it is searched.
CREATE TABLE tenants (
  id text PRIMARY KEY,
  default_language text NOT NULL DEFAULT 'en',
  allowed_languages text[] NOT NULL DEFAULT '{}',
  time_zone text NOT NULL DEFAULT 'UTC',
  suspended boolean NOT NULL DEFAULT false,
  update_time timestamptz NOT NULL DEFAULT now()
);

-- Members as identity announces them: how authors are shown.
CREATE TABLE members (
  tenant text NOT NULL,
  id text NOT NULL,
  display_name text NOT NULL DEFAULT '',
  avatar_uri text NOT NULL DEFAULT '',
  language text NOT NULL DEFAULT '',
  -- agora.common.v1.MemberBadge values.
  badges integer[] NOT NULL DEFAULT '{}',
  verified_customer boolean NOT NULL DEFAULT false,
  erased boolean NOT NULL DEFAULT false,
  update_time timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant, id)
);

-- ContentSettings of a tenant (serialized), absent until first changed.
CREATE TABLE settings (
  tenant text PRIMARY KEY,
  data bytea NOT NULL,
  version bigint NOT NULL DEFAULT 1,
  update_time timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE spaces (
  tenant text NOT NULL,
  id text NOT NULL,
  kind smallint NOT NULL,
  display_order integer NOT NULL DEFAULT 0,
  -- agora.content.v1.Space.State
  state smallint NOT NULL DEFAULT 1,
  moderation_mode smallint NOT NULL DEFAULT 0,
  evaluation_mode smallint NOT NULL DEFAULT 0,
  -- LocalizedText, serialized.
  display_name bytea NOT NULL,
  description bytea NOT NULL,
  post_count bigint NOT NULL DEFAULT 0,
  version bigint NOT NULL DEFAULT 1,
  create_time timestamptz NOT NULL DEFAULT now(),
  update_time timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant, id)
);

CREATE TABLE categories (
  tenant text NOT NULL,
  space text NOT NULL,
  id text NOT NULL,
  display_order integer NOT NULL DEFAULT 0,
  state smallint NOT NULL DEFAULT 1,
  display_name bytea NOT NULL,
  description bytea NOT NULL,
  post_count bigint NOT NULL DEFAULT 0,
  version bigint NOT NULL DEFAULT 1,
  create_time timestamptz NOT NULL DEFAULT now(),
  update_time timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant, space, id),
  FOREIGN KEY (tenant, space) REFERENCES spaces (tenant, id)
);

-- The review catalogue.
CREATE TABLE products (
  tenant text NOT NULL,
  id text NOT NULL,
  state smallint NOT NULL DEFAULT 1,
  -- Product without its name and rating summary, serialized.
  data bytea NOT NULL,
  version bigint NOT NULL DEFAULT 1,
  create_time timestamptz NOT NULL DEFAULT now(),
  update_time timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant, id)
);

-- Contests with their rounds (serialized Contest); rounds are also rows so
-- that entries can reference them.
CREATE TABLE contests (
  tenant text NOT NULL,
  id text NOT NULL,
  space text NOT NULL,
  state smallint NOT NULL DEFAULT 1,
  data bytea NOT NULL,
  version bigint NOT NULL DEFAULT 1,
  create_time timestamptz NOT NULL DEFAULT now(),
  update_time timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant, id)
);

-- Every post of every kind. `id` is server-assigned (random, URL-safe).
-- state: agora.common.v1.PostState; kind: agora.common.v1.ContentKind.
CREATE TABLE posts (
  tenant text NOT NULL,
  id text NOT NULL,
  kind smallint NOT NULL,
  space text NOT NULL DEFAULT '',
  category text NOT NULL DEFAULT '',
  in_reply_to text NOT NULL DEFAULT '',
  in_reply_to_comment text NOT NULL DEFAULT '',
  thread_root text NOT NULL,
  -- Member id, or the service account id when author_is_service; empty once
  -- the member was erased (authorship anonymised).
  author text NOT NULL,
  author_is_service boolean NOT NULL DEFAULT false,
  -- agora.common.v1.MemberBadge values at writing (staff answers carry the
  -- staff badge even if the role is later revoked).
  author_badges integer[] NOT NULL DEFAULT '{}',
  title text NOT NULL DEFAULT '',
  body text NOT NULL,
  language text NOT NULL,
  tags text[] NOT NULL DEFAULT '{}',
  state smallint NOT NULL,
  -- Held because screening did not answer: the text was masked locally and
  -- the post waits to be screened again (never published unscreened).
  unscreened boolean NOT NULL DEFAULT false,
  -- PostModeration, serialized.
  moderation bytea NOT NULL DEFAULT '',
  -- Kind-specific details not filtered on (article summary, review pros
  -- and cons, contest media, the latest official response), serialized
  -- as the Post's oneof message.
  details bytea NOT NULL DEFAULT '',
  -- Question
  accepted_answer text NOT NULL DEFAULT '',
  accept_time timestamptz,
  answer_count integer NOT NULL DEFAULT 0,
  first_answer_time timestamptz,
  -- Answer
  accepted boolean NOT NULL DEFAULT false,
  automated boolean NOT NULL DEFAULT false,
  -- Idea
  idea_status smallint NOT NULL DEFAULT 0,
  status_update_time timestamptz,
  first_response_time timestamptz,
  merged_into text NOT NULL DEFAULT '',
  merged_count integer NOT NULL DEFAULT 0,
  -- Review
  product text NOT NULL DEFAULT '',
  rating smallint NOT NULL DEFAULT 0,
  verified_customer boolean NOT NULL DEFAULT false,
  -- Contest entry ("contest/round")
  round text NOT NULL DEFAULT '',
  prize_rank smallint NOT NULL DEFAULT 0,
  -- Counters
  comment_count integer NOT NULL DEFAULT 0,
  follower_count integer NOT NULL DEFAULT 0,
  revision_id text NOT NULL,
  request_id text NOT NULL DEFAULT '',
  version bigint NOT NULL DEFAULT 1,
  create_time timestamptz NOT NULL,
  update_time timestamptz NOT NULL,
  publish_time timestamptz,
  edit_time timestamptz,
  last_activity_time timestamptz NOT NULL,
  PRIMARY KEY (tenant, id)
);
CREATE INDEX posts_newest ON posts (tenant, create_time DESC, id DESC);
CREATE INDEX posts_space ON posts (tenant, space, create_time DESC, id DESC);
CREATE INDEX posts_replies ON posts (tenant, in_reply_to, create_time, id)
  WHERE in_reply_to <> '';
CREATE INDEX posts_author ON posts (tenant, author, create_time DESC, id DESC);
CREATE INDEX posts_tags ON posts USING gin (tags);
CREATE INDEX posts_unscreened ON posts (tenant, id) WHERE unscreened;
-- One review per member and product (deleted and rejected reviews free the
-- slot).
CREATE UNIQUE INDEX posts_one_review ON posts (tenant, product, author)
  WHERE kind = 6 AND state NOT IN (5, 6) AND author <> '';

-- Every saved version of a post's text (moderators' edits included).
CREATE TABLE post_revisions (
  tenant text NOT NULL,
  post text NOT NULL,
  id text NOT NULL,
  title text NOT NULL DEFAULT '',
  body text NOT NULL,
  tags text[] NOT NULL DEFAULT '{}',
  -- Member id of the editor (empty once erased), or a moderator.
  editor text NOT NULL,
  editor_is_service boolean NOT NULL DEFAULT false,
  verdict smallint NOT NULL DEFAULT 0,
  create_time timestamptz NOT NULL,
  PRIMARY KEY (tenant, post, id),
  FOREIGN KEY (tenant, post) REFERENCES posts (tenant, id)
);
CREATE INDEX post_revisions_newest ON post_revisions
  (tenant, post, create_time DESC, id DESC);

-- An idea's public status history with the bank's official responses.
CREATE TABLE idea_status_changes (
  tenant text NOT NULL,
  post text NOT NULL,
  id text NOT NULL,
  previous_status smallint NOT NULL DEFAULT 0,
  status smallint NOT NULL,
  response_body text NOT NULL DEFAULT '',
  response_language text NOT NULL DEFAULT '',
  response_author text NOT NULL DEFAULT '',
  merged_into text NOT NULL DEFAULT '',
  create_time timestamptz NOT NULL,
  PRIMARY KEY (tenant, post, id),
  FOREIGN KEY (tenant, post) REFERENCES posts (tenant, id)
);
CREATE INDEX idea_status_changes_oldest ON idea_status_changes
  (tenant, post, create_time, id);
