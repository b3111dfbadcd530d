import { badInput } from './errors';

/**
 * Filters on list queries, the same for every service: per field the operators `eq, ne, gt, gte, lt, lte, in,
 * beginsWith, contains, isDefined` (all given must hold), combined with `and`, `or` and `not`. Pure: parsing,
 * evaluating against a record, and the pieces a service needs to decide what its indexes can serve
 * (`conjuncts`, `fieldsOf`, `allowedValues`, `rangeOf`). Which filters a list accepts is the service's decision.
 */
export type FilterValue = string | number | boolean;

export interface FieldFilter {
  eq?: FilterValue;
  ne?: FilterValue;
  gt?: FilterValue;
  gte?: FilterValue;
  lt?: FilterValue;
  lte?: FilterValue;
  in?: FilterValue[];
  beginsWith?: string;
  contains?: string;
  isDefined?: boolean;
}

export type FieldOperator = keyof FieldFilter;
export const FIELD_OPERATORS: readonly FieldOperator[] = [
  'eq',
  'ne',
  'gt',
  'gte',
  'lt',
  'lte',
  'in',
  'beginsWith',
  'contains',
  'isDefined',
];

export interface Filter {
  and?: Filter[];
  or?: Filter[];
  not?: Filter;
  [field: string]: FieldFilter | Filter[] | Filter | undefined;
}

const COMBINATORS = ['and', 'or', 'not'];
/** Deep enough for any honest question; a deeper one is a way to make the service recurse. */
const MAX_DEPTH = 8;
const MAX_IN_VALUES = 100;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isValue = (value: unknown): value is FilterValue =>
  typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));

const parseFieldFilter = (raw: unknown, path: string): FieldFilter => {
  if (!isObject(raw)) throw badInput(path, `${path} must be an object of operators`);
  const parsed: FieldFilter = {};
  for (const [operator, operand] of Object.entries(raw)) {
    const at = `${path}.${operator}`;
    if (operand === undefined || operand === null) continue;
    switch (operator) {
      case 'eq':
      case 'ne':
      case 'gt':
      case 'gte':
      case 'lt':
      case 'lte':
        if (!isValue(operand)) throw badInput(at, `${at} must be a string, number or boolean`);
        parsed[operator] = operand;
        break;
      case 'in':
        if (
          !Array.isArray(operand) ||
          operand.length === 0 ||
          operand.length > MAX_IN_VALUES ||
          !operand.every(isValue)
        )
          throw badInput(at, `${at} must be a list of 1 to ${MAX_IN_VALUES} strings, numbers or booleans`);
        parsed.in = operand;
        break;
      case 'beginsWith':
      case 'contains':
        if (typeof operand !== 'string' || operand === '') throw badInput(at, `${at} must be non-empty text`);
        parsed[operator] = operand;
        break;
      case 'isDefined':
        if (typeof operand !== 'boolean') throw badInput(at, `${at} must be true or false`);
        parsed.isDefined = operand;
        break;
      default:
        throw badInput(at, `${at} is not an operator (${FIELD_OPERATORS.join(', ')})`);
    }
  }
  if (Object.keys(parsed).length === 0) throw badInput(path, `${path} names no operator`);
  return parsed;
};

const parseNode = (raw: unknown, fields: readonly string[], path: string, depth: number): Filter => {
  if (depth > MAX_DEPTH) throw badInput(path, `${path} nests more than ${MAX_DEPTH} levels`);
  if (!isObject(raw)) throw badInput(path, `${path} must be an object`);
  const parsed: Filter = {};
  for (const [key, value] of Object.entries(raw)) {
    const at = `${path}.${key}`;
    if (value === undefined || value === null) continue;
    if (key === 'and' || key === 'or') {
      if (!Array.isArray(value) || value.length === 0) throw badInput(at, `${at} must be a non-empty list of filters`);
      parsed[key] = value.map((item, index) => parseNode(item, fields, `${at}[${index}]`, depth + 1));
    } else if (key === 'not') {
      parsed.not = parseNode(value, fields, at, depth + 1);
    } else if (fields.includes(key)) {
      parsed[key] = parseFieldFilter(value, at);
    } else {
      throw badInput(at, `${at}: no such field (${[...fields, ...COMBINATORS].join(', ')})`);
    }
  }
  return parsed;
};

/** The filter as given, checked against the fields the list has; BAD_USER_INPUT names the first fault's path. */
export const parseFilter = (raw: unknown, fields: readonly string[], path = 'filter'): Filter =>
  raw === undefined || raw === null ? {} : parseNode(raw, fields, path, 0);

const compare = (value: unknown, operand: FilterValue): number | undefined => {
  if (typeof value !== typeof operand || typeof value === 'boolean') return undefined;
  if (typeof value === 'number') return value - (operand as number);
  const text = value as string;
  return text < (operand as string) ? -1 : text > (operand as string) ? 1 : 0;
};

const holds = (value: unknown, operator: FieldOperator, operand: FieldFilter[FieldOperator]): boolean => {
  const defined = value !== undefined && value !== null;
  switch (operator) {
    case 'isDefined':
      return defined === operand;
    case 'eq':
      return value === operand;
    case 'ne':
      return value !== operand;
    case 'in':
      return (operand as FilterValue[]).includes(value as FilterValue);
    case 'beginsWith':
      return typeof value === 'string' && value.startsWith(operand as string);
    case 'contains':
      return typeof value === 'string' && value.includes(operand as string);
    default: {
      const order = compare(value, operand as FilterValue);
      if (order === undefined) return false;
      return { gt: order > 0, gte: order >= 0, lt: order < 0, lte: order <= 0 }[operator];
    }
  }
};

/** Whether the record satisfies the filter (an empty filter holds for every record). */
export const matchesFilter = (record: Record<string, unknown>, filter: Filter): boolean =>
  Object.entries(filter).every(([key, node]) => {
    if (node === undefined) return true;
    if (key === 'and') return (node as Filter[]).every((inner) => matchesFilter(record, inner));
    if (key === 'or') return (node as Filter[]).some((inner) => matchesFilter(record, inner));
    if (key === 'not') return !matchesFilter(record, node as Filter);
    return Object.entries(node as FieldFilter).every(([operator, operand]) =>
      holds(record[key], operator as FieldOperator, operand as FieldFilter[FieldOperator]),
    );
  });

/** A filter with its path, so a refusal names where in the question the part stands. */
export interface FilterPart {
  path: string;
  filter: Filter;
}

/**
 * The parts that must all hold: the top-level `and` items (nested `and`s flattened) and each field of the
 * top-level object on its own.
 */
export const conjuncts = (filter: Filter, path = 'filter'): FilterPart[] =>
  Object.entries(filter).flatMap(([key, node]): FilterPart[] => {
    if (node === undefined) return [];
    if (key === 'and') return (node as Filter[]).flatMap((inner, index) => conjuncts(inner, `${path}.and[${index}]`));
    return [{ path: `${path}.${key}`, filter: { [key]: node } }];
  });

/** Every field the filter names, at any depth. */
export const fieldsOf = (filter: Filter): Set<string> => {
  const found = new Set<string>();
  for (const [key, node] of Object.entries(filter)) {
    if (node === undefined) continue;
    if (key === 'and' || key === 'or')
      for (const inner of node as Filter[]) fieldsOf(inner).forEach((f) => found.add(f));
    else if (key === 'not') fieldsOf(node as Filter).forEach((f) => found.add(f));
    else found.add(key);
  }
  return found;
};

/** For a filter on `field` alone: the values of a finite set (an enum's) that satisfy it. */
export const allowedValues = <V extends FilterValue>(filter: Filter, field: string, universe: readonly V[]): V[] =>
  universe.filter((value) => matchesFilter({ [field]: value }, filter));

/** One end of a range on an ordered field. */
export interface RangeBound {
  value: string;
  inclusive: boolean;
}

export interface TextRange {
  lower?: RangeBound;
  upper?: RangeBound;
}

/** Above every string an index key holds in practice, to turn `beginsWith p` into the range [p, p + this). */
const AFTER_PREFIX = '\uffff';

const tighterLower = (a: RangeBound | undefined, b: RangeBound): RangeBound =>
  !a || b.value > a.value || (b.value === a.value && !b.inclusive) ? b : a;
const tighterUpper = (a: RangeBound | undefined, b: RangeBound): RangeBound =>
  !a || b.value < a.value || (b.value === a.value && !b.inclusive) ? b : a;

/**
 * The range of a text field that a field filter describes, when it is one: `eq, gt, gte, lt, lte, beginsWith` and
 * `isDefined: true` (any value) narrow it. Otherwise the operator that a range cannot express (`ne, in, contains`,
 * `isDefined: false`, a non-text operand).
 */
export const rangeOf = (filter: FieldFilter): { range: TextRange } | { unservable: FieldOperator } => {
  let lower: RangeBound | undefined;
  let upper: RangeBound | undefined;
  for (const [operator, operand] of Object.entries(filter) as Array<[FieldOperator, FieldFilter[FieldOperator]]>) {
    if (operator === 'isDefined' && operand === true) continue;
    if (operator === 'beginsWith') {
      lower = tighterLower(lower, { value: operand as string, inclusive: true });
      upper = tighterUpper(upper, { value: `${operand as string}${AFTER_PREFIX}`, inclusive: false });
      continue;
    }
    if (typeof operand !== 'string') return { unservable: operator };
    if (operator === 'eq' || operator === 'gt' || operator === 'gte')
      lower = tighterLower(lower, { value: operand, inclusive: operator !== 'gt' });
    if (operator === 'eq' || operator === 'lt' || operator === 'lte')
      upper = tighterUpper(upper, { value: operand, inclusive: operator !== 'lt' });
    if (!['eq', 'gt', 'gte', 'lt', 'lte'].includes(operator)) return { unservable: operator };
  }
  return { range: { lower, upper } };
};

/** What an index of `partition`-then-`order` reads for a filter: which partitions, and which range of the order. */
export interface RangePlan<V extends FilterValue> {
  partitions: V[];
  range: TextRange;
}

/**
 * Plans a filter for an index kept per value of a finite `partition` field (a status) and in order of a text
 * `order` field (a timestamp): each top-level part must be about the partition alone (any operators, and/or/not)
 * or a range of the order field. Anything else would need records the answer does not hold: BAD_USER_INPUT naming
 * the part, with `what` ("the jobs index") in the message.
 */
export const planRangeQuery = <V extends FilterValue>(
  filter: Filter,
  partition: { field: string; values: readonly V[] },
  order: string,
  what: string,
): RangePlan<V> => {
  let partitions = [...partition.values];
  let lower: RangeBound | undefined;
  let upper: RangeBound | undefined;
  for (const part of conjuncts(filter)) {
    const fields = fieldsOf(part.filter);
    if (fields.size === 1 && fields.has(partition.field)) {
      const allowed = allowedValues(part.filter, partition.field, partition.values);
      partitions = partitions.filter((value) => allowed.includes(value));
      continue;
    }
    const ordered = part.filter[order] as FieldFilter | undefined;
    if (fields.size === 1 && ordered !== undefined) {
      const served = rangeOf(ordered);
      if ('unservable' in served) {
        const at = `${part.path}.${served.unservable}`;
        throw badInput(
          at,
          `${at} cannot be served: ${what} keeps ${order} in order, so only eq, gt, gte, lt, lte, beginsWith and isDefined: true narrow it`,
        );
      }
      if (served.range.lower) lower = tighterLower(lower, served.range.lower);
      if (served.range.upper) upper = tighterUpper(upper, served.range.upper);
      continue;
    }
    throw badInput(
      part.path,
      `${part.path} cannot be served: ${what} answers a filter on ${partition.field} (also inside and/or/not) and a ${order} range at the top level (not under or/not)`,
    );
  }
  return { partitions, range: { lower, upper } };
};

/** Which way a list runs along its ordered field. */
export type SortDirection = 'ASC' | 'DESC';

export interface SortBy {
  field: string;
  direction: SortDirection;
}

/** The order asked for, among the fields the list's index keeps in order. */
export const parseSortBy = (raw: unknown, sortable: readonly string[], fallback: SortBy): SortBy => {
  if (raw === undefined || raw === null) return fallback;
  if (!isObject(raw)) throw badInput('sortBy', 'sortBy must be { field, direction }');
  const field = raw.field ?? fallback.field;
  const direction = raw.direction ?? fallback.direction;
  if (typeof field !== 'string' || !sortable.includes(field))
    throw badInput('sortBy.field', `sortBy.field must be one the index keeps in order: ${sortable.join(', ')}`);
  if (direction !== 'ASC' && direction !== 'DESC')
    throw badInput('sortBy.direction', 'sortBy.direction must be ASC or DESC');
  return { field, direction };
};
