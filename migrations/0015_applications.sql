-- applications: applications for service items (网上申请 and window intake 窗口受理) before and as
-- they become cases. A draft is the applicant's (or, taken at a window, the officer's department's)
-- to fill; submitting it opens the case on the item's process in the same transaction, so one
-- application is at most one case.
create schema if not exists applications;

create table applications.application (
  tenant_id text not null,
  id bigint generated always as identity,
  -- what URLs carry: unguessable, so an id in a link tells nobody how many there are
  public_id text not null check (public_id ~ '^[A-Za-z0-9_-]{16,32}$'),
  item_code text not null,
  item_name text not null,
  applicant_kind text not null check (applicant_kind in ('person', 'enterprise')),
  -- the applicant's account; null for a walk-in applicant without one
  applicant_account_id bigint,
  applicant_name text not null check (length(applicant_name) between 1 and 100),
  -- a walk-in applicant's ID number (citizen ID or credit code), SM4-encrypted; reads are audited
  applicant_id_number text,
  -- window intake: who took it, which document they checked, when
  intake_account_id bigint,
  intake_department_id bigint,
  intake_officer_name text,
  intake_document text,
  data jsonb not null default '{}',
  status text not null default 'draft' check (status in ('draft', 'submitted')),
  case_number text,
  -- the electronic licence its approval issued
  licence_id text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  submitted_at timestamptz,
  primary key (tenant_id, id),
  unique (tenant_id, public_id),
  check ((status = 'submitted') = (case_number is not null)),
  check (applicant_account_id is not null or intake_account_id is not null)
);
create index application_applicant on applications.application (tenant_id, applicant_account_id, created_at desc)
  where applicant_account_id is not null;
create index application_intake on applications.application (tenant_id, intake_department_id, created_at desc)
  where intake_department_id is not null;

-- The files given for each material of the item's list (a material may take several files).
create table applications.material_file (
  tenant_id text not null,
  application_id bigint not null,
  material_key text not null,
  digest text not null check (digest ~ '^[0-9a-f]{64}$'),
  file_name text not null,
  media_type text not null,
  size bigint not null check (size > 0),
  added_at timestamptz not null default now(),
  primary key (tenant_id, application_id, material_key, digest),
  foreign key (tenant_id, application_id) references applications.application (tenant_id, id) on delete cascade
);
