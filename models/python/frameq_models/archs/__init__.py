"""Network architectures, one module per architecture, and the registry that names them (``registry.py``)."""
