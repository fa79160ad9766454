-- policies: a policy document's whole life (政策文件全生命周期) — drafted by a department, put to public
-- consultation (征求意见) for a period, published, interpreted (政策解读), implemented by departments that
-- report each period on the workflow engine, evaluated, and in the end revised or repealed.
--
-- The documents themselves are publications (the publications module owns them, their review and their
-- validity): this schema keeps only their ids, and the lifecycle around them. Report cases are the
-- workflow's; a report row keeps the case's number and, once it closes, what the department reported.
create schema if not exists policies;

create table policies.policy (
  tenant_id text not null,
  id bigint generated always as identity,
  title text not null check (length(title) between 1 and 200),
  -- 起草部门: whose writers move it along and whose head assigns its implementation
  department_id bigint not null,
  division_code text not null,
  stage text not null default 'draft'
    check (stage in ('draft', 'consultation', 'published', 'implementing', 'evaluated', 'revised', 'repealed')),
  -- 征求意见: the draft put out for comment (a publication), the period, and why it is shorter than the
  -- 30 days of 重大行政决策程序暂行条例 §14 when it is
  consultation_draft_id bigint,
  consultation_opens_on date,
  consultation_closes_on date,
  consultation_short_reason text not null default '' check (length(consultation_short_reason) <= 500),
  -- the document as published (a publication in a category of kind 'policy'), and when it went out
  document_id bigint,
  published_at timestamptz,
  -- 评估报告 (a publication)
  evaluation_report_id bigint,
  evaluated_at timestamptz,
  -- the policy this one revises; the old one becomes 'revised' when this one's document publishes
  revises_id bigint,
  revised_at timestamptz,
  repealed_at timestamptz,
  repeal_reason text not null default '' check (length(repeal_reason) <= 500),
  created_by bigint not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, revises_id) references policies.policy (tenant_id, id),
  check (consultation_closes_on is null or consultation_closes_on > consultation_opens_on),
  check ((stage = 'repealed') = (repealed_at is not null))
);
create index policy_department on policies.policy (tenant_id, department_id, updated_at desc);
-- a publication's page asks which policies it belongs to, in whatever role
create unique index policy_document on policies.policy (tenant_id, document_id) where document_id is not null;
create index policy_consultation_draft on policies.policy (tenant_id, consultation_draft_id)
  where consultation_draft_id is not null;
create index policy_evaluation_report on policies.policy (tenant_id, evaluation_report_id)
  where evaluation_report_id is not null;
-- one revision per policy
create unique index policy_revises on policies.policy (tenant_id, revises_id) where revises_id is not null;

-- 政策解读: publications that interpret a policy (a policy has several; one may interpret several).
create table policies.interpretation (
  tenant_id text not null,
  policy_id bigint not null,
  publication_id bigint not null,
  linked_by bigint not null,
  linked_at timestamptz not null default now(),
  primary key (tenant_id, policy_id, publication_id),
  foreign key (tenant_id, policy_id) references policies.policy (tenant_id, id)
);
create index interpretation_publication on policies.interpretation (tenant_id, publication_id);

-- 落实任务: a department's part in implementing a policy, reported every period over a horizon.
create table policies.task (
  tenant_id text not null,
  id bigint generated always as identity,
  policy_id bigint not null,
  department_id bigint not null,
  division_code text not null,
  requirement text not null check (length(requirement) between 2 and 2000),
  period text not null check (period in ('monthly', 'quarterly')),
  -- the first day of the first period, and how many periods
  starts_on date not null,
  periods integer not null check (periods between 1 and 36),
  -- a period's report is due this many working days after the period ends
  report_days integer not null check (report_days between 1 and 30),
  assigned_by bigint not null,
  assigned_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, policy_id, department_id),
  foreign key (tenant_id, policy_id) references policies.policy (tenant_id, id)
);

-- One period's report: its case on the implementation process, and what the department reported.
create table policies.report (
  tenant_id text not null,
  task_id bigint not null,
  period_no integer not null check (period_no >= 1),
  -- '2026-07' or '2026-Q3'
  period_label text not null,
  period_start date not null,
  period_end date not null,
  due_on date not null,
  -- null until the case has opened (an opening that failed is tried again)
  case_number text,
  status text check (status in ('on_track', 'delayed', 'done')),
  progress text not null default '' check (length(progress) <= 4000),
  reported_at timestamptz,
  on_time boolean,
  primary key (tenant_id, task_id, period_no),
  foreign key (tenant_id, task_id) references policies.task (tenant_id, id),
  check ((reported_at is null) = (on_time is null))
);
create unique index report_case on policies.report (tenant_id, case_number) where case_number is not null;
