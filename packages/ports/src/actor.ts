/** Who is calling a use case: the authenticated user as the gateway established it. */
export type Role = 'PARENT' | 'NANNY' | 'ADMIN';

export interface Actor {
  username: string;
  roles: readonly Role[];
}

export const isAdmin = (actor: Actor): boolean => actor.roles.includes('ADMIN');
export const hasRole = (actor: Actor, role: Role): boolean => actor.roles.includes(role);
