"""gitopsgen: describe a service once, get validated, linted GitOps manifests for every environment."""

__version__ = "0.1.0"
