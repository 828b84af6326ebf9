"""Model-pack writing (docs/model-pack.md) and the offline starter pack.

- `word_table`: the AWT1 word table (float16 unit rows, word index).
- `pack_writer`: `write_pack`, the one way training code writes a pack folder.
- `wordnet`, `class_synsets`, `synset_vocab`: WordNet noun parser, ImageNet class -> synset
  matching, the starter vocabulary (membership matrix, synset vectors).
- `conse_graph`: the ConSE head appended to the classifier's ONNX graph.
- `starter` (+ `starter_checks`, `photos`): build and check the starter pack; CLI.
- `tflite_reader`, `tflite_onnx`: TFLite -> float ONNX for the download path.
- `sources`: where the sources live in a checkout; the builder's code fingerprint.
"""
