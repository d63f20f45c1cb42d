/**
 * Global tone-mapping operators on the GPU (WebGL2 fragment shader), ported from src/core/tonemap
 * so that a slider drag re-renders a 2-MP preview per animation frame without a server round
 * trip. Scene statistics (maximum and log-average luminance, maximum channel) are computed once
 * per image in JS, exactly as the engine computes them on the same downsized image; the shader
 * then evaluates the operator's curve analytically and the shared display stage (exposure,
 * saturation, gamut mapping, transfer curve, post gamma) per pixel.
 *
 * Ported: drago03, clip, mulaw (percentile 100), reinhard02 global mode (burn 100 or an explicit
 * white point). Everything else stays on the server ({@link glSupports} says which).
 */

import { LUM_B, LUM_G, LUM_R, sceneStats, toneUniforms, type SceneStats } from './tone-uniforms.js';

export { glSupports, sceneStats, toneUniforms } from './tone-uniforms.js';

const VERTEX = `#version 300 es
void main() {
  vec2 p = vec2(float((gl_VertexID & 1) << 2) - 1.0, float((gl_VertexID & 2) << 1) - 1.0);
  gl_Position = vec4(p, 0.0, 1.0);
}`;

const FRAGMENT = `#version 300 es
precision highp float;
precision highp int;
uniform highp sampler2D u_src;
uniform int u_mode;
uniform float u_scale, u_lmax, u_c0, u_c1, u_c2, u_ratio, u_sat;
uniform int u_curve;
uniform int u_step;
uniform float u_k0, u_k1, u_k2, u_post;
out vec4 o;
const vec3 LUM = vec3(${LUM_R}, ${LUM_G}, ${LUM_B});

float safe(float v) { return (isnan(v) || isinf(v) || v < 0.0) ? 0.0 : v; }

float tone(float l) {
  l = min(l, u_lmax);
  if (u_mode == 1) {
    float x = l / u_lmax;
    return x > 0.0 ? u_c1 * log(1.0 + l * u_c0) / log(2.0 + 8.0 * pow(x, u_c2)) : 0.0;
  }
  float ls = u_c0 * l;
  return ls * (1.0 + ls * u_c1) / (1.0 + ls);
}

float ratioPow(float r) {
  if (u_ratio == 1.0) return r;
  return r > 0.0 ? pow(r, u_ratio) : (u_ratio == 0.0 ? 1.0 : 0.0);
}

float encode(float v) {
  float y;
  if (u_curve == 1) y = v <= u_k0 ? u_k1 * v : 1.099 * pow(v, u_k2) - 0.099;
  else if (u_curve == 2) y = log(1.0 + u_k0 * v) * u_k1;
  else y = v <= 0.0031308 ? 12.92 * v : 1.055 * pow(v, 1.0 / 2.4) - 0.055;
  y = clamp(y, 0.0, 1.0);
  return u_post == 1.0 ? y : pow(y, u_post);
}

void main() {
  ivec2 p = min(ivec2(gl_FragCoord.xy) * u_step, textureSize(u_src, 0) - 1);
  vec3 c = texelFetch(u_src, p, 0).rgb;
  c = vec3(safe(c.r), safe(c.g), safe(c.b));
  if (u_mode != 0) {
    float l = dot(LUM, c);
    float lo = tone(l) * u_scale;
    if (!(l > 0.0)) c = vec3(lo);
    else c = vec3(ratioPow(c.r / l), ratioPow(c.g / l), ratioPow(c.b / l)) * lo;
  } else {
    c = max(c * u_scale, 0.0);
  }
  if (u_sat != 1.0) {
    float l = dot(LUM, c);
    c = max(vec3(l) + u_sat * (c - vec3(l)), 0.0);
  }
  float m = max(c.r, max(c.g, c.b));
  if (m > 1.0) {
    float l = dot(LUM, c);
    if (l >= 1.0) c = vec3(1.0);
    else c = min(vec3(l) + (1.0 - l) / (m - l) * (c - vec3(l)), 1.0);
  }
  o = vec4(encode(c.r), encode(c.g), encode(c.b), 1.0);
}`;

/** Renders global operators on a WebGL2 canvas (offscreen) and reads the pixels back. */
export class GlToneMapper {
  private readonly gl: WebGL2RenderingContext;
  private readonly program: WebGLProgram;
  private readonly texture: WebGLTexture;
  private readonly loc = new Map<string, WebGLUniformLocation | null>();
  private stats: SceneStats | null = null;
  /** Source size, px (0 before {@link setSource}). */
  width = 0;
  height = 0;

  /**
   * @param canvas - where to render (a detached canvas; created when omitted)
   * @throws Error when WebGL2 or float textures are unavailable, or the shader does not compile
   */
  constructor(readonly canvas: HTMLCanvasElement = document.createElement('canvas')) {
    const gl = canvas.getContext('webgl2', {
      antialias: false,
      depth: false,
      stencil: false,
      alpha: false,
      premultipliedAlpha: false,
      preserveDrawingBuffer: true,
    });
    if (!gl) throw new Error('WebGL2 is not available');
    this.gl = gl;
    this.program = link(gl, VERTEX, FRAGMENT);
    const tex = gl.createTexture();
    if (!tex) throw new Error('WebGL2: cannot create a texture');
    this.texture = tex;
    gl.bindTexture(gl.TEXTURE_2D, tex);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.NEAREST);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, gl.NEAREST);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_S, gl.CLAMP_TO_EDGE);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_T, gl.CLAMP_TO_EDGE);
  }

  /** Whether a source image is loaded. */
  get ready(): boolean {
    return this.stats !== null;
  }

  /**
   * Uploads scene-linear RGB (top row first) and computes its statistics.
   * @throws Error for a size the GPU cannot hold
   */
  setSource(width: number, height: number, rgb: Float32Array): void {
    const gl = this.gl;
    const max = gl.getParameter(gl.MAX_TEXTURE_SIZE) as number;
    if (width > max || height > max) {
      throw new Error(`WebGL2: ${width}×${height} exceeds the texture limit ${max}`);
    }
    gl.bindTexture(gl.TEXTURE_2D, this.texture);
    gl.pixelStorei(gl.UNPACK_ALIGNMENT, 4);
    gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGB32F, width, height, 0, gl.RGB, gl.FLOAT, rgb);
    this.canvas.width = width;
    this.canvas.height = height;
    this.width = width;
    this.height = height;
    this.stats = sceneStats(rgb);
  }

  /** Output size for a subsampling step (every step-th pixel in x and y). */
  sizeAt(step: number): { width: number; height: number } {
    return { width: Math.ceil(this.width / step), height: Math.ceil(this.height / step) };
  }

  /**
   * Renders an operator and reads the result back, top row first.
   * @param out - at least w·h·4 bytes (RGBA, alpha 255) for w×h = {@link sizeAt}(step); overwritten
   * @param step - 1 for full resolution; n renders every n-th pixel (a quick frame while dragging)
   * @throws Error before {@link setSource} or for an operator without a shader
   */
  render(
    op: string,
    params: Readonly<Record<string, number>>,
    adjust: Readonly<Record<string, number>>,
    out: Uint8Array | Uint8ClampedArray,
    step = 1,
  ): void {
    if (!this.stats) throw new Error('gl-tonemap: no source image');
    const u = toneUniforms(op, params, adjust, this.stats);
    const gl = this.gl;
    const { width, height } = this.sizeAt(step);
    gl.viewport(0, 0, width, height);
    gl.useProgram(this.program);
    gl.activeTexture(gl.TEXTURE0);
    gl.bindTexture(gl.TEXTURE_2D, this.texture);
    gl.uniform1i(this.at('u_src'), 0);
    gl.uniform1i(this.at('u_mode'), u.mode);
    gl.uniform1i(this.at('u_curve'), u.curve);
    gl.uniform1i(this.at('u_step'), Math.max(1, Math.floor(step)));
    const floats: [string, number][] = [
      ['u_scale', u.scale],
      ['u_lmax', u.lmax],
      ['u_c0', u.c0],
      ['u_c1', u.c1],
      ['u_c2', u.c2],
      ['u_ratio', u.ratioExp],
      ['u_sat', u.saturation],
      ['u_k0', u.k0],
      ['u_k1', u.k1],
      ['u_k2', u.k2],
      ['u_post', u.postInv],
    ];
    for (const [name, v] of floats) gl.uniform1f(this.at(name), v);
    gl.drawArrays(gl.TRIANGLES, 0, 3);
    // Row j of the framebuffer holds texture row j (top image row first), so no flip is needed.
    gl.readPixels(0, 0, width, height, gl.RGBA, gl.UNSIGNED_BYTE, out);
  }

  private at(name: string): WebGLUniformLocation | null {
    if (!this.loc.has(name)) this.loc.set(name, this.gl.getUniformLocation(this.program, name));
    return this.loc.get(name) ?? null;
  }

  /** Frees the GPU objects. */
  dispose(): void {
    this.gl.deleteTexture(this.texture);
    this.gl.deleteProgram(this.program);
    this.stats = null;
  }
}

function link(gl: WebGL2RenderingContext, vs: string, fs: string): WebGLProgram {
  const program = gl.createProgram();
  if (!program) throw new Error('WebGL2: cannot create a program');
  for (const [type, src] of [
    [gl.VERTEX_SHADER, vs],
    [gl.FRAGMENT_SHADER, fs],
  ] as const) {
    const sh = gl.createShader(type);
    if (!sh) throw new Error('WebGL2: cannot create a shader');
    gl.shaderSource(sh, src);
    gl.compileShader(sh);
    if (!gl.getShaderParameter(sh, gl.COMPILE_STATUS)) {
      throw new Error(`WebGL2 shader: ${gl.getShaderInfoLog(sh) ?? 'compile failed'}`);
    }
    gl.attachShader(program, sh);
  }
  gl.linkProgram(program);
  if (!gl.getProgramParameter(program, gl.LINK_STATUS)) {
    throw new Error(`WebGL2 program: ${gl.getProgramInfoLog(program) ?? 'link failed'}`);
  }
  return program;
}
