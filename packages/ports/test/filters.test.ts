import {
  AppError,
  allowedValues,
  conjuncts,
  matchesFilter,
  parseFilter,
  parseSortBy,
  planRangeQuery,
  rangeOf,
  type Filter,
} from '../src';

const FIELDS = ['status', 'city', 'cost', 'note', 'createdOn'];
const record = { status: 'OPEN', city: 'Leeds', cost: 120, note: null, createdOn: '2026-12-01T10:00:00.000Z' };

const faultOf = (work: () => unknown): AppError | undefined => {
  try {
    work();
    return undefined;
  } catch (error) {
    return error as AppError;
  }
};

describe('filters', () => {
  it.each<[string, Filter, boolean]>([
    ['eq that holds', { city: { eq: 'Leeds' } }, true],
    ['eq that does not', { city: { eq: 'York' } }, false],
    ['ne that holds', { city: { ne: 'York' } }, true],
    ['ne that does not', { city: { ne: 'Leeds' } }, false],
    ['gt on numbers', { cost: { gt: 119 } }, true],
    ['gt at the value', { cost: { gt: 120 } }, false],
    ['gte at the value', { cost: { gte: 120 } }, true],
    ['lt at the value', { cost: { lt: 120 } }, false],
    ['lte at the value', { cost: { lte: 120 } }, true],
    ['lt on text', { createdOn: { lt: '2026-12-02' } }, true],
    ['gt with an operand of another type', { cost: { gt: '100' } }, false],
    ['in that holds', { status: { in: ['OPEN', 'CLOSED'] } }, true],
    ['in that does not', { status: { in: ['CLOSED'] } }, false],
    ['beginsWith that holds', { createdOn: { beginsWith: '2026-12' } }, true],
    ['beginsWith that does not', { createdOn: { beginsWith: '2026-11' } }, false],
    ['contains that holds', { city: { contains: 'eed' } }, true],
    ['contains on a number', { cost: { contains: '12' } }, false],
    ['isDefined true on a value', { city: { isDefined: true } }, true],
    ['isDefined true on null', { note: { isDefined: true } }, false],
    ['isDefined false on a missing field', { about: { isDefined: false } } as Filter, true],
    ['two operators, both must hold', { cost: { gt: 100, lt: 110 } }, false],
    ['and', { and: [{ city: { eq: 'Leeds' } }, { status: { eq: 'OPEN' } }] }, true],
    ['or with one that holds', { or: [{ city: { eq: 'York' } }, { status: { eq: 'OPEN' } }] }, true],
    ['or with none', { or: [{ city: { eq: 'York' } }, { status: { eq: 'CLOSED' } }] }, false],
    ['not', { not: { status: { eq: 'OPEN' } } }, false],
    ['an empty filter', {}, true],
  ])('when the filter is %s, then it matches as expected', (_name, filter, expected) => {
    const matched = matchesFilter(record, filter);

    expect(matched).toBe(expected);
  });

  it.each([
    ['an unknown field', { town: { eq: 'Leeds' } }, 'filter.town'],
    ['an unknown operator', { city: { like: 'L%' } }, 'filter.city.like'],
    ['an empty in', { status: { in: [] } }, 'filter.status.in'],
    ['an object operand', { city: { eq: { $ne: 1 } } }, 'filter.city.eq'],
    [
      'a nested fault',
      { and: [{ city: { eq: 'x' } }, { or: [{ cost: { gt: [1] } }] }] },
      'filter.and[1].or[0].cost.gt',
    ],
    ['a field without operators', { city: {} }, 'filter.city'],
  ])('when a filter has %s, then it is BAD_USER_INPUT naming its path', (_name, raw, path) => {
    const fault = faultOf(() => parseFilter(raw, FIELDS));

    expect(fault).toBeInstanceOf(AppError);
    expect(fault).toMatchObject({ code: 'BAD_USER_INPUT', field: path });
  });

  it('when a filter nests deeper than 8 levels, then it is refused before it is evaluated', () => {
    let deep: Filter = { city: { eq: 'Leeds' } };
    for (let level = 0; level < 9; level += 1) deep = { not: deep };

    const fault = faultOf(() => parseFilter(deep, FIELDS));

    expect(fault).toMatchObject({ code: 'BAD_USER_INPUT' });
  });

  it('when and/or/not combine statuses, then the allowed values are exactly those the filter lets through', () => {
    const filter: Filter = { or: [{ status: { eq: 'OPEN' } }, { not: { status: { in: ['OPEN', 'CLOSED'] } } }] };

    const allowed = allowedValues(filter, 'status', ['OPEN', 'CLOSED', 'DRAFT']);

    expect(allowed).toEqual(['OPEN', 'DRAFT']);
  });

  it('when a filter has nested ands, then its conjuncts are flattened with their paths', () => {
    const parts = conjuncts({ status: { eq: 'OPEN' }, and: [{ and: [{ city: { eq: 'x' } }] }, { or: [{}] }] });

    expect(parts.map((part) => part.path)).toEqual(['filter.status', 'filter.and[0].and[0].city', 'filter.and[1].or']);
  });

  it.each([
    ['eq', { eq: '2026' }, { lower: { value: '2026', inclusive: true }, upper: { value: '2026', inclusive: true } }],
    [
      'gt and lte',
      { gt: '2026-01', lte: '2026-12' },
      { lower: { value: '2026-01', inclusive: false }, upper: { value: '2026-12', inclusive: true } },
    ],
    [
      'beginsWith',
      { beginsWith: '2026-12' },
      { lower: { value: '2026-12', inclusive: true }, upper: { value: '2026-12\uffff', inclusive: false } },
    ],
    ['isDefined true', { isDefined: true }, { lower: undefined, upper: undefined }],
  ])('when a text field filter is %s, then it is a range', (_name, filter, range) => {
    expect(rangeOf(filter)).toEqual({ range });
  });

  it.each([
    ['ne', { ne: '2026' }],
    ['in', { in: ['2026'] }],
    ['contains', { contains: 'T10' }],
    ['isDefined false', { isDefined: false }],
  ])('when a text field filter uses %s, then no range expresses it', (operator, filter) => {
    expect(rangeOf(filter)).toEqual({ unservable: operator.split(' ')[0] });
  });

  it('when sortBy names a field the index does not keep in order, then it is BAD_USER_INPUT on sortBy.field', () => {
    const fault = faultOf(() =>
      parseSortBy({ field: 'city', direction: 'ASC' }, ['createdOn'], { field: 'createdOn', direction: 'DESC' }),
    );

    expect(fault).toMatchObject({ code: 'BAD_USER_INPUT', field: 'sortBy.field' });
  });

  it('when two range parts overlap, then the plan keeps the tighter bound at each end', () => {
    const filter: Filter = {
      and: [{ createdOn: { gte: '2026-05', lt: '2026-09' } }, { createdOn: { gt: '2026-01', lte: '2026-12' } }],
      status: { ne: 'CLOSED' },
    };

    const plan = planRangeQuery(filter, { field: 'status', values: ['OPEN', 'CLOSED'] }, 'createdOn', 'the index');

    expect(plan).toEqual({
      partitions: ['OPEN'],
      range: { lower: { value: '2026-05', inclusive: true }, upper: { value: '2026-09', inclusive: false } },
    });
  });

  it('when an or mixes the partition and the order field, then the plan refuses it naming the or', () => {
    const filter: Filter = { or: [{ status: { eq: 'OPEN' } }, { createdOn: { gt: '2026' } }] };

    const fault = faultOf(() =>
      planRangeQuery(filter, { field: 'status', values: ['OPEN', 'CLOSED'] }, 'createdOn', 'the index'),
    );

    expect(fault).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.or' });
  });
});
