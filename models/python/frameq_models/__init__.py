"""FrameQ model zoo: the networks FrameQ serves, their ONNX export, and the data, training and evaluation behind them.

Subpackages, lowest layer first (``tests/test_package_structure.py`` keeps them free of import cycles):

- ``common``  ONNX Runtime sessions, JSON layout, file digests, image decoding
- ``codec``   the learned codec outside PyTorch: rANS coder, table files, the ONNX Runtime reference
- ``archs``   one module per architecture, and ``registry.py``: names -> builder, configs, training start
- ``export``  ONNX graphs, model.json entries, golden files, fp16/int8 siblings, weights back from ONNX
- ``bench``   speed measurements
- ``data``    photo splits, distortions, FR metrics, weak labels, training groups
- ``eval``    evaluation of trained and shipped models
- ``train``   the training loops and the training-side commands

Entry point: ``python -m frameq_models <command>`` (``__main__.py``; ``-h`` lists the commands).
"""
