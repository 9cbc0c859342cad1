// A faster Conv2DBackpropFilter kernel for TensorFlow.js's CPU backend, for training only.
//
// tfjs-backend-cpu's own kernel reads every element through TensorBuffer.get(), which makes a
// conv layer's weight gradient take seconds per batch of 64 small images (about 95% of a
// training step here; 8000 images would take over 15 minutes an epoch). This one computes the
// same sum, dW[kh, kw, ci, co] = sum over n, y, x of X[n, y*s + kh, x*s + kw, ci] * dY[n, y, x, co],
// over flat Float32Arrays for the cases the fixture uses (NHWC, 'valid' padding, no dilation)
// and hands every other case to the original kernel. The forward pass, and so the outputs
// written to expected.json, still come from tfjs's own kernels.

'use strict';

const tf = require('@tensorflow/tfjs');

const NAME = 'Conv2DBackpropFilter';

/** A conv's weight gradient on fixed random data (stride 2 covers the strided case). */
function probe() {
  return tf.tidy(() => {
    const x = tf.randomUniform([3, 9, 8, 2], -1, 1, 'float32', 1);
    const dy = tf.randomUniform([3, 4, 3, 5], -1, 1, 'float32', 2);
    const k = tf.randomUniform([3, 3, 2, 5], -1, 1, 'float32', 3);
    return tf.grad((kk) => tf.conv2d(x, kk, 2, 'valid').mul(dy).sum())(k).dataSync();
  });
}

/** Replaces the cpu backend's kernel, after checking that both give the same gradient. */
function install() {
  const before = probe();
  const original = tf.getKernel(NAME, 'cpu');
  if (!original) {
    throw new Error(`tfjs has no '${NAME}' kernel for the cpu backend to replace`);
  }
  tf.unregisterKernel(NAME, 'cpu');
  tf.registerKernel({
    kernelName: NAME,
    backendName: 'cpu',
    kernelFunc: (args) => fast(args) || original.kernelFunc(args),
  });
  const after = probe();
  const worst = Math.max(...before.map((v, i) => Math.abs(v - after[i])));
  if (!(worst < 1e-5)) {
    throw new Error(`the replacement ${NAME} kernel differs from tfjs's by ${worst}`);
  }
}

function fast({ inputs, backend, attrs }) {
  const { x, dy } = inputs;
  const { strides, pad, dataFormat, filterShape } = attrs;
  const [sh, sw] = typeof strides === 'number' ? [strides, strides] : strides;
  if (pad !== 'valid' || (dataFormat && dataFormat !== 'NHWC')) {
    return null;
  }
  const [n, h, w, cin] = x.shape;
  const [, oh, ow, cout] = dy.shape;
  const [kh, kw] = filterShape;
  if ((oh - 1) * sh + kh > h || (ow - 1) * sw + kw > w) {
    return null;
  }
  const xs = backend.readSync(x.dataId);
  const dys = backend.readSync(dy.dataId);
  const dw = new Float32Array(kh * kw * cin * cout);
  for (let b = 0; b < n; b++) {
    for (let y = 0; y < oh; y++) {
      for (let xo = 0; xo < ow; xo++) {
        const dyBase = ((b * oh + y) * ow + xo) * cout;
        for (let i = 0; i < kh; i++) {
          for (let j = 0; j < kw; j++) {
            const xBase = ((b * h + y * sh + i) * w + xo * sw + j) * cin;
            const wBase = (i * kw + j) * cin * cout;
            for (let c = 0; c < cin; c++) {
              const v = xs[xBase + c];
              if (v === 0) continue;
              const row = wBase + c * cout;
              for (let o = 0; o < cout; o++) {
                dw[row + o] += v * dys[dyBase + o];
              }
            }
          }
        }
      }
    }
  }
  return backend.makeTensorInfo(filterShape, 'float32', dw);
}

module.exports = { install };
