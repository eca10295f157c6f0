/**
 * HJ 212 commands across hub instances: what travels in the database between the instance a
 * request arrives at and the one holding the device's connection (see src/cluster/device-commands.ts),
 * and how the answer, or the reason there is none, is turned back into the same result or error
 * the device's own instance would have given.
 */

import { HubError, ValidationError, type FieldProblem } from '../../errors';
import { NoInstanceHoldsDevice, type DeviceCommandRouter, type Json, type LocalExecutor, type RoutedOutcome } from '../../cluster/device-commands';
import { CommandTimeoutError, DeviceNotConnectedError, type CommandRequest, type CommandResult } from './commands';

/** Time for the database round trips on top of the device's own time to answer. */
const ROUTING_MARGIN_MS = 5_000;

/** The request as the origin resolved it: its clock sets the time, its setting the timeout. */
export function routedRequest(request: CommandRequest, systemTime: Date, timeoutSeconds: number): Json {
  return {
    kind: request.kind,
    systemTime: systemTime.toISOString(),
    rtdIntervalSeconds: request.rtdIntervalSeconds ?? null,
    polId: request.polId ?? null,
    timeoutSeconds,
  };
}

function requestFrom(json: Json): CommandRequest {
  const value = (json ?? {}) as Record<string, Json>;
  return {
    kind: value.kind as CommandRequest['kind'],
    systemTime: typeof value.systemTime === 'string' ? new Date(value.systemTime) : null,
    rtdIntervalSeconds: typeof value.rtdIntervalSeconds === 'number' ? value.rtdIntervalSeconds : null,
    polId: typeof value.polId === 'string' ? value.polId : null,
    timeoutSeconds: typeof value.timeoutSeconds === 'number' ? value.timeoutSeconds : null,
  };
}

/** The holding instance's side: send on the local connection, every ending an outcome. */
export function localExecutor(send: (mn: string, request: CommandRequest) => Promise<CommandResult>): LocalExecutor {
  return async (mn, json) => {
    try {
      const result = await send(mn, requestFrom(json));
      return { ok: true, result: { ...result, systemTime: result.systemTime?.toISOString() ?? null } };
    } catch (error) {
      if (error instanceof CommandTimeoutError) {
        return { ok: false, code: error.code, message: error.message, details: { qn: error.qn, qnRtn: error.qnRtn } };
      }
      if (error instanceof ValidationError) return { ok: false, code: error.code, message: error.message, details: error.problems as unknown as Json };
      if (error instanceof HubError) return { ok: false, code: error.code, message: error.message, details: null };
      throw error;
    }
  };
}

function resultFrom(json: Json): CommandResult {
  const value = json as Record<string, Json>;
  return {
    ...(value as unknown as CommandResult),
    systemTime: typeof value.systemTime === 'string' ? new Date(value.systemTime) : null,
  };
}

/** The origin's side: the same results and errors as a command sent on a local connection. */
export async function sendThroughOtherInstance(router: DeviceCommandRouter, mn: string, request: Json, timeoutSeconds: number): Promise<CommandResult> {
  let outcome: RoutedOutcome;
  try {
    outcome = await router.route(mn, request, timeoutSeconds * 1000 + ROUTING_MARGIN_MS);
  } catch (error) {
    if (error instanceof NoInstanceHoldsDevice) throw new DeviceNotConnectedError(mn, `device ${mn} is not connected to any hub instance`);
    throw new DeviceNotConnectedError(mn, `the hub instance holding device ${mn} did not answer in time`);
  }
  if (outcome.ok) return resultFrom(outcome.result);
  const details = (outcome.details ?? {}) as Record<string, Json>;
  switch (outcome.code) {
    case 'HJ212_COMMAND_TIMEOUT':
      throw new CommandTimeoutError(mn, String(details.qn ?? ''), typeof details.qnRtn === 'number' ? details.qnRtn : null, timeoutSeconds * 1000);
    case 'HJ212_DEVICE_NOT_CONNECTED':
      throw new DeviceNotConnectedError(mn, outcome.message);
    case 'BAD_USER_INPUT':
      throw new ValidationError(Array.isArray(outcome.details) ? (outcome.details as unknown as FieldProblem[]) : outcome.message);
    default:
      throw new HubError(outcome.code, outcome.message);
  }
}
