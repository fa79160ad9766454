/**
 * The licences on the portal: the public verification page a QR code opens (/licences/<id>), the page
 * to check a licence PDF by uploading it, and the holder's own licences with their PDFs
 * (/account/licences). All work without JavaScript; the upload is a plain multipart form with the
 * CSRF token as its first field.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { auditContextOf } from '../../kernel/http/index.ts';
import { CsrfField, Pagination, portalPage, usePage } from '../../kernel/pages/index.tsx';
import { DomainError, notFound } from '../../kernel/errors.ts';
import { chineseDate, type Licence } from './licence.ts';
import { renderLicencePdf } from './licence.pdf.ts';
import { siteUrl, type LicencesHttpDeps } from './licences.routes.ts';
import { PDF_UPLOAD_OPTIONS, readPdfUpload } from './pdf-upload.ts';
import type { Verification } from './verification.ts';
import { chinaTime, VerificationPanel } from './verification.view.tsx';

const PAGE = 20;
const PDF_FILE = /^([A-Za-z0-9_-]{22})\.pdf$/;

function UploadForm(props: { problem?: string | undefined }) {
  const { t } = usePage();
  return (
    <form method="post" action="/licences/verification" enctype="multipart/form-data" class="action-form">
      <CsrfField />
      <div class={props.problem ? 'field field-error' : 'field'}>
        <label for="field-file">{t('licences.upload.label')}</label>
        <p class="hint" id="field-file-hint">
          {t('licences.upload.hint')}
        </p>
        {props.problem ? (
          <p class="error-message" id="field-file-error">
            {props.problem}
          </p>
        ) : null}
        <input
          type="file"
          id="field-file"
          name="file"
          accept="application/pdf,.pdf"
          aria-describedby={props.problem ? 'field-file-hint field-file-error' : 'field-file-hint'}
          aria-invalid={props.problem ? 'true' : undefined}
        />
      </div>
      <button type="submit">{t('licences.upload.submit')}</button>
    </form>
  );
}

export function licencesPortalPages(app: FastifyInstance, deps: LicencesHttpDeps): void {
  const { licences, verifier } = deps;

  const uploadPage = (req: FastifyRequest, result?: Verification, problem?: string) =>
    portalPage(
      req.t,
      req.t('licences.upload.title'),
      <>
        <h1>{req.t('licences.upload.title')}</h1>
        <p class="lead">{req.t('licences.upload.intro')}</p>
        {result ? <VerificationPanel v={result} checkedAt={new Date()} /> : null}
        <UploadForm problem={problem} />
      </>,
    );

  app.get(
    '/licences/verification',
    { schema: { hide: true }, config: { access: 'public' } },
    async (req, reply) => reply.page(uploadPage(req)),
  );

  app.post(
    '/licences/verification',
    {
      schema: { hide: true },
      config: {
        access: 'public',
        rateLimit: { max: deps.uploadsPerMinute, timeWindow: 60_000 },
        multipartOptions: PDF_UPLOAD_OPTIONS,
      },
    },
    async (req, reply: FastifyReply) => {
      let pdf: Buffer;
      try {
        pdf = await readPdfUpload(req);
      } catch (e) {
        if (!(e instanceof DomainError)) throw e;
        const status = e.kind === 'too_large' ? 413 : e.kind === 'unsupported' ? 415 : 400;
        return reply.page(uploadPage(req, undefined, req.t(e.code, e.params)), status);
      }
      return reply.page(uploadPage(req, await verifier.byPdf(req.site.tenantId, pdf)));
    },
  );

  app.get<{ Params: { id: string } }>(
    '/licences/:id',
    { schema: { hide: true }, config: { access: 'public' } },
    async (req, reply) => {
      const t = req.t;
      const v = await verifier.byId(req.site.tenantId, req.params.id);
      reply.header('cache-control', 'no-store');
      return reply.page(
        portalPage(
          t,
          t('licences.page.title'),
          <>
            <h1>{t('licences.page.title')}</h1>
            <VerificationPanel v={v} checkedAt={new Date()} />
            <p>
              <a href="/licences/verification">{t('licences.page.upload_link')}</a>
            </p>
          </>,
        ),
      );
    },
  );

  app.get<{ Querystring: { offset?: string } }>(
    '/account/licences',
    { schema: { hide: true }, config: { access: 'account.self' } },
    async (req, reply) => {
      const t = req.t;
      const offset = Math.max(0, Math.min(1_000_000, Number(req.query.offset) || 0));
      const page = await licences.forHolder(auditContextOf(req), { limit: PAGE, offset });
      const day = (d: string) => (req.locale === 'zh-CN' ? chineseDate(d) : d);
      const validity = (l: Licence) =>
        l.validUntil === null
          ? t('licences.record.validity_open', { from: day(l.validFrom) })
          : t('licences.record.validity_range', { from: day(l.validFrom), until: day(l.validUntil) });
      return reply.page(
        portalPage(
          t,
          t('licences.mine.title'),
          <>
            <h1>{t('licences.mine.title')}</h1>
            {page.items.length === 0 ? (
              <p role="status">{t('licences.mine.none')}</p>
            ) : (
              <table>
                <caption class="visually-hidden">{t('licences.mine.title')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('licences.record.type')}</th>
                    <th scope="col">{t('licences.record.issuer')}</th>
                    <th scope="col">{t('licences.record.issued_at')}</th>
                    <th scope="col">{t('licences.record.validity')}</th>
                    <th scope="col">{t('licences.record.status')}</th>
                    <th scope="col">{t('licences.mine.files')}</th>
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((l) => (
                    <tr>
                      <td>{l.type.name}</td>
                      <td>{l.issuer.name}</td>
                      <td>{chinaTime(l.issuedAt)}</td>
                      <td>{validity(l)}</td>
                      <td>
                        {l.status === 'revoked'
                          ? t('licences.mine.revoked', {
                              at: chinaTime(l.revokedAt!),
                              reason: l.revokedReason ?? '',
                            })
                          : t('licences.verdict.valid')}
                      </td>
                      <td>
                        <a href={`/account/licences/${l.id}.pdf`} download>
                          {t('licences.mine.download', { name: l.type.name })}
                        </a>{' '}
                        · <a href={`/licences/${l.id}`}>{t('licences.mine.verify')}</a>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            <Pagination base="/account/licences" offset={offset} limit={PAGE} total={page.total} />
          </>,
        ),
      );
    },
  );

  app.get<{ Params: { file: string } }>(
    '/account/licences/:file',
    { schema: { hide: true }, config: { access: 'account.self' } },
    async (req, reply) => {
      const id = PDF_FILE.exec(req.params.file)?.[1];
      if (!id) throw notFound('licences.not_found', { id: req.params.file });
      const copy = await licences.holderCopy(auditContextOf(req), id);
      const pdf = await renderLicencePdf(copy.licence, copy, `${siteUrl(req)}/licences/${id}`);
      const filename = `${copy.licence.type.name}-${id}.pdf`;
      return reply
        .type('application/pdf')
        .header('cache-control', 'private, no-store')
        .header(
          'content-disposition',
          `attachment; filename="${id}.pdf"; filename*=UTF-8''${encodeURIComponent(filename)}`,
        )
        .send(pdf);
    },
  );
}
