-- audit: the tamper-evident log (SM3 hash chain). One chain per site (tenant_id); the deployment's
-- own events (command line, start-up) go to the chain of the national root, 000000.
--
-- An entry is inserted in the transaction of the change it records, with no lock, so writers never
-- wait on each other. A sealer then links committed entries into the chain in a fixed order: it takes
-- only entries whose writing transaction is older than every transaction still running (xid below the
-- snapshot's xmin), so no entry can later appear before one already sealed. seq, prev_hash and hash
-- are set once, by the sealer; nothing else about an entry can ever change.
create schema if not exists audit;

create table audit.entry (
  tenant_id text not null,
  id bigint generated always as identity,
  xid xid8 not null default pg_current_xact_id(),
  at timestamptz not null,
  actor_id text not null default '',
  actor_role text not null default '',
  actor_division text not null default '',
  action text not null check (action ~ '^[a-z][a-z0-9_.]*$'),
  object_type text not null default '',
  object_id text not null default '',
  result text not null check (result in ('success', 'failure', 'denied')),
  ip text not null default '',
  user_agent text not null default '',
  request_id text not null default '',
  detail jsonb not null default '{}',
  seq bigint check (seq >= 1),
  prev_hash text check (prev_hash ~ '^[0-9a-f]{64}$'),
  hash text check (hash ~ '^[0-9a-f]{64}$'),
  primary key (tenant_id, id),
  unique (tenant_id, seq),
  check ((seq is null) = (hash is null) and (hash is null) = (prev_hash is null))
);
create index entry_unsealed_idx on audit.entry (tenant_id, xid, id) where hash is null;
create index entry_at_idx on audit.entry (tenant_id, at);
create index entry_actor_idx on audit.entry (tenant_id, actor_id, at);
create index entry_object_idx on audit.entry (tenant_id, object_type, object_id);

-- Append-only for everyone, the table's owner included. The one change allowed is the sealer's: setting
-- seq, prev_hash and hash on an entry that has none, touching nothing else.
create function audit.guard_entry() returns trigger language plpgsql as $$
begin
  if tg_op = 'UPDATE' and old.hash is null and new.hash is not null
     and (new.tenant_id, new.id, new.xid, new.at, new.actor_id, new.actor_role, new.actor_division, new.action,
          new.object_type, new.object_id, new.result, new.ip, new.user_agent, new.request_id, new.detail)
         is not distinct from
         (old.tenant_id, old.id, old.xid, old.at, old.actor_id, old.actor_role, old.actor_division, old.action,
          old.object_type, old.object_id, old.result, old.ip, old.user_agent, old.request_id, old.detail) then
    return new;
  end if;
  raise exception 'audit entries are append-only (% refused)', tg_op using errcode = 'insufficient_privilege';
end $$;
create trigger entry_append_only before update or delete on audit.entry
  for each row execute function audit.guard_entry();
create trigger entry_no_truncate before truncate on audit.entry
  for each statement execute function audit.guard_entry();
