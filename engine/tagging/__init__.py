"""Auto tags: objects and scenes recognised by the models, stored as keywords."""
