"""Faces: detection job, face quality, name suggestions, clustering, user decisions, rebuild."""
