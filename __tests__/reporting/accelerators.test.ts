import { poolsTable } from '../../src/core/report/details.ts';

test('a pool without accelerators shows a dash, not ACCELERATOR_TYPE_UNSPECIFIED x 0', () => {
  const table = poolsTable([
    {
      machineType: 'n1-standard-4',
      acceleratorType: 'ACCELERATOR_TYPE_UNSPECIFIED',
      acceleratorCount: 0,
      replicaCount: 1,
    },
  ]);
  expect(table).not.toContain('UNSPECIFIED');
  expect(table.split('\n')[2].replaceAll('\u2060', '')).toMatch(
    /\| 0 \| <code>n1-standard-4<\/code> \| — \| 1 \|/,
  );
});

test('a pool with accelerators shows type and count', () => {
  const table = poolsTable([
    {
      machineType: 'a2-highgpu-1g',
      acceleratorType: 'NVIDIA_TESLA_A100',
      acceleratorCount: 2,
      replicaCount: 1,
    },
  ]);
  expect(table).toMatch(/NVIDIA.*A100.*× 2/);
});
