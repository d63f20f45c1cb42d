/** `ops.list`: the tone-mapping operators and adjustments with their parameter metas. */
import { adjustmentsMeta, listOperators } from '../../core/tonemap/index.js';
import { parseRequest, type InvokeRequest, type OpsList } from '../../shared/api/index.js';
import type { ServiceArea } from './service-area.js';

/** The operator `image.preview` uses for HDR files (the CLI's default too). */
export const DEFAULT_PREVIEW_OPERATOR = 'drago03';

/** Operators and adjustments. */
export class OpsService implements ServiceArea {
  readonly name = 'ops';
  readonly handlers = { 'ops.list': this.list.bind(this) };

  /** Every operator (registry order) and the adjustments. */
  async list(request: InvokeRequest<'ops.list'> = {}): Promise<OpsList> {
    parseRequest('ops.list', request);
    return {
      operators: listOperators(),
      adjustments: adjustmentsMeta,
      defaultOperator: DEFAULT_PREVIEW_OPERATOR,
    };
  }
}
