/**
 * A small ONNX graph builder on the official ONNX protobuf schema (the `onnx-proto` package,
 * generated from onnx.proto by protobufjs): nodes, float initializers and typed graph I/O, and
 * serialisation to a ModelProto (IR version 8, default-domain opset {@link ONNX_OPSET}).
 * No protobuf encoding is written here by hand.
 */
import onnxProto from 'onnx-proto';
import { InvalidInputError } from '../../errors.js';

const { onnx } = onnxProto;

/** Default-domain operator set the exported graphs declare. */
export const ONNX_OPSET = 17;
/** IR version written (the newest the bundled schema knows; opset 17 runs on it). */
export const ONNX_IR_VERSION = 8;

/** One graph input or output dimension: a fixed size or a symbolic name ('N', 'H', 'W'). */
export type Dim = number | string;

/** Attribute values accepted by {@link GraphBuilder.node}. */
export type AttrValue = number | string | readonly number[];

type Attr = onnxProto.onnx.IAttributeProto;
type Tensor = onnxProto.onnx.ITensorProto;
type ValueInfo = onnxProto.onnx.IValueInfoProto;
type Node = onnxProto.onnx.INodeProto;

const FLOAT = onnx.TensorProto.DataType.FLOAT;
const A = onnx.AttributeProto.AttributeType;

function valueInfo(name: string, dims: readonly Dim[]): ValueInfo {
  return {
    name,
    type: {
      tensorType: {
        elemType: FLOAT,
        shape: {
          dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })),
        },
      },
    },
  };
}

function attribute(name: string, v: AttrValue): Attr {
  if (typeof v === 'string') return { name, type: A.STRING, s: new TextEncoder().encode(v) };
  if (typeof v === 'number') {
    return Number.isInteger(v) && !name.startsWith('f:')
      ? { name, type: A.INT, i: v }
      : { name: name.replace(/^f:/, ''), type: A.FLOAT, f: v };
  }
  return { name, type: A.INTS, ints: [...v] };
}

/** Builds one float32 graph. Names are unique per builder (`fresh`). */
export class GraphBuilder {
  private readonly nodes: Node[] = [];
  private readonly inits: Tensor[] = [];
  private readonly inputs: ValueInfo[] = [];
  private readonly outputs: ValueInfo[] = [];
  private readonly scalars = new Map<number, string>();
  private counter = 0;

  constructor(readonly name: string) {}

  /** A new unique value name with the given stem. */
  fresh(stem: string): string {
    this.counter += 1;
    return `${stem}_${this.counter}`;
  }

  /** Declares a float32 graph input. */
  input(name: string, dims: readonly Dim[]): string {
    this.inputs.push(valueInfo(name, dims));
    return name;
  }

  /** Declares a float32 graph output produced by value `name`. */
  output(name: string, dims: readonly Dim[]): void {
    this.outputs.push(valueInfo(name, dims));
  }

  /**
   * Adds a float32 initializer (row-major `data` of shape `dims`) and returns its name.
   * @throws InvalidInputError when the size does not match the shape
   */
  initializer(stem: string, dims: readonly number[], data: Float32Array): string {
    const size = dims.reduce((a, b) => a * b, 1);
    if (size !== data.length) {
      throw new InvalidInputError(`ONNX initializer ${stem}: ${data.length} values for [${dims}]`);
    }
    const name = this.fresh(stem);
    // raw_data is little-endian float32, which is every platform Node runs on here
    const raw = new Uint8Array(
      data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength),
    );
    this.inits.push({ name, dims: [...dims], dataType: FLOAT, rawData: raw });
    return name;
  }

  /** A shared float32 scalar constant (rank 0). */
  scalar(v: number): string {
    let name = this.scalars.get(v);
    if (!name) {
      name = this.initializer('c', [], new Float32Array([v]));
      this.scalars.set(v, name);
    }
    return name;
  }

  /**
   * Appends a node and returns the name of its (single) output.
   * @param attrs - integer numbers become INT attributes, others FLOAT; prefix a key with
   *   `f:` to force FLOAT for an integral value (e.g. `{ 'f:alpha': 1 }`)
   * @param outName - the output's name (default: a fresh one)
   */
  node(
    op: string,
    inputs: readonly string[],
    attrs: Record<string, AttrValue> = {},
    outName?: string,
  ): string {
    const out = outName ?? this.fresh(op.toLowerCase());
    this.nodes.push({
      opType: op,
      name: out,
      input: [...inputs],
      output: [out],
      attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v)),
    });
    return out;
  }

  /** Serialises the graph as an ONNX ModelProto. */
  toModel(docString = ''): Uint8Array {
    const model: onnxProto.onnx.IModelProto = {
      irVersion: ONNX_IR_VERSION,
      opsetImport: [{ domain: '', version: ONNX_OPSET }],
      producerName: 'bracketeer',
      producerVersion: '1',
      docString,
      graph: {
        name: this.name,
        node: this.nodes,
        initializer: this.inits,
        input: this.inputs,
        output: this.outputs,
      },
    };
    return onnx.ModelProto.encode(onnx.ModelProto.create(model)).finish();
  }
}
