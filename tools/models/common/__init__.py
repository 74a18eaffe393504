"""Parts every pack kind shares: hashing, manifest writing, ONNX signatures, the CLIP BPE vocabulary."""
