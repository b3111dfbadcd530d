export const USER_TYPES = ['PARENT', 'NANNY'] as const;
export type UserType = (typeof USER_TYPES)[number];

export const USER_STATUSES = ['UNVERIFIED', 'VERIFIED', 'DEACTIVATED'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

export interface User {
  username: string;
  email: string;
  type: UserType;
  firstName: string;
  lastName: string;
  /** ISO calendar date (YYYY-MM-DD). */
  dateOfBirth?: string;
  profilePicUrl?: string;
  address?: string;
  about?: string;
  latitude?: number;
  longitude?: number;
  status: UserStatus;
  /** ISO-8601 timestamps. */
  createdOn: string;
  updatedOn: string;
}

/** The profile fields an owner (or an admin) may change after sign-up. */
export const EDITABLE_FIELDS = ['firstName', 'lastName', 'address', 'about', 'latitude', 'longitude'] as const;
export type EditableField = (typeof EDITABLE_FIELDS)[number];
