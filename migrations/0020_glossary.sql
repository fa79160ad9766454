-- glossary: each site's search dictionary (词库) — the words its administrators add so that search
-- segments them as one word (a local programme's name, 浙里办, 一件事). Every node loads the terms of
-- every site into its one segmenter; a change is announced with NOTIFY yiwang_search_terms.
create schema if not exists glossary;

create table glossary.term (
  tenant_id text not null,
  -- as the segmenter holds it (checkTerm: NFKC-folded, lower-case, letters and digits, 2 to 32 long)
  term text not null check (char_length(term) between 2 and 32),
  -- the audit context's actor ('account:12') and the name pages show
  added_by text not null,
  added_by_name text not null,
  added_at timestamptz not null default now(),
  primary key (tenant_id, term)
);
create index term_added on glossary.term (tenant_id, added_at desc);
