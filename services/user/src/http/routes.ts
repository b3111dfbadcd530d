import express, { type Request, type Router } from 'express';
import { requireActor, route } from '@sitter/platform';
import type { UserUseCases } from '../domain';

const usernameParam = (req: Request): string => String(req.params.username);

export const userRoutes = (users: UserUseCases): Router => {
  const router = express.Router();

  router.post(
    '/users',
    route(async (req, res) => {
      res.status(201).json(await users.createUser(requireActor(req), req.body));
    }),
  );

  router.get(
    '/users/:username',
    route(async (req, res) => {
      res.json(await users.getUser(requireActor(req), usernameParam(req)));
    }),
  );

  router.patch(
    '/users/:username',
    route(async (req, res) => {
      res.json(await users.updateUser(requireActor(req), usernameParam(req), req.body));
    }),
  );

  router.put(
    '/users/:username/status',
    route(async (req, res) => {
      res.json(await users.updateUserStatus(requireActor(req), usernameParam(req), req.body));
    }),
  );

  return router;
};
