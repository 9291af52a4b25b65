"""Small helpers with no jitbridge dependencies (leaf module)."""
from __future__ import annotations


def registry_key(value):
    """A dict key for any registered object: by value when hashable, else by identity."""
    try:
        hash(value)
        return ("h", value)
    except TypeError:
        return ("id", id(value))
