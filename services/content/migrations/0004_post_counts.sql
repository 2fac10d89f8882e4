-- Published top-level posts per space (category '') and per category, kept
-- in 16 shards per counter: every post of a busy space updated the space's
-- own row, and concurrent posts queued on its lock (35 ms per post at 16
-- writers in bench/content/run). A count is the sum of its shards.
CREATE TABLE post_counts (
  tenant text NOT NULL,
  space text NOT NULL,
  category text NOT NULL DEFAULT '',
  shard smallint NOT NULL,
  n bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant, space, category, shard)
);
INSERT INTO post_counts (tenant, space, category, shard, n)
  SELECT tenant, id, '', 0, post_count FROM spaces WHERE post_count <> 0;
INSERT INTO post_counts (tenant, space, category, shard, n)
  SELECT tenant, space, id, 0, post_count FROM categories WHERE post_count <> 0;
ALTER TABLE spaces DROP COLUMN post_count;
ALTER TABLE categories DROP COLUMN post_count;
