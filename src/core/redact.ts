// What is printed or written never carries a secret: environment entries whose names look
// secret, and any known secret value wherever it appears, become `***`.
export const REDACTED = '***';
const SECRET_NAME = /KEY|TOKEN|SECRET|PASSWORD/i;

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/**
 * A deep copy of `value` with secrets replaced: every known secret value wherever it appears,
 * and the value of every environment entry (`{ name, value }`) whose name `hides`.
 */
export function redactSecrets<T>(
  value: T,
  secretValues: readonly string[] = [],
  hides: (envName: string) => boolean = isSecretName,
): T {
  // Longest first: a secret containing a shorter one must not leave its own tail behind.
  const secrets = secretValues.filter((s) => s.length >= 4).sort((a, b) => b.length - a.length);
  const scrub = (text: string) => secrets.reduce((t, s) => t.split(s).join(REDACTED), text);
  const visit = (node: unknown): unknown => {
    if (typeof node === 'string') return scrub(node);
    if (Array.isArray(node)) return node.map(visit);
    if (node !== null && typeof node === 'object') {
      // Keys too: a secret can end up as a map key (a label, say).
      const entries = Object.entries(node).map(([k, v]) => [scrub(k), visit(v)] as const);
      const copy = Object.fromEntries(entries) as Record<string, unknown>;
      // An EnvVar: { name, value }.
      if (typeof copy.name === 'string' && typeof copy.value === 'string' && hides(copy.name)) {
        copy.value = REDACTED;
      }
      return copy;
    }
    return node;
  };
  return visit(value) as T;
}

/**
 * For reports (check run, job summary, PR comment), which GitHub does not mask: no environment
 * value at all, whatever its name (`DATA_PASSWD` is as secret as `DATA_PASSWORD`), and no known
 * secret anywhere. Names stay, so a reviewer still sees what the job gets.
 */
export function redactForReport<T>(value: T, secretValues: readonly string[] = []): T {
  return redactSecrets(value, secretValues, () => true);
}
