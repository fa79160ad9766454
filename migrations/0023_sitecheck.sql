-- sitecheck: the website self-check (网站自查) against the government website inspection indicators
-- (国办秘函〔2019〕19号). A check reads the other modules through their ports and the site's own pages;
-- this schema keeps only what the site chose and what the checks found.
create schema if not exists sitecheck;

-- The thresholds a site chose, where they differ from the indicators' (a row only once it changes
-- them). Kept as one JSON object so a threshold added later takes its default on old rows.
create table sitecheck.setting (
  tenant_id text primary key,
  thresholds jsonb not null,
  -- the audit context's actor ('account:12') and when
  updated_by text not null,
  updated_at timestamptz not null default now()
);

-- The last checks of each site (the newest few are kept): when, by whom, and how many findings of
-- each level, so the report shows whether the site is getting better.
create table sitecheck.run (
  tenant_id text not null,
  id bigint generated always as identity,
  checked_at timestamptz not null,
  -- who ran it: the staff member's name, or 'cli' for `yiwang site check`
  checked_by text not null,
  veto integer not null check (veto >= 0),
  deduction integer not null check (deduction >= 0),
  notice integer not null check (notice >= 0),
  links_checked integer not null check (links_checked >= 0),
  primary key (tenant_id, id)
);
create index run_checked on sitecheck.run (tenant_id, checked_at desc);
