// The two Conv2D gradients written as forward Conv2D calls, so that a backend whose forward Conv2D
// is fast (wasm: XNNPACK) but whose gradient kernels are missing or naive trains convolutional nets
// at forward-conv speed. NHWC only, dilation 1 (the only case TF.js asks gradients for).
//
//   filter gradient  dW[a,b,ci,co] = Σ_{n,i,j} x[n, i·s+a−top, j·s+b−left, ci] · dy[n,i,j,co]
//     = a forward conv of x with batch and channel swapped ([ci, H, W, n]) and dy as the filter
//       ([OH, OW, n, co]), dilated by the stride; its output [ci, KH, KW, co] is dW transposed.
//     (Not built on Conv3DBackpropFilterV2: TF.js 4.22's wasm version is wrong for stride > 1.)
//   input gradient   dx = a forward conv of dy (zeros inserted between rows/columns when the
//       stride is > 1) with the filter rotated by 180° and its channel axes swapped, stride 1.
import {
  backend_util,
  Conv2D,
  Conv2DBackpropFilter,
  Conv2DBackpropInput,
  PadV2,
  Reshape,
  Reverse,
  Slice,
  Transpose,
  type Conv2DBackpropFilterAttrs,
  type Conv2DBackpropInputAttrs,
  type KernelBackend,
  type KernelConfig,
  type KernelFunc,
  type NamedAttrMap,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { composeKernels, type KernelScope } from './kernel-scope.js';

type Shape4 = [number, number, number, number];

function assertNhwc(dataFormat: string, kernel: string): void {
  if (dataFormat !== 'NHWC') throw new Error(`${kernel}: data format ${dataFormat} is not supported here, only NHWC`);
}

/** Explicit paddings [before, after] per spatial axis; negative amounts become crops of `x`. */
function padOrCrop(
  k: KernelScope,
  x: TensorInfo,
  [top, bottom]: [number, number],
  [left, right]: [number, number],
): { x: TensorInfo; pad: [[0, 0], [number, number], [number, number], [0, 0]] } {
  const [n, h, w, c] = x.shape as Shape4;
  const cropTop = Math.max(0, -top);
  const cropLeft = Math.max(0, -left);
  const keepH = h - cropTop - Math.max(0, -bottom);
  const keepW = w - cropLeft - Math.max(0, -right);
  const cropped =
    keepH === h && keepW === w ? x : k.run(Slice, { x }, { begin: [0, cropTop, cropLeft, 0], size: [n, keepH, keepW, c] });
  return {
    x: cropped,
    pad: [
      [0, 0],
      [Math.max(0, top), Math.max(0, bottom)],
      [Math.max(0, left), Math.max(0, right)],
      [0, 0],
    ],
  };
}

function forwardConv(
  k: KernelScope,
  x: TensorInfo,
  filter: TensorInfo,
  dilations: [number, number],
  pad: [[0, 0], [number, number], [number, number], [0, 0]],
): TensorInfo {
  return k.run(Conv2D, { x, filter }, { strides: [1, 1], dilations, pad, dataFormat: 'NHWC' } as unknown as NamedAttrMap);
}

/** The forward convolution's geometry (NHWC, no dilation) that both gradients invert. */
function convInfo(inputShape: Shape4, filterShape: Shape4, attrs: Conv2DBackpropFilterAttrs | Conv2DBackpropInputAttrs) {
  return backend_util.computeConv2DInfo(inputShape, filterShape, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode, false, 'channelsLast');
}

function filterGradient(k: KernelScope, x: TensorInfo, dy: TensorInfo, attrs: Conv2DBackpropFilterAttrs): TensorInfo {
  assertNhwc(attrs.dataFormat, Conv2DBackpropFilter);
  const info = convInfo(x.shape as Shape4, attrs.filterShape as Shape4, attrs);
  const { strideHeight: sh, strideWidth: sw, filterHeight: kh, filterWidth: kw, outHeight, outWidth } = info;
  const { top, left } = info.padInfo;
  // Rows/columns of the padded input the forward pass read: exactly these give a KH×KW output.
  const bottom = (outHeight - 1) * sh + kh - top - info.inHeight;
  const right = (outWidth - 1) * sw + kw - left - info.inWidth;
  const { x: xs, pad } = padOrCrop(k, x, [top, bottom], [left, right]);
  const xSwapped = k.run(Transpose, { x: xs }, { perm: [3, 1, 2, 0] });
  const dyAsFilter = k.run(Transpose, { x: dy }, { perm: [1, 2, 0, 3] });
  const dwSwapped = forwardConv(k, xSwapped, dyAsFilter, [sh, sw], pad);
  return k.run(Transpose, { x: dwSwapped }, { perm: [1, 2, 0, 3] });
}

/** dy with stride−1 zeros after every row and column, so that a stride-1 conv can read it. */
function insertZeros(k: KernelScope, dy: TensorInfo, sh: number, sw: number): TensorInfo {
  if (sh === 1 && sw === 1) return dy;
  const [n, oh, ow, c] = dy.shape as Shape4;
  const cols = k.run(Reshape, { x: dy }, { shape: [n * oh, ow, 1, c] });
  const colsPadded = k.run(PadV2, { x: cols }, { paddings: [[0, 0], [0, 0], [0, sw - 1], [0, 0]], constantValue: 0 });
  const rows = k.run(Reshape, { x: colsPadded }, { shape: [n * oh, 1, ow * sw, c] });
  const rowsPadded = k.run(PadV2, { x: rows }, { paddings: [[0, 0], [0, sh - 1], [0, 0], [0, 0]], constantValue: 0 });
  return k.run(Reshape, { x: rowsPadded }, { shape: [n, oh * sh, ow * sw, c] });
}

function inputGradient(k: KernelScope, dy: TensorInfo, filter: TensorInfo, attrs: Conv2DBackpropInputAttrs): TensorInfo {
  assertNhwc(attrs.dataFormat, Conv2DBackpropInput);
  const info = convInfo(attrs.inputShape as Shape4, filter.shape as Shape4, attrs);
  const { strideHeight: sh, strideWidth: sw, filterHeight: kh, filterWidth: kw, inHeight, inWidth } = info;
  const dilated = insertZeros(k, dy, sh, sw);
  const [, dh, dw] = dilated.shape as Shape4;
  // dx[i] = Σ_a dilated[i + top − a] · W[a]: a correlation with the flipped filter over dilated
  // padded by KH−1−top in front, and at the back by whatever makes the output InH long.
  const front = kh - 1 - info.padInfo.top;
  const frontW = kw - 1 - info.padInfo.left;
  const { x: dys, pad } = padOrCrop(
    k,
    dilated,
    [front, inHeight + kh - 1 - front - dh],
    [frontW, inWidth + kw - 1 - frontW - dw],
  );
  const flipped = k.run(Reverse, { x: filter }, { dims: [0, 1] });
  const flippedSwapped = k.run(Transpose, { x: flipped }, { perm: [0, 1, 3, 2] });
  return forwardConv(k, dys, flippedSwapped, [1, 1], pad);
}

/** Conv2DBackpropFilter and Conv2DBackpropInput for `backendName`, built on its own Conv2D. */
export function convGradientKernels(backendName: string): KernelConfig[] {
  const filterKernel: KernelFunc = ({ inputs, backend, attrs }) => {
    const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
    return composeKernels(backend as KernelBackend, backendName, (k) =>
      filterGradient(k, x, dy, attrs as unknown as Conv2DBackpropFilterAttrs),
    );
  };
  const inputKernel: KernelFunc = ({ inputs, backend, attrs }) => {
    const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
    return composeKernels(backend as KernelBackend, backendName, (k) =>
      inputGradient(k, dy, filter, attrs as unknown as Conv2DBackpropInputAttrs),
    );
  };
  return [
    { kernelName: Conv2DBackpropFilter, backendName, kernelFunc: filterKernel },
    { kernelName: Conv2DBackpropInput, backendName, kernelFunc: inputKernel },
  ];
}
