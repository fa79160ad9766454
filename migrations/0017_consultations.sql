-- consultations: questions on a service item (网上咨询), each answered by the item's department as a
-- case on the consultation process. A question is the asker's to read; the department's staff answer
-- it; an answer marked public is shown on the item's guide with the asker's name masked.
create schema if not exists consultations;

create table consultations.question (
  tenant_id text not null,
  id bigint generated always as identity,
  -- what URLs carry: unguessable, so a link tells nobody how many questions there are
  public_id text not null check (public_id ~ '^[A-Za-z0-9_-]{16,32}$'),
  item_code text not null,
  item_name text not null,
  -- the item's department when the question was asked: it answers, and the public sees its name
  department_id bigint not null,
  department_name text not null,
  division_code text not null,
  asker_account_id bigint not null,
  asker_kind text not null check (asker_kind in ('person', 'enterprise')),
  asker_name text not null check (length(asker_name) between 1 and 100),
  -- plain text (HTML is stripped before it is stored)
  question text not null check (length(question) between 1 and 1000),
  case_number text not null,
  asked_at timestamptz not null default now(),
  -- the item's promise (consult_days working days on the site's calendar), as a China date
  consult_days integer not null check (consult_days between 1 and 60),
  due_on date not null,
  status text not null default 'open' check (status in ('open', 'answered')),
  answer text check (length(answer) between 1 and 3000),
  answered_at timestamptz,
  answered_by_account_id bigint,
  answered_by_name text,
  public boolean not null default false,
  primary key (tenant_id, id),
  unique (tenant_id, public_id),
  unique (tenant_id, case_number),
  check ((status = 'answered') = (answer is not null and answered_at is not null)),
  check (not public or status = 'answered')
);
create index question_asker on consultations.question (tenant_id, asker_account_id, asked_at desc);
create index question_department on consultations.question (tenant_id, department_id, status, due_on);
create index question_public on consultations.question (tenant_id, item_code, answered_at desc)
  where public;
