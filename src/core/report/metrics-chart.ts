// The history of a few metrics, drawn two ways.
//
// Where GitHub renders a chart: GitHub renders ```mermaid blocks wherever it renders Markdown
// (issue and pull request comments, Markdown files; announced with Mermaid support in 2022),
// and job summaries are GitHub Flavored Markdown rendered the same way (actions print Mermaid
// `xychart-beta` bar and line charts into their summaries). `xychart-beta` exists since
// Mermaid 10.6. Check run output (`summary`, `text`) is Markdown too, but nothing documents
// Mermaid there and it is known to show such blocks as code: check runs get a text sparkline.
import { chartSeries, evenlySampled } from './chart-series.ts';
import { fenced, text } from './format.ts';
import type { MetricHistory } from './metrics-model.ts';
import { formatPlain } from './number-format.ts';

export { evenlySampled };

const BARS = '▁▂▃▄▅▆▇█';
export const SPARKLINE_WIDTH = 24;
/** Points per chart line: enough for a curve's shape, small enough for a comment. */
export const CHART_POINTS = 40;
/** Height of a chart in pixels: the shape of a curve, not a page of it. */
export const CHART_HEIGHT = 260;

/**
 * Line colours, this run's then the baseline's. Each has a contrast of at least 3:1 against
 * both GitHub backgrounds, light (#ffffff) and dark (#0d1117): blue 4.6 and 4.1, orange 3.4
 * and 5.6. The caption's squares (🟦, 🟧) name them.
 */
export const CHART_PALETTE = ['#1f6feb', '#db6d28'] as const;
/** Titles, axes and legend: 4.6:1 on white and 4.2:1 on #0d1117, so one colour serves both. */
export const CHART_TEXT_COLOR = '#6e7781';

/**
 * The chart's Mermaid settings. Every colour is set, and the background left transparent, so
 * the chart reads the same under whichever Mermaid theme GitHub picks for light or dark mode
 * (a partly set xyChart palette would fall back to the light theme's colours).
 */
const CHART_INIT = {
  xyChart: {
    height: CHART_HEIGHT,
    width: 800,
    titleFontSize: 16,
    legendFontSize: 12,
    xAxis: { titleFontSize: 12, labelFontSize: 12 },
    yAxis: { titleFontSize: 12, labelFontSize: 12 },
  },
  themeVariables: {
    xyChart: {
      backgroundColor: 'transparent',
      plotColorPalette: CHART_PALETTE.join(', '),
      ...Object.fromEntries(
        [
          'titleColor',
          'legendTextColor',
          'xAxisTitleColor',
          'xAxisLabelColor',
          'xAxisTickColor',
          'xAxisLineColor',
          'yAxisTitleColor',
          'yAxisLabelColor',
          'yAxisTickColor',
          'yAxisLineColor',
        ].map((key) => [key, CHART_TEXT_COLOR]),
      ),
    },
  },
};

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

/**
 * A title or axis label inside double quotes: no quotes, line breaks or fence characters, and
 * no `%` (Mermaid reads `%%{...}%%` anywhere in a chart as settings).
 */
function label(s: string): string {
  return s
    .replace(/["`\r\n]/g, "'")
    .replace(/%/g, ' ')
    .slice(0, 60);
}

function axisRange(values: number[]): [number, number] {
  const min = Math.min(...values);
  const max = Math.max(...values);
  const pad = max === min ? Math.abs(max) * 0.1 || 1 : (max - min) * 0.05;
  return [min - pad, max + pad];
}

const plain = (values: number[]) => `[${values.map(formatPlain).join(', ')}]`;

/**
 * One `xychart-beta` line chart of a metric against the step, with the baseline's line beside
 * this run's when there is one, and a caption naming each line by its colour; '' with fewer
 * than two points. `baselineLabel` says where the baseline came from (`main`).
 */
export function mermaidChart(history: MetricHistory, baselineLabel?: string): string {
  const series = chartSeries(history.points, history.baseline, CHART_POINTS);
  if (!series) return '';
  const base = series.baseline && baselineLabel !== undefined ? series.baseline : undefined;
  const [low, high] = axisRange([...series.run, ...(base ?? [])]);
  const body = [
    `%%{init: ${JSON.stringify(CHART_INIT)}}%%`,
    'xychart-beta',
    `    title "${label(history.name)}"`,
    `    x-axis "step" ${formatPlain(series.first)} --> ${formatPlain(series.last)}`,
    `    y-axis "${label(history.name)}" ${formatPlain(low)} --> ${formatPlain(high)}`,
    `    line "this run" ${plain(series.run)}`,
    ...(base ? [`    line "baseline: ${label(baselineLabel!)}" ${plain(base)}`] : []),
  ].join('\n');
  const caption = base
    ? `🟦 this run · 🟧 baseline (${text(baselineLabel!)})` +
      (series.clipped
        ? ` · steps ${formatPlain(series.first)} to ${formatPlain(series.last)}, where both logged`
        : '')
    : '🟦 this run';
  return `${fenced(body, 'mermaid')}\n\n${caption}`;
}
