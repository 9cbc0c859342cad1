// Trains the small Fashion-MNIST CNN that executor-lib's KerasModelsTest imports, with
// TensorFlow.js's pure-JavaScript CPU backend (no native code, no downloads), and writes:
//
//   build/<model>/model.json   the Keras model config (model.toJSON) and, per layer, its weights'
//                              names, shapes and offsets into weights.bin
//   build/<model>/weights.bin  every weight as little-endian float32, layer after layer
//   <expected>                 the trained model's softmax outputs for the first test images
//
// for two models: "fashion-cnn" (trained) and "fashion-layernorm" (untrained; it holds a
// LayerNormalization layer, which DL4J 1.0.0-M2.1's Keras import cannot read). write_h5.py then
// turns each build/<model> into a Keras 2 HDF5 file.
//
// Usage: node train.js [--data DIR] [--build DIR] [--expected FILE] [--train N] [--epochs N]

'use strict';

const fs = require('fs');
const path = require('path');
const zlib = require('zlib');
const tf = require('@tensorflow/tfjs');
const convFilterGrad = require('./conv_filter_grad');

const SEED = 20240601;
const EXPECTED_IMAGES = 8;

function args() {
  const repo = path.resolve(__dirname, '..', '..');
  const a = {
    data: '/usr/share/datasets/fashion-mnist',
    build: path.join(__dirname, 'build'),
    expected: path.join(repo, 'executor-lib/src/test/resources/keras/fashion-cnn.expected.json'),
    train: 4000,
    epochs: 2,
  };
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '');
    if (!(key in a) || i + 1 >= argv.length) {
      throw new Error(`unknown or incomplete option '${argv[i]}'; options: ${Object.keys(a).join(', ')}`);
    }
    a[key] = typeof a[key] === 'number' ? Number(argv[i + 1]) : argv[i + 1];
  }
  return a;
}

/** An IDX file (gzipped or not): {dims, bytes}. */
function readIdx(dir, base) {
  let file = path.join(dir, base + '.gz');
  let buf;
  if (fs.existsSync(file)) {
    buf = zlib.gunzipSync(fs.readFileSync(file));
  } else {
    file = path.join(dir, base);
    buf = fs.readFileSync(file);
  }
  if (buf[0] !== 0 || buf[1] !== 0 || buf[2] !== 0x08) {
    throw new Error(`${file}: not an IDX file of unsigned bytes`);
  }
  const rank = buf[3];
  const dims = [];
  for (let d = 0; d < rank; d++) dims.push(buf.readUInt32BE(4 + 4 * d));
  return { dims, bytes: buf.subarray(4 + 4 * rank) };
}

/** The first n images of a split as an [n, 28, 28, 1] tensor in [0, 1] and their labels. */
function load(dir, prefix, n) {
  const images = readIdx(dir, `${prefix}-images-idx3-ubyte`);
  const labels = readIdx(dir, `${prefix}-labels-idx1-ubyte`);
  const [count, rows, cols] = images.dims;
  n = Math.min(n, count);
  const pixels = new Float32Array(n * rows * cols);
  for (let i = 0; i < pixels.length; i++) pixels[i] = images.bytes[i] / 255;
  return {
    x: tf.tensor4d(pixels, [n, rows, cols, 1]),
    labels: Array.from(labels.bytes.subarray(0, n)),
  };
}

function conv(name, filters, seed, extra = {}) {
  return tf.layers.conv2d({
    name, filters, kernelSize: 3, activation: 'relu',
    kernelInitializer: tf.initializers.glorotUniform({ seed }), ...extra,
  });
}

function dense(name, units, activation, seed) {
  return tf.layers.dense({
    name, units, activation, kernelInitializer: tf.initializers.glorotUniform({ seed }),
  });
}

/** conv1(8) -> bn1 -> pool1 -> conv2(16) -> pool2 -> flatten -> fc1(32) -> predictions(10). */
function fashionCnn() {
  const m = tf.sequential({ name: 'fashion_cnn' });
  m.add(conv('conv1', 8, SEED + 1, { inputShape: [28, 28, 1] }));
  // Momentum 0.9, not Keras's 0.99: 125 steps would leave the running statistics 28% at their
  // initial 0 and 1, and the model much worse at test time than in training.
  m.add(tf.layers.batchNormalization({ name: 'bn1', momentum: 0.9 }));
  m.add(tf.layers.maxPooling2d({ name: 'pool1', poolSize: 2 }));
  m.add(conv('conv2', 16, SEED + 2));
  m.add(tf.layers.maxPooling2d({ name: 'pool2', poolSize: 2 }));
  m.add(tf.layers.flatten({ name: 'flatten' }));
  m.add(dense('fc1', 32, 'relu', SEED + 3));
  m.add(dense('predictions', 10, 'softmax', SEED + 4));
  return m;
}

/** A model DL4J cannot import: LayerNormalization between a conv and the classifier. */
function fashionLayerNorm() {
  const m = tf.sequential({ name: 'fashion_layernorm' });
  m.add(conv('conv1', 4, SEED + 5, { inputShape: [28, 28, 1], strides: 2 }));
  m.add(tf.layers.layerNormalization({ name: 'norm1' }));
  m.add(tf.layers.flatten({ name: 'flatten' }));
  m.add(dense('predictions', 10, 'softmax', SEED + 6));
  return m;
}

/** Writes build/<name>/model.json and weights.bin (see the top of this file). */
function save(model, dir) {
  fs.mkdirSync(dir, { recursive: true });
  const chunks = [];
  let offset = 0;
  const layers = model.layers.map((layer) => ({
    name: layer.name,
    // Keras's order: a layer's weights as the layer lists them (BatchNormalization: gamma,
    // beta, moving_mean, moving_variance), not the model's trainable-first order.
    weights: layer.weights.map((w) => {
      const values = Buffer.from(new Float32Array(w.read().dataSync()).buffer);
      const entry = { name: w.originalName, shape: w.shape, offset, length: values.length };
      chunks.push(values);
      offset += values.length;
      return entry;
    }),
  }));
  fs.writeFileSync(path.join(dir, 'weights.bin'), Buffer.concat(chunks));
  const description = { model_config: model.toJSON(null, false), layers };
  fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(description, null, 1) + '\n');
}

/** JSON with each array of numbers on one line. */
function compactJson(value) {
  return JSON.stringify(value, null, 1)
    .replace(/\[\s+([-+\d.eE,\s]+?)\s+\]/g, (_, inner) => `[${inner.split(/,\s*/).join(', ')}]`);
}

/** The share of images the model labels right, in batches (the CPU backend is slow). */
function accuracy(model, x, labels) {
  let right = 0;
  for (let start = 0; start < labels.length; start += 500) {
    const size = Math.min(500, labels.length - start);
    const predicted = tf.tidy(() =>
      model.predict(x.slice([start, 0, 0, 0], [size, -1, -1, -1])).argMax(-1).dataSync());
    predicted.forEach((p, k) => { if (p === labels[start + k]) right++; });
  }
  return right / labels.length;
}

async function main() {
  const a = args();
  await tf.setBackend('cpu');
  convFilterGrad.install(); // tfjs's own weight gradient of a conv is far too slow, see there
  const started = Date.now();
  const train = load(a.data, 'train', a.train);
  const test = load(a.data, 't10k', 10000);

  const model = fashionCnn();
  model.compile({ optimizer: tf.train.adam(0.002), loss: 'sparseCategoricalCrossentropy' });
  // No shuffling (Fashion-MNIST's files are already in random order) keeps runs repeatable.
  await model.fit(train.x, tf.tensor1d(train.labels, 'float32'), {
    epochs: a.epochs, batchSize: 64, shuffle: false, verbose: 0,
    callbacks: { onEpochEnd: (epoch, logs) => console.log(`epoch ${epoch + 1}: loss ${logs.loss.toFixed(4)}`) },
  });
  const acc = accuracy(model, test.x, test.labels);
  console.log(`test accuracy on all ${test.labels.length} t10k images: ${acc.toFixed(4)}`);

  const indices = [...Array(EXPECTED_IMAGES).keys()];
  const outputs = tf.tidy(() =>
    model.predict(test.x.slice([0, 0, 0, 0], [EXPECTED_IMAGES, -1, -1, -1])).arraySync());
  const expected = {
    model: 'fashion-cnn.h5',
    source: `TensorFlow.js ${tf.version.tfjs} (${tf.getBackend()} backend), tools/keras-fixture/train.js`,
    trained_on: `the first ${train.labels.length} Fashion-MNIST training images, ${a.epochs} epochs`,
    test_accuracy: acc,
    test_images_scored: test.labels.length,
    input: 'pixel / 255, shape [n, 28, 28, 1] (channels_last)',
    image_indices: indices,
    labels: indices.map((i) => test.labels[i]),
    outputs,
  };
  fs.mkdirSync(path.dirname(a.expected), { recursive: true });
  fs.writeFileSync(a.expected, compactJson(expected) + '\n');

  save(model, path.join(a.build, 'fashion-cnn'));
  save(fashionLayerNorm(), path.join(a.build, 'fashion-layernorm'));
  console.log(`wrote ${a.expected} and ${a.build}/ in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
