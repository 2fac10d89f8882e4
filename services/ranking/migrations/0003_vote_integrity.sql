-- Vote-fraud defence: serial-voting cases found (and reversed), and the
-- index the detector reads (a voter's recent votes on one author's posts).
CREATE TABLE serial_voting_cases (
  tenant text NOT NULL,
  id uuid NOT NULL,
  voter text NOT NULL,
  author text NOT NULL,
  vote_count integer NOT NULL,
  start_time timestamptz NOT NULL,
  end_time timestamptz NOT NULL,
  reversed boolean NOT NULL,
  create_time timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant, id)
);
CREATE INDEX serial_voting_cases_by_time
  ON serial_voting_cases (tenant, create_time DESC);
CREATE INDEX votes_by_voter_author
  ON votes (tenant, voter, target_author, update_time);
