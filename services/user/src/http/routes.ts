import { requireActor, type Operation } from '@sitter/platform';
import type { UserUseCases } from '../domain';

export const userOperations = (users: UserUseCases): Operation[] => [
  {
    method: 'POST',
    path: '/users',
    status: 201,
    handle: (request) => users.createUser(requireActor(request), request.body),
  },
  {
    method: 'GET',
    path: '/users/:username',
    params: { username: 'username' },
    handle: (request) => users.getUser(requireActor(request), request.params.username),
  },
  {
    method: 'PATCH',
    path: '/users/:username',
    params: { username: 'username' },
    handle: (request) => users.updateUser(requireActor(request), request.params.username, request.body),
  },
  {
    method: 'PUT',
    path: '/users/:username/status',
    params: { username: 'username' },
    handle: (request) => users.updateUserStatus(requireActor(request), request.params.username, request.body),
  },
];
