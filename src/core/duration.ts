// Human durations for `wait-timeout`: "5h30m", "90m", "45s", "1h", or plain seconds.
const UNIT_SECONDS: Record<string, number> = { d: 86400, h: 3600, m: 60, s: 1 };

export function parseDurationSeconds(text: string): number | undefined {
  const value = text.trim().toLowerCase();
  if (/^\d+$/.test(value)) return Number(value);
  if (!/^(\d+(\.\d+)?[dhms])+$/.test(value)) return undefined;
  let total = 0;
  for (const [, amount, , unit] of value.matchAll(/(\d+(\.\d+)?)([dhms])/g)) {
    total += Number(amount) * UNIT_SECONDS[unit];
  }
  return Math.round(total);
}

export function formatDuration(totalSeconds: number): string {
  const s = Math.max(0, Math.round(totalSeconds));
  const parts = [
    [Math.floor(s / 3600), 'h'],
    [Math.floor((s % 3600) / 60), 'm'],
    [s % 60, 's'],
  ] as const;
  const shown = parts.filter(([n]) => n > 0).map(([n, u]) => `${n}${u}`);
  return shown.length ? shown.join('') : '0s';
}
