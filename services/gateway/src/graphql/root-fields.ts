import { buildSchema } from 'graphql';
import { typeDefs } from './type-defs';

/** The schema's root fields (every query and mutation): what an authorization table must cover. */
export const rootFields = (): { query: string[]; mutation: string[] } => {
  const schema = buildSchema(typeDefs);
  return {
    query: Object.keys(schema.getQueryType()?.getFields() ?? {}),
    mutation: Object.keys(schema.getMutationType()?.getFields() ?? {}),
  };
};
