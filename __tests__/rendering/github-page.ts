// Markdown as GitHub shows it, offline: GFM to HTML (remark-gfm; raw HTML kept, then sanitized
// with hast-util-sanitize's default schema, which follows GitHub's), GitHub's markdown CSS
// (github-markdown-css), ```mermaid blocks drawn by Mermaid 11 in the page, in headless
// Chromium (Debian's package) at 1,000 px wide. One browser serves a whole test file.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import rehypeRaw from 'rehype-raw';
import rehypeSanitize from 'rehype-sanitize';
import rehypeStringify from 'rehype-stringify';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';

export const CHROMIUM = '/usr/bin/chromium';
export const PAGE_WIDTH = 1000;
export type Theme = 'light' | 'dark';
/** The page backgrounds of GitHub's light and dark themes. */
export const THEME_BACKGROUND: Record<Theme, string> = { light: '#ffffff', dark: '#0d1117' };

const require = createRequire(import.meta.url);
const IN_PAGE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'in-page.js');
const MERMAID = require.resolve('mermaid/dist/mermaid.min.js');
const CSS: Record<Theme, string> = {
  light: require.resolve('github-markdown-css/github-markdown-light.css'),
  dark: require.resolve('github-markdown-css/github-markdown-dark.css'),
};

/** Why the rendering tests cannot run here, or undefined when they can. */
export function chromiumUnavailable(): string | undefined {
  return existsSync(CHROMIUM) ? undefined : `${CHROMIUM} is missing (Debian package chromium)`;
}

const processor = unified()
  .use(remarkParse)
  .use(remarkGfm)
  .use(remarkRehype, { allowDangerousHtml: true })
  .use(rehypeRaw)
  .use(rehypeSanitize)
  .use(rehypeStringify);

/** GFM to the HTML GitHub would keep of it. */
export async function markdownToHtml(markdown: string): Promise<string> {
  return String(await processor.process(markdown));
}

/** The shell the reports are rendered into, one after another: Mermaid is loaded once. */
const SHELL = [
  '<!doctype html><html><head><meta charset="utf-8"><style id="theme"></style><style>',
  'body { margin: 0; }',
  `.markdown-body { box-sizing: border-box; width: ${PAGE_WIDTH}px; padding: 16px; }`,
  '</style></head><body><article class="markdown-body"></article></body></html>',
].join('\n');

export interface ChartShown {
  height: number;
  title: string;
  series: number;
  strokes: string[];
  background: string;
  caption: string;
}

export interface TableShown {
  head: string;
  clientWidth: number;
  scrollWidth: number;
  right: number;
}

/** The report on screen; valid until the next `render`. */
export interface RenderedPage {
  page: Page;
  height(): Promise<number>;
  /** Distance from the top to the first block (at or below `after`) whose text has `text`. */
  topOf(text: string, after?: number): Promise<number | undefined>;
  tables(): Promise<TableShown[]>;
  /** Paragraphs that show markdown or HTML as written (`## Annotations`, `</details>`). */
  rawMarkdown(): Promise<string[]>;
  charts(): Promise<ChartShown[]>;
  codeLineCounts(pattern: string): Promise<{ text: string; lines: number }[]>;
  /** Opens (or closes again) every <details>, as a reviewer who clicks each one. */
  setDetailsOpen(open: boolean): Promise<void>;
  screenshot(file: string): Promise<void>;
}

export interface GitHubBrowser {
  /** `fontSize`: 14 px as in comments and check runs (the default), 16 px as in a file. */
  render(markdown: string, theme?: Theme, fontSize?: number): Promise<RenderedPage>;
  close(): Promise<void>;
}

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Chromium with a fresh profile and one page, offline, Mermaid loaded from node_modules. */
export async function openGitHubBrowser(): Promise<GitHubBrowser> {
  const profile = await mkdtemp(path.join(os.tmpdir(), 'wbvl-chromium-'));
  const context: BrowserContext = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: PAGE_WIDTH, height: 800 },
    offline: true,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  await page.setContent(SHELL);
  await page.addScriptTag({ path: MERMAID });
  await page.addScriptTag({ path: IN_PAGE });
  const css = { light: await readFile(CSS.light, 'utf8'), dark: await readFile(CSS.dark, 'utf8') };
  const call = <T>(expr: string) => page.evaluate(expr) as Promise<T>;
  const shown: RenderedPage = {
    page,
    height: () => call<number>('wbvl.height()'),
    topOf: (text, after = 0) =>
      call<number | undefined>(`wbvl.topOf(${JSON.stringify(text)}, ${after})`),
    tables: () => call<TableShown[]>('wbvl.tables()'),
    rawMarkdown: () => call<string[]>('wbvl.rawMarkdown()'),
    charts: () => call<ChartShown[]>('wbvl.charts()'),
    codeLineCounts: (pattern) =>
      call<{ text: string; lines: number }[]>(`wbvl.codeLineCounts(${JSON.stringify(pattern)})`),
    setDetailsOpen: (open) => call<void>(`wbvl.setDetailsOpen(${open})`),
    screenshot: async (file) => void (await page.screenshot({ path: file, fullPage: true })),
  };
  return {
    async render(markdown, theme = 'light', fontSize = 14) {
      const show = {
        css: css[theme],
        background: THEME_BACKGROUND[theme],
        fontSize,
        html: await markdownToHtml(markdown),
        mermaidTheme: theme === 'dark' ? 'dark' : 'default',
      };
      await page.evaluate(`wbvl.show(${JSON.stringify(show)})`);
      return shown;
    },
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** WCAG contrast ratio of two colours given as `#rrggbb` or `rgb(r, g, b)`. */
export function contrast(a: string, b: string): number {
  const [la, lb] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (la + 0.05) / (lb + 0.05);
}

function channels(color: string): number[] {
  const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color);
  if (hex) return hex.slice(1).map((h) => parseInt(h, 16));
  const rgb = /^rgba?\((\d+),\s*(\d+),\s*(\d+)/.exec(color);
  if (rgb) return rgb.slice(1).map(Number);
  throw new Error(`not a colour: ${color}`);
}

function luminance(color: string): number {
  const [r, g, b] = channels(color).map((c) => {
    const v = c / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
