-- interviews: online interviews (在线访谈). An interview with its guests is scheduled by a host's
-- department, goes live, ends and is archived; the public asks questions before and during it, each
-- approved by a moderator before it shows; hosts and guests answer. What the public sees is the
-- transcript: an append-only list of entries numbered 1, 2, 3 … per interview (the live page's event
-- ids), numbered under the interview row's lock so that the numbers follow the commits.
create schema if not exists interviews;

create table interviews.interview (
  tenant_id text not null,
  id bigint generated always as identity,
  title text not null check (char_length(title) between 1 and 200),
  summary text not null default '' check (char_length(summary) <= 5000),
  -- the host (主持人) as the public sees the name
  host_name text not null check (char_length(host_name) between 1 and 50),
  -- the department holding it: its division is the interview's jurisdiction
  department_id bigint not null,
  department_name text not null,
  division_code text not null,
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  cover_digest text check (cover_digest ~ '^[0-9a-f]{64}$'),
  cover_media_type text,
  status text not null default 'scheduled' check (status in ('scheduled', 'live', 'ended', 'archived')),
  -- the number of the transcript's last entry; the next one takes this + 1 under the row's lock
  last_seq bigint not null default 0,
  created_by text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  started_at timestamptz,
  ended_at timestamptz,
  archived_at timestamptz,
  primary key (tenant_id, id),
  check (ends_at > starts_at),
  check ((cover_digest is null) = (cover_media_type is null))
);
create index interview_status on interviews.interview (tenant_id, status, starts_at desc);
create index interview_division on interviews.interview (tenant_id, division_code, starts_at desc);

-- 嘉宾: who answers. A guest may be tied to a staff account (holding interview.answer), who then posts
-- as that guest; a guest without an account is answered for by the host.
create table interviews.guest (
  tenant_id text not null,
  interview_id bigint not null,
  position int not null check (position between 1 and 20),
  name text not null check (char_length(name) between 1 and 50),
  title text not null default '' check (char_length(title) <= 100),
  department text not null default '' check (char_length(department) <= 100),
  account_id bigint,
  primary key (tenant_id, interview_id, position),
  foreign key (tenant_id, interview_id) references interviews.interview (tenant_id, id) on delete cascade
);
create index guest_account on interviews.guest (tenant_id, account_id) where account_id is not null;

-- 网友提问: held (a sensitive word: waits for a content moderator), pending (waits for the interview's
-- moderator), approved (in the transcript), rejected (with a reason; the asker is told when it was held).
create table interviews.question (
  tenant_id text not null,
  id bigint generated always as identity,
  interview_id bigint not null,
  asker_account_id bigint not null,
  asker_kind text not null check (asker_kind in ('person', 'enterprise')),
  asker_name text not null check (char_length(asker_name) between 1 and 100),
  text text not null check (char_length(text) between 1 and 500),
  status text not null check (status in ('held', 'pending', 'approved', 'rejected')),
  held_words text[] not null default '{}',
  asked_at timestamptz not null,
  decided_at timestamptz,
  decided_by_name text,
  reason text check (char_length(reason) <= 500),
  -- the transcript entry that showed it (approved) and the one that answered it
  shown_seq bigint,
  answered_seq bigint,
  primary key (tenant_id, id),
  foreign key (tenant_id, interview_id) references interviews.interview (tenant_id, id) on delete cascade,
  check ((status = 'approved') = (shown_seq is not null))
);
create index question_queue on interviews.question (tenant_id, interview_id, status, id);
create index question_held on interviews.question (tenant_id, asked_at) where status = 'held';
create index question_asker on interviews.question (tenant_id, asker_account_id, asked_at desc);

-- The transcript (文字实录): status changes, host remarks, approved questions, answers, images.
create table interviews.entry (
  tenant_id text not null,
  interview_id bigint not null,
  seq bigint not null check (seq > 0),
  kind text not null check (kind in ('status', 'remark', 'question', 'answer', 'image')),
  -- 'status': the status the interview went to
  status text check (status in ('live', 'ended', 'archived')),
  -- who speaks (主持人, a guest with their title; a question's asker, masked)
  speaker_role text not null default '' check (speaker_role in ('', 'host', 'guest', 'public')),
  speaker_name text not null default '' check (char_length(speaker_name) <= 50),
  speaker_title text not null default '' check (char_length(speaker_title) <= 200),
  text text not null default '' check (char_length(text) <= 5000),
  question_id bigint,
  -- an answer quotes its question as it was shown (the asker masked)
  quote_name text,
  quote_text text check (char_length(quote_text) <= 500),
  image_digest text check (image_digest ~ '^[0-9a-f]{64}$'),
  image_media_type text,
  image_size bigint,
  posted_by text not null,
  posted_at timestamptz not null default now(),
  primary key (tenant_id, interview_id, seq),
  foreign key (tenant_id, interview_id) references interviews.interview (tenant_id, id) on delete cascade,
  check ((kind = 'status') = (status is not null)),
  check ((kind = 'image') = (image_digest is not null and image_media_type is not null)),
  check (kind not in ('question', 'answer') or question_id is not null)
);
