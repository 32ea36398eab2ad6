"""Strawberry's DataLoader: the one part of Strawberry used below the schema. It batches and
caches one request's reads and knows no schema or type. Everything below the schema takes it
from here, so that the layer contract (pyproject.toml) allows exactly this import of
Strawberry and refuses any other.
"""

from strawberry.dataloader import DataLoader

__all__ = ["DataLoader"]
