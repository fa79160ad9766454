-- workflow: keep a process definition exactly as written. jsonb stores object keys in its own order
-- (shortest first), which lost the author's order of steps, actions and branches — the order the
-- pages list them in and the order that names a parallel start's first branch. json keeps the text.
alter table workflow.definition alter column body type json using body::json;
