// Row types of the accounts tables (migration 0001).
export interface OrganizationsTable {
  id: string;
  name: string;
  created_at: number;
}

export interface UsersTable {
  id: string;
  email: string;
  password_hash: string;
  created_at: number;
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
}
