-- A sign-in attempt is recorded as a failure before the password or code is checked (and removed when
-- it succeeds), so attempts sent in parallel count against the lockout at once; each needs an id.
alter table identity.login_failure add column id bigint generated always as identity;
create unique index login_failure_id_idx on identity.login_failure (id);

-- New audit entries arrive unsealed: only the sealer (audit.seal_entries) sets seq, prev_hash and hash.
-- Without this, a writer could insert an entry that claims a place in the chain.
create function audit.guard_new_entry() returns trigger language plpgsql as $$
begin
  if new.seq is not null or new.prev_hash is not null or new.hash is not null then
    raise exception 'audit entries are inserted unsealed' using errcode = 'insufficient_privilege';
  end if;
  return new;
end $$;
create trigger entry_inserted_unsealed before insert on audit.entry
  for each row execute function audit.guard_new_entry();
