"""FrameQ model zoo: one ``<name>_arch.py`` per architecture, ONNX export, golden files.

Entry point: ``python -m frameq_models {export,convert,golden,bench}``.
"""
