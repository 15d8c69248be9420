"""Built-in search spaces, shipped as YAML files beside this module."""
