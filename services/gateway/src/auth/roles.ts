import type { Role } from '@sitter/ports';

export const ROLES: readonly Role[] = ['PARENT', 'NANNY', 'ADMIN'];

/** Identity-provider group or role name (any case) → Sitter role. */
export type RoleMap = Readonly<Record<string, Role>>;

const asRole = (value: string): Role | undefined => ROLES.find((role) => role === value.toUpperCase());

/**
 * The Sitter roles named by a token's roles claim. The claim may be an array or a space/comma
 * separated string; names match case-insensitively, through the role map when there is one.
 * Names that map to no role are ignored: an identity provider knows groups Sitter does not care about.
 */
export const mapRoles = (claimValue: unknown, roleMap?: RoleMap): Role[] => {
  const names = claimNames(claimValue);
  const lookup = roleMap ? lowerCaseKeys(roleMap) : undefined;
  const roles = new Set<Role>();
  for (const name of names) {
    const role = lookup ? lookup.get(name.toLowerCase()) : asRole(name);
    if (role) roles.add(role);
  }
  return [...roles];
};

const claimNames = (claimValue: unknown): string[] => {
  if (typeof claimValue === 'string') return claimValue.split(/[\s,]+/).filter(Boolean);
  if (Array.isArray(claimValue)) {
    return claimValue.filter((item): item is string => typeof item === 'string').map((item) => item.trim());
  }
  return [];
};

const lowerCaseKeys = (roleMap: RoleMap): Map<string, Role> =>
  new Map(Object.entries(roleMap).map(([name, role]) => [name.trim().toLowerCase(), role]));

/** Parses `parents=PARENT,nannies=NANNY`; throws with the offending entry when one is not `name=ROLE`. */
export const parseRoleMap = (raw: string): RoleMap => {
  const map: Record<string, Role> = {};
  for (const entry of raw.split(',').map((item) => item.trim())) {
    if (!entry) continue;
    const separator = entry.lastIndexOf('=');
    const name = separator > 0 ? entry.slice(0, separator).trim() : '';
    const role = separator > 0 ? asRole(entry.slice(separator + 1).trim()) : undefined;
    if (!name || !role) {
      throw new Error(`ROLE_MAP entry "${entry}" is not name=${ROLES.join('|')}`);
    }
    map[name.toLowerCase()] = role;
  }
  return map;
};
