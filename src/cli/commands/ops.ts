import { adjustmentsMeta, listOperators } from '../../core/tonemap/index.js';
import type { ParamMeta } from '../../core/tonemap/index.js';
import type { Command } from '../command.js';

function paramLine(p: ParamMeta): string {
  const unit = p.unit ? ` ${p.unit}` : '';
  return `    ${p.key.padEnd(14)} ${String(p.default).padStart(7)}${unit}  [${p.min} … ${p.max}]  ${p.label}: ${p.description}`;
}

export const ops: Command = {
  name: 'ops',
  summary: 'list tone-mapping operators with their parameters',
  usage: `Usage: bracketeer ops [--json]

Lists every operator (id, paper, global/local) and each parameter's default, range and unit.
Use them with: bracketeer tonemap in.exr -o out.jpg --op <id> --param key=value …`,
  options: {},
  async run() {
    const operators = listOperators();
    const blocks = operators.map((op) =>
      [
        `${op.id}  (${op.kind}) ${op.name}`,
        `    ${op.reference}`,
        ...op.params.map(paramLine),
      ].join('\n'),
    );
    blocks.push(
      [
        'adjustments (every operator): --exposure, --saturation, --gamma',
        ...adjustmentsMeta.map(paramLine),
      ].join('\n'),
    );
    return { text: blocks.join('\n\n'), data: { operators, adjustments: adjustmentsMeta } };
  },
};
