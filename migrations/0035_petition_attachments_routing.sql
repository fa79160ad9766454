-- petitions: the materials a petitioner sends with a petition, and each site's routing rules.
--
-- Attachments (信访条例: materials supporting the facts): at most 5 JPEG/PNG images or PDFs of at most
-- 5 MB each, their bytes in the content-addressed blob store; the petition keeps what names them:
-- [{ "digest", "filename", "size", "mediaType" }]. A held petition keeps them until a moderator
-- releases it; its case then opens with them attached. Bounded and written once with the petition, so
-- a column of its row rather than a table (as letters.letter.attachments).
alter table petitions.petition
  add column attachments jsonb not null default '[]'::jsonb
    check (jsonb_typeof(attachments) = 'array' and jsonb_array_length(attachments) <= 5);

-- Routing rules (属地管理、分级负责): the type of department responsible for each matter type on this
-- site, as its petition office or site administrator set it. No row: the code's default
-- (src/modules/petitions/matter-types.ts ROUTES); a rule set back to the default removes its row.
create table petitions.routing (
  tenant_id text not null,
  matter_type text not null check (matter_type ~ '^[a-z][a-z_]{1,39}$'),
  department_type text not null check (department_type ~ '^[a-z][a-z_]{1,39}$'),
  changed_at timestamptz not null default now(),
  changed_by bigint,
  primary key (tenant_id, matter_type)
);
