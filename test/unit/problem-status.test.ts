/**
 * RFC 9457: a problem's `status` is the HTTP status code. A domain state (an appointment that is
 * `confirmed`, an invoice that is `paid`) goes in the extension member `currentStatus`. Checked two
 * ways: `sendProblem` never lets an extension replace a reserved member, and no error raised in the
 * source carries a `status` detail (every AppError / conflict / unprocessable / forbidden /
 * badRequest call is read with the TypeScript parser).
 */
import { describe, expect, it } from '@jest/globals';
import { execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import ts from 'typescript';
import type { Response } from 'express';
import { sendProblem } from '../../src/platform/http/problem.js';

const ERROR_FACTORIES = new Set(['AppError', 'conflict', 'unprocessable', 'forbidden', 'badRequest', 'sendProblem']);

/** `file:line` of every `status` member inside the arguments of an error factory. */
function statusDetails(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node, insideError: boolean): void => {
    let inside = insideError;
    if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
      const callee = node.expression;
      const name = ts.isIdentifier(callee)
        ? callee.text
        : ts.isPropertyAccessExpression(callee)
          ? callee.name.text
          : '';
      if (ERROR_FACTORIES.has(name)) inside = true;
    }
    const member =
      (ts.isPropertyAssignment(node) || ts.isShorthandPropertyAssignment(node)) && node.name.getText() === 'status';
    if (inside && member) found.push(`${file}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`);
    ts.forEachChild(node, (child) => visit(child, inside));
  };
  visit(source, false);
  return found;
}

function fakeResponse() {
  const sent: { status?: number; body?: string } = {};
  const res = {
    locals: { requestId: 'req-1' },
    status(code: number) {
      sent.status = code;
      return this;
    },
    type() {
      return this;
    },
    send(body: string) {
      sent.body = body;
      return this;
    },
  };
  return { res: res as unknown as Response, sent };
}

describe('problem+json status', () => {
  it('is always the HTTP code, whatever the extensions say', () => {
    const { res, sent } = fakeResponse();
    sendProblem(res, 409, 'conflict', 'Cannot do that now', {
      status: 'confirmed',
      title: 'Sneaky',
      currentStatus: 'confirmed',
    });
    const body = JSON.parse(sent.body!);
    expect(sent.status).toBe(409);
    expect(body).toMatchObject({ status: 409, title: 'Conflict', code: 'conflict', currentStatus: 'confirmed' });
  });

  it('no error in the source puts a domain state in `status` (it belongs in `currentStatus`)', () => {
    const files = execSync("git ls-files 'src/*.ts' 'src/**/*.ts' 'admin/**/*.ts' 'flows/*.ts'", {
      encoding: 'utf8',
    })
      .trim()
      .split('\n');
    expect(files.length).toBeGreaterThan(100);
    expect(files.flatMap(statusDetails)).toEqual([]);
  });
});
