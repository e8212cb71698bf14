// The pneumonia CNN cut in two at a convolution: the part that makes the feature maps and
// the part that turns them into the output. The course's model is a chain (each layer
// feeds the next), so both parts are its own layers applied in order, in inference mode
// (dropout off, BatchNormalization with its moving statistics). The output used for
// explanations is the LOGIT, the value before the sigmoid: the sigmoid saturates near 0
// and 1 and would flatten the gradients (Selvaraju et al. also take the score before softmax).
import * as tf from "@tensorflow/tfjs";

export interface ConvLayerInfo {
  /** Position in model.layers (0 is the InputLayer). */
  index: number;
  name: string;
  className: string;
  /** Short Portuguese label: "conv 1", "conv 2", "bloco 1" ... */
  label: string;
  /** [height, width, channels] of its output. */
  shape: [number, number, number];
}

/** Checks that every layer takes exactly the previous layer's output (what the cut relies on). */
export function assertChain(model: tf.LayersModel): void {
  model.layers.forEach((layer, i) => {
    if (i === 0) return;
    const inbound = layer.inboundNodes[0]?.inboundLayers ?? [];
    if (inbound.length !== 1 || inbound[0] !== model.layers[i - 1]) {
      throw new Error(`O modelo não é uma cadeia de camadas: a camada ${i} (${layer.name}) não recebe só a saída da camada ${i - 1}. ` +
        "Use o modelo de buildModel (ou um checkpoint dele).");
    }
  });
  const last = model.layers[model.layers.length - 1];
  const activation = (last.getConfig() as { activation?: string }).activation;
  if (last.getClassName() !== "Dense" || activation !== "sigmoid") {
    throw new Error(`A última camada deve ser uma Dense com sigmoide (é ${last.getClassName()}, ativação ${activation}).`);
  }
}

/**
 * The convolutions whose maps the notebook shows: every Conv2D, and the last SeparableConv2D
 * of each block (the one right before its BatchNormalization), in model order.
 */
export function featureMapLayers(model: tf.LayersModel): ConvLayerInfo[] {
  const out: ConvLayerInfo[] = [];
  let convs = 0, blocks = 0;
  model.layers.forEach((layer, index) => {
    const className = layer.getClassName();
    const next = model.layers[index + 1]?.getClassName();
    let label: string | null = null;
    if (className === "Conv2D") label = `conv ${++convs}`;
    else if (className === "SeparableConv2D" && next !== "SeparableConv2D") label = `bloco ${++blocks}`;
    if (label === null) return;
    const shape = (layer.outputShape as number[]).slice(1) as [number, number, number];
    out.push({ index, name: layer.name, className, label, shape });
  });
  return out;
}

/** The last convolution of the last block: where Grad-CAM looks (Selvaraju et al., section 3). */
export function lastConvLayer(model: tf.LayersModel): ConvLayerInfo {
  const layers = featureMapLayers(model);
  if (layers.length === 0) throw new Error("O modelo não tem camadas convolucionais.");
  return layers[layers.length - 1];
}

/** The layer with this label or name ("bloco 3", "conv 1", or a tfjs layer name). */
export function findConvLayer(model: tf.LayersModel, labelOrName: string): ConvLayerInfo {
  const layers = featureMapLayers(model);
  const found = layers.find((l) => l.label === labelOrName || l.name === labelOrName);
  if (!found) throw new Error(`Camada "${labelOrName}" não encontrada; use uma de: ${layers.map((l) => l.label).join(", ")}.`);
  return found;
}

/** Output of layer `to` for the input `x` of layer `from + 1` (inference mode). */
export function applyLayers(model: tf.LayersModel, x: tf.Tensor, from: number, to: number): tf.Tensor {
  let y = x;
  for (let i = from + 1; i <= to; i++) y = model.layers[i].apply(y, { training: false }) as tf.Tensor;
  return y;
}

/** The logit (before the sigmoid), shape [n], from the output of layer `from` (0: the input images). */
export function logitsFrom(model: tf.LayersModel, x: tf.Tensor, from: number): tf.Tensor1D {
  const lastIndex = model.layers.length - 1;
  const features = applyLayers(model, x, from, lastIndex - 1) as tf.Tensor2D;
  const [kernel, bias] = model.layers[lastIndex].getWeights() as [tf.Tensor2D, tf.Tensor1D];
  return tf.add(tf.matMul(features, kernel), bias).reshape([-1]) as tf.Tensor1D;
}

/** +1 for PNEUMONIA (the logit is its score), -1 for NORMAL (-logit is the log-odds of NORMAL). */
export function classSigns(classes: ArrayLike<number>): tf.Tensor1D {
  return tf.tensor1d(Array.from(classes, (c) => (c === 1 ? 1 : -1)));
}
