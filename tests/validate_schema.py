"""Validates JSON documents against the manifest's JSON Schema (draft 2020-12).

Reads {"schema": ..., "documents": {name: document}} on stdin and prints
{name: [error, ...]} on stdout, one message per schema violation.
Used by tests/schema.rs; needs the `jsonschema` package (pip install jsonschema).
"""

import json
import sys

try:
    import jsonschema
except ImportError:
    print("MISSING jsonschema: pip install jsonschema", file=sys.stderr)
    sys.exit(3)

data = json.load(sys.stdin)
validator_class = jsonschema.validators.validator_for(data["schema"])
validator_class.check_schema(data["schema"])
validator = validator_class(data["schema"])
if validator_class is not jsonschema.Draft202012Validator:
    print(f"the schema is read as {validator_class.__name__}, not draft 2020-12", file=sys.stderr)
    sys.exit(4)
result = {}
for name, document in data["documents"].items():
    result[name] = sorted(
        f"{'/'.join(str(p) for p in error.absolute_path)}: {error.message}"
        for error in validator.iter_errors(document)
    )
json.dump(result, sys.stdout, ensure_ascii=False)
