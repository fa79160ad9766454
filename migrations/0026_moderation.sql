-- moderation: content safety (内容安全). Each site's sensitive words (敏感词): a public post containing
-- one is held for a moderator instead of going on. Every node keeps every site's words in memory as
-- an automaton; a change is announced with NOTIFY yiwang_moderation_words. The held posts themselves
-- stay in their modules' tables (letters, petitions …); this schema holds only the word list.
create schema if not exists moderation;

create table moderation.word (
  tenant_id text not null,
  -- as matching holds it: NFKC-folded (full-width to half-width), lower-case, without spaces,
  -- punctuation and symbols (see matcher.ts), 2 to 32 characters
  word text not null check (char_length(word) between 2 and 32),
  -- the audit context's actor ('account:12') and the name pages show
  added_by text not null,
  added_by_name text not null,
  added_at timestamptz not null default now(),
  primary key (tenant_id, word)
);
create index word_added on moderation.word (tenant_id, added_at desc);
