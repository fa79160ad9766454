-- workflow: a site's own working-day calendar (工作日历). The State Council's schedules ship as data
-- (the chinese-days package); a site's row for a year replaces the national schedule for that whole
-- year: its public holidays, its make-up workdays (调休上班) and whether it is the published one.
-- Years without a row fall back to the national data.
create schema if not exists workflow;

create table workflow.calendar_year (
  tenant_id text not null,
  year integer not null check (year between 2000 and 2100),
  -- false: a draft (only weekends are certain); deadlines reaching the year say they are incomplete
  published boolean not null,
  updated_at timestamptz not null default now(),
  primary key (tenant_id, year)
);

create table workflow.calendar_day (
  tenant_id text not null,
  year integer not null,
  date date not null,
  kind text not null check (kind in ('holiday', 'workday')),
  name text not null check (length(name) between 1 and 30),
  name_en text not null default '' check (length(name_en) <= 60),
  -- one kind per day: a date cannot be both a holiday and a make-up workday
  primary key (tenant_id, date),
  foreign key (tenant_id, year) references workflow.calendar_year (tenant_id, year) on delete cascade,
  check (extract(year from date) = year),
  -- a make-up workday is a Saturday or Sunday that is worked
  check (kind <> 'workday' or extract(isodow from date) in (6, 7))
);

-- A site's calendar version, taken from a sequence at every change. App nodes cache each site's
-- calendar with its version and compare it on every use (one primary-key read); a sequence never
-- hands out a number twice, so a rolled-back change's version can never match a later real one.
create sequence workflow.calendar_version_seq;
create table workflow.calendar_version (
  tenant_id text primary key,
  version bigint not null
);
