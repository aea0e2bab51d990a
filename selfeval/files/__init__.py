"""Files: safe YAML I/O, loading documents, the workspace layout, the response store, init."""
