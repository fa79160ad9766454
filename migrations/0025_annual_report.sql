-- annualreport: the annual report on government information disclosure (政府信息公开工作年度报告,
-- 条例 §49–50, in the national format of 国办公开办函〔2021〕30号) of a site, or of one of its departments,
-- for a year. A draft holds what staff enter (figures no system knows — 行政处罚, 复议 and 诉讼 — and the
-- report's texts); the figures the platform knows are computed on each view while it is a draft. Finalising
-- freezes both into `snapshot`, so a published report's numbers never change afterwards.
create schema if not exists annualreport;

create table annualreport.report (
  tenant_id text not null,
  id bigint generated always as identity,
  year integer not null check (year between 2008 and 2100),
  -- the department whose report it is; null: the site's own (its government's, compiled by the general office)
  department_id bigint,
  -- the issuing body as printed (the site's or the department's name when the draft was opened)
  issuer text not null check (length(issuer) between 1 and 100),
  status text not null default 'draft' check (status in ('draft', 'final')),
  -- figures entered by staff: {"licensing": 12, "review.upheld": 1, "feesAmount": "0.35", …}
  entered jsonb not null default '{}'::jsonb,
  -- the report's texts: overall (一、总体情况), problems (五), other (六)
  texts jsonb not null default '{}'::jsonb,
  -- computed and entered figures and texts as finalised; null while a draft
  snapshot jsonb,
  finalised_at timestamptz,
  finalised_by bigint,
  -- the publication it went out as in the disclosure catalogue, when published
  publication_id bigint,
  created_by bigint not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id),
  check ((status = 'final') = (snapshot is not null and finalised_at is not null))
);
-- one report per year and issuing body (null, the site's own, is one body)
create unique index report_year_body on annualreport.report (tenant_id, year, coalesce(department_id, 0));
