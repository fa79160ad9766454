-- letters: 领导信箱 and 咨询投诉 — letters from signed-in people and enterprises to a leader's mailbox
-- (answered by a department) or to a department, each a case on the letter process once it passes
-- content screening. The writer chooses whether it may be published; published letters with their
-- replies are on the portal with personal data masked.
create schema if not exists letters;

-- A site's leaders' mailboxes (省长信箱, 市长信箱): who the public writes to, and which department answers.
create table letters.mailbox (
  tenant_id text not null,
  id bigint generated always as identity,
  name text not null check (length(name) between 1 and 50),
  leader text not null default '' check (length(leader) <= 50),
  department_id bigint not null,
  sort integer not null default 0,
  active boolean not null default true,
  primary key (tenant_id, id),
  unique (tenant_id, name)
);

create table letters.letter (
  tenant_id text not null,
  id bigint generated always as identity,
  -- what URLs carry: unguessable
  public_id text not null check (public_id ~ '^[A-Za-z0-9_-]{16,32}$'),
  kind text not null check (kind in ('leader', 'consultation', 'complaint', 'suggestion')),
  mailbox_id bigint,
  mailbox_name text,
  -- the department that answers now (a forwarding changes it)
  department_id bigint not null,
  department_name text not null,
  division_code text not null,
  -- null: a letter imported from the site's earlier mailbox (the demo's published letters), no account
  writer_account_id bigint,
  writer_kind text not null check (writer_kind in ('person', 'enterprise')),
  writer_name text not null check (length(writer_name) between 1 and 100),
  -- SM4-encrypted (kernel/crypto keyring), the key's id inside
  writer_phone text not null,
  title text not null check (length(title) between 1 and 100),
  -- plain text (HTML stripped before it is stored)
  body text not null check (length(body) between 1 and 5000),
  may_publish boolean not null,
  -- held: waiting for a moderator; open: a case runs; replied; rejected by moderation
  status text not null check (status in ('held', 'open', 'replied', 'rejected')),
  held_words text[] not null default '{}',
  rejection_reason text,
  case_number text,
  written_at timestamptz not null default now(),
  -- when the case opened (written_at, or the release) and the deadline the engine set
  received_at timestamptz,
  due_at timestamptz,
  reply text check (length(reply) between 1 and 5000),
  replied_at timestamptz,
  replied_by_name text,
  public boolean not null default false,
  satisfaction text check (satisfaction in ('satisfied', 'basically', 'unsatisfied')),
  rated_at timestamptz,
  primary key (tenant_id, id),
  unique (tenant_id, public_id),
  unique (tenant_id, case_number),
  check ((status = 'replied') = (reply is not null and replied_at is not null)),
  -- an imported letter was replied before this platform: no case
  check (status <> 'open' or case_number is not null),
  check (status not in ('held', 'rejected') or case_number is null),
  check (not public or (status = 'replied' and may_publish)),
  check (satisfaction is null or status = 'replied')
);
create index letter_writer on letters.letter (tenant_id, writer_account_id, written_at desc);
create index letter_department on letters.letter (tenant_id, department_id, status, due_at);
create index letter_held on letters.letter (tenant_id, written_at) where status = 'held';
create index letter_public on letters.letter (tenant_id, replied_at desc) where public;
