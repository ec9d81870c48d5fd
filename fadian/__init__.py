"""fadian (法典): Chinese legal and policy texts as code, published as Akoma Ntoso 3.0."""

__version__ = "0.1.0"
