/**
 * kernel/text — texts the public writes (questions, letters, petitions, comments) and shows.
 *
 * Kept as plain text, and shown to the public with what points at a person masked.
 *
 * Plain text, because a question is typed into a text box or sent by a script that may paste HTML:
 * tags are removed (and entities decoded once, then tags removed again, so `&lt;b&gt;` cannot come
 * back as a tag), line breaks kept. Pages escape everything anyway; storing plain text means the API,
 * the notification mail and any later export never carry markup either. Only something that looks
 * like a tag (a letter after `<`) is removed: "收入<3000元且>1000元" stays as written.
 *
 * Masking for the guide page: the asker's name becomes its first character and two asterisks (the
 * length of a name says something too), and inside the texts the identifiers people paste without
 * thinking — ID numbers, mobile numbers, bank card numbers, e-mail addresses — keep only enough to be
 * recognised by their owner. Names and addresses inside free text cannot be found reliably by a
 * pattern; the answer form tells the staff so.
 */

const ENTITIES: Record<string, string> = {
  lt: '<',
  gt: '>',
  amp: '&',
  quot: '"',
  apos: "'",
  nbsp: ' ',
};

function decodeEntities(s: string): string {
  return s.replace(/&(#\d{1,7}|#x[0-9a-f]{1,6}|[a-z]{2,8});/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code =
        name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff)
        ? String.fromCodePoint(code)
        : '';
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

const TAG = /<\/?[A-Za-z][^<>]*>|<!--[\s\S]*?(-->|$)/g;

/** A text as plain text: no tags, no control characters, lines kept, blank runs collapsed, trimmed. */
export function plainText(input: string): string {
  const withBreaks = input
    .replace(/<(script|style)\b[\s\S]*?(<\/\1\s*>|$)/gi, '')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|li|h[1-6]|tr|blockquote)\s*>/gi, '\n');
  return (
    decodeEntities(withBreaks.replace(TAG, ''))
      .replace(TAG, '')
      .replace(/\r\n?/g, '\n')
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u200b\ufeff]/g, '')
      .replace(/[ \t\u00a0]+\n/g, '\n')
      .replace(/\n{3,}/g, '\n\n')
      .trim()
  );
}

/** Characters as people count them (a CJK character or an emoji is one). */
export const lengthOf = (s: string) => [...s].length;

/** The asker as the guide page shows them: 张**, 一** — never the whole name, nor its length. */
export function maskedName(name: string): string {
  const first = [...name.trim()][0];
  return first ? `${first}**` : '**';
}

const keep = (s: string, head: number, tail: number) =>
  s.slice(0, head) + '*'.repeat(Math.max(1, s.length - head - tail)) + s.slice(s.length - tail);

/**
 * A text for the public: ID numbers (15 or 18 characters) and bank card numbers (16–19 digits) keep
 * their first and last four, mobile numbers their first three and last four, e-mail addresses the
 * first character and the domain. Office telephone numbers (with an area code and a dash) stay.
 */
export function maskPersonalData(text: string): string {
  return text
    .replace(/(?<![0-9A-Za-z])(\d{17}[\dXx]|\d{15,19})(?![0-9A-Za-z])/g, (n) => keep(n, 4, 4))
    .replace(
      /(?<![0-9A-Za-z-])(?:\+?86[- ]?)?(1[3-9]\d)[- ]?(\d{4})[- ]?(\d{4})(?![0-9A-Za-z])/g,
      (_m, a, _b, c) => `${a}****${c}`,
    )
    .replace(/([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)/g, '$1***@$2');
}
