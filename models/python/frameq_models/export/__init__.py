"""From a PyTorch model to the model repository: ONNX graphs, model.json, golden files, fp16/int8 siblings."""
