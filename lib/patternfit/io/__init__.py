"""Reading and writing files safely: guarded YAML/JSON, atomic writes, path rules."""
