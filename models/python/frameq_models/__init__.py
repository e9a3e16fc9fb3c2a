"""FrameQ model zoo: one ``<name>_arch.py`` per architecture, ONNX export, golden files.

Entry points: ``python -m frameq_models {export,convert,golden,bench}`` and the training commands
``{train,eval-nr,calibrate-labels,package-data}`` (distortions, FR metrics, weak labels, NR training).
"""
