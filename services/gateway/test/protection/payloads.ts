/** The documents of the penetration test, and smaller ones built the same way. */

export const aliases = (count: number, field: string): string =>
  `{ ${Array.from({ length: count }, (_, i) => `a${i}: ${field}`).join(' ')} }`;

/** `{ ... on Query { ... on Query { ... __typename } } }`, `depth` fragments deep. */
export const nestedInlineFragments = (depth: number): string =>
  `{ ${'... on Query { '.repeat(depth)}__typename ${'} '.repeat(depth)}}`;

/** `query { ...F0 } fragment F0 on Query { ...F1 } … fragment F<n-1> on Query { __typename }`. */
export const fragmentChain = (length: number): string =>
  `query { ...F0 } ${Array.from(
    { length },
    (_, i) => `fragment F${i} on Query { ${i === length - 1 ? '__typename' : `...F${i + 1}`} }`,
  ).join(' ')}`;

/** 80,000 aliases of __typename: about 1.4 MB of JSON. */
export const EIGHTY_THOUSAND_ALIASES = aliases(80_000, '__typename');
export const TEN_THOUSAND_NESTED_FRAGMENTS = nestedInlineFragments(10_000);
export const FIVE_THOUSAND_FRAGMENT_CHAIN = fragmentChain(5_000);
