-- opinions: public consultations (征集意见 / 征求意见) on draft documents. A department puts a draft out
-- for comment between two instants (China time on the pages); signed-in people and enterprises write
-- their opinions (意见) while it is open; after the close the department says of each opinion whether it
-- was taken up (采纳 / 部分采纳 / 未采纳) and why, and publishes that account (意见采纳情况反馈).
--
-- The draft is either a policy of the policies module in its consultation (its id, and the id of the
-- draft publication it put out — both owned by other modules, kept here as ids only) or a text written
-- here for any other draft.
create schema if not exists opinions;

-- The site's defaults for a new solicitation (a site without a row: shown, not moderated).
create table opinions.setting (
  tenant_id text primary key,
  moderated_default boolean not null default false,
  public_default boolean not null default true,
  updated_by text not null,
  updated_at timestamptz not null default now()
);

create table opinions.solicitation (
  tenant_id text not null,
  id bigint generated always as identity,
  title text not null check (length(title) between 1 and 200),
  -- what the department says about the draft and how opinions will be used (plain text)
  description text not null default '' check (length(description) <= 2000),
  -- 征集单位: whose writers run it, moderate and answer
  department_id bigint not null,
  department_name text not null,
  division_code text not null,
  -- the draft: a policy in consultation (and its 征求意见稿 publication), or a text of its own
  policy_id bigint,
  draft_publication_id bigint,
  draft_text text not null default '' check (length(draft_text) <= 50000),
  opens_at timestamptz not null,
  closes_at timestamptz not null,
  -- the last change of the period after it opened (提前结束, 延期) and why; every change is audited
  period_changed_at timestamptz,
  period_reason text not null default '' check (length(period_reason) <= 500),
  -- opinions accepted are shown on the page (masked); moderated: each waits for the department first
  show_public boolean not null,
  moderated boolean not null,
  -- 意见采纳情况反馈: the department's account, once published
  report_summary text not null default '' check (length(report_summary) <= 5000),
  report_published_at timestamptz,
  created_by bigint,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id),
  check (closes_at > opens_at),
  check (policy_id is not null or length(draft_text) > 0),
  check (report_published_at is null or report_published_at >= closes_at)
);
-- one solicitation per policy: the policy's page shows its feedback
create unique index solicitation_policy on opinions.solicitation (tenant_id, policy_id) where policy_id is not null;
create index solicitation_closes on opinions.solicitation (tenant_id, closes_at desc);
create index solicitation_department on opinions.solicitation (tenant_id, department_id, created_at desc);

create table opinions.opinion (
  tenant_id text not null,
  id bigint generated always as identity,
  solicitation_id bigint not null,
  -- the account that wrote it (null: recorded by the department from a letter or the demo data)
  writer_account_id bigint,
  writer_kind text not null check (writer_kind in ('person', 'enterprise', 'recorded')),
  writer_name text not null check (length(writer_name) between 1 and 100),
  -- the clause it is about (第三条), optional
  clause text not null default '' check (length(clause) <= 40),
  -- plain text (HTML stripped before it is stored)
  body text not null check (length(body) between 1 and 2000),
  -- held: the site's sensitive words held it for a moderator; pending: waits for the department
  -- (moderated solicitation); accepted: counts, and is shown if the solicitation shows opinions
  status text not null check (status in ('held', 'pending', 'accepted', 'rejected')),
  held_words jsonb not null default '[]',
  reject_reason text not null default '' check (length(reject_reason) <= 500),
  moderated_by text,
  moderated_at timestamptz,
  -- 采纳情况: set by the department after the close
  adoption text check (adoption in ('adopted', 'partly', 'not_adopted')),
  adoption_reason text not null default '' check (length(adoption_reason) <= 1000),
  adoption_by text,
  adoption_at timestamptz,
  written_at timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, solicitation_id) references opinions.solicitation (tenant_id, id),
  check (adoption is null or status = 'accepted'),
  check ((status = 'rejected') = (length(reject_reason) > 0))
);
create index opinion_solicitation on opinions.opinion (tenant_id, solicitation_id, status, id);
create index opinion_writer on opinions.opinion (tenant_id, writer_account_id, written_at desc)
  where writer_account_id is not null;
create index opinion_held on opinions.opinion (tenant_id, written_at) where status = 'held';
