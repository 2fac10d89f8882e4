-- The identity service's schema: tenants, members and their credentials,
-- roles, trust, external identities, sessions, service accounts and the
-- keys tokens are signed with. Secrets are stored only as hashes (SHA-256
-- of high-entropy random tokens, argon2id of passwords); signing keys only
-- sealed with the key-encryption key the service is given.

CREATE TABLE tenants (
  id text PRIMARY KEY,
  display_name text NOT NULL,
  default_language text NOT NULL,
  allowed_languages text[] NOT NULL,
  time_zone text NOT NULL,
  state smallint NOT NULL,
  hosts text[] NOT NULL DEFAULT '{}',
  reserved_display_names text[] NOT NULL DEFAULT '{}',
  terms_version text NOT NULL,
  create_time timestamptz NOT NULL DEFAULT now(),
  update_time timestamptz NOT NULL DEFAULT now(),
  version bigint NOT NULL DEFAULT 1
);

-- Host names are unique across tenants (the gateway maps a host to one).
CREATE TABLE tenant_hosts (
  host text PRIMARY KEY,
  tenant text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE
);

CREATE TABLE members (
  id uuid PRIMARY KEY,
  tenant text NOT NULL REFERENCES tenants (id),
  -- Normalised address as shown; NULL once erased.
  email text,
  -- Lower-cased address: the uniqueness and look-up key.
  email_key text,
  email_verified boolean NOT NULL DEFAULT false,
  -- argon2id encoded hash with its parameters; NULL for social-only accounts.
  password_hash text,
  display_name text,
  -- Case- and confusable-folded display name: unique per tenant.
  display_name_key text,
  avatar_uri text NOT NULL DEFAULT '',
  bio text NOT NULL DEFAULT '',
  language text NOT NULL,
  state smallint NOT NULL,
  -- 0 (new) to 4 (leader), as in tokens.
  trust_level smallint NOT NULL DEFAULT 0,
  trust_hold_until timestamptz,
  verified_customer boolean NOT NULL DEFAULT false,
  accepted_terms_version text NOT NULL DEFAULT '',
  suspension_reason text NOT NULL DEFAULT '',
  suspension_end_time timestamptz,
  create_time timestamptz NOT NULL DEFAULT now(),
  update_time timestamptz NOT NULL DEFAULT now(),
  last_login_time timestamptz,
  version bigint NOT NULL DEFAULT 1,
  profile_version bigint NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX members_email_key ON members (tenant, email_key)
  WHERE email_key IS NOT NULL;
CREATE UNIQUE INDEX members_display_name_key ON members (tenant, display_name_key)
  WHERE display_name_key IS NOT NULL;
CREATE INDEX members_newest ON members (tenant, create_time DESC, id DESC);

-- Roles beyond the implicit ROLE_MEMBER, as they travel in tokens.
CREATE TABLE member_roles (
  member uuid NOT NULL REFERENCES members (id) ON DELETE CASCADE,
  role text NOT NULL,
  grant_time timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (member, role)
);

CREATE TABLE role_changes (
  id uuid PRIMARY KEY,
  tenant text NOT NULL,
  member uuid NOT NULL,
  role text NOT NULL,
  granted boolean NOT NULL,
  actor_type smallint NOT NULL,
  actor_name text NOT NULL,
  reason text NOT NULL DEFAULT '',
  create_time timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX role_changes_newest ON role_changes (tenant, create_time DESC, id DESC);
CREATE INDEX role_changes_member ON role_changes (member);

-- Figures the ranking service announces (reputation.changed), from which
-- trust levels are promoted.
CREATE TABLE member_activity (
  member uuid PRIMARY KEY REFERENCES members (id) ON DELETE CASCADE,
  reputation bigint NOT NULL DEFAULT 0,
  published_posts bigint NOT NULL DEFAULT 0,
  accepted_answers bigint NOT NULL DEFAULT 0,
  active_days bigint NOT NULL DEFAULT 0,
  update_time timestamptz NOT NULL DEFAULT now()
);

-- Titles awarded by ranking (title.awarded), shown on public profiles.
CREATE TABLE member_titles (
  member uuid NOT NULL REFERENCES members (id) ON DELETE CASCADE,
  title text NOT NULL,
  -- agora.common.v1.AwardedTitle, serialised.
  award bytea NOT NULL,
  award_time timestamptz NOT NULL,
  PRIMARY KEY (member, title)
);

CREATE TABLE trust_policies (
  tenant text PRIMARY KEY REFERENCES tenants (id),
  -- agora.identity.v1.TrustPolicy, serialised (thresholds, demotion hold).
  policy bytea NOT NULL,
  update_time timestamptz NOT NULL DEFAULT now(),
  version bigint NOT NULL DEFAULT 1
);

-- Single-use tokens sent by e-mail (verification, password reset) or handed
-- to the browser (account-link confirmation). Only their SHA-256 is kept.
CREATE TABLE one_time_tokens (
  token_hash bytea PRIMARY KEY,
  purpose text NOT NULL,
  tenant text NOT NULL,
  member uuid NOT NULL REFERENCES members (id) ON DELETE CASCADE,
  payload jsonb NOT NULL DEFAULT '{}',
  expire_time timestamptz NOT NULL,
  used_time timestamptz
);
CREATE INDEX one_time_tokens_member ON one_time_tokens (member, purpose);

-- Refresh tokens: opaque, single use, rotated within a family; presenting a
-- used one revokes the family.
CREATE TABLE refresh_tokens (
  token_hash bytea PRIMARY KEY,
  family uuid NOT NULL,
  tenant text NOT NULL,
  member uuid NOT NULL REFERENCES members (id) ON DELETE CASCADE,
  create_time timestamptz NOT NULL DEFAULT now(),
  expire_time timestamptz NOT NULL,
  used_time timestamptz,
  revoked_time timestamptz
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family);
CREATE INDEX refresh_tokens_member ON refresh_tokens (member) WHERE revoked_time IS NULL;

CREATE TABLE identity_providers (
  tenant text NOT NULL REFERENCES tenants (id),
  id text NOT NULL,
  type smallint NOT NULL,
  display_name text NOT NULL,
  display_order integer NOT NULL DEFAULT 0,
  enabled boolean NOT NULL DEFAULT false,
  issuer text NOT NULL,
  authorization_endpoint text NOT NULL,
  token_endpoint text NOT NULL,
  userinfo_endpoint text NOT NULL DEFAULT '',
  jwks_uri text NOT NULL DEFAULT '',
  client_id text NOT NULL,
  client_secret_source text NOT NULL,
  scopes text[] NOT NULL DEFAULT '{}',
  allowed_redirect_uris text[] NOT NULL,
  create_time timestamptz NOT NULL DEFAULT now(),
  update_time timestamptz NOT NULL DEFAULT now(),
  version bigint NOT NULL DEFAULT 1,
  PRIMARY KEY (tenant, id)
);

CREATE TABLE external_identities (
  id uuid PRIMARY KEY,
  tenant text NOT NULL,
  member uuid NOT NULL REFERENCES members (id) ON DELETE CASCADE,
  provider text NOT NULL,
  subject text NOT NULL,
  email text NOT NULL DEFAULT '',
  email_verified boolean NOT NULL DEFAULT false,
  link_time timestamptz NOT NULL DEFAULT now(),
  last_login_time timestamptz,
  UNIQUE (tenant, provider, subject)
);
CREATE INDEX external_identities_member ON external_identities (member);

-- Social sign-in flows between StartSocialLogin and FinishSocialLogin.
CREATE TABLE login_flows (
  state_hash bytea PRIMARY KEY,
  tenant text NOT NULL,
  provider text NOT NULL,
  nonce text NOT NULL,
  code_verifier text NOT NULL,
  redirect_uri text NOT NULL,
  intent smallint NOT NULL,
  -- The signed-in member for intent LINK.
  member uuid,
  expire_time timestamptz NOT NULL,
  used_time timestamptz
);

-- tenant '' holds the platform-wide accounts of Agora's own services.
CREATE TABLE service_accounts (
  tenant text NOT NULL,
  id text NOT NULL,
  display_name text NOT NULL,
  description text NOT NULL DEFAULT '',
  scopes text[] NOT NULL,
  state smallint NOT NULL,
  create_time timestamptz NOT NULL DEFAULT now(),
  update_time timestamptz NOT NULL DEFAULT now(),
  last_token_time timestamptz,
  version bigint NOT NULL DEFAULT 1,
  PRIMARY KEY (tenant, id)
);

CREATE TABLE service_account_secrets (
  id uuid PRIMARY KEY,
  tenant text NOT NULL,
  account text NOT NULL,
  -- SHA-256 of the 64-character random secret.
  secret_hash bytea NOT NULL UNIQUE,
  hint text NOT NULL,
  expire_time timestamptz,
  create_time timestamptz NOT NULL DEFAULT now(),
  last_used_time timestamptz,
  FOREIGN KEY (tenant, account) REFERENCES service_accounts (tenant, id)
    ON DELETE CASCADE
);
CREATE INDEX service_account_secrets_account
  ON service_account_secrets (tenant, account, create_time DESC);

-- Ed25519 keys access tokens are signed with. The newest active key signs;
-- retired keys stay published until the last token they signed expires.
CREATE TABLE signing_keys (
  kid text PRIMARY KEY,
  public_key bytea NOT NULL,
  -- PKCS#8 PEM sealed with AES-256-GCM under the key-encryption key.
  sealed_private_key bytea NOT NULL,
  create_time timestamptz NOT NULL DEFAULT now(),
  retire_time timestamptz
);
