"""Anytag training: SDL model, loss, metrics, training and model-pack export."""
