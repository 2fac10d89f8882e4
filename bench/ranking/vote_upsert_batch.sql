-- pgbench script (bench/ranking/run): 64 votes of 64 members upserted in one
-- transaction, one commit: the floor of what a group-commit vote writer
-- can do with the same table (ranking_bench.votes, a copy of ranking.votes).
-- Rows are taken in key order within a transaction, so concurrent batches
-- that overlap lock in the same order. Variables: -D members=N -D posts=M.
\set m random(1, :members - 64)
\set p random(1, :posts)
\set c random(1, 2)
INSERT INTO ranking_bench.votes (tenant, target, voter, axis, choice, stars, status, weight,
    verified_customer, target_author, create_time, update_time)
  SELECT 'fr', 'p' || ((:p + g) % :posts + 1), 'm' || (:m + g), 1, :c, 0, 1, 1, false,
         'a' || ((:p + g) % :posts + 1), now(), now()
  FROM generate_series(0, 63) AS g
  ORDER BY 2, 3
  ON CONFLICT (tenant, target, voter, axis) DO UPDATE
    SET choice = excluded.choice, update_time = excluded.update_time;
