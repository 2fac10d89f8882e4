-- Where each outbox row went, so that an erasure can take an event back from
-- the stream as well as from the outbox (libs/events/erasure.h).

-- The id XADD returned for the row's stream entry; NULL until published (and
-- for rows published before this column existed).
ALTER TABLE outbox ADD COLUMN stream_id text;

-- Stream entries of outbox rows an erasure deleted, still to be deleted from
-- the stream (XDEL). Written in the erasure's own transaction, so that the
-- entries go even when Redis was unavailable then: the erasure deletes them
-- right after its commit, and the relay deletes whatever is left.
CREATE TABLE forgotten_stream_entries (
  stream_id text PRIMARY KEY,
  forgotten_at timestamptz NOT NULL DEFAULT now()
);
