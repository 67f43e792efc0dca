// The W&B Launch protocol, held to the wandb SDK's own query strings: the stand-in's schema
// answers every operation the SDK sends for queues, items and job files, and each operation
// the action sends is one of the SDK's, with no variable and no field the SDK does not use.
import {
  Kind,
  parse,
  validate,
  type DocumentNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { wandbSchema } from '../../emulators/wandb/schema.ts';
import {
  ACK_MUTATION,
  ARTIFACT_FILES_QUERY,
  DEFAULT_RESOURCE_CONFIG_QUERY,
  FAIL_MUTATION,
  POP_MUTATION,
  RUN_QUEUE_METADATA_QUERY,
} from '../../src/wandb/launch-queries.ts';
import { SDK_LAUNCH_OPERATIONS } from '../fixtures/wandb-sdk-launch-operations.ts';

const schema = wandbSchema();

function operationOf(document: DocumentNode): OperationDefinitionNode {
  const op = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (!op) throw new Error('no operation');
  return op;
}

/** Every field path the operation selects (field names, not aliases), fragments expanded. */
function fieldPaths(document: DocumentNode): Set<string> {
  const fragments = new Map(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((f) => [f.name.value, f]),
  );
  const paths = new Set<string>();
  const walk = (set: SelectionSetNode | undefined, prefix: string) => {
    for (const selection of set?.selections ?? []) {
      if (selection.kind === Kind.FIELD) {
        const path = `${prefix}${selection.name.value}`;
        paths.add(path);
        walk(selection.selectionSet, `${path}.`);
      } else if (selection.kind === Kind.FRAGMENT_SPREAD) {
        walk(fragments.get(selection.name.value)?.selectionSet, prefix);
      } else {
        walk(selection.selectionSet, prefix);
      }
    }
  };
  walk(operationOf(document).selectionSet, '');
  return paths;
}

function variables(document: DocumentNode): Map<string, string> {
  return new Map(
    (operationOf(document).variableDefinitions ?? []).map((v) => [
      v.variable.name.value,
      JSON.stringify(v.type),
    ]),
  );
}

const sdkByName = new Map(
  SDK_LAUNCH_OPERATIONS.map((op) => {
    const document = parse(op.document);
    return [operationOf(document).name!.value, { ...op, parsed: document }];
  }),
);

test.each(SDK_LAUNCH_OPERATIONS.map((op) => [op.source, op.document]))(
  "the stand-in's schema answers the SDK's %s",
  (_source, document) => {
    expect(validate(schema, parse(document)).map((e) => e.message)).toEqual([]);
  },
);

const ACTION_OPERATIONS = {
  RUN_QUEUE_METADATA_QUERY,
  DEFAULT_RESOURCE_CONFIG_QUERY,
  POP_MUTATION,
  ACK_MUTATION,
  FAIL_MUTATION,
  ARTIFACT_FILES_QUERY,
};

test.each(Object.entries(ACTION_OPERATIONS))(
  "%s is one of the SDK's operations, with only its variables and fields",
  (_name, text) => {
    const document = parse(text);
    expect(validate(schema, document).map((e) => e.message)).toEqual([]);
    const name = operationOf(document).name!.value;
    const sdk = sdkByName.get(name);
    expect(sdk).toBeDefined();
    const sdkVariables = variables(sdk!.parsed);
    for (const [variable, type] of variables(document)) {
      expect([variable, sdkVariables.get(variable)]).toEqual([variable, type]);
    }
    const sdkPaths = fieldPaths(sdk!.parsed);
    const extra = [...fieldPaths(document)].filter((p) => !sdkPaths.has(p));
    expect(extra).toEqual([]);
  },
);

test('a field W&B does not have is a GraphQL error in the stand-in, as on W&B', () => {
  const document = parse(
    'query Q { entity(name: "e") { defaultResourceConfig(id: "1") { yaml } } }',
  );
  expect(validate(schema, document).map((e) => e.message)).toEqual([
    'Cannot query field "yaml" on type "DefaultResourceConfig".',
  ]);
});
