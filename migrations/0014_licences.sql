-- licences: electronic licences (电子证照) and the departments' SM2 signing keys.
--
-- A licence row holds everything its signed payload is rebuilt from (the holder's ID number only
-- SM4-encrypted), the SM2 signature and the SM3 digest of the canonical payload, so verification by id
-- can tell an altered row from a genuine one without trusting any single column.
create schema if not exists licences;

-- One department signs with one current key; rotation retires it (it still verifies what it signed),
-- revocation (a compromised key) makes everything it signed verify as invalid.
create table licences.signing_key (
  tenant_id text not null,
  -- first 16 hex digits of SM3 over the public point (sm2KeyId)
  key_id text not null check (key_id ~ '^[0-9a-f]{16}$'),
  department_id bigint not null,
  -- uncompressed point 04||x||y, hex
  public_key text not null check (public_key ~ '^04[0-9a-f]{128}$'),
  -- PKCS#8 PEM, SM4-encrypted with the personal-data keyring
  private_key_enc text not null,
  status text not null check (status in ('current', 'retired', 'revoked')),
  created_at timestamptz not null,
  created_by text not null,
  retired_at timestamptz,
  revoked_at timestamptz,
  revoked_reason text,
  primary key (tenant_id, key_id),
  check ((status = 'revoked') = (revoked_at is not null))
);
-- At most one current key per department; a concurrent first issue finds the other's key.
create unique index signing_key_current on licences.signing_key (tenant_id, department_id)
  where status = 'current';
create index signing_key_department on licences.signing_key (tenant_id, department_id, created_at desc);

create table licences.licence (
  tenant_id text not null,
  -- 16 random bytes, base64url: unguessable, so a licence's page is reached only from its QR code
  id text not null check (id ~ '^[A-Za-z0-9_-]{22}$'),
  type_code text not null,
  type_name text not null,
  department_id bigint not null,
  -- the issuer as signed (a department renamed later does not change its licences)
  issuer_name text not null,
  issuer_division text not null,
  holder_kind text not null check (holder_kind in ('person', 'enterprise')),
  holder_name text not null,
  holder_id_enc text not null,
  -- whose account lists it (/account/licences); null for a holder without an account
  holder_account_id bigint,
  -- [{ key, label, value }] in the order printed
  fields jsonb not null,
  valid_from date not null,
  valid_until date,
  case_number text,
  issued_at timestamptz not null,
  issued_by text not null,
  key_id text not null,
  signature text not null,
  -- SM3 of the canonical payload
  digest text not null check (digest ~ '^[0-9a-f]{64}$'),
  status text not null default 'valid' check (status in ('valid', 'revoked')),
  revoked_at timestamptz,
  revoked_reason text,
  revoked_by text,
  primary key (tenant_id, id),
  foreign key (tenant_id, key_id) references licences.signing_key (tenant_id, key_id),
  check ((status = 'revoked') = (revoked_at is not null))
);
create index licence_department on licences.licence (tenant_id, department_id, issued_at desc);
create index licence_holder on licences.licence (tenant_id, holder_account_id, issued_at desc)
  where holder_account_id is not null;
