-- pgbench script (bench/ranking/run): one member's vote on one post as one
-- autocommitted upsert, the simple blocking design the batch writer is
-- measured against. Same table shape and indexes as ranking.votes (a copy:
-- ranking_bench.votes). Variables: -D members=N -D posts=M.
\set m random(1, :members)
\set p random(1, :posts)
\set c random(1, 2)
INSERT INTO ranking_bench.votes (tenant, target, voter, axis, choice, stars, status, weight,
    verified_customer, target_author, create_time, update_time)
  VALUES ('fr', 'p' || :p, 'm' || :m, 1, :c, 0, 1, 1, false, 'a' || :p, now(), now())
  ON CONFLICT (tenant, target, voter, axis) DO UPDATE
    SET choice = excluded.choice, update_time = excluded.update_time;
