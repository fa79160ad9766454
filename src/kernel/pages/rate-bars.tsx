/**
 * A horizontal bar chart of shares (0–1), one bar per row, drawn as SVG with each figure as text too
 * (the pages give the same figures in a table). Its natural size is in its attributes and the
 * stylesheet shrinks it on narrow screens: the Content-Security-Policy refuses inline styles.
 */
export interface RateBar {
  label: string;
  rate: number | null;
}

const pct = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(1)}%`);

/** Green from 95%, amber from 80%, red below: how on-time and satisfaction rates are read. */
export const rateColor = (rate: number) => (rate >= 0.95 ? '#2e7d32' : rate >= 0.8 ? '#a66300' : '#b3261e');

export function RateBars(props: {
  /** id of the SVG title (unique on the page) */
  id: string;
  title: string;
  caption: string;
  bars: RateBar[];
  labelWidth?: number;
  color?: (rate: number) => string;
}) {
  const bar = 22;
  const label = props.labelWidth ?? 190;
  const width = label + 370;
  const height = props.bars.length * (bar + 8) + 10;
  const color = props.color ?? rateColor;
  return (
    <figure class="chart">
      <svg
        role="img"
        aria-labelledby={props.id}
        viewBox={`0 0 ${width} ${height}`}
        width={width}
        height={height}
      >
        <title id={props.id}>{props.title}</title>
        {props.bars.map((b, i) => {
          const y = 5 + i * (bar + 8);
          const w = Math.max(1, (width - label - 60) * (b.rate ?? 0));
          return (
            <g>
              <text x={label - 6} y={y + bar * 0.7} text-anchor="end" font-size="13">
                {b.label}
              </text>
              <rect x={label} y={y} width={w} height={bar} fill={color(b.rate ?? 0)} />
              <text x={label + w + 6} y={y + bar * 0.7} font-size="13">
                {pct(b.rate)}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption>{props.caption}</figcaption>
    </figure>
  );
}
