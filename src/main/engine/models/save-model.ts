// Serialises a Layers model to the TF.js "layers-model" format (model.json + weights.bin), the
// format `tf.loadLayersModel` and the Python `tensorflowjs` converter read.
import * as tf from '@tensorflow/tfjs-core';
import { loadLayersModel, type LayersModel } from '@tensorflow/tfjs-layers';

export const WEIGHTS_FILE = 'weights.bin';

export async function serializeModel(model: LayersModel): Promise<{ modelJson: string; weights: ArrayBuffer }> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(a) };
    }),
  );
  if (!artifacts?.modelTopology || !artifacts.weightSpecs) throw new Error(`model ${model.name} could not be serialised`);
  const modelJson: tf.io.ModelJSON = {
    format: 'layers-model',
    generatedBy: artifacts.generatedBy,
    convertedBy: null,
    modelTopology: artifacts.modelTopology,
    weightsManifest: [{ paths: [WEIGHTS_FILE], weights: artifacts.weightSpecs }],
  };
  return {
    modelJson: JSON.stringify(modelJson),
    weights: tf.io.CompositeArrayBuffer.join(artifacts.weightData ?? new ArrayBuffer(0)),
  };
}

/** The model serializeModel wrote, loaded back (weights exactly as saved). */
export async function deserializeModel(saved: { modelJson: string; weights: ArrayBuffer }): Promise<LayersModel> {
  const json = JSON.parse(saved.modelJson) as tf.io.ModelJSON;
  return loadLayersModel(
    tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData: saved.weights }),
  );
}

export interface LayerSummary {
  layer: string;
  type: string;
  outputShape: (number | null)[];
  parameters: number;
}

/** The architecture as Keras' model.summary() lists it: every layer, its output shape and parameter count. */
export function modelSummary(model: LayersModel): { layers: LayerSummary[]; parameters: number } {
  const layers = model.layers.map((l) => ({
    layer: l.name,
    type: l.getClassName(),
    outputShape: (Array.isArray(l.outputShape[0]) ? l.outputShape[0] : l.outputShape) as (number | null)[],
    parameters: l.countParams(),
  }));
  return { layers, parameters: model.countParams() };
}

/** A layers-model JSON whose manifest names `weights` as its weights file (for models kept side by side in one folder). */
export function withWeightsFile(modelJson: string, weights: string): string {
  const json = JSON.parse(modelJson) as { weightsManifest: { paths: string[] }[] };
  json.weightsManifest[0].paths = [weights];
  return JSON.stringify(json);
}
