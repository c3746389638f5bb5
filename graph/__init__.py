"""Graph algorithms over the knowledge graph: gaps, clusters, impact, suggestions."""
