/**
 * How old each dated column is against its threshold: one bar per column, its length the share of the
 * threshold used (the threshold is the line at 100%; bars stop at 200%), the figures as text beside it
 * and in the table that follows. SVG attributes only: the Content-Security-Policy refuses inline styles.
 */
import { usePage } from '../../kernel/pages/index.tsx';
import type { ColumnAge } from './indicators.ts';

const BAR = 22;
const LABEL = 190;
const SPAN = 300; // 200% of a threshold
const WIDTH = LABEL + SPAN + 110;

export function FreshnessChart(props: { columns: ColumnAge[] }) {
  const { t } = usePage();
  const height = props.columns.length * (BAR + 8) + 10;
  const at100 = LABEL + SPAN / 2;
  return (
    <figure class="chart">
      <svg
        role="img"
        aria-labelledby="freshness-title"
        viewBox={`0 0 ${WIDTH} ${height}`}
        width={WIDTH}
        height={height}
      >
        <title id="freshness-title">{t('sitecheck.chart.title')}</title>
        {props.columns.map((c, i) => {
          const y = 5 + i * (BAR + 8);
          const share = Math.min(2, c.days / c.thresholdDays);
          const w = Math.max(1, (SPAN / 2) * share);
          const late = c.days > c.thresholdDays;
          return (
            <g>
              <text x={LABEL - 6} y={y + BAR * 0.7} text-anchor="end" font-size="13">
                {c.name}
              </text>
              <rect x={LABEL} y={y} width={w} height={BAR} fill={late ? '#b3261e' : '#2e7d32'} />
              <text x={LABEL + SPAN + 6} y={y + BAR * 0.7} font-size="13">
                {t('sitecheck.chart.value', { days: c.days, threshold: c.thresholdDays })}
              </text>
            </g>
          );
        })}
        <line
          x1={at100}
          x2={at100}
          y1={0}
          y2={height}
          stroke="#1f2328"
          stroke-width="2"
          stroke-dasharray="4 3"
        />
      </svg>
      <figcaption>{t('sitecheck.chart.caption')}</figcaption>
    </figure>
  );
}
