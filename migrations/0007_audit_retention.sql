-- audit: retention (GB/T 22239: keep audit records at least 180 days). Entries older than that may be
-- archived (`yiwang audit archive`): a prefix of a site's sealed chain is written to a file with its own
-- SM3 digest, a checkpoint records where the chain was cut, and those entries, and only those, are
-- deleted. What remains is still one contiguous chain: its first entry links to the checkpoint's
-- head_hash, the hash of the last archived entry, and verifying starts there instead of at genesis.
--
-- The append-only trigger of 0002 keeps refusing every other DELETE, to the owner too. It lets a row go
-- only while audit.archive_prefix runs (a transaction-local setting naming the checkpoint), and only if
-- the row is sealed, older than 180 days and covered by that checkpoint, which must exist. The setting
-- alone is worth nothing: anyone can call set_config, so the trigger checks the rest itself. On
-- PostgreSQL the application's role has no DELETE on audit.entry, no INSERT on audit.checkpoint and no
-- EXECUTE on archive_prefix: archiving is an operator's task, run as the owner of the schemas.

create table audit.checkpoint (
  tenant_id text not null,
  -- the last archived entry: the chain continues at up_to_seq + 1, linked to head_hash
  up_to_seq bigint not null check (up_to_seq >= 1),
  head_hash text not null check (head_hash ~ '^[0-9a-f]{64}$'),
  -- SM3 of the archive file (audit-<tenant>-<first>-<last>.jsonl)
  file_digest text not null check (file_digest ~ '^[0-9a-f]{64}$'),
  -- entries in this archive: up_to_seq minus the previous checkpoint's up_to_seq
  entries bigint not null check (entries >= 1),
  archived_at timestamptz not null default now(),
  primary key (tenant_id, up_to_seq)
);

-- Checkpoints are never changed or removed, and name a real entry when they are written.
create function audit.guard_checkpoint() returns trigger language plpgsql as $$
begin
  if tg_op = 'INSERT' then
    if not exists (select 1 from audit.entry e
                    where e.tenant_id = new.tenant_id and e.seq = new.up_to_seq and e.hash = new.head_hash) then
      raise exception 'audit checkpoint (%, %) does not name a sealed entry with that hash', new.tenant_id, new.up_to_seq
        using errcode = 'check_violation';
    end if;
    return new;
  end if;
  raise exception 'audit checkpoints are append-only (% refused)', tg_op using errcode = 'insufficient_privilege';
end $$;
create trigger checkpoint_guard before insert or update or delete on audit.checkpoint
  for each row execute function audit.guard_checkpoint();
create trigger checkpoint_no_truncate before truncate on audit.checkpoint
  for each statement execute function audit.guard_checkpoint();

-- 0002's trigger function, plus the one DELETE that archiving needs.
create or replace function audit.guard_entry() returns trigger language plpgsql as $$
declare
  archiving text := current_setting('yiwang.audit_archive', true);
begin
  if tg_op = 'UPDATE' and old.hash is null and new.hash is not null
     and (new.tenant_id, new.id, new.xid, new.at, new.actor_id, new.actor_role, new.actor_division, new.action,
          new.object_type, new.object_id, new.result, new.ip, new.user_agent, new.request_id, new.detail)
         is not distinct from
         (old.tenant_id, old.id, old.xid, old.at, old.actor_id, old.actor_role, old.actor_division, old.action,
          old.object_type, old.object_id, old.result, old.ip, old.user_agent, old.request_id, old.detail) then
    return new;
  end if;
  -- archive_prefix sets 'yiwang.audit_archive' to '<tenant>:<up_to_seq>' of the checkpoint it has just
  -- written. Whoever sets it by hand still deletes nothing younger than 180 days, unsealed, or beyond
  -- a checkpoint that exists.
  if tg_op = 'DELETE' and coalesce(archiving, '') <> ''
     and old.hash is not null
     and old.at < now() - interval '180 days'
     and exists (select 1 from audit.checkpoint c
                  where c.tenant_id = old.tenant_id and c.up_to_seq >= old.seq
                    and archiving = c.tenant_id || ':' || c.up_to_seq::text) then
    return old;
  end if;
  raise exception 'audit entries are append-only (% refused)', tg_op using errcode = 'insufficient_privilege';
end $$;

-- Archives entries p_from_seq..p_up_to_seq of a site's chain, whose file the caller has written: checks
-- that they follow the last checkpoint, are all there, sealed and older than 180 days, and that the last
-- one's hash is p_head_hash; records the checkpoint; deletes exactly those entries. Returns how many.
-- All or nothing, in the caller's transaction (which then appends 'audit.archived' to the chain).
create function audit.archive_prefix(
  p_tenant text, p_from_seq bigint, p_up_to_seq bigint, p_head_hash text, p_file_digest text
) returns bigint
  language plpgsql
  security definer
  -- A SECURITY DEFINER function must not resolve names through a schema its caller can write to.
  set search_path = pg_catalog, audit
  -- Plan the range scans for the arguments at hand (the parameters decide between a few rows and all).
  set plan_cache_mode = force_custom_plan
as $$
declare
  previous bigint;
  n bigint;
  young bigint;
  head text;
  deleted bigint;
begin
  if p_tenant is null or p_from_seq is null or p_up_to_seq is null or p_up_to_seq < p_from_seq then
    raise exception 'audit.archive_prefix: an empty or invalid range' using errcode = 'invalid_parameter_value';
  end if;
  -- One archiver per site at a time; a second one waits, then finds its range taken.
  perform pg_advisory_xact_lock(hashtextextended('yiwang.audit.archive:' || p_tenant, 0));
  select coalesce(max(up_to_seq), 0) into previous from audit.checkpoint where tenant_id = p_tenant;
  if p_from_seq <> previous + 1 then
    raise exception 'audit.archive_prefix: site % is archived up to entry %, so an archive must start at %, not %',
      p_tenant, previous, previous + 1, p_from_seq using errcode = 'object_not_in_prerequisite_state';
  end if;
  select count(*), count(*) filter (where at >= now() - interval '180 days'), max(hash) filter (where seq = p_up_to_seq)
    into n, young, head
    from audit.entry where tenant_id = p_tenant and seq between p_from_seq and p_up_to_seq;
  if n <> p_up_to_seq - p_from_seq + 1 then
    raise exception 'audit.archive_prefix: site % has % of the entries %..% (sealed)', p_tenant, n, p_from_seq, p_up_to_seq
      using errcode = 'object_not_in_prerequisite_state';
  end if;
  if young > 0 then
    raise exception 'audit.archive_prefix: % of the entries %..% of site % are younger than 180 days and must be kept',
      young, p_from_seq, p_up_to_seq, p_tenant using errcode = 'object_not_in_prerequisite_state';
  end if;
  if head is distinct from p_head_hash then
    raise exception 'audit.archive_prefix: entry % of site % does not have the hash %', p_up_to_seq, p_tenant, p_head_hash
      using errcode = 'object_not_in_prerequisite_state';
  end if;
  insert into audit.checkpoint (tenant_id, up_to_seq, head_hash, file_digest, entries, archived_at)
    values (p_tenant, p_up_to_seq, p_head_hash, p_file_digest, n, now());
  perform set_config('yiwang.audit_archive', p_tenant || ':' || p_up_to_seq::text, true);
  delete from audit.entry where tenant_id = p_tenant and seq between p_from_seq and p_up_to_seq;
  get diagnostics deleted = row_count;
  perform set_config('yiwang.audit_archive', '', true);
  if deleted <> n then
    raise exception 'audit.archive_prefix: deleted % of % entries', deleted, n using errcode = 'internal_error';
  end if;
  return deleted;
end $$;

-- Only the owner archives (`yiwang audit archive` with the owner's DATABASE_URL); not in APP_FUNCTIONS.
revoke all on function audit.archive_prefix(text, bigint, bigint, text, text) from public;

-- Default privileges have just given the application's role (if `yiwang db app-role` ran before this
-- migration) INSERT, UPDATE and DELETE on the new table; it may only read it (the sealer and verify do).
-- `yiwang db app-role` does the same on every run (READ_ONLY_TABLES).
do $$
declare
  r record;
begin
  for r in select distinct a.grantee
             from pg_class c, aclexplode(c.relacl) a
            where c.oid = 'audit.checkpoint'::regclass and a.grantee <> c.relowner
              and a.privilege_type in ('INSERT', 'UPDATE', 'DELETE', 'TRUNCATE') loop
    if r.grantee = 0 then
      revoke insert, update, delete, truncate on audit.checkpoint from public;
    else
      -- regrole prints the name quoted where needed
      execute format('revoke insert, update, delete, truncate on audit.checkpoint from %s', r.grantee::regrole);
    end if;
  end loop;
end $$;
