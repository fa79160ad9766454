/**
 * The document model callers fill with already-translated text. It describes what a page says, not
 * where things go: the renderer owns layout (A4, margins, sizes, page breaks), so every form, notice
 * and licence the platform issues looks like it came from one office.
 */

/**
 * 'official' follows GB/T 9704 (党政机关公文格式): 37/28/35/26 mm margins, a 22 pt title and 16 pt body
 * text on a 29 pt line pitch — for decision documents (受理通知书, 不予受理决定书, 补正告知书). 'form' is the
 * denser layout of application forms, tables and licences: 20 mm margins, 11 pt text.
 */
export type PdfStyle = 'official' | 'form';

export interface PdfDocument {
  title: string;
  lang: 'zh-CN' | 'en';
  style?: PdfStyle;
  author?: string;
  subject?: string;
  keywords?: string[];
  /** Also the PDF's CreationDate: the same document rendered twice gives the same bytes. */
  createdAt: Date;
  blocks: Block[];
  /** Small print at the foot of every page, e.g. the issuing body. */
  footer?: string;
  /** e.g. '第 {page} 页 / 共 {pages} 页'; no page numbers when absent. */
  pageNumbers?: string;
  /** Large faint diagonal text on every page, e.g. 填写样例 on a filled sample form. */
  watermark?: string;
  /** Machine-readable values carried inside the file, read back by readPdfEmbedded. */
  embedded?: Record<string, string>;
}

export type Block =
  | TitleBlock
  | HeadingBlock
  | ParagraphBlock
  | ListBlock
  | FieldsBlock
  | TableBlock
  | QrBlock
  | SignatureBlock
  | NoteBlock
  | PageBreakBlock;

/** The document's name, centred and bold; `subtitle` is the document number (文号) or form number. */
export interface TitleBlock {
  kind: 'title';
  text: string;
  subtitle?: string;
}

/** A section heading; the caller writes its numbering (一、 / （一）) into the text. */
export interface HeadingBlock {
  kind: 'heading';
  text: string;
}

/**
 * Body text, justified on both edges as Chinese documents are. `indent` (default true) sets the first
 * line in by two characters; turn it off for the addressee line (张三：). Line breaks in `text` are kept.
 */
export interface ParagraphBlock {
  kind: 'paragraph';
  text: string;
  indent?: boolean;
  align?: 'justify' | 'left' | 'center' | 'right';
}

export interface ListBlock {
  kind: 'list';
  items: string[];
  /** Numbered 1. 2. 3. when true, bulleted otherwise. */
  ordered?: boolean;
}

/**
 * Label–value pairs. 'grid' draws the ruled table of an application form (columns: 2 puts two pairs on
 * a row); 'plain' writes 'label：value' lines, as on a licence or below a declaration.
 */
export interface FieldsBlock {
  kind: 'fields';
  fields: Field[];
  layout?: 'grid' | 'plain';
  columns?: 1 | 2;
}

/**
 * One field. With `options` it is a checkbox list (the checked ones ticked); otherwise `value` is its
 * text, and a field without a value is left blank to fill by hand: `blankLines` ruled lines (default 1).
 */
export interface Field {
  label: string;
  value?: string;
  blankLines?: number;
  options?: FieldOption[];
  /** Takes a whole row of a two-column grid (addresses, long text). */
  wide?: boolean;
}

export interface FieldOption {
  label: string;
  checked?: boolean;
}

/** Rows wrap inside their cells; the header row is drawn again at the top of every page. */
export interface TableBlock {
  kind: 'table';
  columns: TableColumn[];
  rows: string[][];
}

export interface TableColumn {
  header: string;
  /** Relative width (default 1). */
  width?: number;
  align?: 'left' | 'center' | 'right';
}

/** A QR code drawn as vector squares (sharp at any zoom or printer), with an optional caption below. */
export interface QrBlock {
  kind: 'qr';
  payload: string;
  caption?: string;
  /** Side of the code in millimetres (default 30). */
  sizeMm?: number;
  align?: 'left' | 'center' | 'right';
}

/**
 * The issuing body and date at the right, below room for the seal, as at the end of a decision
 * document or licence. `date` is already formatted (2025年1月6日).
 */
export interface SignatureBlock {
  kind: 'signature';
  issuer: string;
  date: string;
}

/** Small print: form instructions (填表说明), legal notices at the foot of a decision. */
export interface NoteBlock {
  kind: 'note';
  text: string;
}

export interface PageBreakBlock {
  kind: 'pageBreak';
}
