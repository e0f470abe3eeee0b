"""ApplicationSets offline: expand generators and templates into the Applications Argo CD would create."""
