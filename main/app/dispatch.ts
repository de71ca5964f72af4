/**
 * The single entry point both hosts call for a renderer request: validate against the contract, run
 * the handler, and turn every failure into a typed ContractError. Nothing a renderer sends can throw
 * past this function.
 */
import type * as z from 'zod/mini';
import {
  parseRequest,
  requests,
  type ContractError,
  type RequestName,
  type RequestResult,
} from '../../preload/shared/contract';
import type { Logger } from '../core/logger';
import { errorInfo, isStorageError, type Redact } from '../storage/errors';

export type Handlers = {
  [N in RequestName]: (arg: z.output<(typeof requests)[N]['arg']>) => Promise<RequestResult<N>>;
};

export type DispatchReply = { ok: true; result: unknown } | { ok: false; error: ContractError };

export function toContractError(err: unknown, redact: Redact = (s) => s): ContractError {
  const info = errorInfo(err, redact, 'InternalError');
  // Only a storage failure has a status and ids worth showing; a status 0 would say nothing.
  if (isStorageError(err)) {
    return {
      code: info.code,
      message: info.message,
      status: info.status,
      requestId: info.requestId,
      hostId: info.hostId,
    };
  }
  return { code: info.code, message: info.message };
}

/** What dispatch needs of the log: secrets kept out of replies, and failures recorded with their request id. */
export type DispatchLog = Pick<Logger, 'redact' | 'warn' | 'debug'>;

export async function dispatch(
  handlers: Handlers,
  name: unknown,
  arg: unknown,
  log?: DispatchLog,
): Promise<DispatchReply> {
  const parsed = parseRequest(name, arg);
  if (!parsed.ok) {
    log?.debug(`refused a malformed request: ${parsed.error.code}: ${parsed.error.message}`);
    return parsed;
  }
  try {
    const handler = handlers[parsed.name] as (a: unknown) => Promise<unknown>;
    const result = await handler(parsed.arg);
    return { ok: true, result };
  } catch (err) {
    const error = toContractError(err, log ? (s) => log.redact(s) : undefined);
    // A failure the user sees in the UI (a listing, a connection test) must also be in the log, with
    // the request id a support ticket needs.
    log?.warn(
      `${parsed.name} failed: ${error.code}: ${error.message}`,
      error.requestId ? { requestId: error.requestId } : {},
    );
    return { ok: false, error };
  }
}

export function isKnownRequest(name: string): name is RequestName {
  return Object.prototype.hasOwnProperty.call(requests, name);
}
