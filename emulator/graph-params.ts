// Graph parameters arrive as query string, form body or JSON body (reference §0), and Meta treats them
// alike; JSON-valued parameters (recipient, message) may be objects or JSON strings. Everything here is
// `unknown` until narrowed.
import type { FastifyRequest } from 'fastify';
import { invalidParameter } from './graph-errors.ts';

export type GraphParams = Record<string, unknown>;

export function collectParams(req: FastifyRequest): GraphParams {
  const query = isRecord(req.query) ? req.query : {};
  const body = isRecord(req.body) ? req.body : {};
  return { ...query, ...body };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function stringParam(params: GraphParams, name: string): string | null {
  const value = Array.isArray(params[name]) ? (params[name] as unknown[])[0] : params[name];
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return null;
}

export function requiredParam(params: GraphParams, name: string): string {
  const value = stringParam(params, name);
  if (value === null || value === '') throw invalidParameter(`The parameter ${name} is required`);
  return value;
}

/** A comma list (`a,b`), a JSON array string (`["a","b"]`) or an array. */
export function listParam(params: GraphParams, name: string): string[] | null {
  const value = params[name];
  if (value === undefined || value === null) return null;
  let items: unknown[];
  if (Array.isArray(value)) items = value;
  else if (typeof value === 'string' && value.trim().startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(value);
      if (!Array.isArray(parsed)) throw new Error('not an array');
      items = parsed;
    } catch {
      throw invalidParameter(`Param ${name} must be an array or a comma-separated list`);
    }
  } else if (typeof value === 'string') items = value.split(',');
  else throw invalidParameter(`Param ${name} must be an array or a comma-separated list`);
  return items.map((item) => String(item).trim()).filter((item) => item !== '');
}

/** An object or its JSON text; Meta's docs even show single-quoted pseudo-JSON, which it accepts. */
export function objectParam(params: GraphParams, name: string): Record<string, unknown> | null {
  const value = params[name];
  if (value === undefined || value === null || value === '') return null;
  if (isRecord(value)) return value;
  if (typeof value === 'string') {
    for (const text of [value, value.replace(/'/g, '"')]) {
      try {
        const parsed: unknown = JSON.parse(text);
        if (isRecord(parsed)) return parsed;
      } catch {
        // try the next reading
      }
    }
  }
  throw invalidParameter(`param ${name} must be a JSON object`);
}

export function intParam(params: GraphParams, name: string): number | null {
  const raw = stringParam(params, name);
  if (raw === null || raw === '') return null;
  const n = Number(raw);
  if (!Number.isInteger(n)) throw invalidParameter(`Param ${name} must be an integer`);
  return n;
}
