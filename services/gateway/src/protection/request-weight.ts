import { getOperationAST, Kind, type DocumentNode, type FieldNode, type SelectionSetNode } from 'graphql';

/** What a list answers when it is given no limit: the services' default page size. */
const DEFAULT_PAGE_SIZE = 20;

/**
 * How many requests an operation counts as against an API key's allowance: each root field (every
 * alias is another call to a service) counts once per page of DEFAULT_PAGE_SIZE items its `limit`
 * asks for. `{ listJobsByStatus(jobStatus: OPEN, limit: 5) { ... } }` counts 1, the same with
 * `limit: 100` counts 5, and ten aliases of it count 50.
 */
export const requestWeight = (
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Readonly<Record<string, unknown>> = {},
): number => {
  const operation = getOperationAST(document, operationName);
  if (!operation) return 1;
  const fragments = new Map(
    document.definitions.flatMap((definition) =>
      definition.kind === Kind.FRAGMENT_DEFINITION ? [[definition.name.value, definition.selectionSet] as const] : [],
    ),
  );
  const rootFields = collectRootFields(operation.selectionSet, fragments, new Set());
  return Math.max(
    1,
    rootFields.reduce((sum, field) => sum + pages(field, variables), 0),
  );
};

const collectRootFields = (
  selectionSet: SelectionSetNode,
  fragments: ReadonlyMap<string, SelectionSetNode>,
  visited: Set<string>,
): FieldNode[] =>
  selectionSet.selections.flatMap((selection) => {
    if (selection.kind === Kind.FIELD) return [selection];
    if (selection.kind === Kind.INLINE_FRAGMENT) return collectRootFields(selection.selectionSet, fragments, visited);
    const name = selection.name.value;
    const fragment = fragments.get(name);
    if (!fragment || visited.has(name)) return [];
    visited.add(name);
    return collectRootFields(fragment, fragments, visited);
  });

const pages = (field: FieldNode, variables: Readonly<Record<string, unknown>>): number => {
  if (field.name.value.startsWith('__')) return 0;
  const limit = field.arguments?.find((argument) => argument.name.value === 'limit')?.value;
  let size = DEFAULT_PAGE_SIZE;
  if (limit?.kind === Kind.INT) size = Number(limit.value);
  if (limit?.kind === Kind.VARIABLE && typeof variables[limit.name.value] === 'number') {
    size = variables[limit.name.value] as number;
  }
  return Math.max(1, Math.ceil(size / DEFAULT_PAGE_SIZE));
};
