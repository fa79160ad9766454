/** How the audit pages and the export show times: Beijing time, which is what the auditors read. */
import { SITE_UTC_OFFSET_MINUTES } from './audit.filter.ts';

const OFFSET_TEXT = (() => {
  const m = Math.abs(SITE_UTC_OFFSET_MINUTES);
  const hh = String(Math.floor(m / 60)).padStart(2, '0');
  const mm = String(m % 60).padStart(2, '0');
  return `${SITE_UTC_OFFSET_MINUTES < 0 ? '-' : '+'}${hh}:${mm}`;
})();

/**
 * '2026-03-01 10:05:03' in Beijing time; with `full`, the exact instant with its offset
 * ('2026-03-01T10:05:03.250+08:00'), as the CSV export gives it.
 */
export function siteTime(at: Date, full = false): string {
  const local = new Date(at.getTime() + SITE_UTC_OFFSET_MINUTES * 60_000).toISOString();
  return full ? `${local.slice(0, 23)}${OFFSET_TEXT}` : local.slice(0, 19).replace('T', ' ');
}
