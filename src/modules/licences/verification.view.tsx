/**
 * A verification answer as people and programs read it: the API's JSON (codes with messages in the
 * caller's language) and the panel the public pages show. Both say the same, from the same function.
 */
import type { Translate } from '../../kernel/i18n/index.ts';
import { usePage } from '../../kernel/pages/index.tsx';
import { chineseDate } from './licence.ts';
import type { Reason, Verification } from './verification.ts';

/** An instant as a person in China reads it: 2026-03-14 10:05 (UTC+8). */
export function chinaTime(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}

export function reasonMessage(reason: Reason, v: Verification, t: Translate): string {
  const l = v.licence;
  return t(`licences.reason.${reason}`, {
    at: v.keyRevokedAt ? chinaTime(v.keyRevokedAt) : '',
    from: l ? l.validFrom : '',
    until: l?.validUntil ?? '',
  });
}

/** One altered part in words: a data field by its label, the payload's own parts by name. */
export function partLabel(path: string, v: Verification, t: Translate): string {
  if (path.startsWith('fields.')) {
    const key = path.slice('fields.'.length);
    return v.licence?.fields.find((f) => f.key === key)?.label ?? key;
  }
  const known = new Set([
    'format',
    'id',
    'type.code',
    'type.name',
    'issuer.name',
    'issuer.division',
    'holder.kind',
    'holder.name',
    'holder.idNumber',
    'fields',
    'validFrom',
    'validUntil',
    'caseNumber',
    'issuedAt',
    'keyId',
    'publicKey',
  ]);
  return known.has(path) ? t(`licences.part.${path.replace('.', '_')}`) : path;
}

export function statusMessage(v: Verification, t: Translate): string {
  if (v.status === 'revoked' && v.revocation)
    return t('licences.status.revoked_at', { at: chinaTime(v.revocation.at), reason: v.revocation.reason });
  return t(`licences.status.${v.status}`);
}

/** The JSON answer of both verification endpoints. */
export function verificationJson(v: Verification, t: Translate, checkedAt: Date) {
  const l = v.licence;
  return {
    status: v.status,
    message: statusMessage(v, t),
    reasons: v.reasons.map((code) => ({ code, message: reasonMessage(code, v, t) })),
    altered: v.altered.map((path) => ({ part: path, label: partLabel(path, v, t) })),
    checkedAt: checkedAt.toISOString(),
    ...(l
      ? {
          licence: {
            id: l.id,
            type: l.type,
            issuer: l.issuer,
            holder: l.holder,
            fields: l.fields,
            validFrom: l.validFrom,
            validUntil: l.validUntil,
            issuedAt: l.issuedAt.toISOString(),
            keyId: l.keyId,
          },
        }
      : {}),
    ...(v.revocation
      ? { revocation: { at: v.revocation.at.toISOString(), reason: v.revocation.reason } }
      : {}),
    ...(v.keyRevokedAt ? { keyRevokedAt: v.keyRevokedAt.toISOString() } : {}),
  };
}

const LIGHT = { valid: 'light-green', revoked: 'light-red', invalid: 'light-red', unknown: 'light-stopped' };

/** The answer on a page: the verdict first, then why, then what the record says. */
export function VerificationPanel(props: { v: Verification; checkedAt: Date }) {
  const { t, locale } = usePage();
  const { v } = props;
  const l = v.licence;
  const day = (d: string) => (locale === 'zh-CN' ? chineseDate(d) : d);
  return (
    <section aria-labelledby="verdict">
      <h2 id="verdict">
        <span class={`light ${LIGHT[v.status]}`}>{t(`licences.verdict.${v.status}`)}</span>
      </h2>
      <p role="status">{statusMessage(v, t)}</p>
      {v.reasons.length > 0 ? (
        <ul>
          {v.reasons.map((r) => (
            <li>{reasonMessage(r, v, t)}</li>
          ))}
        </ul>
      ) : null}
      {v.altered.length > 0 ? (
        <>
          <h3>{t('licences.altered.title')}</h3>
          <ul>
            {v.altered.map((p) => (
              <li>{partLabel(p, v, t)}</li>
            ))}
          </ul>
        </>
      ) : null}
      {l ? (
        <>
          <h3>{t('licences.record.title')}</h3>
          <dl class="facts">
            <dt>{t('licences.record.type')}</dt>
            <dd>{l.type.name}</dd>
            <dt>{t('licences.record.issuer')}</dt>
            <dd>{l.issuer.name}</dd>
            <dt>{t(`licences.record.holder_${l.holder.kind}`)}</dt>
            <dd>
              {l.holder.name} <span class="muted">{l.holder.idNumber}</span>
            </dd>
            {l.fields.map((f) => (
              <>
                <dt>{f.label}</dt>
                <dd>{f.value}</dd>
              </>
            ))}
            <dt>{t('licences.record.validity')}</dt>
            <dd>
              {l.validUntil === null
                ? t('licences.record.validity_open', { from: day(l.validFrom) })
                : t('licences.record.validity_range', { from: day(l.validFrom), until: day(l.validUntil) })}
            </dd>
            <dt>{t('licences.record.issued_at')}</dt>
            <dd>{chinaTime(l.issuedAt)}</dd>
            <dt>{t('licences.record.id')}</dt>
            <dd>
              <code>{l.id}</code>
            </dd>
            <dt>{t('licences.record.key_id')}</dt>
            <dd>
              <code>{l.keyId}</code>
            </dd>
          </dl>
        </>
      ) : null}
      <p class="muted">{t('licences.checked_at', { at: chinaTime(props.checkedAt) })}</p>
    </section>
  );
}
