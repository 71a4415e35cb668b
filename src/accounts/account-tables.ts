// Row types of the accounts tables (migrations 0001 and 0006).
import type { Generated } from 'kysely';

export interface OrganizationsTable {
  id: string;
  name: string;
  created_at: number;
  /** 0 or 1: every member must sign in with a second factor (owners decide). */
  require_two_factor: Generated<number>;
}

export interface UsersTable {
  id: string;
  email: string;
  password_hash: string;
  created_at: number;
  name: Generated<string | null>;
  totp_secret_sealed: Generated<string | null>;
  totp_pending_sealed: Generated<string | null>;
  totp_last_step: Generated<number | null>;
}

export interface MembershipsTable {
  org_id: string;
  user_id: string;
  role: 'owner' | 'admin' | 'agent';
  created_at: number;
}

export interface SessionsTable {
  id_hash: string;
  user_id: string;
  org_id: string;
  created_at: number;
  expires_at: number;
  last_seen_at: Generated<number | null>;
  user_agent: Generated<string | null>;
  ip_address: Generated<string | null>;
}

export interface InvitationsTable {
  id: string;
  org_id: string;
  email: string;
  role: 'admin' | 'agent';
  token_hash: string;
  invited_by: string | null;
  created_at: number;
  expires_at: number;
  accepted_at: number | null;
  revoked_at: number | null;
}

export interface PasswordResetsTable {
  token_hash: string;
  user_id: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

export interface RecoveryCodesTable {
  code_hash: string;
  user_id: string;
  created_at: number;
  used_at: number | null;
}
