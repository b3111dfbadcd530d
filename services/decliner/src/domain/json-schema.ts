/**
 * Checks a value against the part of JSON Schema (draft 2020-12) the message contracts use:
 * type, const, required, properties, additionalProperties, minLength, maxLength, pattern and the
 * date-time format. A schema using any other keyword is refused, so nothing is silently ignored.
 */
export type JsonSchema = Readonly<Record<string, unknown>>;

const ROOT = '(message)';

const ANNOTATIONS = new Set(['$schema', '$id', 'title', 'description', 'examples']);
const CHECKED = new Set([
  'type',
  'const',
  'required',
  'properties',
  'additionalProperties',
  'minLength',
  'maxLength',
  'pattern',
  'format',
]);

/** RFC 3339 date-time, upper-case T and Z (what the platform writes and the job service accepts). */
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/;

const isCalendarDate = (year: number, month: number, day: number): boolean => {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
};

const isDateTime = (value: string): boolean => {
  const match = DATE_TIME.exec(value);
  return match !== null && isCalendarDate(Number(match[1]), Number(match[2]), Number(match[3]));
};

const typeOf = (value: unknown): string => {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
};

const matchesType = (value: unknown, type: unknown): boolean => {
  const actual = typeOf(value);
  return actual === type || (type === 'number' && actual === 'integer');
};

/** Problems as "<path>: <what is wrong>"; empty when the value conforms. */
export const validateAgainstSchema = (schema: JsonSchema, value: unknown, path = ROOT): string[] => {
  for (const keyword of Object.keys(schema)) {
    if (!ANNOTATIONS.has(keyword) && !CHECKED.has(keyword)) {
      throw new Error(`unsupported JSON Schema keyword "${keyword}" at ${path}`);
    }
  }
  if ('const' in schema && JSON.stringify(value) !== JSON.stringify(schema.const)) {
    return [`${path}: must be ${JSON.stringify(schema.const)}`];
  }
  if (schema.type !== undefined && !matchesType(value, schema.type)) {
    return [`${path}: must be of type ${String(schema.type)}, not ${typeOf(value)}`];
  }
  if (typeof value === 'string') return stringProblems(schema, value, path);
  if (typeOf(value) === 'object') return objectProblems(schema, value as Record<string, unknown>, path);
  return [];
};

const stringProblems = (schema: JsonSchema, value: string, path: string): string[] => {
  const problems: string[] = [];
  // Characters as JSON Schema counts them: code points, not UTF-16 units.
  const length = [...value].length;
  if (typeof schema.minLength === 'number' && length < schema.minLength) {
    problems.push(`${path}: must have at least ${schema.minLength} character(s)`);
  }
  if (typeof schema.maxLength === 'number' && length > schema.maxLength) {
    problems.push(`${path}: must have at most ${schema.maxLength} characters`);
  }
  if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value)) {
    problems.push(`${path}: must match ${schema.pattern}`);
  }
  if (schema.format === 'date-time' && !isDateTime(value)) {
    problems.push(`${path}: must be an RFC 3339 date-time such as 2031-05-01T09:30:00Z`);
  }
  return problems;
};

const child = (path: string, name: string): string => (path === ROOT ? name : `${path}.${name}`);

const objectProblems = (schema: JsonSchema, value: Record<string, unknown>, path: string): string[] => {
  const problems: string[] = [];
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  for (const name of (schema.required ?? []) as string[]) {
    if (!(name in value)) problems.push(`${child(path, name)}: is required`);
  }
  for (const [name, inner] of Object.entries(value)) {
    const propertySchema = properties[name];
    if (propertySchema) problems.push(...validateAgainstSchema(propertySchema, inner, child(path, name)));
    else if (schema.additionalProperties === false) problems.push(`${child(path, name)}: is not allowed`);
  }
  return problems;
};
