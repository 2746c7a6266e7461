"""HTTP mechanics: responses, errors, security headers, limits, the edge middleware."""
