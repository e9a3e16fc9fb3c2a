"""Evaluation of trained and shipped models on held-out photos and real-noise pairs."""
