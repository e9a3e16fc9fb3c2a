"""The learned codec outside PyTorch: the rANS coder, the table files and the ONNX Runtime reference."""
