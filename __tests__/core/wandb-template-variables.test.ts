// A W&B queue's template variables: values checked against their schemas (type, enum, minimum,
// maximum, default), every problem at once and naming what the variable allows; placeholders
// filled in string leaves only, a whole-string placeholder taking the value's type.
import {
  describeSchema,
  fillTemplateVariables,
  parseTemplateVariables,
  templateValues,
} from '../../src/core/wandb-launch/template-variables.ts';

const WHERE = 'wandb queue team/q';
const variables = parseTemplateVariables(
  [
    { name: 'gpu_count', schema: '{"type":"integer","minimum":0,"maximum":8,"default":1}' },
    { name: 'lr', schema: { type: 'number', minimum: 0, maximum: 1 } },
    { name: 'machine', schema: { type: 'string', enum: ['n1-standard-4', 'a2-highgpu-1g'] } },
  ],
  WHERE,
).variables;

test('values take their schema type; a variable not given takes its default', () => {
  const { values, problems } = templateValues(
    variables,
    { lr: '0.25', machine: 'a2-highgpu-1g' },
    WHERE,
  );
  expect(problems).toEqual([]);
  expect(values).toEqual({ gpu_count: 1, lr: 0.25, machine: 'a2-highgpu-1g' });
});

test('out-of-schema values, an unknown name and a missing value are each named, all at once', () => {
  const { problems } = templateValues(
    variables,
    { gpu_count: '9', lr: 'fast', machine: 'n2-standard-8', gpus: '2' },
    WHERE,
  );
  expect(problems.map((p) => [p.path, p.message])).toEqual([
    [
      'template-variables',
      'gpus is not a template variable of wandb queue team/q; it has: gpu_count (an integer from 0 to 8), lr (a number from 0 to 1), machine (one of "n1-standard-4", "a2-highgpu-1g")',
    ],
    ['template-variables', 'gpu_count="9" is not allowed: gpu_count takes an integer from 0 to 8'],
    ['template-variables', 'lr="fast" is not allowed: lr takes a number from 0 to 1'],
    [
      'template-variables',
      'machine="n2-standard-8" is not allowed: machine takes one of "n1-standard-4", "a2-highgpu-1g"',
    ],
  ]);
  const missing = templateValues(variables, { gpu_count: '2' }, WHERE).problems;
  expect(missing.map((p) => p.message)).toEqual([
    'lr has no value and wandb queue team/q gives it no default: set lr=VALUE (a number from 0 to 1)',
    'machine has no value and wandb queue team/q gives it no default: set machine=VALUE (one of "n1-standard-4", "a2-highgpu-1g")',
  ]);
});

test('an integer is not a fraction, and a long rejected value is cut short', () => {
  const { problems } = templateValues(
    variables,
    { gpu_count: '1.5', lr: '0.5', machine: 'x'.repeat(100) },
    WHERE,
  );
  expect(problems[0].message).toBe(
    'gpu_count="1.5" is not allowed: gpu_count takes an integer from 0 to 8',
  );
  expect(problems[1].message).toContain(`"${'x'.repeat(40)}…"`);
  expect(problems[1].message).not.toContain('x'.repeat(41));
});

test('a schema that is not a JSON object is a problem of the queue', () => {
  const parsed = parseTemplateVariables([{ name: 'a', schema: '{not json' }], WHERE);
  expect(parsed.problems).toEqual([
    { file: WHERE, message: 'template variable a: its schema is not a JSON object' },
  ]);
});

test('placeholders fill string leaves; a whole placeholder keeps the type; keys never change', () => {
  const config = {
    spec: {
      worker_pool_specs: [
        {
          machine_spec: { machine_type: '{{machine}}', accelerator_count: '{{ gpu_count }}' },
          container_spec: { args: ['--lr={{lr}}', '{{lr}}'] },
        },
      ],
      labels: { '{{machine}}': 'x' },
    },
  };
  const filled = fillTemplateVariables(config, { machine: 'a2', gpu_count: 2, lr: 0.1 });
  expect(filled.unknown).toEqual([]);
  expect(filled.value).toEqual({
    spec: {
      worker_pool_specs: [
        {
          machine_spec: { machine_type: 'a2', accelerator_count: 2 },
          container_spec: { args: ['--lr=0.1', 0.1] },
        },
      ],
      labels: { '{{machine}}': 'x' },
    },
  });
});

test('a value holding braces or quotes stays one string leaf', () => {
  const filled = fillTemplateVariables({ a: 'x-{{v}}', b: '{{v}}' }, { v: '"}, "evil": {"' });
  expect(filled.value).toEqual({ a: 'x-"}, "evil": {"', b: '"}, "evil": {"' });
});

test('a placeholder with no variable is reported at its path', () => {
  const filled = fillTemplateVariables({ spec: { labels: { team: '{{owner}}' } } }, {});
  expect(filled.unknown).toEqual([{ path: 'spec.labels.team', name: 'owner' }]);
});

test('what a schema allows, in words', () => {
  expect(describeSchema({ type: 'integer', minimum: 1 })).toBe('an integer of at least 1');
  expect(describeSchema({ type: 'number', maximum: 2 })).toBe('a number of at most 2');
  expect(describeSchema({})).toBe('a string');
});
