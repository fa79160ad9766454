/**
 * A notification's text comes from the locale files at the moment it is shown, never from a table:
 * `notify.<kind>.subject` and `notify.<kind>.body`, with {placeholders} filled from the message's params.
 * So the inbox reads in each viewer's language, and a module that adds a kind adds only locale keys.
 *
 * A param whose name ends in `Key` holds a locale key instead of text: `{ decisionKey:
 * 'notify.decision.approved' }` fills {decision} with that key's text in the reader's language (for
 * values from a closed set, such as a decision or an outcome). Other params are data, shown as given.
 */
import { catalogFor, LOCALES, translator, type Locale } from '../../kernel/i18n/index.ts';

export type NotifyParams = Record<string, string | number>;

const KIND = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;
const PARAM_NAME = /^[A-Za-z][A-Za-z0-9]{0,39}$/;
/** What one message may carry: enough for a list of missing materials, not a document. */
const MAX_PARAM_LENGTH = 4000;
const MAX_PARAMS = 30;
const MAX_LINK_LENGTH = 2000;

export const subjectKey = (kind: string) => `notify.${kind}.subject`;
export const bodyKey = (kind: string) => `notify.${kind}.body`;

const placeholders = (template: string) => [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);

/**
 * Checks a message before it is stored: a known kind (its subject and body exist in every language),
 * every placeholder of both templates given, params of a sane size, and a link that stays on the site.
 * A failure is the calling module's bug, so it throws a plain Error (and the caller's transaction,
 * which should not commit a notification nobody can read, rolls back).
 */
export function checkMessage(kind: string, params: NotifyParams, link: string | undefined): void {
  const fail = (why: string) => {
    throw new Error(`notify: ${kind}: ${why}`);
  };
  if (!KIND.test(kind) || kind.length > 100) fail('the kind must look like module.event');
  const names = Object.keys(params);
  if (names.length > MAX_PARAMS) fail(`more than ${MAX_PARAMS} params`);
  for (const name of names) {
    const value = params[name];
    if (!PARAM_NAME.test(name)) fail(`bad param name "${name}"`);
    if (typeof value === 'number' ? !Number.isFinite(value) : typeof value !== 'string')
      fail(`param "${name}" must be a string or a finite number`);
    if (String(value).length > MAX_PARAM_LENGTH) fail(`param "${name}" is longer than ${MAX_PARAM_LENGTH}`);
    if (name.endsWith('Key') && !(String(value) in catalogFor('zh-CN')))
      fail(`param "${name}" names no locale key: ${String(value)}`);
  }
  for (const locale of LOCALES) {
    const catalog = catalogFor(locale);
    for (const key of [subjectKey(kind), bodyKey(kind)]) {
      const template = catalog[key];
      if (template === undefined) fail(`no message ${key} in locales/${locale}`);
      for (const p of placeholders(template!))
        if (!(p in params) && !(`${p}Key` in params)) fail(`${key} needs the param "${p}"`);
    }
  }
  if (link !== undefined && !isSitePath(link)) fail(`the link must be a path on the site: ${link}`);
}

/** '/x/y?z' — never '//host', 'https://…', a backslash or a control character (no open redirect). */
export function isSitePath(link: string): boolean {
  return (
    link.length <= MAX_LINK_LENGTH &&
    /^\/([^/\\]|$)/.test(link) &&
    // eslint-disable-next-line no-control-regex
    !/[\u0000-\u001f\u007f\\]/.test(link)
  );
}

export interface RenderedMessage {
  subject: string;
  body: string;
}

/** The message in one language; a kind whose keys have gone since it was stored reads as a notice. */
export function renderMessage(locale: Locale, kind: string, params: NotifyParams): RenderedMessage {
  const t = translator(locale);
  if (!(subjectKey(kind) in catalogFor('zh-CN')))
    return { subject: t('notify.entry.unknown', { kind }), body: '' };
  const values: NotifyParams = {};
  for (const [name, value] of Object.entries(params)) {
    if (name.endsWith('Key') && name.length > 3) values[name.slice(0, -3)] = t(String(value));
    else if (!(name in values)) values[name] = value;
  }
  return { subject: t(subjectKey(kind), values), body: t(bodyKey(kind), values) };
}

/** The site a mail comes from and links to. */
export interface MailSite {
  name: string;
  /** scheme://host[:port], no trailing slash */
  origin: string;
}

/**
 * The e-mail copy of a notification. There is no per-account language (identity stores none, and
 * the site's language is Chinese), so the mail is in Chinese with the English text below it: the
 * subject is Chinese only, as mail clients show one line.
 */
export function composeMail(input: {
  kind: string;
  params: NotifyParams;
  link: string | null;
  toName: string;
  site: MailSite;
}): { subject: string; text: string } {
  const url = input.link ? `${input.site.origin}${input.link}` : '';
  const part = (locale: Locale, withSubject: boolean) => {
    const t = translator(locale);
    const m = renderMessage(locale, input.kind, input.params);
    return [
      ...(withSubject ? [m.subject, ''] : []),
      ...(input.toName ? [t('notify.mail.greeting', { name: input.toName }), ''] : []),
      m.body,
      '',
      ...(url ? [t('notify.mail.link', { url }), ''] : []),
      t('notify.mail.footer', { site: input.site.name }),
    ];
  };
  const zh = renderMessage('zh-CN', input.kind, input.params);
  return {
    subject: translator('zh-CN')('notify.mail.subject', { site: input.site.name, subject: zh.subject }),
    text: [
      ...part('zh-CN', false),
      '',
      '----------------------------------------',
      translator('en')('notify.mail.english'),
      '',
      ...part('en', true),
      '',
    ].join('\n'),
  };
}
