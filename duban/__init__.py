"""duban (督办): turn a government work report into accountable, tracked work."""

__version__ = "0.1.0"
