import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { appointmentLifecycleMermaid } from '../../flows/appointment.diagram.js';
import { projectRoot } from '../../scripts/local-services.mjs';

describe('README', () => {
  it('shows the appointment lifecycle exactly as the machine defines it', () => {
    const readme = readFileSync(path.join(projectRoot, 'README.md'), 'utf8');
    expect(readme).toContain(`\`\`\`mermaid\n${appointmentLifecycleMermaid().trimEnd()}\n\`\`\``);
  });
});
