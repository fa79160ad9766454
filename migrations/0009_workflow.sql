-- workflow: process definitions, cases (办件) as append-only logs, their tasks and timers.
--
-- The case log (workflow.event) is the truth: a case's state is a fold over it. workflow."case" and
-- workflow.task are projections of that fold kept in the same transaction, so lists, "my tasks" and
-- the supervision figures are plain indexed queries. workflow.timer holds each open task's next
-- warnings (yellow, red); a worker takes due rows with FOR UPDATE SKIP LOCKED.
create schema if not exists workflow;

-- A definition is immutable: an edit stores the next version; a case keeps the version it started with.
create table workflow.definition (
  tenant_id text not null,
  code text not null,
  version integer not null check (version > 0),
  body jsonb not null,
  -- SM3 of the canonical body: loading an unchanged file stores nothing
  digest text not null,
  -- 'file:<name>' or 'admin'
  source text not null,
  created_at timestamptz not null default now(),
  created_by text not null,
  primary key (tenant_id, code, version)
);

-- Case numbers: per site and year, gap-free (the row is taken last in the creating transaction,
-- so a rollback gives the number back and concurrent creations queue only for the commit).
create table workflow.case_number (
  tenant_id text not null,
  year integer not null,
  last bigint not null,
  primary key (tenant_id, year)
);

create table workflow."case" (
  tenant_id text not null,
  id bigint generated always as identity,
  -- site division code + year + seven-digit sequence, e.g. 33000020260000123
  number text,
  definition_code text not null,
  definition_version integer not null,
  title text not null check (length(title) between 1 and 200),
  applicant_kind text not null check (applicant_kind in ('person', 'enterprise', 'internal')),
  applicant_account_id bigint,
  applicant_name text not null,
  department_id bigint not null,
  division_code text not null,
  status text not null check (status in ('open', 'stopped', 'closed')),
  outcome text,
  created_at timestamptz not null,
  closed_at timestamptz,
  due_at timestamptz,
  late boolean not null default false,
  urged boolean not null default false,
  primary key (tenant_id, id),
  unique (tenant_id, number),
  foreign key (tenant_id, definition_code, definition_version)
    references workflow.definition (tenant_id, code, version)
);
create index case_applicant on workflow."case" (tenant_id, applicant_account_id, created_at desc)
  where applicant_account_id is not null;
create index case_division on workflow."case" (tenant_id, division_code text_pattern_ops, created_at desc);

create table workflow.event (
  tenant_id text not null,
  case_id bigint not null,
  id bigint generated always as identity,
  at timestamptz not null,
  type text not null,
  actor_account_id bigint,
  actor_name text not null,
  body jsonb not null,
  primary key (tenant_id, case_id, id),
  foreign key (tenant_id, case_id) references workflow."case" (tenant_id, id)
);

create function workflow.refuse_log_change() returns trigger language plpgsql as $$
begin
  raise exception 'the case log (workflow.event) is append-only' using errcode = 'insufficient_privilege';
end;
$$;
create trigger event_append_only before update or delete on workflow.event
  for each row execute function workflow.refuse_log_change();
create trigger event_no_truncate before truncate on workflow.event
  for each statement execute function workflow.refuse_log_change();

create table workflow.task (
  tenant_id text not null,
  case_id bigint not null,
  no integer not null,
  case_number text not null,
  case_title text not null,
  definition_code text not null,
  step text not null,
  branch text,
  department_id bigint not null,
  division_code text not null,
  role text not null,
  assignee_account_id bigint,
  status text not null check (status in ('open', 'done', 'cancelled')),
  -- the case's clock is stopped (补正, 特别程序): no warnings, not counted
  stopped boolean not null default false,
  opened_at timestamptz not null,
  closed_at timestamptz,
  due_at timestamptz,
  yellow_at timestamptz,
  -- the worst warning raised: green, yellow, red
  light text not null default 'green' check (light in ('green', 'yellow', 'red')),
  -- for done tasks with a deadline: closed by it
  on_time boolean,
  -- for done tasks: working days from opening to closing, clock stops included (电子监察 averages)
  handling_days integer,
  urged boolean not null default false,
  primary key (tenant_id, case_id, no),
  foreign key (tenant_id, case_id) references workflow."case" (tenant_id, id)
);
create index task_open_department on workflow.task (tenant_id, department_id, due_at)
  where status = 'open';
create index task_division on workflow.task (tenant_id, division_code text_pattern_ops, status);
-- supervision: tasks closed in a period, by department
create index task_closed on workflow.task (tenant_id, closed_at) where status = 'done';

-- The next warnings of each open task. fire_at changes with the deadline; fired_at marks done.
create table workflow.timer (
  tenant_id text not null,
  case_id bigint not null,
  task_no integer not null,
  kind text not null check (kind in ('yellow', 'red')),
  fire_at timestamptz not null,
  fired_at timestamptz,
  primary key (tenant_id, case_id, task_no, kind),
  foreign key (tenant_id, case_id) references workflow."case" (tenant_id, id)
);
create index timer_due on workflow.timer (fire_at) where fired_at is null;
