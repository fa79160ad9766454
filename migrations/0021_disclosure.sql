-- disclosure: requests for government information (依申请公开, 政府信息公开条例 §27–45). A request is a
-- case on the disclosure process, opened in the receiving department in one transaction with its row;
-- the row keeps who asked and how to reach them (the citizen ID number SM4-encrypted), what they asked
-- for, and a projection of the case (status, due date, reply) kept in step in every transaction that
-- changes the case, so the lists need no case log.
create schema if not exists disclosure;

create table disclosure.request (
  tenant_id text not null,
  id bigint generated always as identity,
  -- what URLs carry: unguessable, so a link tells nobody how many requests there are
  public_id text not null check (public_id ~ '^[A-Za-z0-9_-]{16,32}$'),
  case_number text not null,
  -- the signed-in account that filed it (online requests only)
  requester_account_id bigint not null,
  requester_kind text not null check (requester_kind in ('person', 'organisation')),
  requester_name text not null check (length(requester_name) between 1 and 100),
  -- a person's citizen ID number, SM4-encrypted (the key's id inside); every full view is audited
  id_number text,
  -- an organisation's unified social credit code (public), its legal representative and contact person
  credit_code text check (credit_code ~ '^[0-9A-Z]{18}$'),
  legal_representative text check (length(legal_representative) between 1 and 50),
  contact_person text check (length(contact_person) between 1 and 50),
  phone text not null check (length(phone) between 1 and 30),
  address text not null default '' check (length(address) <= 200),
  email text not null default '' check (length(email) <= 100),
  -- the receiving body (a department of the site) when the request was filed
  department_id bigint not null,
  department_name text not null,
  division_code text not null,
  -- plain text; after a 补正 the supplemented description (the original stays in the case's log)
  description text not null check (length(description) between 1 and 2000),
  purpose text not null default '' check (length(purpose) <= 500),
  format text not null check (format in ('paper', 'electronic', 'disc')),
  delivery text not null check (delivery in ('pickup', 'post', 'email', 'online')),
  received_at timestamptz not null,
  supplemented_at timestamptz,
  -- the case, projected: processing, waiting for a 补正, consulting (a third party or another agency), replied
  status text not null default 'processing'
    check (status in ('processing', 'supplement', 'consulting', 'replied')),
  due_at timestamptz,
  extended boolean not null default false,
  outcome text check (outcome ~ '^[a-z][a-z0-9_]{0,39}$'),
  replied_at timestamptz,
  primary key (tenant_id, id),
  unique (tenant_id, public_id),
  unique (tenant_id, case_number),
  check ((requester_kind = 'person') = (id_number is not null)),
  check ((requester_kind = 'organisation') =
    (credit_code is not null and legal_representative is not null and contact_person is not null)),
  check ((status = 'replied') = (outcome is not null and replied_at is not null))
);
create index request_requester on disclosure.request (tenant_id, requester_account_id, received_at desc);
create index request_department on disclosure.request (tenant_id, department_id, status, due_at);
