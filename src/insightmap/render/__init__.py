"""Renderers: terminal tables, Markdown, charts and pages from analysis results."""
