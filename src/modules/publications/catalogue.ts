/**
 * The words of active disclosure (主动公开): the disclosure catalogue's categories, a publication and
 * its metadata, and index numbers (索引号). Pure: no database.
 */
import type { FieldProblem } from '../../kernel/errors.ts';
import { MAX_RICH_TEXT_LENGTH } from '../../kernel/html/index.ts';

export const CATEGORY_KINDS = ['news', 'notice', 'policy', 'interpretation', 'other'] as const;
export type CategoryKind = (typeof CATEGORY_KINDS)[number];

export interface Category {
  code: string;
  name: string;
  parentCode: string | null;
  kind: CategoryKind;
  position: number;
  active: boolean;
}

/**
 * The categories a site starts with: the catalogue the 政府信息公开条例 (art. 19–20) and the State
 * Council's 基层政务公开标准目录 have every government disclose. A site renames, adds and retires them.
 */
export const DEFAULT_CATEGORIES: readonly Omit<Category, 'position' | 'active'>[] = [
  { code: 'functions', name: '机构职能', parentCode: null, kind: 'other' },
  { code: 'leaders', name: '负责人信息', parentCode: null, kind: 'other' },
  { code: 'regulations', name: '法规文件', parentCode: null, kind: 'policy' },
  { code: 'policies', name: '政策文件', parentCode: null, kind: 'policy' },
  { code: 'interpretations', name: '政策解读', parentCode: null, kind: 'interpretation' },
  { code: 'plans', name: '规划计划', parentCode: null, kind: 'policy' },
  { code: 'finance', name: '财政信息（预决算）', parentCode: null, kind: 'notice' },
  { code: 'personnel', name: '人事信息', parentCode: null, kind: 'notice' },
  { code: 'notices', name: '通知公告', parentCode: null, kind: 'notice' },
  { code: 'news', name: '工作动态', parentCode: null, kind: 'news' },
  { code: 'key-areas', name: '重点领域信息', parentCode: null, kind: 'other' },
  { code: 'key-procurement', name: '政府采购', parentCode: 'key-areas', kind: 'notice' },
  { code: 'key-education', name: '教育', parentCode: 'key-areas', kind: 'notice' },
  { code: 'key-health', name: '医疗卫生', parentCode: 'key-areas', kind: 'notice' },
  { code: 'key-environment', name: '生态环境', parentCode: 'key-areas', kind: 'notice' },
  { code: 'key-housing', name: '保障性住房', parentCode: 'key-areas', kind: 'notice' },
];

export const VALIDITIES = ['valid', 'expired', 'repealed'] as const;
export type Validity = (typeof VALIDITIES)[number];

export type PublicationStatus = 'draft' | 'in_review' | 'published' | 'withdrawn';

export interface Attachment {
  position: number;
  digest: string;
  fileName: string;
  mediaType: string;
  size: number;
}

export interface Publication {
  id: number;
  categoryCode: string;
  categoryName: string;
  title: string;
  indexNumber: string | null;
  departmentId: number;
  divisionCode: string;
  issuingBody: string;
  /** 成文日期, YYYY-MM-DD */
  writtenOn: string | null;
  docNumber: string;
  subject: string;
  validity: Validity;
  replacedBy: { id: number; title: string } | null;
  bodyHtml: string;
  status: PublicationStatus;
  /** when it goes or went public (ISO); null until approved */
  publishAt: string | null;
  reviewCase: string | null;
  reviewNote: string;
  withdrawnAt: string | null;
  withdrawalReason: string;
  attachments: Attachment[];
  createdAt: string;
  updatedAt: string;
}

/** What a publisher writes; the rest (status, index number unless typed, dates) the module keeps. */
export interface PublicationInput {
  categoryCode: string;
  title: string;
  /** typed by the publisher, or '' to have one made at publication */
  indexNumber: string;
  /** 发布机构; '' for the department's own name */
  issuingBody: string;
  writtenOn: string | null;
  docNumber: string;
  subject: string;
  bodyHtml: string;
  /** when to go public once approved (ISO); null: at approval */
  publishAt: string | null;
}

/** Whether a publication is public at `now`: published, and its time has come. */
export const isPublic = (p: Pick<Publication, 'status' | 'publishAt'>, now: Date) =>
  p.status === 'published' && p.publishAt !== null && new Date(p.publishAt) <= now;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const validDate = (s: string) => DATE.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`));

/** Field problems of a publisher's input (the body is checked by the sanitiser, not here). */
export function checkInput(input: PublicationInput): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const title = input.title.trim();
  if (title.length < 1 || title.length > 200)
    problems.push({ field: 'title', code: 'publications.title_length' });
  if (input.indexNumber.length > 60 || /[\s<>"]/.test(input.indexNumber))
    problems.push({ field: 'indexNumber', code: 'publications.index_number_format' });
  // Left empty, the department's own name is printed.
  if (input.issuingBody.trim().length > 100)
    problems.push({ field: 'issuingBody', code: 'publications.issuing_body_length' });
  if (input.writtenOn !== null && !validDate(input.writtenOn))
    problems.push({ field: 'writtenOn', code: 'publications.date_invalid' });
  if (input.docNumber.length > 60) problems.push({ field: 'docNumber', code: 'errors.field_length' });
  if (input.subject.length > 50) problems.push({ field: 'subject', code: 'errors.field_length' });
  // Deeply nested HTML costs the parser the square of its depth: the length is bounded before parsing.
  if (input.bodyHtml.length > MAX_RICH_TEXT_LENGTH)
    problems.push({ field: 'bodyHtml', code: 'publications.body_too_long' });
  if (input.publishAt !== null && Number.isNaN(Date.parse(input.publishAt)))
    problems.push({ field: 'publishAt', code: 'publications.date_invalid' });
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Index numbers (索引号)

/**
 * The default pattern: the issuing department's organisation code (组织机构代码, characters 9–17 of its
 * unified social credit code), the year, a five-digit sequence — 002482245/2026-00012, as most
 * provincial sites print it.
 */
export const DEFAULT_INDEX_PATTERN = '{org}/{year}-{seq:5}';

const TOKEN = /\{(org|year|category|seq(?::(\d))?)\}/g;

/** Problems with a pattern a site sets: it must contain exactly one {seq} (or {seq:N}, N 1–9), last. */
export function checkIndexPattern(pattern: string): string | null {
  if (pattern.length < 1 || pattern.length > 100) return 'publications.index_pattern.length';
  const stripped = pattern.replace(TOKEN, '');
  if (/[{}\s<>"]/.test(stripped)) return 'publications.index_pattern.token';
  const seqs = [...pattern.matchAll(TOKEN)].filter((m) => m[1]!.startsWith('seq'));
  if (seqs.length !== 1) return 'publications.index_pattern.seq';
  return null;
}

/**
 * The parts of an index number before and after its sequence: the prefix is the counter's key (each
 * organisation and year numbers on its own), the width pads the sequence.
 */
export function indexParts(
  pattern: string,
  values: { org: string; year: number; category: string },
): { prefix: string; width: number; suffix: string } {
  let prefix = '';
  let suffix = '';
  let width = 1;
  let seen = false;
  let at = 0;
  for (const m of pattern.matchAll(TOKEN)) {
    const literal = pattern.slice(at, m.index);
    at = m.index + m[0].length;
    const name = m[1]!;
    let value = '';
    if (name === 'org') value = values.org;
    else if (name === 'year') value = String(values.year);
    else if (name === 'category') value = values.category;
    else {
      width = Number(m[2] ?? 1);
      seen = true;
    }
    if (seen && !name.startsWith('seq')) suffix += literal + value;
    else if (seen) prefix += literal;
    else prefix += literal + value;
  }
  const tail = pattern.slice(at);
  if (seen) suffix += tail;
  else prefix += tail;
  return { prefix, width, suffix };
}

export const formatIndexNumber = (parts: { prefix: string; width: number; suffix: string }, seq: number) =>
  `${parts.prefix}${String(seq).padStart(parts.width, '0')}${parts.suffix}`;

/** The organisation code of a unified social credit code (its characters 9–17), or '' without one. */
export const organisationCode = (creditCode: string | null | undefined) =>
  creditCode && creditCode.length === 18 ? creditCode.slice(8, 17) : '';
