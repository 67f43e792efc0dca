// What a job "prints": scripted log entries per replica, each at a time after the job's log
// starts (when the emulator first sees the job), optionally visible late. Named scripts serve
// the demo and the command-line server; tests build their own.

export interface ScriptedEntry {
  /** Milliseconds after the script starts: the entry's timestamp. */
  at: number;
  /** `workerpool0-0`; null: the service's own message (no task name). */
  replica?: string | null;
  text: string;
  /** stdout arrives as INFO, stderr as ERROR (as Vertex AI records them). Default stdout. */
  stream?: 'stdout' | 'stderr';
  /** Overrides the stream's severity. */
  severity?: string;
  /** Received (and visible) this long after its timestamp. Default the script's `lateMs`. */
  lateMs?: number;
  /** As jsonPayload.message instead of textPayload. */
  json?: boolean;
}

export interface LogScript {
  entries: ScriptedEntry[];
  /** Default lateness of every entry, ms. */
  lateMs?: number;
}

export const SCRIPT_NAMES = ['train', 'crash', 'none'] as const;

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32): the same script every run. */
export function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SteadyWriting {
  /** Each replica and how late its entries become visible: [least, most] ms, drawn per entry. */
  replicas: Record<string, [number, number]>;
  /** A line per replica this often, ms; replicas are offset from each other by a fraction of it. */
  everyMs: number;
  /** The first line's time and the last's, ms after the script starts. */
  fromMs: number;
  untilMs: number;
  /** Lines read `${prefix}r${replica index}-${i}`. */
  prefix?: string;
  seed?: number;
  /**
   * Many lines at once (a report, a traceback): `lines` lines of the first replica, 1 ms apart,
   * at each time given; they read `${prefix}r0b${burst index}-${j}`.
   */
  bursts?: { atMs: number; lines: number }[];
}

/**
 * Replicas writing steadily, each entry visible late by its own amount within its replica's
 * range: lateness that varies from line to line makes a replica's lines arrive out of order.
 */
export function steadyScript(w: SteadyWriting): LogScript {
  const random = prng(w.seed ?? 1);
  const entries: ScriptedEntry[] = [];
  const names = Object.keys(w.replicas);
  for (const [r, replica] of names.entries()) {
    const [least, most] = w.replicas[replica];
    const offset = (w.everyMs * r) / names.length;
    for (let i = 0; w.fromMs + offset + i * w.everyMs <= w.untilMs; i++)
      entries.push({
        at: Math.round(w.fromMs + offset + i * w.everyMs),
        replica,
        text: `${w.prefix ?? ''}r${r}-${i}`,
        lateMs: Math.round(least + (most - least) * random()),
      });
  }
  const [least, most] = w.replicas[names[0]];
  for (const [b, burst] of (w.bursts ?? []).entries()) {
    const lateMs = Math.round(least + (most - least) * random());
    for (let j = 0; j < burst.lines; j++)
      entries.push({
        at: burst.atMs + j,
        replica: names[0],
        text: `${w.prefix ?? ''}r0b${b}-${j}`,
        lateMs,
      });
  }
  return { entries };
}

/** Timings are for a Vertex emulator job that runs from 2 to 4 ticks of `tickMs`. */
export function namedScript(name: string, tickMs = 1000): LogScript {
  const t = (ticks: number) => Math.round(ticks * tickMs);
  switch (name) {
    case 'train': {
      const entries: ScriptedEntry[] = [
        { at: t(2.05), replica: null, text: 'Job is running.' },
        {
          at: t(2.1),
          replica: 'workerpool0-0',
          text: 'Loading dataset gs://my-bucket/train (50,000 examples)',
        },
        {
          at: t(2.12),
          replica: 'workerpool0-1',
          text: 'Loading dataset gs://my-bucket/train (50,000 examples)',
        },
      ];
      for (let epoch = 1; epoch <= 3; epoch++) {
        for (const [i, replica] of ['workerpool0-0', 'workerpool0-1'].entries()) {
          entries.push({
            at: t(2.2 + epoch * 0.45 + i * 0.03),
            replica,
            text: `epoch ${epoch}/3  loss=${(1.2 / epoch + i * 0.01).toFixed(4)}  acc=${(0.6 + epoch * 0.1).toFixed(3)}`,
            // Some lines show up late, as Cloud Logging's do.
            lateMs: epoch === 2 ? t(0.3) : t(0.05),
          });
        }
      }
      entries.push({
        at: t(3.7),
        replica: 'workerpool0-0',
        text: 'Saved model to gs://my-bucket/model',
      });
      return { entries, lateMs: t(0.05) };
    }
    case 'crash':
      return {
        lateMs: t(0.05),
        entries: [
          { at: t(2.05), replica: null, text: 'Job is running.' },
          { at: t(2.1), replica: 'workerpool0-0', text: 'Loading dataset gs://my-bucket/train' },
          { at: t(2.3), replica: 'workerpool0-0', text: 'epoch 1/3  loss=1.2000' },
          {
            at: t(2.5),
            replica: 'workerpool0-0',
            stream: 'stderr',
            text: 'Traceback (most recent call last):',
          },
          {
            at: t(2.51),
            replica: 'workerpool0-0',
            stream: 'stderr',
            text: '  File "/app/train.py", line 42, in <module>',
          },
          {
            at: t(2.52),
            replica: 'workerpool0-0',
            stream: 'stderr',
            text: '    optimizer.step(lr=config["lr"])',
          },
          {
            at: t(2.53),
            replica: 'workerpool0-0',
            stream: 'stderr',
            text: "KeyError: 'lr'",
            lateMs: t(0.3),
          },
          {
            at: t(3.9),
            replica: null,
            severity: 'ERROR',
            text: 'The replica workerpool0-0 exited with a non-zero status of 1.',
          },
        ],
      };
    case 'none':
      return { entries: [] };
    default:
      throw new Error(`unknown log script "${name}"; known: ${SCRIPT_NAMES.join(', ')}`);
  }
}
