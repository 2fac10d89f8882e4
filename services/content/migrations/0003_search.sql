-- Full-text search and similar-post suggestions over posts.
--
-- Each post is indexed in its own language: French, Italian and Dutch with
-- their Snowball stemmers, Polish without a stemmer but accent-insensitive
-- (a copy of `simple` that unaccents first), English for anything else.
-- Titles weigh most (A), then tags (B), then bodies (D). Queries are parsed
-- in the query's language (search_config below) by websearch_to_tsquery.

-- Both are trusted contrib extensions in PostgreSQL 13+. They go into this
-- schema (the migration's search_path), which is the only one on content's
-- connections: an extension already installed in another schema of the
-- database would not be found at run time, so refuse that plainly.
DO $$
DECLARE
  found text;
BEGIN
  SELECT string_agg(e.extname || ' in ' || n.nspname, ', ') INTO found
  FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
  WHERE e.extname IN ('unaccent', 'pg_trgm') AND n.nspname <> current_schema();
  IF found IS NOT NULL THEN
    RAISE EXCEPTION 'content search needs unaccent and pg_trgm in schema %, found %',
      current_schema(), found;
  END IF;
END
$$;
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TEXT SEARCH CONFIGURATION polish_unaccent (COPY = pg_catalog.simple);
ALTER TEXT SEARCH CONFIGURATION polish_unaccent
  ALTER MAPPING FOR word, hword, hword_part WITH unaccent, simple;

-- The text search configuration of a BCP-47 language tag ("fr-BE" ->
-- french). The SQL-standard body is parsed now, so the configurations are
-- bound by OID and the function does not depend on the caller's
-- search_path.
CREATE FUNCTION search_config(language text) RETURNS regconfig
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE lower(split_part(language, '-', 1))
  WHEN 'fr' THEN 'pg_catalog.french'::regconfig
  WHEN 'it' THEN 'pg_catalog.italian'::regconfig
  WHEN 'nl' THEN 'pg_catalog.dutch'::regconfig
  WHEN 'pl' THEN 'polish_unaccent'::regconfig
  ELSE 'pg_catalog.english'::regconfig
END;

-- Lower-cased and unaccented text for trigram similarity ("Carte bloquée"
-- and "carte bloquee" are the same draft). unaccent() is only STABLE
-- because its rules file could change; with the dictionary named it is
-- safe to index, as the unaccent documentation suggests.
CREATE FUNCTION similarity_key(value text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
RETURN lower(unaccent('unaccent'::regdictionary, value));

-- The text compared with a draft besides its title: the title and the
-- start of the body.
CREATE FUNCTION similarity_head(title text, body text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
RETURN similarity_key(title || ' ' || left(body, 300));

-- A trigger rather than a generated column: adding a language later means
-- replacing search_config and touching the rows of that language, which a
-- generated column's fixed expression would not allow in PostgreSQL 15.
ALTER TABLE posts ADD COLUMN search_document tsvector;

CREATE FUNCTION posts_search_document() RETURNS trigger
  LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
  config regconfig := search_config(NEW.language);
BEGIN
  NEW.search_document :=
    setweight(to_tsvector(config, coalesce(NEW.title, '')), 'A') ||
    setweight(to_tsvector(config, array_to_string(NEW.tags, ' ')), 'B') ||
    setweight(to_tsvector(config, NEW.body), 'D');
  RETURN NEW;
END
$$;

CREATE TRIGGER posts_search_document
  BEFORE INSERT OR UPDATE OF title, body, tags, language ON posts
  FOR EACH ROW EXECUTE FUNCTION posts_search_document();

-- Index the posts already there (the trigger fires on this update).
UPDATE posts SET title = title;

-- Only published posts are ever searched or suggested.
CREATE INDEX posts_search ON posts USING gin (search_document)
  WHERE state = 2;
CREATE INDEX posts_similar_title ON posts
  USING gin (similarity_key(title) gin_trgm_ops)
  WHERE state = 2 AND kind IN (1, 3);
CREATE INDEX posts_similar_head ON posts
  USING gin (similarity_head(title, body) gin_trgm_ops)
  WHERE state = 2 AND kind IN (1, 3);
