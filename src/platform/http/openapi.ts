/**
 * OpenAPI 3.1 generated from the zod schemas the handlers already parse with, so the document
 * cannot drift from validation. Route files call `documentOperation` next to their handlers.
 */
import { z } from 'zod';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** How an operation authenticates; mapped to OpenAPI security requirements. */
export type OperationAuth = 'none' | 'staff' | 'patient' | 'signature';

/** One documented operation, described with the same zod schemas the handler uses. */
export interface OperationSpec {
  method: Method;
  /** Express-style path, e.g. `/api/v1/patients/:patientId`. */
  path: string;
  summary: string;
  tags: string[];
  auth: OperationAuth;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  responses: Record<number, { description: string; schema?: z.ZodType; contentType?: string }>;
}

const operations = new Map<string, OperationSpec>();

/** Adds (or replaces, when a module is loaded twice) the documentation of one operation. */
export function documentOperation(spec: OperationSpec): void {
  operations.set(`${spec.method} ${spec.path}`, spec);
}

function jsonSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return rest;
}

function parameters(spec: OperationSpec) {
  const list: Record<string, unknown>[] = [];
  for (const [location, schema] of [
    ['path', spec.params],
    ['query', spec.query],
  ] as const) {
    if (!schema) continue;
    for (const [name, field] of Object.entries(schema.shape)) {
      const fieldSchema = field as z.ZodType;
      list.push({
        name,
        in: location,
        required: location === 'path' || !fieldSchema.safeParse(undefined).success,
        schema: jsonSchema(fieldSchema),
      });
    }
  }
  return list;
}

const problemSchema = {
  type: 'object',
  required: ['type', 'title', 'status', 'code'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    code: { type: 'string' },
    detail: { type: 'string' },
    requestId: { type: 'string' },
  },
};

const securityFor: Record<OperationAuth, Record<string, string[]>[] | undefined> = {
  none: [],
  staff: [{ staffSession: [] }],
  patient: [{ patientSession: [] }],
  signature: [],
};

/** Builds the OpenAPI document for everything documented so far. */
export function buildOpenApiDocument(
  serverUrl: string,
  { sandbox = true }: { sandbox?: boolean } = {},
): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  // Sandbox stand-ins are not served outside sandbox mode, so production's document does not list them.
  const served = [...operations.values()].filter(
    (spec) => sandbox || !(spec.path.startsWith('/sandbox/') || spec.tags.includes('Sandbox')),
  );
  for (const spec of served.sort((a, b) => a.path.localeCompare(b.path))) {
    const openApiPath = spec.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    const responses: Record<string, unknown> = {};
    for (const [status, response] of Object.entries(spec.responses)) {
      const contentType =
        response.contentType ?? (Number(status) >= 400 ? 'application/problem+json' : 'application/json');
      const schema = response.schema ? jsonSchema(response.schema) : Number(status) >= 400 ? problemSchema : undefined;
      responses[status] = {
        description: response.description,
        ...(schema ? { content: { [contentType]: { schema } } } : {}),
      };
    }
    paths[openApiPath] ??= {};
    paths[openApiPath][spec.method] = {
      summary: spec.summary,
      tags: spec.tags,
      operationId: `${spec.method}${openApiPath
        .replace(/[{}]/g, '')
        .replace(/\/([a-z])/gi, (_m, c: string) => c.toUpperCase())
        .replace(/[^A-Za-z0-9]/g, '')}`,
      parameters: parameters(spec),
      ...(spec.body
        ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(spec.body) } } } }
        : {}),
      responses,
      security: securityFor[spec.auth],
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'CINIC API',
      version: '1',
      description: 'WhatsApp-first clinic platform. Errors are application/problem+json (RFC 9457).',
    },
    servers: [{ url: serverUrl }],
    components: {
      securitySchemes: {
        staffSession: { type: 'apiKey', in: 'cookie', name: 'cinic.sid' },
        patientSession: { type: 'apiKey', in: 'cookie', name: 'cinic.psid' },
      },
    },
    paths,
  };
}
