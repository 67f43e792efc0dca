// The bundled action's reports as a reviewer sees them on GitHub: taken from real runs against
// the stand-ins (a succeeding job, a failing one, a three-leg matrix with one failed leg, all
// with W&B metrics against the base branch), rendered as GitHub renders them (GFM sanitized as
// GitHub does, GitHub's CSS, Mermaid 11) in headless Chromium at 1,000 px with every <details>
// closed, and measured. Set WBVL_SHOTS=DIR to keep a screenshot of each page.
import { readdir, readFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { CHART_PALETTE } from '../../src/core/report/metrics-chart.ts';
import {
  checkRunPage,
  startReportWorld,
  type ReportRun,
  type ReportWorld,
} from '../../scripts/report-runs.ts';
import { distDir, REPO_ROOT } from '../helpers/action-runner.ts';
import {
  chromiumUnavailable,
  contrast,
  openGitHubBrowser,
  PAGE_WIDTH,
  THEME_BACKGROUND,
  type GitHubBrowser,
  type RenderedPage,
  type Theme,
} from './github-page.ts';

const unavailable = chromiumUnavailable();
const describeRendered = unavailable ? describe.skip : describe;
if (unavailable) {
  test.skip(`reports rendered in Chromium as GitHub renders them skipped: ${unavailable}`, () => {});
}

/** Vertex AI's error for a failed job, and the line of the log that names it. */
const VERTEX_ERROR = 'exited with a non-zero status of 1';
const LOG_ERROR = "KeyError: 'lr'";
const LEGS = ['0.1', '0.01', '0.001'];

describeRendered(
  'reports rendered as GitHub renders them (GFM, Mermaid 11, Chromium, 1,000 px)',
  () => {
    let world: ReportWorld;
    let browser: GitHubBrowser;
    let succeeded: ReportRun;
    let failed: ReportRun;
    let matrix: ReportRun;

    beforeAll(async () => {
      [world, browser] = await Promise.all([startReportWorld(distDir()), openGitHubBrowser()]);
      succeeded = await world.run({ runId: '8101' });
      failed = await world.run({ runId: '8102', fail: true });
      for (const lr of LEGS)
        matrix = await world.run({
          runId: '8103',
          job: 'sweep',
          matrix: { lr },
          fail: lr === '0.01',
        });
    }, 180_000);
    afterAll(async () => {
      await Promise.all([world?.close(), browser?.close()]);
    });

    /** Renders `markdown`, keeping a screenshot under WBVL_SHOTS when set. */
    async function show(name: string, markdown: string, theme: Theme = 'light', fontSize = 14) {
      const page = await browser.render(markdown, theme, fontSize);
      const shots = process.env.WBVL_SHOTS;
      if (shots) {
        await mkdir(shots, { recursive: true });
        await page.screenshot(path.join(shots, `${name}-${theme}.png`));
      }
      return page;
    }

    const reports = () => ({
      'check-run-succeeded': checkRunPage(succeeded.checkRun),
      'check-run-failed': checkRunPage(failed.checkRun),
      'summary-succeeded': succeeded.summary,
      'summary-failed': failed.summary,
      'comment-succeeded': succeeded.comment,
      'comment-failed': failed.comment,
      'comment-matrix': matrix.comment,
    });

    test("a failed job's error and its last log lines are within the first 500 px of its check run, summary and comment entry", async () => {
      const expectCauseNear = async (page: RenderedPage, entryStart = 0) => {
        const error = await page.topOf(VERTEX_ERROR, entryStart);
        const log = await page.topOf(LOG_ERROR, entryStart);
        expect(error).toBeDefined();
        expect(log).toBeDefined();
        expect(error! - entryStart).toBeLessThanOrEqual(500);
        expect(log! - entryStart).toBeLessThanOrEqual(500);
      };
      await expectCauseNear(await show('check-run-failed', checkRunPage(failed.checkRun)));
      await expectCauseNear(await show('summary-failed', failed.summary));
      await expectCauseNear(await show('comment-failed', failed.comment));
      const page = await show('comment-matrix', matrix.comment);
      const entry = await page.topOf('0.01 · ❌ Failed');
      expect(entry).toBeDefined();
      await expectCauseNear(page, entry);
    });

    test("a one-leg comment is at most 1,200 px tall, a three-leg one at most 1,800 px; each leg's line shows its first metric and its change", async () => {
      for (const [name, run] of [
        ['comment-succeeded', succeeded],
        ['comment-failed', failed],
      ] as const) {
        expect(await (await show(name, run.comment)).height()).toBeLessThanOrEqual(1200);
      }
      const page = await show('comment-matrix', matrix.comment);
      expect(await page.height()).toBeLessThanOrEqual(1800);
      const lines = await page.page.locator('.markdown-body > p').allTextContents();
      for (const leg of LEGS) {
        const line = lines.find((l) => l.startsWith(`${leg} · `));
        expect(line).toMatch(/ · loss \d[\d.]* 🟢 ▼ -[\d.]+ \(-[\d.]+%\) against main · /);
      }
    });

    test('each metric chart draws this run and its baseline, both named, in colours of at least 3:1 against both themes', async () => {
      for (const [name, markdown] of [
        ['summary-succeeded', succeeded.summary],
        ['comment-succeeded', succeeded.comment],
      ] as const) {
        for (const theme of ['light', 'dark'] as const) {
          const charts = await (await show(name, markdown, theme)).charts();
          expect(charts.map((c) => c.title)).toEqual(['loss', 'val_loss', 'val_accuracy']);
          for (const chart of charts) {
            expect(chart.series).toBe(2);
            expect(chart.caption).toBe('🟦 this run · 🟧 baseline (main)');
            expect(chart.height).toBeLessThanOrEqual(300);
            // A transparent chart shows the page's background.
            const background = /rgba\(.*, 0\)$|none|transparent/.test(chart.background)
              ? THEME_BACKGROUND[theme]
              : chart.background;
            expect(chart.strokes).toEqual(CHART_PALETTE.map(rgb));
            for (const stroke of chart.strokes) {
              expect(contrast(stroke, background)).toBeGreaterThanOrEqual(3);
            }
          }
        }
      }
    });

    test('no table is wider than the page and no markdown shows as written, in any report or in docs/examples; machine types stay on one line', async () => {
      const examples = path.join(REPO_ROOT, 'docs', 'examples');
      const docs = await Promise.all(
        (await readdir(examples))
          .filter((f) => f.endsWith('.md'))
          .map(async (f) => [`docs-${f}`, await readFile(path.join(examples, f), 'utf8')] as const),
      );
      expect(docs.length).toBeGreaterThanOrEqual(6);
      for (const [name, markdown] of [...Object.entries(reports()), ...docs]) {
        const page = await show(name, markdown, 'light', name.startsWith('docs-') ? 16 : 14);
        await page.setDetailsOpen(true);
        const tables = await page.tables();
        expect(tables.length).toBeGreaterThan(0);
        for (const table of tables) {
          expect({ name, ...table, overflow: table.scrollWidth > table.clientWidth + 1 }).toEqual(
            expect.objectContaining({ overflow: false }),
          );
          expect(table.right).toBeLessThanOrEqual(PAGE_WIDTH);
        }
        for (const machine of await page.codeLineCounts('standard')) expect(machine.lines).toBe(1);
        expect({ name, raw: await page.rawMarkdown() }).toEqual({ name, raw: [] });
      }
    });
  },
);

function rgb(hex: string): string {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return `rgb(${r}, ${g}, ${b})`;
}
