-- letters: attachments (附件) a writer sends with a letter — at most 3 JPEG/PNG images or PDFs of at
-- most 5 MB each, their bytes in the content-addressed blob store (DATA_DIR/files); the letter keeps
-- what names them: [{ "digest", "filename", "size", "mediaType" }]. A held letter keeps them until a
-- moderator releases it; its case then opens with them attached. Bounded and written once with the
-- letter, so a column of the letter's row (one INSERT, as the letter's opening needs) rather than a table.
alter table letters.letter
  add column attachments jsonb not null default '[]'::jsonb
    check (jsonb_typeof(attachments) = 'array' and jsonb_array_length(attachments) <= 3);
