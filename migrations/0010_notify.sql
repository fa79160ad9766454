-- notify: the in-app inbox (站内消息) of staff and the public, and the outbox of e-mails waiting to be
-- sent. Both rows are written in the transaction of the action that causes them (the caller's), so a
-- notification commits or rolls back with its action; the mail is sent later by a worker, so a slow or
-- broken mail server never holds or fails the action.
create schema if not exists notify;

-- One message to one account. The text is not stored: `kind` names the locale keys
-- notify.<kind>.subject / .body and `params` fills their {placeholders}, so each reader sees it in
-- their own language. account_id is identity's account id (modules share no foreign keys).
create table notify.inbox_entry (
  tenant_id text not null,
  id bigint generated always as identity,
  account_id bigint not null,
  kind text not null check (kind ~ '^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$' and length(kind) <= 100),
  params jsonb not null default '{}' check (jsonb_typeof(params) = 'object'),
  -- a path in the site (never another site: '/x', not '//host' or 'https://…')
  link text check (link is null or (length(link) <= 2000 and link ~ '^/([^/\\]|$)')),
  created_at timestamptz not null default now(),
  read_at timestamptz,
  primary key (tenant_id, id)
);
create index inbox_entry_account_idx on notify.inbox_entry (tenant_id, account_id, id desc);
create index inbox_entry_unread_idx on notify.inbox_entry (tenant_id, account_id) where read_at is null;

-- An e-mail copy of an inbox entry, to the address the account had when it was queued. The row is the
-- truth: a worker claims due rows (FOR UPDATE SKIP LOCKED, then moves next_attempt_at past a lease),
-- sends, and marks them sent; a failure records the error and schedules the next attempt with
-- exponential backoff; after the last attempt the row is 'failed' and kept. `attempts` counts claims,
-- so a node that dies while sending still uses up an attempt, and it fences a late result.
create table notify.outbox (
  tenant_id text not null,
  id bigint generated always as identity,
  entry_id bigint not null,
  to_address text not null
    check (length(to_address) <= 254 and to_address ~ '^[^@\s,;<>"]+@[^@\s,;<>"]+\.[^@\s,;<>"]+$'),
  to_name text not null default '',
  status text not null default 'queued' check (status in ('queued', 'sent', 'failed')),
  attempts integer not null default 0 check (attempts >= 0),
  next_attempt_at timestamptz not null default now(),
  last_error text,
  created_at timestamptz not null default now(),
  sent_at timestamptz,
  primary key (tenant_id, id),
  foreign key (tenant_id, entry_id) references notify.inbox_entry (tenant_id, id),
  check (status <> 'sent' or sent_at is not null)
);
create index outbox_due_idx on notify.outbox (next_attempt_at) where status = 'queued';
create index outbox_entry_idx on notify.outbox (tenant_id, entry_id);
