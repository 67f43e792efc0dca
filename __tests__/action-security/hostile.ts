// What a hostile pull request's author makes the job, its build or its W&B run print: every
// workflow-command form the runner knows, in the tricks that reach a line's start (a bare CR,
// leading spaces, the legacy `##[` anywhere in a line, upper case), and a stop-commands
// of its own to silence the action's later commands. And the judge: given what the runner
// made of a step's stdout (helpers/runner-commands.ts), list what the hostile text achieved.
import type { RunnerView } from '../helpers/runner-commands.ts';

/** In every hostile command's data or properties, so anything it achieves can be found. */
export const MARKER = 'PWNED';

/** Lines that would each set state, an output, a mask or an annotation if read as commands. */
export function hostileLines(victimJob: string): string[] {
  return [
    `::save-state name=job-name::${victimJob}`,
    '::save-state name=job-phase::following',
    `::SAVE-STATE name=build-job-name::${victimJob}`,
    '::save-state name=build-job-phase::following',
    `::set-output name=job-name::${MARKER}-output`,
    `   ::add-mask::${MARKER}-indented-mask`,
    `##[add-mask]${MARKER}-legacy-mask`,
    `step 3/5 ##[set-output name=job-url;]${MARKER}-legacy-anywhere`,
    `::error file=src/${MARKER}.py,line=1,title=${MARKER}::${MARKER} forged error`,
    `::warning title=${MARKER}::${MARKER} forged warning`,
    `::notice::${MARKER} forged notice`,
    `progress 50%\r::set-output name=job-state::${MARKER}-after-cr`,
    `loss=0.1\r##[save-state name=job-phase]following`,
    `::set-env name=NODE_OPTIONS::--require=/tmp/${MARKER}.js`,
    `::add-path::/tmp/${MARKER}`,
    `::add-matcher::/tmp/${MARKER}.json`,
    `::group::${MARKER} a group that hides what follows`,
    // Last: silence the action's own commands for the rest of the step (no resume ever comes).
    `::stop-commands::${MARKER.toLowerCase()}-silence`,
  ];
}

const EFFECTS = ['save-state', 'set-output', 'set-env', 'add-mask', 'add-path', 'add-matcher'];

/**
 * What the hostile text achieved, as readable findings; empty when nothing. The action's own
 * annotations may quote hostile text in their message (data cannot set properties), so a
 * finding there is a hostile property or an annotation that starts as the hostile one does.
 */
export function hostileEffects(view: RunnerView, victimJob: string): string[] {
  const findings: string[] = [];
  const hostile = (text: string) => text.includes(MARKER) || text.includes(victimJob);
  for (const c of view.commands) {
    const props = JSON.stringify(c.properties);
    if (hostile(props)) findings.push(`${c.command} with hostile properties ${props}`);
    if (EFFECTS.includes(c.command) && hostile(c.data))
      findings.push(`${c.command} ${JSON.stringify(c.properties)} ${c.data}`);
    if (c.command === 'stop-commands' && c.data.includes(MARKER.toLowerCase()))
      findings.push(`stop-commands ${c.data}`);
    if (c.command === 'group' && c.data.startsWith(MARKER)) findings.push(`group ${c.data}`);
  }
  for (const a of view.annotations)
    if (a.message.startsWith(MARKER)) findings.push(`${a.level} annotation: ${a.message}`);
  // The action itself writes state and outputs through files, never with commands.
  for (const [name, value] of Object.entries(view.state)) findings.push(`state ${name}=${value}`);
  for (const [name, value] of Object.entries(view.outputs))
    findings.push(`output ${name}=${value}`);
  if (view.endsStopped) findings.push('the step ends with commands stopped');
  return findings;
}
