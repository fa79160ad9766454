/**
 * The catalogue in and out as a spreadsheet: the API (export as XLSX or CSV, import of one file) and
 * the workbench page that does the same without JavaScript. An import is all or nothing: every error
 * of every row is listed, each with the spreadsheet's row number, and nothing is written until there
 * are none.
 *
 * The uploaded file is read in memory, not kept in the blob store: it is a batch of edits to apply
 * now, not a document anyone refers to later, and the table reader needs its bytes whole anyway.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import type { VNode } from 'preact';
import { Type } from 'typebox';
import { sm3 } from '../../kernel/crypto/index.ts';
import { DomainError, ERROR_STATUS, invalidFields, type FieldProblem } from '../../kernel/errors.ts';
import {
  formatBytes,
  isUtf8Text,
  MEDIA_TYPES,
  mediaTypeLabel,
  mediaTypeOfZip,
  readAtBuffer,
  readUpload,
  sniffMediaType,
  SNIFF_BYTES,
  zipEntryNames,
  type BlobLimits,
} from '../../kernel/files/index.ts';
import { auditContextOf } from '../../kernel/http/index.ts';
import type { Translate } from '../../kernel/i18n/index.ts';
import { jurisdictionPrefix } from '../../kernel/policy/index.ts';
import { CsrfField, usePage, workbenchPage } from '../../kernel/pages/index.tsx';
import { readTable, writeCsv, writeXlsx } from '../../kernel/tables/index.ts';
import { inputsOfTable, ITEM_COLUMNS, recordOfItem, rowErrorsOf, type RowError } from './item.exchange.ts';
import type { ItemService, ServiceDepartment } from './item.service.ts';

export interface ExchangeDeps {
  items: ItemService;
  /** the site's active departments */
  departments(tenantId: string): Promise<ServiceDepartment[]>;
}

/** A province's whole catalogue is a few MB as XLSX; more is not a catalogue. */
const MAX_IMPORT_BYTES = 20 * 1024 * 1024;
/** XLSX, UTF-8 CSV, and the unknown bytes a GBK CSV sniffs as (the table reader decodes those). */
const IMPORT_TYPES = [MEDIA_TYPES.xlsx, MEDIA_TYPES.text, MEDIA_TYPES.unknown];
const FORMATS = { xlsx: MEDIA_TYPES.xlsx, csv: 'text/csv; charset=utf-8' } as const;

const typeNotAllowed = (type: string, allowed: readonly string[]) =>
  new DomainError('unsupported', 'files.type_not_allowed', {
    type: mediaTypeLabel(type),
    allowed: allowed.map(mediaTypeLabel).join('/'),
  });

/**
 * A blob "store" that keeps the upload in memory, with the blob store's checks: the size cut off as
 * the bytes arrive, the type sniffed from them (refused from its first bytes when it can only be
 * something not allowed).
 */
function memoryUpload() {
  const held = new Map<string, Buffer>();
  return {
    bytes: (digest: string) => held.get(digest) ?? Buffer.alloc(0),
    async put(input: Buffer | Readable, limits: BlobLimits) {
      const chunks: Buffer[] = [];
      let size = 0;
      let sniffed = false;
      for await (const chunk of Buffer.isBuffer(input) ? [input] : (input as AsyncIterable<Buffer>)) {
        size += chunk.length;
        if (size > limits.maxBytes)
          throw new DomainError('too_large', 'files.too_large', { max: formatBytes(limits.maxBytes) });
        chunks.push(chunk);
        if (!sniffed && size >= SNIFF_BYTES) {
          sniffed = true;
          const head = sniffMediaType(Buffer.concat(chunks).subarray(0, SNIFF_BYTES));
          if (head !== MEDIA_TYPES.zip && !limits.allowed.includes(head))
            throw typeNotAllowed(head, limits.allowed);
        }
      }
      const bytes = Buffer.concat(chunks);
      if (size === 0) throw new DomainError('invalid', 'files.empty');
      let mediaType = sniffMediaType(bytes.subarray(0, SNIFF_BYTES));
      if (mediaType === MEDIA_TYPES.zip)
        mediaType = mediaTypeOfZip((await zipEntryNames(readAtBuffer(bytes), size)) ?? []);
      else if (mediaType === MEDIA_TYPES.text && !isUtf8Text(bytes)) mediaType = MEDIA_TYPES.unknown;
      if (!limits.allowed.includes(mediaType)) throw typeNotAllowed(mediaType, limits.allowed);
      const digest = sm3(bytes);
      held.set(digest, bytes);
      return { digest, size, mediaType };
    },
  };
}

/** A row error as the API lists it: `<row>/<column>`, with what its message needs in params. */
const fieldOf = (e: RowError): FieldProblem => ({
  field: e.column === undefined ? String(e.row) : `${e.row}/${e.column}`,
  code: e.code,
  params: { ...e.params, row: e.row, column: e.column ?? '', ...(e.entry && { entry: e.entry }) },
});

/** A listed error as a sentence: the table's codes say row and column themselves; the item's do not. */
function messageOf(t: Translate, f: FieldProblem): string {
  const params = f.params ?? {};
  if (f.code.startsWith('tables.') || params.row === undefined) return t(f.code, params);
  const message = t(f.code, params);
  if (params.entry !== undefined) return t('services.exchange.row_entry_problem', { ...params, message });
  if (params.column) return t('services.exchange.row_problem', { ...params, message });
  return t('services.exchange.row_only_problem', { ...params, message });
}

/** China's calendar day, for the file name of an export. */
const chinaDate = () => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' }).format(new Date());

export function servicesExchangeHttp(fastify: FastifyInstance, deps: ExchangeDeps): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { items } = deps;
  const access = { access: 'services.manage' as const };

  /** The departments of the importer's jurisdiction by name (names repeat only across divisions). */
  async function departmentIds(req: FastifyRequest) {
    const prefix = req.actor ? jurisdictionPrefix(req.actor) : '';
    const byName = new Map<string, number[]>();
    const nameKey = (name: string) => name.normalize('NFKC').replace(/\s+/g, '');
    for (const d of await deps.departments(req.site.tenantId))
      if (d.divisionCode.startsWith(prefix))
        byName.set(nameKey(d.name), [...(byName.get(nameKey(d.name)) ?? []), d.id]);
    return (name: string) => byName.get(nameKey(name)) ?? [];
  }

  /** Reads the one uploaded file and imports it, or throws every row's errors (400) or the file's. */
  async function importUpload(req: FastifyRequest) {
    const upload = memoryUpload();
    const { files } = await readUpload(req, upload, { maxBytes: MAX_IMPORT_BYTES, allowed: IMPORT_TYPES });
    const file = files[0];
    if (!file || files.length > 1)
      throw new DomainError('invalid', 'services.exchange.one_file', {}, [
        { field: 'file', code: 'services.exchange.one_file' },
      ]);
    const { rows } = await readTable(upload.bytes(file.digest), file.mediaType);
    const { inputs, errors, lang } = inputsOfTable(rows, await departmentIds(req));
    const rejected = (list: RowError[]) =>
      invalidFields(list.sort((a, b) => a.row - b.row).map(fieldOf), 'services.import.rejected');
    if (errors.length > 0) throw rejected(errors);
    return items.importItems(auditContextOf(req), inputs).catch((e: unknown) => {
      if (e instanceof DomainError && e.fields.length > 0) throw rejected(rowErrorsOf(e.fields, lang));
      throw e;
    });
  }

  const Problem = Type.Ref('Problem');
  const Counts = Type.Object({ created: Type.Integer(), changed: Type.Integer(), unchanged: Type.Integer() });
  const binary = (type: string) => ({ [type]: { schema: Type.String({ format: 'binary' }) } });

  app.get(
    '/api/v1/services/admin/items/export',
    {
      config: access,
      schema: {
        tags: ['services'],
        summary:
          "The catalogue of the caller's jurisdiction, any status, as a spreadsheet in the caller's language (the import reads it back)",
        querystring: Type.Object({
          format: Type.Optional(Type.Union([Type.Literal('xlsx'), Type.Literal('csv')], { default: 'xlsx' })),
        }),
        response: {
          200: {
            description: 'XLSX, or CSV in UTF-8 with a BOM',
            content: { ...binary(FORMATS.xlsx), ...binary('text/csv') },
          },
          400: Problem,
          401: Problem,
          403: Problem,
        },
      },
    },
    async (req, reply) => {
      const format = req.query.format ?? 'xlsx';
      const lang = req.locale;
      const [list, departments] = await Promise.all([
        items.exportItems(auditContextOf(req)),
        deps.departments(req.site.tenantId),
      ]);
      const names = new Map(departments.map((d) => [d.id, d.name]));
      const records = list.map((i) => recordOfItem(i, lang, names.get(i.departmentId)));
      const body =
        format === 'csv'
          ? Buffer.from(writeCsv(ITEM_COLUMNS, records, { lang }))
          : await writeXlsx(ITEM_COLUMNS, records, {
              lang,
              sheetName: req.t('services.exchange.sheet_name'),
            });
      const name = `${req.t('services.exchange.file_name')}-${chinaDate()}.${format}`;
      return reply
        .type(FORMATS[format])
        .header('cache-control', 'private, no-store')
        .header(
          'content-disposition',
          `attachment; filename="service-items-${chinaDate()}.${format}"; filename*=UTF-8''${encodeURIComponent(name)}`,
        )
        .send(body);
    },
  );

  app.post(
    '/api/v1/services/admin/items/import',
    {
      config: access,
      schema: {
        tags: ['services'],
        summary:
          'Imports items from one XLSX or CSV file (multipart/form-data, one part "file"; the export\'s columns, either language): each row creates or replaces the item of its code, all or nothing. 400 lists every row\'s errors as "<row>/<column>". With a session cookie, send the CSRF token first or as X-CSRF-Token.',
        consumes: ['multipart/form-data'],
        response: { 200: Counts, 400: Problem, 401: Problem, 403: Problem, 413: Problem, 415: Problem },
      },
    },
    async (req) => importUpload(req),
  );

  const page = (t: Translate, body: VNode) =>
    workbenchPage(
      t,
      t('services.exchange.title'),
      <>
        <h1>{t('services.exchange.title')}</h1>
        {body}
      </>,
      [{ href: '/workbench/services', label: t('services.workbench.title') }],
    );

  app.get('/workbench/services/exchange', { config: access }, async (req, reply) => {
    const q = req.query as Record<string, string | undefined>;
    const [created = NaN, changed = NaN, unchanged = NaN] = ['created', 'changed', 'unchanged'].map((k) =>
      Number(q[k] ?? NaN),
    );
    const done = [created, changed, unchanged].every((n) => Number.isSafeInteger(n) && n >= 0);
    return reply.page(
      page(req.t, <ExchangePage done={done ? { created, changed, unchanged } : undefined} />),
    );
  });

  app.post('/workbench/services/exchange', { config: access }, async (req, reply) => {
    try {
      const r = await importUpload(req);
      const query = new URLSearchParams({
        created: `${r.created}`,
        changed: `${r.changed}`,
        unchanged: `${r.unchanged}`,
      });
      return reply.redirect(`/workbench/services/exchange?${query}`, 303);
    } catch (e) {
      if (!(e instanceof DomainError) || !['invalid', 'too_large', 'unsupported'].includes(e.kind)) throw e;
      const errors = e.fields.filter((f) => f.field !== 'file').map((f) => messageOf(req.t, f));
      const summary =
        errors.length > 0
          ? req.t('services.exchange.errors', { count: errors.length })
          : req.t(e.code, e.params);
      return reply.page(
        page(req.t, <ExchangePage summary={summary} errors={errors} />),
        ERROR_STATUS[e.kind],
      );
    }
  });
}

function ExchangePage(props: {
  done?: { created: number; changed: number; unchanged: number } | undefined;
  summary?: string;
  errors?: string[];
}) {
  const { t } = usePage();
  const exportUrl = (format: string) => `/api/v1/services/admin/items/export?format=${format}`;
  return (
    <>
      {props.done ? (
        <p class="notice" role="status">
          {t('services.exchange.imported', props.done)}
        </p>
      ) : null}
      {props.summary ? (
        <div class="error-summary" role="alert" tabIndex={-1} id="import-errors">
          <h2>{props.summary}</h2>
          {props.errors && props.errors.length > 0 ? (
            <ul>
              {props.errors.map((e) => (
                <li>{e}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      <h2>{t('services.exchange.export_title')}</h2>
      <p class="hint">{t('services.exchange.export_hint')}</p>
      <ul>
        <li>
          <a href={exportUrl('xlsx')}>{t('services.exchange.export_xlsx')}</a>
        </li>
        <li>
          <a href={exportUrl('csv')}>{t('services.exchange.export_csv')}</a>
        </li>
      </ul>
      <h2>{t('services.exchange.import_title')}</h2>
      <p class="hint">{t('services.exchange.import_hint')}</p>
      <ul class="hint">
        <li>{t('services.exchange.materials_help')}</li>
        <li>{t('services.exchange.fees_help')}</li>
        <li>{t('services.exchange.lists_help')}</li>
      </ul>
      <form method="post" action="/workbench/services/exchange" enctype="multipart/form-data">
        <CsrfField />
        <div class="field">
          <label for="field-file">{t('services.exchange.file')}</label>
          <input id="field-file" name="file" type="file" required accept=".xlsx,.csv" />
        </div>
        <button type="submit">{t('services.exchange.submit')}</button>
      </form>
    </>
  );
}
