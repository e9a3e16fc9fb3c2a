"""Helpers every other subpackage may use; nothing here imports from the rest of ``frameq_models``."""
