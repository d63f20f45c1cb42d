/**
 * Gradients that tfjs-core 4.22 does not register but our models need.
 *
 * - DepthToSpace (pixel shuffle, sub-pixel upsampling): no gradient at all in tfjs-core 4.22
 *   ("gradient function not found for DepthToSpace"). Its adjoint is the inverse permutation,
 *   SpaceToDepth, written here with reshape/transpose so that it runs on every backend.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { NamedAttrMap, Tensor } from '@tensorflow/tfjs-core';

/** SpaceToDepth (NHWC) as reshape → transpose → reshape: exact inverse of tf.depthToSpace. */
function spaceToDepthNHWC(dy: Tensor, block: number): Tensor {
  const [n, h, w, c] = dy.shape as [number, number, number, number];
  const r6 = tf.reshape(dy, [n, h / block, block, w / block, block, c]);
  const t6 = tf.transpose(r6, [0, 1, 3, 2, 4, 5]);
  return tf.reshape(t6, [n, h / block, w / block, block * block * c]);
}

let registered = false;

/**
 * Registers the missing gradients (global: every backend). Idempotent; never overrides a
 * gradient that tfjs already provides.
 */
export function registerMissingGradients(): void {
  if (registered) return;
  registered = true;
  if (!tf.getGradient('DepthToSpace')) {
    tf.registerGradient({
      kernelName: 'DepthToSpace',
      gradFunc: (dy: Tensor | Tensor[], _saved: Tensor[], attrs: NamedAttrMap) => {
        const block = attrs.blockSize as number;
        if ((attrs.dataFormat ?? 'NHWC') !== 'NHWC') {
          throw new Error('DepthToSpace gradient: NHWC only');
        }
        return { x: () => spaceToDepthNHWC(dy as Tensor, block) };
      },
    });
  }
}
