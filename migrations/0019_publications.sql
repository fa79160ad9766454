-- publications: government information disclosed on the site's own initiative (主动公开) — the
-- disclosure catalogue's categories, the publications in them with their metadata (索引号, 文号, 成文日期,
-- validity) and attachments, and their search text (see src/kernel/search: segmented in Node, matched
-- here as tokens, so search works the same on PGlite and PostgreSQL).
create schema if not exists publications;

-- The disclosure catalogue (政府信息公开目录): a site's categories, editable by the site. `kind` says how
-- the website inspection indicators treat it (news columns stale after 2 weeks, notices and policies
-- after 6 months).
create table publications.category (
  tenant_id text not null,
  code text not null check (code ~ '^[a-z][a-z0-9_-]{0,39}$'),
  name text not null check (length(name) between 1 and 50),
  parent_code text,
  kind text not null check (kind in ('news', 'notice', 'policy', 'interpretation', 'other')),
  position integer not null default 0,
  active boolean not null default true,
  primary key (tenant_id, code),
  foreign key (tenant_id, parent_code) references publications.category (tenant_id, code)
);

-- How index numbers (索引号) are made on this site; a row only once the site changes the default.
create table publications.setting (
  tenant_id text primary key,
  index_pattern text not null check (length(index_pattern) between 1 and 100)
);

-- The last sequence number given for an index-number prefix (the pattern without its {seq}).
create table publications.index_counter (
  tenant_id text not null,
  prefix text not null,
  last integer not null,
  primary key (tenant_id, prefix)
);

create table publications.publication (
  tenant_id text not null,
  id bigint generated always as identity,
  category_code text not null,
  title text not null check (length(title) between 1 and 200),
  -- 索引号: given at publication (or typed by the publisher); unique on the site
  index_number text check (length(index_number) between 1 and 60),
  -- the department whose publication it is (who may edit it, whose head reviews it)
  department_id bigint not null,
  division_code text not null,
  -- 发布机构 as printed (the department's name unless the publisher wrote another body)
  issuing_body text not null check (length(issuing_body) between 1 and 100),
  written_on date,
  doc_number text not null default '' check (length(doc_number) <= 60),
  subject text not null default '' check (length(subject) <= 50),
  validity text not null default 'valid' check (validity in ('valid', 'expired', 'repealed')),
  replaced_by bigint,
  body_html text not null default '',
  body_text text not null default '',
  status text not null default 'draft' check (status in ('draft', 'in_review', 'published', 'withdrawn')),
  -- when it goes (or went) public: approved with a later time, it stays unseen until then
  publish_at timestamptz,
  review_case text,
  -- the reviewer's words when a review sent it back
  review_note text not null default '',
  withdrawn_at timestamptz,
  withdrawal_reason text not null default '',
  search_vector tsvector not null default ''::tsvector,
  created_by bigint not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, category_code) references publications.category (tenant_id, code),
  foreign key (tenant_id, replaced_by) references publications.publication (tenant_id, id),
  check (status <> 'published' or (publish_at is not null and index_number is not null)),
  check (status <> 'withdrawn' or withdrawn_at is not null)
);
create unique index publication_index_number on publications.publication (tenant_id, index_number)
  where index_number is not null;
create index publication_public on publications.publication (tenant_id, status, publish_at desc);
create index publication_category on publications.publication (tenant_id, category_code, publish_at desc);
create index publication_department on publications.publication (tenant_id, department_id, updated_at desc);
create index publication_search on publications.publication using gin (search_vector);

create table publications.attachment (
  tenant_id text not null,
  publication_id bigint not null,
  position integer not null,
  digest text not null,
  file_name text not null,
  media_type text not null,
  size bigint not null,
  -- the readable text (plain text, PDF text), searched with the body
  text text not null default '',
  primary key (tenant_id, publication_id, position),
  foreign key (tenant_id, publication_id) references publications.publication (tenant_id, id) on delete cascade
);
