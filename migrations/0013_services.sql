-- services: the catalogue of government service items (政务服务事项) and their guides (办事指南).
--
-- The scalar guide elements are columns (filters, exports, the coverage figures read them); the
-- lists (materials, fees, events) are jsonb arrays written whole by the service, which checks them.
-- search_vector holds the segmented Chinese text (see src/kernel/search): the database only matches
-- tokens, so search works the same on PGlite and PostgreSQL.
create schema if not exists services;

create table services.item (
  tenant_id text not null,
  id bigint generated always as identity,
  -- 事项编码 (实施编码)
  code text not null check (code ~ '^[0-9A-Z]{6,40}$'),
  name text not null check (length(name) between 1 and 200),
  kind text not null check (kind in ('licensing', 'payment', 'confirmation', 'levy', 'reward',
    'adjudication', 'other_power', 'public_service')),
  department_id bigint not null,
  -- the implementing department's division, copied when saved (jurisdiction, level)
  division_code text not null,
  department_name text not null,
  status text not null default 'draft' check (status in ('draft', 'published', 'suspended')),
  audience text not null check (audience in ('person', 'enterprise', 'both')),
  online_depth smallint not null check (online_depth between 1 and 4),
  statutory_days integer check (statutory_days between 0 and 999),
  promised_days integer check (promised_days between 0 and 999),
  legal_basis text not null default '',
  conditions text not null default '',
  process text not null default '',
  materials jsonb not null default '[]',
  fees jsonb not null default '[]',
  place text not null default '',
  hours text not null default '',
  consult_phone text not null default '',
  complaint_phone text not null default '',
  life_events text[] not null default '{}',
  enterprise_events text[] not null default '{}',
  result_delivery text[] not null default '{}',
  consult_days integer check (consult_days between 1 and 60),
  process_code text,
  -- the application form (申请表): a form definition (src/kernel/forms); null when there is none
  form jsonb,
  -- the electronic licence (电子证照) an approved application issues: its type and which form fields
  -- it carries; null when the item issues none
  licence jsonb,
  search_vector tsvector not null default ''::tsvector,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  published_at timestamptz,
  primary key (tenant_id, id),
  unique (tenant_id, code),
  check (promised_days is null or statutory_days is null or promised_days <= statutory_days)
);
create index item_department on services.item (tenant_id, department_id);
create index item_division on services.item (tenant_id, division_code text_pattern_ops);
create index item_search on services.item using gin (search_vector);
create index item_life_events on services.item using gin (life_events);
create index item_enterprise_events on services.item using gin (enterprise_events);
