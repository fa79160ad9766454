-- applications: a client that submits an application in one request (form, materials and submission
-- together) names it with an Idempotency-Key, so a retry after a lost answer finds the case the first
-- attempt opened instead of opening a second one. Unique per applicant account.
alter table applications.application add column idempotency_key text;

create unique index application_idempotency
  on applications.application (tenant_id, applicant_account_id, idempotency_key)
  where idempotency_key is not null;
