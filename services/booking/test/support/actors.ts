import { randomUUID } from 'node:crypto';
import type { Actor } from '@sitter/ports';

export const parent = (username = `parent-${randomUUID().slice(0, 8)}`): Actor => ({ username, roles: ['PARENT'] });
export const nanny = (username = `nanny-${randomUUID().slice(0, 8)}`): Actor => ({ username, roles: ['NANNY'] });
export const admin = (username = `admin-${randomUUID().slice(0, 8)}`): Actor => ({ username, roles: ['ADMIN'] });
