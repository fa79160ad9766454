-- publications search at scale (issue 6 item 9; figures in bench/README.md, "publications").
--
-- Finding the newest public matches of a word without visiting every match. The plain GIN index on
-- search_vector (0019) finds matching rows, but ordering them by date, or telling public from draft,
-- needs each match's row: with a million publications, a word of a field (最低生活保障, 2.5%) is 25,000
-- row visits, ~200 ms, and a common one (通知, 40%) 400,000 — and ranking them all with ts_rank reads
-- each one's vector out of TOAST (9 s for 通知). So the index now also holds, for each published row,
-- lexemes of its category and of its publication day, month and year (China time): a search asks GIN
-- for "the words AND one of these days", GIN intersects the posting lists itself, and only the
-- matches of that time slice are visited; the search walks back from the newest slice until it has
-- enough candidates (publication.search.ts). The extra lexemes start with '#', which no query can
-- contain (queries keep only letters and digits), so they never match what someone typed.
--
-- The index is on an expression, so the search must ask for exactly this expression (the store does).
-- Non-published rows get no extra lexemes: a slice never finds a draft. Everything here is in plain
-- PostgreSQL, so PGlite indexes and searches the same way.
create function publications.search_document(v tsvector, category text, status text, publish_at timestamptz)
returns tsvector language sql immutable parallel safe as $$
  select case when status = 'published' and publish_at is not null then v || array_to_tsvector(array[
    '#c' || category,
    '#y' || d.y::text,
    '#m' || (d.y * 100 + d.m)::text,
    '#d' || (d.y * 10000 + d.m * 100 + d.d)::text])
  else v end
  from (select date_part('year', t)::int as y, date_part('month', t)::int as m, date_part('day', t)::int as d
        from (select publish_at at time zone 'Asia/Shanghai' as t) s) d
$$;

create index publication_search_document on publications.publication
  using gin (publications.search_document(search_vector, category_code, status, publish_at));
-- The plain index is replaced: every search goes through the one above (a search without time slice
-- or category asks it for the words alone).
drop index publications.publication_search;

-- Public lists (the disclosure column, a category's page, feeds) newest first, read in index order and
-- counted from the index alone, never sorting or visiting a whole category: only published rows.
create index publication_published on publications.publication (tenant_id, publish_at desc, id desc)
  where status = 'published';
create index publication_published_category on publications.publication
  (tenant_id, category_code, publish_at desc, id desc) where status = 'published';
