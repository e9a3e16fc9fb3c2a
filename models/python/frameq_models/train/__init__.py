"""Training: the shared wall-clock loop, one module per model family, and the ``train`` command's dispatch."""
