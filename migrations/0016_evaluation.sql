-- evaluation: 好差评 — the applicant's rating of each case (办件) once it is closed, and the
-- rectification (整改) of every bad review (差评), after 国办发〔2019〕51号.
--
-- The workflow module owns cases; this schema keeps its own copy of what it needs from them, written
-- in the transactions the workflow runs it in: an invitation when a case with an applicant account
-- closes, the evaluation with the departments that handled the case, and the outcome of the
-- rectification case when that closes.
create schema if not exists evaluation;

-- A closed case its applicant may rate (待评价), written in the transaction that closed it.
create table evaluation.invitation (
  tenant_id text not null,
  case_number text not null,
  applicant_account_id bigint not null,
  case_title text not null,
  definition_code text not null,
  -- the case's outcome (workflow.outcome.<outcome>)
  outcome text not null,
  closed_at timestamptz not null,
  primary key (tenant_id, case_number)
);
create index invitation_applicant on evaluation.invitation (tenant_id, applicant_account_id, closed_at desc);

-- One evaluation per case (一事一评): a second one is refused by the unique key.
create table evaluation.case_evaluation (
  tenant_id text not null,
  id bigint generated always as identity,
  case_number text not null,
  case_title text not null,
  definition_code text not null,
  definition_name text not null,
  case_closed_at timestamptz not null,
  rater_account_id bigint not null,
  rater_kind text not null check (rater_kind in ('person', 'enterprise')),
  -- '' when the rater chose not to give their name (匿名); staff never see who it was
  rater_name text not null check (length(rater_name) <= 100),
  anonymous boolean not null,
  -- 5 非常满意 … 1 非常不满意; 2 and 1 are 差评
  level smallint not null check (level between 1 and 5),
  comment text not null check (length(comment) <= 500),
  -- the department the evaluation counts for and a 差评 is rectified in: that of the case's last task
  -- done, else the case's own
  department_id bigint not null,
  division_code text not null,
  -- every department that had a task on the case
  department_ids bigint[] not null,
  evaluated_at timestamptz not null,
  -- a 差评's rectification case, its deadline, and when it closes its outcome and the reply to the rater
  rectification_number text,
  rectification_due_at timestamptz,
  rectification_outcome text,
  rectification_reply text,
  rectified_at timestamptz,
  primary key (tenant_id, id),
  unique (tenant_id, case_number),
  check ((level <= 2) = (rectification_number is not null)),
  check ((rectified_at is null) = (rectification_outcome is null))
);
create index case_evaluation_rater on evaluation.case_evaluation (tenant_id, rater_account_id, evaluated_at desc);
-- statistics: a jurisdiction's evaluations in a period
create index case_evaluation_division on evaluation.case_evaluation (tenant_id, division_code text_pattern_ops, evaluated_at);
create unique index case_evaluation_rectification on evaluation.case_evaluation (tenant_id, rectification_number)
  where rectification_number is not null;
