-- org: divisions (行政区划), tenants and departments (部门).
create schema if not exists org;

-- National reference data, shared by every tenant (not tenant-owned).
create table org.division (
  code text primary key check (code ~ '^([0-9]{6}|[0-9]{9}|[0-9]{12})$'),
  name text not null check (length(name) between 1 and 100),
  level text not null check (level in ('national', 'province', 'city', 'county', 'township', 'village')),
  parent_code text references org.division (code),
  -- false for statistical groupings that are not administrative divisions: development zones
  -- (county part 71-79), 市辖区 and 省直辖县级行政区划 placeholders.
  is_administrative boolean not null default true,
  active boolean not null default true,
  source text not null default 'manual',
  updated_at timestamptz not null default now(),
  check ((level = 'national') = (parent_code is null))
);
-- The root of the tree. GB/T 2260 gives the nation no code; 000000 is reserved for it.
insert into org.division (code, name, level, parent_code, source) values ('000000', '中华人民共和国', 'national', null, 'yiwang');

create index division_parent_idx on org.division (parent_code, code);
create index division_name_idx on org.division (name text_pattern_ops);

-- A division that runs its own space. tenant_id is that division's code: readable in logs and URLs,
-- and the distribution column if the database is ever sharded by tenant (Citus).
create table org.tenant (
  tenant_id text primary key references org.division (code),
  name text not null,
  site_id_code text not null default '' check (site_id_code ~ '^([0-9A-Z]{10})?$'),
  icp_number text not null default '',
  police_filing text not null default '',
  sponsor text not null default '',
  address text not null default '',
  phone text not null default '',
  email text not null default '',
  is_default boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index tenant_one_default on org.tenant (is_default) where is_default;

create table org.tenant_host (
  host text primary key check (host = lower(host) and host ~ '^[a-z0-9.-]+(:[0-9]+)?$'),
  tenant_id text not null references org.tenant (tenant_id)
);

create table org.department (
  tenant_id text not null references org.tenant (tenant_id),
  id bigint generated always as identity,
  division_code text not null references org.division (code),
  name text not null check (length(name) between 1 and 100),
  short_name text not null default '',
  type text not null,
  parent_id bigint,
  credit_code text not null default '',
  phone text not null default '',
  address text not null default '',
  email text not null default '',
  active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, division_code, name),
  foreign key (tenant_id, parent_id) references org.department (tenant_id, id)
);
create index department_division_idx on org.department (tenant_id, division_code);
