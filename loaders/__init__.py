"""Per-request DataLoaders: batch and deduplicate reads by key, over our data and the regional
sources. Built in each request's context, never at module level. No Strawberry but its
DataLoader (dataloader.py)."""
