// Shared pieces of the security tests: a victim (a running job that belongs to another run of
// the same repository), the post step run with the state the runner would really hand it,
// and what became of the victim.
import type { VertexEmulator } from '../../emulators/vertex/emulator.ts';
import { PROJECT, REGION } from '../action/fixture.ts';
import { runAction, type ActionResult } from '../helpers/action-runner.ts';
import { postStepState } from '../helpers/runner-commands.ts';

export const PARENT = `projects/${PROJECT}/locations/${REGION}`;

/** Labels of a job launched by another run of org/repo (the runs of these tests are 4243+). */
export const OTHER_RUN_LABELS = {
  'managed-by': 'wb-vertex-launch',
  'github-repository': 'org_repo',
  'github-run-id': '17',
  'github-run-attempt': '1',
  'wb-vertex-launch-id': '17-1-0a1b2c3d4e',
  'wandb-run-id': 'victim0001',
};

/** A running job someone else launched; returns its resource name. */
export function seedVictim(
  vertex: VertexEmulator,
  labels: Record<string, string> = OTHER_RUN_LABELS,
  parent = PARENT,
): string {
  return vertex.seedJob({
    parent,
    customJob: {
      displayName: 'someone-elses-training',
      jobSpec: { workerPoolSpecs: [{ machineSpec: { machineType: 'n1-standard-4' } }] },
      labels,
    },
    scenario: 'run-forever',
    agoMs: 60_000,
  });
}

export function jobState(vertex: VertexEmulator, name: string): string | undefined {
  const job = vertex.record().jobs.find((j) => j.name === name) as { state?: string } | undefined;
  return job?.state;
}

export function cancelCalls(vertex: VertexEmulator): string[] {
  return vertex
    .record()
    .calls.filter((c) => c.method === 'CancelCustomJob')
    .map((c) => String(c.request.name));
}

/** The post step of `main`'s job, handed the state the runner would give it. */
export function runPostAfter(
  main: ActionResult,
  opts: { inputs: Record<string, string>; env: Record<string, string>; workspace?: string },
): Promise<ActionResult> {
  return runAction({
    step: 'post',
    ...opts,
    state: postStepState(main.stdout, main.state),
    runnerTemp: main.runnerTemp,
    timeoutMs: 40_000,
  });
}
