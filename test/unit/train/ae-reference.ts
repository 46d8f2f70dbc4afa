// What the AE tests hand ae_reference.py: a model's weights as [values, shape] in layer order.
import { join } from 'node:path';
import type { LayersModel } from '@tensorflow/tfjs-layers';

export const AE_REFERENCE = join(__dirname, 'ae_reference.py');

export const weightsForReference = (m: LayersModel): [number[], number[]][] => m.getWeights().map((w) => [Array.from(w.dataSync()), w.shape]);
