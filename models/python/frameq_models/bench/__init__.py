"""Speed measurements: ONNX Runtime on the CPU, Python vs Java runtimes, JPEG decoding, PyTorch on a GPU."""
