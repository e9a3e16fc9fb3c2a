"""FrameQ model zoo: architectures, exporters, training and evaluation of the IQA models."""
