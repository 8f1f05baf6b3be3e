"""Validates mason-registry package definitions against mason-registry's schema.

The schema is the one vendored in editors/nvim/mason/schema/ (JSON Schema
2020-12, one file per component, joined by "$id" and relative "$ref"s). Usage:

    python validate.py PACKAGE.yaml [...]

Exits 0 when every file is valid, 1 (listing each error) otherwise.
"""

import json
import pathlib
import sys

import jsonschema
import referencing
import yaml

SCHEMA_DIR = pathlib.Path(__file__).resolve().parents[2] / "editors/nvim/mason/schema"


def registry():
    resources = []
    for path in sorted(SCHEMA_DIR.rglob("*.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        resources.append((schema["$id"], referencing.Resource.from_contents(schema)))
    return referencing.Registry().with_resources(resources)


def main(paths):
    reg = registry()
    root = json.loads((SCHEMA_DIR / "package.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(root)
    validator = jsonschema.Draft202012Validator(
        root, registry=reg, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    failed = False
    for path in paths:
        try:
            package = yaml.safe_load(pathlib.Path(path).read_text(encoding="utf-8"))
        except yaml.YAMLError as e:
            print(f"{path}: not YAML: {e}")
            failed = True
            continue
        errors = sorted(validator.iter_errors(package), key=lambda e: list(e.absolute_path))
        for e in errors:
            where = "/".join(str(p) for p in e.absolute_path) or "(root)"
            print(f"{path}: {where}: {e.message}")
            for sub in e.context or []:
                print(f"    {'/'.join(str(p) for p in sub.absolute_path)}: {sub.message}")
        if errors:
            failed = True
        else:
            print(f"{path}: valid mason-registry package")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
