"""Training and evaluation data: the photo splits, the distortions, the FR metrics and the weak labels built on them."""
