// Numbers as a reviewer reads them: a few significant digits, thousands grouped, exponents
// for the very large and very small, never the 17 digits of a raw double.

const MINUS = '-';

function trimZeros(s: string): string {
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

function group(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function exponential(v: number, digits: number): string {
  const [mantissa, exp] = v.toExponential(digits - 1).split('e');
  return `${trimZeros(mantissa)}e${exp.replace('+', '')}`;
}

/** `0.2134`, `12.35`, `1,234.6`, `12,000`, `3.2e-05` is `3.2e-5`, `NaN`, `∞`. */
export function formatNumber(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : `${MINUS}∞`;
  if (v === 0) return '0';
  const sign = v < 0 ? MINUS : '';
  const a = Math.abs(v);
  if (Number.isInteger(a) && a < 1e15) return sign + group(String(a));
  if (a >= 1e9 || a < 1e-3) return sign + exponential(a, 3);
  if (a >= 1000) {
    const [int, frac] = a.toFixed(1).split('.');
    return sign + group(int) + (frac === '0' ? '' : `.${frac}`);
  }
  return sign + trimZeros(a.toPrecision(4));
}

/** A number with its sign always written: `+0.012`, `-3`. */
export function formatSigned(v: number): string {
  const s = formatNumber(v);
  return v > 0 ? `+${s}` : s;
}

/** `+4.6%`, `-12%`, `+250%`: one decimal below 100 %. */
export function formatPercent(fraction: number): string {
  const pct = fraction * 100;
  const digits = Math.abs(pct) < 100 ? 1 : 0;
  const s = Math.abs(pct).toFixed(digits);
  if (Number(s) === 0) return '0%';
  return `${pct > 0 ? '+' : MINUS}${s}%`;
}

/**
 * Up to 6 significant digits in plain decimal notation (chart grammars may not read exponents):
 * the numbers inside a chart definition.
 */
export function formatPlain(v: number): string {
  if (v === 0 || !Number.isFinite(v)) return '0';
  if (Math.abs(v) >= 1e6) return String(Math.round(v));
  const s = v.toPrecision(6);
  return trimZeros(s.includes('e') ? v.toFixed(12) : s);
}
