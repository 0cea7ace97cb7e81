"""What the dashboards share: HTML fragments, question rows, the pattern guide, the visitor id."""
