-- petitions: online petitions (网上信访, 信访工作条例 2022). A petition (信访事项) is registered here with
-- the petitioner's identity (the citizen ID number SM4-encrypted, its keyed SM3 hash for repeat
-- detection) and what they ask; once screened it is a case on the petition process (登记受理 15 days,
-- 办理 60 days, +30 with approval), and a request for review (复查) or re-examination (复核) is a case
-- of its own on the review process. The row projects the cases (status, due date, outcome) in the
-- transactions that change them, so lists need no case log.
create schema if not exists petitions;

create table petitions.petition (
  tenant_id text not null,
  id bigint generated always as identity,
  -- what URLs carry: unguessable
  public_id text not null check (public_id ~ '^[A-Za-z0-9_-]{16,32}$'),
  account_id bigint not null,
  -- identity (身份信息): seen only by the staff handling it, each view audited
  name text not null check (length(name) between 1 and 50),
  id_number text not null,
  id_hash text not null,
  phone text not null check (length(phone) between 1 and 30),
  address text not null check (length(address) between 1 and 200),
  -- the matter (信访事项): its type and place (属地, a division chosen down to street level)
  matter_type text not null check (matter_type ~ '^[a-z][a-z_]{1,39}$'),
  place_code text not null check (place_code ~ '^\d{6}(\d{3}){0,2}$'),
  place_detail text not null default '' check (length(place_detail) <= 200),
  matter text not null check (length(matter) between 1 and 100),
  requests text not null check (length(requests) between 1 and 2000),
  facts text not null check (length(facts) between 1 and 5000),
  status text not null check (status in ('held', 'rejected', 'repeat', 'registering', 'handling',
    'answered', 'not_accepted', 'forwarded', 'reviewing', 'reviewed', 'reexamining', 'concluded')),
  -- moderation (内容安全): the words that held it, the moderator's reason for a rejection
  held_words text[] not null default '{}',
  moderation_note text not null default '',
  -- a repeat (重复信访) is linked to the earlier petition instead of opening a case
  repeat_of bigint,
  -- the petition office (信访工作机构) of the place, which registers it
  office_id bigint,
  office_name text not null default '',
  -- the department responsible (属地管理、分级负责), as routed or rerouted
  department_id bigint,
  department_name text not null default '',
  department_division text not null default '',
  case_number text,
  due_at timestamptz,
  extended boolean not null default false,
  outcome text check (outcome ~ '^[a-z][a-z0-9_]{0,39}$'),
  decided_at timestamptz,
  rating text check (rating in ('satisfied', 'basically', 'dissatisfied')),
  -- 复查 and 复核: each a case in the body one level up
  review_case_number text,
  review_department_id bigint,
  review_department_name text not null default '',
  review_due_at timestamptz,
  review_outcome text,
  review_decided_at timestamptz,
  review_rating text check (review_rating in ('satisfied', 'basically', 'dissatisfied')),
  reexam_case_number text,
  reexam_department_id bigint,
  reexam_department_name text not null default '',
  reexam_due_at timestamptz,
  reexam_outcome text,
  reexam_decided_at timestamptz,
  reexam_rating text check (reexam_rating in ('satisfied', 'basically', 'dissatisfied')),
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, public_id),
  foreign key (tenant_id, repeat_of) references petitions.petition (tenant_id, id)
);
create index petition_account on petitions.petition (tenant_id, account_id, created_at desc);
create index petition_person on petitions.petition (tenant_id, id_hash, matter_type, place_code);
create index petition_case on petitions.petition (tenant_id, case_number);
create index petition_review_case on petitions.petition (tenant_id, review_case_number);
create index petition_reexam_case on petitions.petition (tenant_id, reexam_case_number);
create index petition_place on petitions.petition (tenant_id, place_code, created_at desc);
create index petition_held on petitions.petition (tenant_id, created_at) where status = 'held';

-- Reroutes by the petition office: who moved it where and why (also in the audit chain).
create table petitions.reroute (
  tenant_id text not null,
  petition_id bigint not null,
  at timestamptz not null default now(),
  by_account_id bigint not null,
  from_department_id bigint,
  to_department_id bigint not null,
  reason text not null check (length(reason) between 1 and 500),
  foreign key (tenant_id, petition_id) references petitions.petition (tenant_id, id)
);
create index reroute_petition on petitions.reroute (tenant_id, petition_id, at);
