-- The transactional outbox and the consumer bookkeeping of agora events.
-- Applied into each service's own schema (component "events").

-- Facts a service announces, written in the same transaction as the change
-- they describe; the relay publishes them to Redis Streams in id order.
CREATE TABLE outbox (
  id bigserial PRIMARY KEY,
  event_id uuid NOT NULL UNIQUE,
  tenant text NOT NULL,
  event_type text NOT NULL,
  payload bytea NOT NULL,  -- a serialized agora.events.v1.Event
  created_at timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz
);
CREATE INDEX outbox_unpublished ON outbox (id) WHERE published_at IS NULL;
CREATE INDEX outbox_published_at ON outbox (published_at) WHERE published_at IS NOT NULL;

-- Events whose effect this service has applied, recorded in the effect's own
-- transaction: a redelivered event is acknowledged without being applied again.
CREATE TABLE processed_events (
  consumer text NOT NULL,
  event_id uuid NOT NULL,
  processed_at timestamptz NOT NULL DEFAULT now(),
  outcome text NOT NULL DEFAULT 'applied',  -- 'applied' or 'dead_letter'
  PRIMARY KEY (consumer, event_id)
);
CREATE INDEX processed_events_processed_at ON processed_events (processed_at);

-- Failed attempts to apply an event; after too many the event is set aside
-- as a dead letter (kept here with its payload) so it stops blocking others.
CREATE TABLE event_failures (
  consumer text NOT NULL,
  event_id uuid NOT NULL,
  attempts integer NOT NULL,
  last_error text NOT NULL,
  event_type text NOT NULL,
  payload bytea NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, event_id)
);
