"""Rendering: blueprint settings -> Kubernetes objects -> Kustomize/Helm/Argo CD files."""
