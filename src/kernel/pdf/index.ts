/**
 * PDF documents the platform issues — blank and sample application forms (表格下载), decision documents
 * (受理通知书, 不予受理决定书, 补正告知书), electronic licences (电子证照) — and reading back PDFs people upload.
 *
 * Callers describe, the kernel lays out. A PdfDocument is a list of blocks holding already-translated
 * text; page geometry, type sizes and page breaks are decided here, after GB/T 9704 for decision
 * documents and a denser form style otherwise, so every office's output looks the same.
 *
 * Prints the same anywhere. Noto Sans SC (regular for body text, bold for titles) is embedded as a
 * subset of the glyphs used, with a ToUnicode map, so the file needs no font on the reader's machine
 * and its text can be searched and copied; a one-page form is 30–40 KB. The fonts are parsed once per
 * process (fonts.ts).
 *
 * Chinese line breaking is ours (text-wrap.ts): breaks between any two characters except before closing
 * or after opening punctuation, Latin words kept whole, lines justified by spreading the slack over the
 * characters — what pdfkit's space-based wrapper cannot do.
 *
 * Reproducible. The same PdfDocument always gives the same bytes (createdAt is the PDF's CreationDate),
 * so a document can be re-issued or compared by hash.
 *
 * Carries data. `embedded` values (a licence's canonical data and SM2 signature) travel inside the file,
 * as an attachment and in the Info dictionary (see embedded.ts for why both), and come back with
 * readPdfEmbedded — which only finds them; checking the signature is the caller's job.
 *
 * Reading uploads goes through pdf.js (unpdf) with font code evaluation off; pdfText is bounded by size
 * and page count and reports a broken or encrypted file as an error code. pdf.js is given no CMap
 * files, so text in a non-embedded font with a predefined CJK encoding (STSong-Light + UniGB-UCS2-H, as
 * older iText output uses) comes back empty; installing pdfjs-dist would let unpdf find its cmaps/.
 */
export type {
  Block,
  Field,
  FieldOption,
  FieldsBlock,
  HeadingBlock,
  ListBlock,
  NoteBlock,
  PageBreakBlock,
  ParagraphBlock,
  PdfDocument,
  PdfStyle,
  QrBlock,
  SignatureBlock,
  TableBlock,
  TableColumn,
  TitleBlock,
} from './pdf-document.ts';
export { renderPdf } from './render-pdf.ts';
export { readPdfEmbedded } from './embedded.ts';
export { PAGE_SEPARATOR, pdfText, type PdfTextLimits } from './pdf-text.ts';
