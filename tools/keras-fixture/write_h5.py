#!/usr/bin/python3
"""Writes a model that train.js saved under build/<model>/ as a Keras 2 HDF5 file.

The layout is the one Keras 2 (keras.engine.saving, 2.2.x) writes with model.save():

  /                          attrs: keras_version, backend, model_config (JSON)
  /model_weights             attrs: layer_names, keras_version, backend
  /model_weights/<layer>     attrs: weight_names ("<layer>/kernel:0", ...; empty without weights)
  /model_weights/<layer>/<layer>/kernel:0, bias:0, ...   float32 datasets

train.js's config comes from TensorFlow.js's model.toJSON(); its keras_version
("tfjs-layers x.y.z") and backend ("tensor_flow.js") are replaced by Keras 2's, as DL4J reads
those to pick its Keras 1 or Keras 2 field names. No training_config is written: the file holds
an inference model.

Usage: /usr/bin/python3 write_h5.py BUILD_DIR OUTPUT.h5
"""

import json
import os
import sys

import h5py
import numpy as np

KERAS_VERSION = "2.2.4"
BACKEND = "tensorflow"


def write(build_dir, output):
    with open(os.path.join(build_dir, "model.json")) as f:
        description = json.load(f)
    with open(os.path.join(build_dir, "weights.bin"), "rb") as f:
        blob = f.read()

    config = description["model_config"]
    config["keras_version"] = KERAS_VERSION
    config["backend"] = BACKEND

    os.makedirs(os.path.dirname(os.path.abspath(output)), exist_ok=True)
    # libver "earliest" and no timestamps keep the file small and its bytes repeatable.
    with h5py.File(output, "w", libver="earliest", track_order=False) as h5:
        h5.attrs["keras_version"] = np.bytes_(KERAS_VERSION)
        h5.attrs["backend"] = np.bytes_(BACKEND)
        h5.attrs["model_config"] = np.bytes_(json.dumps(config, separators=(",", ":")))

        weights = h5.create_group("model_weights")
        layers = description["layers"]
        weights.attrs["layer_names"] = np.array([np.bytes_(l["name"]) for l in layers])
        weights.attrs["keras_version"] = np.bytes_(KERAS_VERSION)
        weights.attrs["backend"] = np.bytes_(BACKEND)
        for layer in layers:
            group = weights.create_group(layer["name"])
            names = [w["name"] + ":0" for w in layer["weights"]]
            # Keras writes np.asarray([]) (float64, empty) for a layer without weights.
            group.attrs["weight_names"] = (
                np.array([np.bytes_(n) for n in names]) if names else np.asarray([]))
            for w, name in zip(layer["weights"], names):
                start, length = w["offset"], w["length"]
                values = np.frombuffer(blob[start:start + length], dtype="<f4").reshape(w["shape"])
                group.create_dataset(name, data=values.astype(np.float32), track_times=False)
    print(f"wrote {output} ({os.path.getsize(output)} bytes, {len(layers)} layers)")


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    write(sys.argv[1], sys.argv[2])


if __name__ == "__main__":
    main()
