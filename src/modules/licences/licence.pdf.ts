/**
 * The licence as a PDF (电子证照文件): what it says, in Chinese as an official document is, with a QR
 * code that opens its public verification page and, embedded, the canonical payload, the signature and
 * the key id — so the file itself can be checked (POST /api/v1/licences/verification) long after it
 * was downloaded, by us or by anyone holding the public key.
 *
 * Rendered on each download from the record, never stored: the output is a pure function of the record
 * and the site's address (createdAt is the issue time), so the same licence downloads as the same bytes.
 * The QR code's URL is not signed: a site reached under another host name still issues valid files.
 */
import { translator } from '../../kernel/i18n/index.ts';
import { renderPdf, type Field, type PdfDocument } from '../../kernel/pdf/index.ts';
import { chineseDate, type Licence } from './licence.ts';

/** The names the payload travels under inside the PDF (read back by verification.ts). */
export const EMBEDDED_KEYS = { data: 'licence', signature: 'signature', keyId: 'keyId' } as const;

export function licenceDocument(
  l: Licence,
  copy: { idNumber: string; canonical: string },
  verifyUrl: string,
): PdfDocument {
  // An official document: Chinese whatever language the holder browses in.
  const t = translator('zh-CN');
  const issued = chineseDate(new Date(l.issuedAt.getTime() + 8 * 3_600_000).toISOString().slice(0, 10));
  const validity =
    l.validUntil === null
      ? t('licences.pdf.validity_open', { from: chineseDate(l.validFrom) })
      : t('licences.pdf.validity', { from: chineseDate(l.validFrom), until: chineseDate(l.validUntil) });
  const fields: Field[] = [
    { label: t(`licences.pdf.holder_${l.holder.kind}`), value: l.holder.name },
    { label: t(`licences.pdf.id_${l.holder.kind}`), value: copy.idNumber },
    ...l.fields.map((f) => ({ label: f.label, value: f.value })),
    { label: t('licences.pdf.validity_label'), value: validity },
    { label: t('licences.pdf.issuer'), value: l.issuer.name },
    { label: t('licences.pdf.licence_id'), value: l.id },
  ];
  if (l.caseNumber) fields.push({ label: t('licences.pdf.case_number'), value: l.caseNumber });
  return {
    title: l.type.name,
    lang: 'zh-CN',
    author: l.issuer.name,
    subject: t('licences.pdf.subject'),
    keywords: [l.type.name, t('licences.pdf.subject')],
    createdAt: l.issuedAt,
    embedded: {
      [EMBEDDED_KEYS.data]: copy.canonical,
      [EMBEDDED_KEYS.signature]: l.signature,
      [EMBEDDED_KEYS.keyId]: l.keyId,
    },
    footer: t('licences.pdf.footer', { keyId: l.keyId }),
    blocks: [
      { kind: 'title', text: l.type.name, subtitle: t('licences.pdf.subtitle') },
      { kind: 'fields', layout: 'plain', fields },
      { kind: 'qr', payload: verifyUrl, caption: t('licences.pdf.qr_caption'), align: 'right' },
      { kind: 'signature', issuer: l.issuer.name, date: issued },
      { kind: 'note', text: t('licences.pdf.note', { url: verifyUrl }) },
    ],
  };
}

export function renderLicencePdf(
  l: Licence,
  copy: { idNumber: string; canonical: string },
  verifyUrl: string,
): Promise<Buffer> {
  return renderPdf(licenceDocument(l, copy, verifyUrl));
}
