-- interviews: what the first cut left undone.
-- The cover's description (its alt text), required with a cover by the service.
alter table interviews.interview
  add column cover_alt text not null default '' check (char_length(cover_alt) <= 200);

-- 'closed': still waiting (held or pending) when the interview was archived — not taken up (未采纳),
-- the asker told, so nothing waits forever. A question the host types in for someone without an
-- account (a call to the studio, the demo's record) has no asker account.
alter table interviews.question drop constraint question_status_check;
alter table interviews.question add constraint question_status_check
  check (status in ('held', 'pending', 'approved', 'rejected', 'closed'));
alter table interviews.question alter column asker_account_id drop not null;

-- 撤回: a host withdraws an entry (live or ended) with a reason. The entry keeps its number and is shown
-- as withdrawn; a 'withdrawal' entry naming it takes the next number, so live viewers learn of it in
-- order, through the same stream, and a viewer resuming after an id misses nothing.
alter table interviews.entry drop constraint entry_kind_check;
alter table interviews.entry add constraint entry_kind_check
  check (kind in ('status', 'remark', 'question', 'answer', 'image', 'withdrawal'));
alter table interviews.entry add column withdraws_seq bigint;
alter table interviews.entry add column withdrawn_at timestamptz;
alter table interviews.entry add column withdrawn_by text;
alter table interviews.entry
  add column withdrawn_reason text check (char_length(withdrawn_reason) between 1 and 500);
alter table interviews.entry
  add constraint entry_withdrawal_check check ((kind = 'withdrawal') = (withdraws_seq is not null));
alter table interviews.entry
  add constraint entry_withdrawn_check check ((withdrawn_at is null) = (withdrawn_reason is null));
