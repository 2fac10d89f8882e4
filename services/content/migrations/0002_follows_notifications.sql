-- Follows, the notification inbox and notification preferences. Members are
-- referenced by the id part of their resource names, like posts' authors.

-- What members follow: one row per member and target. target_kind: 1 post
-- (target = post id), 2 category (target = "space/category"), 3 member
-- (target = member id). reason: agora.content.v1.FollowReason.
CREATE TABLE follows (
  tenant text NOT NULL,
  member text NOT NULL,
  id text NOT NULL,
  target_kind smallint NOT NULL,
  target text NOT NULL,
  reason smallint NOT NULL,
  create_time timestamptz NOT NULL,
  PRIMARY KEY (tenant, member, id)
);
CREATE UNIQUE INDEX follows_one_per_target
  ON follows (tenant, member, target_kind, target);
CREATE INDEX follows_newest ON follows (tenant, member, create_time DESC, id DESC);
-- Who follows a target (notification fan-out, merges).
CREATE INDEX follows_followers ON follows (tenant, target_kind, target);

-- A member's notification inbox, kept 180 days. type:
-- agora.common.v1.NotificationType; subject and thread_root are post ids.
-- actor_kind: 0 none (system), 1 member, 2 service account, 3 a member since
-- erased (actor then empty).
CREATE TABLE notifications (
  tenant text NOT NULL,
  member text NOT NULL,
  id text NOT NULL,
  -- The event it came from: applying that event again adds nothing.
  source_event text NOT NULL,
  type smallint NOT NULL,
  subject_kind smallint NOT NULL DEFAULT 0,
  subject text NOT NULL DEFAULT '',
  thread_root text NOT NULL DEFAULT '',
  actor_kind smallint NOT NULL DEFAULT 0,
  actor text NOT NULL DEFAULT '',
  title text NOT NULL DEFAULT '',
  excerpt text NOT NULL DEFAULT '',
  idea_status smallint NOT NULL DEFAULT 0,
  post_state smallint NOT NULL DEFAULT 0,
  moderation_reasons integer[] NOT NULL DEFAULT '{}',
  -- False when the member turned the inbox off for this type: the row only
  -- backs the notification.created event sent for e-mail or push.
  inbox boolean NOT NULL DEFAULT true,
  read boolean NOT NULL DEFAULT false,
  create_time timestamptz NOT NULL,
  PRIMARY KEY (tenant, member, id)
);
CREATE UNIQUE INDEX notifications_once_per_event
  ON notifications (tenant, member, source_event);
CREATE INDEX notifications_newest
  ON notifications (tenant, member, create_time DESC, id DESC) WHERE inbox;
-- The unread badge: counted from this index alone.
CREATE INDEX notifications_unread
  ON notifications (tenant, member, create_time) WHERE inbox AND NOT read;
CREATE INDEX notifications_expiry ON notifications (create_time);
CREATE INDEX notifications_actor
  ON notifications (tenant, actor) WHERE actor_kind = 1;

-- NotificationPreferences of a member (serialized, without name, etag and
-- update time), absent until first changed.
CREATE TABLE notification_preferences (
  tenant text NOT NULL,
  member text NOT NULL,
  data bytea NOT NULL,
  version bigint NOT NULL DEFAULT 1,
  update_time timestamptz NOT NULL,
  PRIMARY KEY (tenant, member)
);

-- Events whose follows and notifications were applied, kept as long as
-- notifications: an event applied again changes nothing, even when the
-- followers changed in between (the consumer's own deduplication aside).
CREATE TABLE notification_sources (
  tenant text NOT NULL,
  event_id text NOT NULL,
  apply_time timestamptz NOT NULL,
  PRIMARY KEY (tenant, event_id)
);
CREATE INDEX notification_sources_expiry ON notification_sources (apply_time);
