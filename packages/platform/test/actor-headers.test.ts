import { Headers } from '@sitter/contracts';
import { actorFromHeaders, actorHeaders } from '../src';

describe('actorHeaders', () => {
  it('when a caller is named, then the headers carry the canonical username and the roles', () => {
    expect(actorHeaders({ username: 'Ada', roles: ['PARENT', 'ADMIN'] })).toEqual({
      [Headers.callerUsername]: 'ada',
      [Headers.callerRoles]: 'PARENT,ADMIN',
    });
  });

  it('when the called service reads the headers back, then it sees the same caller', () => {
    const headers = actorHeaders({ username: 'nanny-1', roles: ['NANNY'] });

    expect(actorFromHeaders((name) => headers[name])).toEqual({ username: 'nanny-1', roles: ['NANNY'] });
  });
});
