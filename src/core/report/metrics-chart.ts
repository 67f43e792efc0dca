// The history of a few metrics, drawn two ways.
//
// Where GitHub renders a chart: GitHub renders ```mermaid blocks wherever it renders Markdown
// (issue and pull request comments, Markdown files; announced with Mermaid support in 2022),
// and job summaries are GitHub Flavored Markdown rendered the same way (actions print Mermaid
// `xychart-beta` bar and line charts into their summaries). `xychart-beta` exists since
// Mermaid 10.6. Check run output (`summary`, `text`) is Markdown too, but nothing documents
// Mermaid there and it is known to show such blocks as code: check runs get a text sparkline.
import { fenced } from './format.ts';
import type { MetricHistory } from './metrics-model.ts';
import { formatPlain } from './number-format.ts';

const BARS = '▁▂▃▄▅▆▇█';
export const SPARKLINE_WIDTH = 24;
/** Points per chart line: enough for a curve's shape, small enough for a comment. */
export const CHART_POINTS = 40;

/** `count` points spread evenly over the series, first and last included. */
export function evenlySampled<T>(points: T[], count: number): T[] {
  if (points.length <= count) return points;
  if (count <= 1) return [points[points.length - 1]];
  return Array.from(
    { length: count },
    (_, i) => points[Math.round((i * (points.length - 1)) / (count - 1))],
  );
}

/** `▁▂▄▆█`: the values' shape in block characters; '' for fewer than two values. */
export function sparkline(values: number[], width = SPARKLINE_WIDTH): string {
  const shown = evenlySampled(
    values.filter((v) => Number.isFinite(v)),
    width,
  );
  if (shown.length < 2) return '';
  const min = Math.min(...shown);
  const max = Math.max(...shown);
  const span = max - min;
  return shown
    .map((v) => BARS[span === 0 ? 3 : Math.round(((v - min) / span) * (BARS.length - 1))])
    .join('');
}

/** A title or axis label inside double quotes: no quotes, line breaks or fence characters. */
function label(s: string): string {
  return s.replace(/["`\r\n]/g, "'").slice(0, 60);
}

function axisRange(values: number[]): [number, number] {
  const min = Math.min(...values);
  const max = Math.max(...values);
  const pad = max === min ? Math.abs(max) * 0.1 || 1 : (max - min) * 0.05;
  return [min - pad, max + pad];
}

/** One `xychart-beta` line chart of a metric against the step; '' with fewer than two points. */
export function mermaidChart(history: MetricHistory): string {
  const points = evenlySampled(history.points, CHART_POINTS);
  if (points.length < 2) return '';
  const steps = points.map(([step]) => step);
  const values = points.map(([, value]) => value);
  const [low, high] = axisRange(values);
  const body = [
    'xychart-beta',
    `    title "${label(history.name)}"`,
    `    x-axis "step" ${formatPlain(steps[0])} --> ${formatPlain(steps[steps.length - 1])}`,
    `    y-axis "${label(history.name)}" ${formatPlain(low)} --> ${formatPlain(high)}`,
    `    line [${values.map(formatPlain).join(', ')}]`,
  ].join('\n');
  return fenced(body, 'mermaid');
}
