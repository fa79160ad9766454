-- identity: roles and their grants, second factors (TOTP and recovery codes), one-time password links,
-- the stage a session is at (a second factor or a password change may still be owed), security settings.

-- Roles as data. System roles have tenant_id '' (every site) and are written from the code's table at
-- start-up; a site may add its own roles (tenant_id = the site) from the same permissions.
create table identity.role (
  tenant_id text not null,
  code text not null check (code ~ '^[a-z][a-z0-9_]{1,39}$'),
  name text not null default '',
  kind text not null check (kind in ('staff', 'person', 'enterprise')),
  permissions text[] not null,
  requires_mfa boolean not null default false,
  system boolean not null default false,
  primary key (tenant_id, code)
);

create table identity.role_grant (
  tenant_id text not null,
  account_id bigint not null,
  role_code text not null,
  granted_by text not null,
  granted_at timestamptz not null default now(),
  primary key (tenant_id, account_id, role_code),
  foreign key (tenant_id, account_id) references identity.account (tenant_id, id)
);

alter table identity.account
  -- TOTP secret, SM4-encrypted; enabled once a first code has been checked
  add column mfa_secret_enc text,
  add column mfa_enabled_at timestamptz,
  -- the last TOTP time step accepted, so a code cannot be used twice
  add column mfa_last_step bigint,
  -- set by an administrator's reset: the next login must choose a new password
  add column must_change_password boolean not null default false;

-- One-time recovery codes, only their keyed hashes.
create table identity.recovery_code (
  tenant_id text not null,
  account_id bigint not null,
  code_hash text not null,
  used_at timestamptz,
  primary key (tenant_id, account_id, code_hash),
  foreign key (tenant_id, account_id) references identity.account (tenant_id, id)
);

-- One-time links to set a password (a new staff account, or a reset by an administrator): only the
-- token's hash is stored.
create table identity.password_link (
  token_hash text primary key,
  tenant_id text not null,
  account_id bigint not null,
  purpose text not null check (purpose in ('setup', 'reset')),
  created_by text not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  used_at timestamptz,
  foreign key (tenant_id, account_id) references identity.account (tenant_id, id)
);
create index password_link_account_idx on identity.password_link (tenant_id, account_id);

-- A session opened by a correct password may still owe a second factor, a new password or an
-- enrolment in TOTP before it acts as the account.
alter table identity.session
  add column stage text not null default 'active'
    check (stage in ('active', 'mfa', 'password_change', 'mfa_enrol'));

-- Per-site security settings set by the security administrator.
create table identity.security_setting (
  tenant_id text primary key,
  -- require a new password every N days (null: never)
  password_max_age_days integer check (password_max_age_days between 1 and 3650),
  updated_at timestamptz not null default now()
);

-- Accounts registered before roles existed hold the role of their kind.
insert into identity.role_grant (tenant_id, account_id, role_code, granted_by)
select tenant_id, id, case kind when 'person' then 'citizen' else 'enterprise' end, 'migration:0004'
from identity.account
where kind in ('person', 'enterprise');
