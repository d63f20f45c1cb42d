/**
 * ONNX graphs specialised to the shapes they are fed. The exported graphs have symbolic sizes
 * ('N', 'H', 'W', 'H2', 'W2'), so one graph serves every tile; with those sizes fixed, ONNX
 * Runtime can prove more shapes equal and fuses more. Measured on the lite16-nearest render
 * graph, 1024² tiles on one thread: the head's last addition runs inside its convolution (a
 * "Sum" input of the blocked convolution), 1.4 ms less per render; ONNX Runtime's
 * `freeDimensionOverrides` does not bring the fusion. A session of a fixed graph is created in
 * about 3 ms (the lite render graph, 0.5 MB), and a bracket runs one tile shape, so the runners
 * make one per shape they meet ({@link FixedShapeGraphs}).
 */
import onnxProto from 'onnx-proto';
import { InvalidInputError } from '../../errors.js';

const { onnx } = onnxProto;

type Dim = onnxProto.onnx.TensorShapeProto.IDimension;

/**
 * Fixes the symbolic sizes of a graph from the dims of its inputs: every symbol an input named
 * in `dims` carries takes that input's size there, in all the graph's inputs and outputs.
 * @param bytes - a serialised ModelProto
 * @param dims - input name → its dims (an input not named keeps its symbols unless another
 *   input fixes them)
 * @returns the ModelProto with those symbols replaced by sizes (the weights and nodes unchanged)
 * @throws InvalidInputError when an input is unknown, has another rank, contradicts a fixed
 *   size, or gives one symbol two sizes
 */
export function withFixedShapes(
  bytes: Uint8Array,
  dims: Readonly<Record<string, readonly number[]>>,
): Uint8Array {
  const model = onnx.ModelProto.decode(bytes);
  const graph = model.graph;
  const name = graph?.name ?? 'ONNX graph';
  const inputs = graph?.input ?? [];
  const shapeOf = (v: onnxProto.onnx.IValueInfoProto): Dim[] | null =>
    v.type?.tensorType?.shape?.dim ?? null;
  const sizes = new Map<string, number>();
  for (const [input, given] of Object.entries(dims)) {
    const info = inputs.find((v) => v.name === input);
    const shape = info ? shapeOf(info) : null;
    if (!shape) throw new InvalidInputError(`${name}: no input ${input} with a shape`);
    if (shape.length !== given.length) {
      throw new InvalidInputError(
        `${name}: input ${input} has rank ${shape.length}, fed [${given}]`,
      );
    }
    shape.forEach((d, i) => {
      const size = given[i];
      if (d.dimParam) {
        const known = sizes.get(d.dimParam);
        if (known !== undefined && known !== size) {
          throw new InvalidInputError(
            `${name}: ${d.dimParam} is ${known} and ${size} (input ${input} [${given}])`,
          );
        }
        sizes.set(d.dimParam, size);
      } else if (d.dimValue !== null && d.dimValue !== undefined && Number(d.dimValue) !== size) {
        throw new InvalidInputError(
          `${name}: input ${input} is [${shape.map(show)}], fed [${given}]`,
        );
      }
    });
  }
  for (const v of [...inputs, ...(graph?.output ?? [])]) {
    for (const d of shapeOf(v) ?? []) {
      const size = d.dimParam ? sizes.get(d.dimParam) : undefined;
      if (size !== undefined) {
        d.dimValue = size;
        d.dimParam = null;
      }
    }
  }
  return onnx.ModelProto.encode(model).finish();
}

function show(d: Dim): string {
  return d.dimParam ? d.dimParam : String(d.dimValue);
}

/** Fixed-shape graphs one runner (a worker, or the in-thread sessions) holds at a time. */
export const FIXED_GRAPHS_PER_RUNNER = 4;

/**
 * The names of the fixed-shape graphs one runner holds, oldest first, at most
 * {@link FIXED_GRAPHS_PER_RUNNER}: the runner's side of the bookkeeping, so that a graph is sent
 * (or defined) once and the one it makes room by dropping is named.
 */
export class HeldGraphs {
  private readonly names: string[] = [];

  /**
   * Records that the runner holds graph `name`.
   * @returns `added` when it did not hold it yet (its bytes must go with this run), and then
   *   `drop`, the oldest graph it should let go to make room, if any
   */
  hold(name: string): { readonly added: boolean; readonly drop?: string } {
    if (this.names.includes(name)) return { added: false };
    const drop = this.names.length >= FIXED_GRAPHS_PER_RUNNER ? this.names.shift() : undefined;
    this.names.push(name);
    return { added: true, drop };
  }
}

/** A graph specialised to one set of input dims: its name among the runner's graphs, and bytes. */
export interface FixedGraph {
  /** `key` and the dims, e.g. "up[latent=1x1024x1024x3,prior=1x12x512x512,ratio=1]" */
  readonly name: string;
  readonly bytes: Uint8Array;
}

/**
 * The graphs of a runner specialised to the dims of their feeds, made when first asked for and
 * kept for the `keep` most recently used shapes.
 */
export class FixedShapeGraphs<K extends string> {
  private readonly made = new Map<string, FixedGraph>();

  /**
   * @param graphs - the symbolic graphs by key
   * @param keep - specialised graphs kept (at least 1)
   */
  constructor(
    private readonly graphs: Readonly<Record<K, Uint8Array>>,
    private readonly keep = 6,
  ) {}

  /**
   * Graph `key` with the dims of `feeds` fixed.
   * @throws InvalidInputError as {@link withFixedShapes}, or for an unknown key
   */
  get(key: K, feeds: Readonly<Record<string, { readonly dims: readonly number[] }>>): FixedGraph {
    const dims = Object.fromEntries(
      Object.keys(feeds)
        .sort()
        .map((n) => [n, feeds[n].dims]),
    );
    const name = `${key}[${Object.entries(dims)
      .map(([n, d]) => `${n}=${d.join('x')}`)
      .join(',')}]`;
    let graph = this.made.get(name);
    if (graph) {
      // most recently used last
      this.made.delete(name);
    } else {
      const bytes = this.graphs[key];
      if (!bytes) throw new InvalidInputError(`no ONNX graph named ${key}`);
      graph = { name, bytes: withFixedShapes(bytes, dims) };
      while (this.made.size >= Math.max(1, this.keep)) {
        this.made.delete(this.made.keys().next().value!);
      }
    }
    this.made.set(name, graph);
    return graph;
  }
}
