"""Policy linting: every manifest checked against Rego policies (built-in pack, conftest, Gatekeeper)."""
