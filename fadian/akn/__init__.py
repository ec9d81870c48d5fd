"""Akoma Ntoso: eIds (ids), FRBR metadata (meta), the writer (write), the reader the renderers
use (read), validation against the official schema (validate), bulletin collections."""
