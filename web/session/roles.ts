import type { Role } from '../api/contract.ts';

/** Owners and admins manage members and integrations; agents read and answer conversations (CONTRACT §3). */
export function canManageOrganization(role: Role): boolean {
  return role === 'owner' || role === 'admin';
}

export const roleLabels: Record<Role, string> = { owner: 'Owner', admin: 'Admin', agent: 'Agent' };
