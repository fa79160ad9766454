/** Findings in words, the same for the API's `message`, the report page and `yiwang site check`. */
import type { Translate } from '../../kernel/i18n/index.ts';
import type { Finding, Measure, Place } from './indicators.ts';
import type { SiteCheckReport } from './sitecheck.service.ts';

/** What a finding says; the channel of a message is its feeding module's i18n key. */
export function describeFinding(t: Translate, f: Finding): string {
  const params = { ...f.params };
  if (typeof params.channel === 'string') params.channel = t(params.channel);
  if (typeof params.reason === 'string') params.reason = t(`sitecheck.unchecked.${params.reason}`);
  return t(f.code, params);
}

export const describeMeasure = (t: Translate, m: Measure | null) =>
  m === null ? '—' : t(`sitecheck.unit.${m.unit}`, { n: m.value });

/** A place's name: its label, the home page by name, or the path. */
export const placeLabel = (t: Translate, p: Place) =>
  p.label ?? (p.href === '/' ? t('sitecheck.where.home') : p.href);

const TAG = { veto: 'VETO', deduction: 'DEDUCT', notice: 'NOTICE' } as const;

/**
 * The report as lines for a terminal: one per finding (level, indicator, what, measured against the
 * threshold, where), then the verdict.
 */
export function reportLines(t: Translate, r: SiteCheckReport): string[] {
  const lines = r.findings.map((f) => {
    const measured =
      f.measured === null
        ? ''
        : ` [${describeMeasure(t, f.measured)}${f.threshold ? ` / ${describeMeasure(t, f.threshold)}` : ''}]`;
    const where = f.where.length
      ? ` ${f.where
          .slice(0, 5)
          .map((p) => p.href)
          .join(' ')}${f.where.length > 5 ? ` …+${f.where.length - 5}` : ''}`
      : '';
    return `${TAG[f.level].padEnd(6)} ${t(`sitecheck.indicator.${f.indicator}`)}: ${describeFinding(t, f)}${measured}${where}`;
  });
  return [
    ...lines,
    t(r.passed ? 'sitecheck.cli.passed' : 'sitecheck.cli.failed', {
      site: r.tenantId,
      veto: r.summary.veto,
      deduction: r.summary.deduction,
      notice: r.summary.notice,
      links: r.linksChecked,
    }),
  ];
}
