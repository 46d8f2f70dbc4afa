// A correct ResizeNearestNeighborGrad (the gradient of UpSampling2D). TF.js 4.22's cpu kernel
// indexes dy with the batch stride of the *input* image, so for batch > 1 every image after the
// first gets another image's gradient. This one scatters each dy pixel back onto the source pixel
// the forward kernel read, using the forward kernel's own index formula.
import {
  ResizeNearestNeighborGrad,
  type KernelBackend,
  type KernelConfig,
  type KernelFunc,
  type ResizeNearestNeighborGradAttrs,
  type TensorInfo,
} from '@tensorflow/tfjs-core';

/** Source index the forward ResizeNearestNeighbor reads for output index `out` (as TF.js computes it). */
function nearestSourceIndex(
  out: number,
  inSize: number,
  outSize: number,
  alignCorners: boolean,
  halfPixelCenters: boolean,
): number {
  const aligned = alignCorners && outSize > 1;
  const ratio = (aligned ? inSize - 1 : inSize) / (aligned ? outSize - 1 : outSize);
  const frac = halfPixelCenters ? ratio * (out + 0.5) : ratio * out;
  const nearest = Math.min(inSize - 1, alignCorners ? Math.round(frac) : Math.floor(frac));
  return halfPixelCenters ? Math.max(0, nearest) : nearest;
}

const resizeNearestNeighborGrad: KernelFunc = ({ inputs, backend, attrs }) => {
  const { images, dy } = inputs as { images: TensorInfo; dy: TensorInfo };
  const { alignCorners, halfPixelCenters } = attrs as unknown as ResizeNearestNeighborGradAttrs;
  const b = backend as KernelBackend;
  const [batch, inH, inW, depth] = images.shape;
  const [, outH, outW] = dy.shape;
  const rowSource = Array.from({ length: outH }, (_, r) => nearestSourceIndex(r, inH, outH, alignCorners, halfPixelCenters));
  const colSource = Array.from({ length: outW }, (_, c) => nearestSourceIndex(c, inW, outW, alignCorners, halfPixelCenters));
  const dyValues = b.readSync(dy.dataId) as Float32Array;
  const dx = new Float32Array(batch * inH * inW * depth);
  let from = 0;
  for (let n = 0; n < batch; n++) {
    for (let r = 0; r < outH; r++) {
      const rowBase = (n * inH + rowSource[r]) * inW;
      for (let c = 0; c < outW; c++) {
        const to = (rowBase + colSource[c]) * depth;
        for (let d = 0; d < depth; d++) dx[to + d] += dyValues[from++];
      }
    }
  }
  return { dataId: b.write(dx, images.shape, 'float32'), shape: images.shape, dtype: 'float32' };
};

export function resizeNearestGradKernel(backendName: string): KernelConfig {
  return { kernelName: ResizeNearestNeighborGrad, backendName, kernelFunc: resizeNearestNeighborGrad };
}
