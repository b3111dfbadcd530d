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
  /** Where the user lives at city level: the location others may see. */
  city?: string;
  about?: string;
  latitude?: number;
  longitude?: number;
  status: UserStatus;
  /** ISO-8601 timestamps. */
  createdOn: string;
  updatedOn: string;
}

/** The profile fields an owner (or an admin) may change after sign-up. */
export const EDITABLE_FIELDS = ['firstName', 'lastName', 'address', 'city', 'about', 'latitude', 'longitude'] as const;

/**
 * What anyone but the owner and admins sees of a profile: who they are on the marketplace and
 * roughly where (the city). Email, last name, date of birth, address and coordinates stay private.
 */
export type PublicProfile = Pick<
  User,
  'username' | 'type' | 'firstName' | 'city' | 'about' | 'profilePicUrl' | 'status' | 'createdOn' | 'updatedOn'
>;

export const publicProfile = (user: User): PublicProfile => {
  const { username, type, firstName, city, about, profilePicUrl, status, createdOn, updatedOn } = user;
  const profile: PublicProfile = { username, type, firstName, status, createdOn, updatedOn };
  if (city !== undefined) profile.city = city;
  if (about !== undefined) profile.about = about;
  if (profilePicUrl !== undefined) profile.profilePicUrl = profilePicUrl;
  return profile;
};
export type EditableField = (typeof EDITABLE_FIELDS)[number];
