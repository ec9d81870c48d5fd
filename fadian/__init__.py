"""fadian (法典): Chinese legal and policy texts as code, published as Akoma Ntoso 3.0.

The public API is two names (docs/python-api.md)::

    import fadian
    result = fadian.convert(text)              # → ConvertResult: xml, root, tree, diagnostics
    fadian.Project("path/to/project").build()  # → the build's result and diagnostics
"""

from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["ConvertResult", "Project", "convert"]


def __getattr__(name: str):
    """Import the API on first use: ``python -m fadian`` and ``import fadian`` stay light."""
    if name in __all__:
        from fadian import api

        return getattr(api, name)
    raise AttributeError(f"module 'fadian' has no attribute {name!r}")
