// Runs inside the rendered page (headless Chromium): Mermaid blocks drawn as GitHub draws them,
// and the measurements the rendering test checks. Plain JavaScript: it is loaded as a script
// tag, never imported by the tests.
/* global document, window, mermaid, getComputedStyle, NodeFilter */

window.wbvl = {
  /**
   * Shows one report: the theme's CSS and background, the sanitized HTML, every ```mermaid
   * block drawn by Mermaid in the matching theme, every <details> closed.
   */
  async show({ css, background, fontSize, html, mermaidTheme }) {
    document.getElementById('theme').textContent = css;
    document.body.style.background = background;
    const body = document.querySelector('.markdown-body');
    body.style.background = background;
    body.style.fontSize = `${fontSize}px`;
    body.innerHTML = html;
    // Charts are drawn open (Mermaid measures text), then every <details> is closed.
    for (const d of document.querySelectorAll('details')) d.open = true;
    for (const code of document.querySelectorAll('pre > code.language-mermaid')) {
      const div = document.createElement('div');
      div.className = 'mermaid';
      div.textContent = code.textContent;
      code.parentElement.replaceWith(div);
    }
    if (document.querySelector('div.mermaid')) {
      mermaid.initialize({ startOnLoad: false, theme: mermaidTheme, securityLevel: 'strict' });
      await mermaid.run({ querySelector: 'div.mermaid' });
    }
    for (const d of document.querySelectorAll('details')) d.open = false;
    window.scrollTo(0, 0);
  },

  /** Opens or closes every <details>. */
  setDetailsOpen(open) {
    for (const d of document.querySelectorAll('details')) d.open = open;
  },

  /** The document's height in CSS pixels. */
  height() {
    return Math.ceil(document.querySelector('.markdown-body').getBoundingClientRect().height);
  },

  /** Distance from the top of the document to the first block whose text includes `text`. */
  topOf(text, after = 0) {
    const blocks = document.querySelectorAll(
      '.markdown-body p, .markdown-body pre, .markdown-body h1, .markdown-body h2, .markdown-body h3, .markdown-body td, .markdown-body summary',
    );
    for (const el of blocks) {
      const top = el.getBoundingClientRect().top + window.scrollY;
      if (top >= after && el.textContent.includes(text)) return top;
    }
    return undefined;
  },

  /** Text that shows markdown or HTML as written (a heading's `#`, a `</details>`): a broken join. */
  rawMarkdown() {
    const body = document.querySelector('.markdown-body');
    const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
    const raw = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentElement.closest('pre, code')) continue;
      for (const line of node.textContent.split('\n').map((l) => l.trim())) {
        if (/^#{1,6} |<\/?(details|summary)>/.test(line)) raw.push(line);
      }
    }
    return raw;
  },

  /** Every table: how wide it is, how wide its content is, and where it ends. */
  tables() {
    return [...document.querySelectorAll('.markdown-body table')].map((t) => ({
      head: t.rows[0]?.textContent.trim().replace(/\s+/g, ' ').slice(0, 80) ?? '',
      clientWidth: t.clientWidth,
      scrollWidth: t.scrollWidth,
      right: Math.ceil(t.getBoundingClientRect().right),
    }));
  },

  /** The line boxes of each inline <code> inside a table cell whose text matches `pattern`. */
  codeLineCounts(pattern) {
    const re = new RegExp(pattern);
    return [...document.querySelectorAll('.markdown-body td code')]
      .filter((c) => re.test(c.textContent))
      .map((c) => ({ text: c.textContent, lines: c.getClientRects().length }));
  },

  /**
   * Each drawn chart: its height, the stroke colours of its line series, the fill of its
   * background, and the text of the paragraph right after it (the caption).
   */
  charts() {
    return [...document.querySelectorAll('div.mermaid')].map((div) => {
      const svg = div.querySelector('svg');
      const lines = [...svg.querySelectorAll('g.line-plot-0 path, g[class^="line-plot"] path')];
      const strokes = [...new Set(lines.map((p) => getComputedStyle(p).stroke))];
      const background = svg.querySelector('rect.background, g.main > rect');
      const caption = div.nextElementSibling;
      return {
        height: Math.round(svg.getBoundingClientRect().height),
        title: svg.querySelector('g.chart-title text, .chart-title text')?.textContent ?? '',
        series: lines.length,
        strokes,
        background: background ? getComputedStyle(background).fill : 'none',
        caption: caption && caption.tagName === 'P' ? caption.textContent : '',
      };
    });
  },
};
