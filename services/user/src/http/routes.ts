import { UserRoutes } from '@sitter/contracts';
import { requireActor, type Operation } from '@sitter/platform';
import type { UserUseCases } from '../domain';

export const userOperations = (users: UserUseCases): Operation[] => [
  {
    ...UserRoutes.createUser,
    status: 201,
    handle: (request) => users.createUser(requireActor(request), request.body),
  },
  {
    ...UserRoutes.getUser,
    params: { username: 'username' },
    handle: (request) => users.getUser(requireActor(request), request.params.username),
  },
  {
    ...UserRoutes.updateUser,
    params: { username: 'username' },
    handle: (request) => users.updateUser(requireActor(request), request.params.username, request.body),
  },
  {
    ...UserRoutes.setUserStatus,
    params: { username: 'username' },
    handle: (request) => users.updateUserStatus(requireActor(request), request.params.username, request.body),
  },
];
