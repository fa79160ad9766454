-- identity: accounts (staff, natural persons, legal persons), server-side sessions, failed logins.
create schema if not exists identity;

create table identity.account (
  tenant_id text not null,
  id bigint generated always as identity,
  kind text not null check (kind in ('staff', 'person', 'enterprise')),
  username text not null check (username ~ '^[a-z0-9][a-z0-9._-]{2,31}$'),
  display_name text not null check (length(display_name) between 1 and 100),
  password_hash text not null,
  password_changed_at timestamptz not null default now(),
  status text not null default 'active' check (status in ('active', 'disabled')),
  -- staff: their department and its division (the org module's ids; modules share no foreign keys)
  department_id bigint,
  division_code text,
  -- person: the citizen ID number, SM4-encrypted, and its keyed SM3 hash for exact lookup
  id_number_enc text,
  id_number_hash text,
  -- enterprise: the unified social credit code (public register data, not personal)
  credit_code text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, username),
  unique (tenant_id, id_number_hash),
  unique (tenant_id, credit_code),
  check (kind <> 'person' or (id_number_enc is not null and id_number_hash is not null)),
  check (kind <> 'enterprise' or credit_code is not null),
  check (kind <> 'staff' or division_code is not null)
);

-- The cookie holds a random token; the table holds only its SM3 hash, so a copy of the table opens
-- no session.
create table identity.session (
  tenant_id text not null,
  token_hash text not null,
  account_id bigint not null,
  created_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  expires_at timestamptz not null,
  ip text not null default '',
  user_agent text not null default '',
  primary key (tenant_id, token_hash),
  foreign key (tenant_id, account_id) references identity.account (tenant_id, id)
);
create unique index session_token_idx on identity.session (token_hash);
create index session_account_idx on identity.session (tenant_id, account_id);

-- Failed logins by the name that was tried (known or not), for the lockout window.
create table identity.login_failure (
  tenant_id text not null,
  username text not null,
  ip text not null default '',
  at timestamptz not null default now()
);
create index login_failure_idx on identity.login_failure (tenant_id, username, at);
