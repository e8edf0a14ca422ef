/**
 * RFC 9457 problem+json responses. Every error the API returns goes through `sendProblem`.
 */
import type { Response } from 'express';

/** The body of an `application/problem+json` response. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  code: string;
  requestId?: string;
  [extension: string]: unknown;
}

const titles: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** Members RFC 9457 defines (and ours): an extension never overrides them; a domain state goes in `currentStatus`. */
const RESERVED = new Set(['type', 'title', 'status', 'detail', 'code', 'requestId']);

/** Sends a problem+json body with the request id attached; `status` is always the HTTP status code. */
export function sendProblem(
  res: Response,
  status: number,
  code: string,
  detail?: string,
  extensions: Record<string, unknown> = {},
): void {
  const body: Problem = {
    type: `https://cinic.app/problems/${code.replace(/_/g, '-')}`,
    title: titles[status] ?? 'Error',
    status,
    code,
    ...(detail ? { detail } : {}),
    ...Object.fromEntries(Object.entries(extensions).filter(([name]) => !RESERVED.has(name))),
    requestId: res.locals.requestId as string | undefined,
  };
  res.status(status).type('application/problem+json').send(JSON.stringify(body));
}
