// The lines of one metric chart: this run's history and, when there is one, the baseline's, on
// one step grid. A Mermaid line spreads its values evenly across the x-axis, so two runs that
// logged at different steps are compared only once both are read at the same steps.

export interface ChartSeries {
  /** The steps the values are at, first to last. */
  first: number;
  last: number;
  run: number[];
  baseline?: number[];
  /** Set when the baseline's range differs and the chart shows only the steps both logged. */
  clipped?: boolean;
}

type Points = Array<[number, number]>;

/** `count` points spread evenly over the series, first and last included. */
export function evenlySampled<T>(points: T[], count: number): T[] {
  if (points.length <= count) return points;
  if (count <= 1) return [points[points.length - 1]];
  return Array.from(
    { length: count },
    (_, i) => points[Math.round((i * (points.length - 1)) / (count - 1))],
  );
}

/** The value at `step`, straight between the points around it (points in step order). */
function valueAt(points: Points, step: number): number {
  let i = 0;
  while (i < points.length - 1 && points[i + 1][0] < step) i++;
  const [s0, v0] = points[i];
  const [s1, v1] = points[Math.min(i + 1, points.length - 1)];
  if (s1 === s0 || step <= s0) return v0;
  if (step >= s1) return v1;
  return v0 + ((v1 - v0) * (step - s0)) / (s1 - s0);
}

/**
 * The steps both lines are read at: the runs' own steps when they logged at the same ones (no
 * value is made up), else evenly spread over [first, last], no more than either run has.
 */
function commonSteps(run: Points, baseline: Points, first: number, last: number, count: number) {
  const same = run.length === baseline.length && run.every(([step], i) => step === baseline[i][0]);
  if (same) return evenlySampled(run, count).map(([step]) => step);
  const n = Math.max(2, Math.min(count, Math.max(run.length, baseline.length)));
  return Array.from({ length: n }, (_, i) => first + ((last - first) * i) / (n - 1));
}

/**
 * The chart's lines, at most `count` values each; undefined with fewer than two points of
 * this run. Without a baseline (or one that shares no steps with the run), this run alone.
 */
export function chartSeries(
  run: Points,
  baseline: Points | undefined,
  count: number,
): ChartSeries | undefined {
  if (run.length < 2) return undefined;
  const alone = (): ChartSeries => {
    const shown = evenlySampled(run, count);
    return { first: shown[0][0], last: shown[shown.length - 1][0], run: shown.map(([, v]) => v) };
  };
  if (!baseline || baseline.length < 2) return alone();
  const first = Math.max(run[0][0], baseline[0][0]);
  const last = Math.min(run[run.length - 1][0], baseline[baseline.length - 1][0]);
  if (last <= first) return alone();
  const steps = commonSteps(run, baseline, first, last, count);
  const clipped =
    run[0][0] !== baseline[0][0] || run[run.length - 1][0] !== baseline[baseline.length - 1][0];
  return {
    first,
    last,
    run: steps.map((s) => valueAt(run, s)),
    baseline: steps.map((s) => valueAt(baseline, s)),
    ...(clipped ? { clipped } : {}),
  };
}
